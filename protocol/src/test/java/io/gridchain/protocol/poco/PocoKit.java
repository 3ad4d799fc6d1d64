package io.gridchain.protocol.poco;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gridchain.contracts.CallbackProbe;
import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.EchoConsumer;
import io.gridchain.contracts.GridHub;
import io.gridchain.contracts.GridHubExtension;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.Fixture;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.orders.DatasetOrder;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * Shared helpers of the Proof-of-Contribution tests: fresh workers (score 0, funded by someone else),
 * signing for any known key, raw calldata for malformed batches, per-worker path steps and
 * revert assertions. Not a test class itself.
 */
final class PocoKit {
    static final BigInteger STAKE = BigInteger.valueOf(30); // 30 % of the pool price 100
    static final BigInteger WORKERS_SHARE = BigInteger.valueOf(99); // pool price * (100 - 1) / 100
    static final BigInteger SCHEDULER_SHARE = BigInteger.ONE;
    static final BigInteger TASK_PRICE = BigInteger.valueOf(Fixture.APP_PRICE + Fixture.POOL_PRICE);
    static final BigInteger SCHEDULER_STAKE = BigInteger.valueOf(30); // 30 % of the pool price
    static final long DEAL_DURATION = 10 * 300; // category 0
    static final long REVEAL_DURATION = 2 * 300;
    /** Contributions close this long before the deadline (3 category times). */
    static final long CLOSE_BEFORE_DEADLINE = 3 * 300;
    /** What a fresh worker has bonded in the scheduler's pool unless a test says otherwise: 333 stakes. */
    static final BigInteger BOND = BigInteger.valueOf(10_000);
    static final long UNBOND_DELAY = 11L * 24 * 3600;

    private static final AtomicLong SEQ = new AtomicLong();

    final Fixture f;
    private final Map<String, Credentials> credentials = new HashMap<>();
    /** Accounts outside the fixture's roles that may hold escrow balances. */
    final List<String> extras = new ArrayList<>();

    PocoKit(Fixture f) {
        this.f = f;
        for (Credentials c : f.net.accounts()) credentials.put(c.getAddress().toLowerCase(), c);
    }

    // ---------------------------------------------------------------- accounts

    /** A brand-new worker (score 0) whose escrow and bond of {@link #BOND} are funded by account 0; optionally with ETH. */
    GridClient freshWorker(BigInteger deposit, boolean withEth) {
        return freshWorker(deposit, BOND, withEth);
    }

    /** A brand-new worker with {@code deposit} free and {@code bond} bonded in the scheduler's pool, funded by account 0. */
    GridClient freshWorker(BigInteger deposit, BigInteger bond, boolean withEth) {
        Credentials c;
        try {
            c = Credentials.create(Keys.createEcKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        credentials.put(c.getAddress().toLowerCase(), c);
        extras.add(c.getAddress());
        if (deposit.signum() > 0) depositFor(c.getAddress(), deposit);
        if (bond.signum() > 0) bondFor(c.getAddress(), bond);
        if (withEth) setEth(c.getAddress(), BigInteger.TEN.pow(20));
        return f.net.protocol().as(c);
    }

    GridClient freshWorker() {
        return freshWorker(Fixture.DEPOSIT, true);
    }

    List<GridClient> freshWorkers(int n) {
        List<GridClient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(freshWorker());
        return out;
    }

    /** Account 0 approves the hub and deposits {@code amount} of its tokens into {@code account}'s escrow. */
    void depositFor(String account, BigInteger amount) {
        var sender = f.net.chain().sender(f.net.accounts().get(0));
        var gas = new DefaultGasProvider();
        String hubAddress = f.net.protocol().addresses().hub();
        DevToken token = DevToken.load(f.net.protocol().addresses().token(), f.net.chain().web3j(), sender, gas);
        GridHub hub = GridHub.load(hubAddress, f.net.chain().web3j(), sender, gas);
        call(() -> token.approve(hubAddress, amount).send());
        call(() -> hub.depositFor(account, amount).send());
    }

    /**
     * {@code player} deposits {@code amount} tokens into its own budget at the consumer contract {@code consumer}
     * (any GridConsumer: its deposit(uint256) is called through the EchoConsumer wrapper); account 0 gives it the
     * tokens first.
     */
    void budget(String consumer, GridClient player, BigInteger amount) {
        var web3j = f.net.chain().web3j();
        var gas = new DefaultGasProvider();
        String token = f.net.protocol().addresses().token();
        call(() -> DevToken.load(token, web3j, f.net.chain().sender(f.net.accounts().get(0)), gas)
                .transfer(player.address(), amount).send());
        var sender = f.net.chain().sender(credentialsOf(player));
        call(() -> DevToken.load(token, web3j, sender, gas).approve(consumer, amount).send());
        call(() -> EchoConsumer.load(consumer, web3j, sender, gas).deposit(amount).send());
    }

    /** {@code account}'s budget at the consumer contract {@code consumer}. */
    BigInteger budgetOf(String consumer, String account) {
        return call(() -> EchoConsumer.load(consumer, f.net.chain().web3j(), f.net.chain().sender(f.net.accounts()
                .get(0)), new DefaultGasProvider()).budgetOf(account).send());
    }

    /** A consumer contract's pins: the fixture's app, category 0, trust, and the fixture's prices as maxima. */
    static EchoConsumer.Pins pins(String app, long minTrust) {
        return new EchoConsumer.Pins(app, BigInteger.ZERO, BigInteger.valueOf(minTrust),
                BigInteger.valueOf(Fixture.APP_PRICE), BigInteger.valueOf(Fixture.POOL_PRICE));
    }

    /** Account 0 deposits {@code amount} of its tokens and bonds them for {@code worker} in the scheduler's pool. */
    void bondFor(String worker, BigInteger amount) {
        f.owner.deposit(amount);
        f.owner.bondFor(f.scheduler.address(), worker, amount);
    }

    void setEth(String address, BigInteger wei) {
        f.net.setBalance(address, wei);
    }

    BigInteger ethBalance(String address) {
        try {
            return f.net.chain().web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Credentials credentialsOf(String address) {
        Credentials c = credentials.get(address.toLowerCase());
        if (c == null) throw new IllegalArgumentException("unknown key " + address);
        return c;
    }

    Credentials credentialsOf(GridClient client) {
        return credentialsOf(client.address());
    }

    Balance bal(GridClient c) {
        return f.owner.balanceOf(c.address());
    }

    Balance bal(String address) {
        return f.owner.balanceOf(address);
    }

    /** {@code c}'s standing (bond, earnings, score) in the scheduler's pool. */
    PoolStake stake(GridClient c) {
        return f.stake(c);
    }

    /** {@code c}'s reputation in the scheduler's pool. */
    long score(GridClient c) {
        return f.stake(c).score();
    }

    /** The scheduler's reputation as a pool owner. */
    long poolScore() {
        return bal(f.scheduler).score();
    }

    /** Conservation, counting the kit's fresh workers' bonds and earnings too. */
    void assertConserved() {
        assertThat(f.escrowTotal(extras)).as("sum of escrow balances == hub token balance").isEqualTo(f.hubTokens());
    }

    // ---------------------------------------------------------------- deals

    static String digest(String text) {
        return Fixture.digest(text + "#" + SEQ.incrementAndGet());
    }

    static String word(long v) {
        return Words.bytes32(BigInteger.valueOf(v));
    }

    DealRecord callbackDeal(long volume, long trust, String callback) {
        return f.match(f.appOrder(volume), DatasetOrder.NONE, f.poolOrder(volume, trust),
                f.request(volume, trust).withCallback(callback));
    }

    static DealRecord withDeal(DealRecord d, Deal deal) {
        return new DealRecord(d.dealId(), deal, d.terms(), d.blockNumber());
    }

    /** The same deal id with terms the hub never committed to (a lower worker stake). */
    static DealRecord tampered(DealRecord d) {
        Deal x = d.deal();
        return withDeal(d, new Deal(x.requester(), x.appOwner(), x.datasetOwner(), x.scheduler(), x.callback(),
                x.appPrice(), x.datasetPrice(), x.workerpoolPrice(), x.volume(), x.trust(), x.categoryTime(),
                x.startTime(), BigInteger.ZERO, x.schedulerRewardRatio()));
    }

    static DealRecord unknownId(DealRecord d) {
        return new DealRecord(digest("no such deal"), d.deal(), d.terms(), d.blockNumber());
    }

    static GridHub.Deal struct(Deal d) {
        return new GridHub.Deal(d.requester(), d.appOwner(), d.datasetOwner(), d.scheduler(), d.callback(),
                d.appPrice(), d.datasetPrice(), d.workerpoolPrice(), d.volume(), d.trust(), d.categoryTime(),
                d.startTime(), d.workerStake(), d.schedulerRewardRatio());
    }

    static GridHubExtension.Deal extStruct(Deal d) {
        return new GridHubExtension.Deal(d.requester(), d.appOwner(), d.datasetOwner(), d.scheduler(), d.callback(),
                d.appPrice(), d.datasetPrice(), d.workerpoolPrice(), d.volume(), d.trust(), d.categoryTime(),
                d.startTime(), d.workerStake(), d.schedulerRewardRatio());
    }

    static byte[] id(DealRecord d) {
        return Words.toBytes32(d.dealId());
    }

    // ---------------------------------------------------------------- aggregated path

    List<byte[]> signatures(Batch batch) {
        List<byte[]> sigs = new ArrayList<>();
        for (String w : batch.workers()) {
            sigs.add(Contributions.sign(f.net.protocol().domain(), batch.entriesOf(w), credentialsOf(w)));
        }
        return sigs;
    }

    /** One task where each worker votes the given digest; the winner is {@code winner}. */
    static Batch batch(DealRecord deal, long index, List<GridClient> workers, List<String> digests, String winner) {
        List<Batch.Vote> votes = new ArrayList<>();
        for (int i = 0; i < workers.size(); i++) votes.add(new Batch.Vote(workers.get(i).address(), digests.get(i)));
        return new Batch().add(index, deal.taskId(index), votes, winner, null);
    }

    /** One task where all {@code workers} agree on {@code digest}. */
    static Batch agree(DealRecord deal, long index, List<GridClient> workers, String digest) {
        return batch(deal, index, workers, workers.stream().map(w -> digest).toList(), digest);
    }

    TxResult finalize(DealRecord deal, Batch batch) {
        return f.scheduler.finalizeBatch(deal, batch, signatures(batch));
    }

    static BigInteger packTask(long index, long results) {
        return BigInteger.valueOf(index).or(BigInteger.valueOf(results).shiftLeft(128));
    }

    static GridHub.Votes votes(List<BigInteger> tasks, List<String> digests, List<BigInteger> voters) {
        return new GridHub.Votes(tasks, digests.stream().map(Words::toBytes32).toList(), voters, List.of());
    }

    /** finalizeBatch with raw calldata, sent by {@code sender}. */
    static TxResult rawBatch(GridClient sender, DealRecord deal, GridHub.Votes votes, List<String> workers,
            List<byte[]> sigs) {
        return TxResult.of(call(() -> sender.hub().finalizeBatch(id(deal), struct(deal.deal()), votes, workers, sigs)
                .send()));
    }

    /** A worker's signature of its chain of (task, digest) entries. */
    byte[] sign(GridClient signer, String chainOwner, List<Contributions.Entry> entries) {
        return Contributions.signCommitment(f.net.protocol().domain(), Contributions.commitment(chainOwner, entries),
                credentialsOf(signer));
    }

    /** Gives each of {@code workers} {@code wins} replicated wins (score +wins) in one batch at trust 1. */
    void reputation(List<GridClient> workers, int wins) {
        DealRecord d = f.deal(wins, 1);
        Batch b = new Batch();
        for (int i = 0; i < wins; i++) {
            String dg = digest("rep");
            List<Batch.Vote> votes = workers.stream().map(w -> new Batch.Vote(w.address(), dg)).toList();
            b.add(i, d.taskId(i), votes, dg, null);
        }
        finalize(d, b);
    }

    // ---------------------------------------------------------------- per-worker path

    byte[] authorize(String worker, String taskId) {
        return Contributions.authorize(f.net.protocol().domain(), worker, taskId, f.credentials(f.scheduler));
    }

    /** The salts of the seals this kit made, by task id and worker, for {@link #reveal}. */
    private final Map<String, String> salts = new HashMap<>();

    /** Commits a salted seal of {@code digest}, authorized by the scheduler; the kit keeps the salt. */
    TxResult contribute(GridClient worker, DealRecord deal, long index, String digest) {
        String taskId = deal.taskId(index);
        String salt = Contributions.salt();
        TxResult r = worker.contribute(deal, index, Contributions.seal(worker.address(), taskId, digest, salt),
                authorize(worker.address(), taskId));
        salts.put(taskId + worker.address().toLowerCase(), salt);
        return r;
    }

    /** Reveals {@code digest} with the salt of the worker's seal. */
    TxResult reveal(GridClient worker, DealRecord deal, long index, String digest) {
        return worker.reveal(deal, index, digest, saltOf(worker, deal, index));
    }

    String saltOf(GridClient worker, DealRecord deal, long index) {
        String salt = salts.get(deal.taskId(index) + worker.address().toLowerCase());
        if (salt == null) throw new IllegalStateException("no seal of " + worker.address() + " on " + deal.taskId(index));
        return salt;
    }

    /** Moves time to when contributions close by themselves (deadline - 3 category times) for a fresh deal. */
    void toClose(DealRecord deal) {
        f.net.advanceTime(Math.max(0, deal.deal().deadline() - CLOSE_BEFORE_DEADLINE - now()));
    }

    long now() {
        try {
            return f.net.chain().web3j().ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock()
                    .getTimestamp().longValueExact();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    GridHubExtension.ClassicTask classicTask(String taskId) {
        return f.owner.classicTask(taskId);
    }

    int phase(DealRecord deal, long index) {
        return classicTask(deal.taskId(index)).phase.intValueExact();
    }

    static final int NONE = 0, ACTIVE = 1, REVEALING = 2, DONE = 3;

    // ---------------------------------------------------------------- probes

    CallbackProbe deployProbe(int mode) {
        var sender = f.net.chain().sender(f.net.accounts().get(0));
        CallbackProbe p = call(() -> CallbackProbe.deploy(f.net.chain().web3j(), sender, new DefaultGasProvider(),
                BigInteger.valueOf(mode)).send());
        return p;
    }

    // ---------------------------------------------------------------- reverts

    /** Asserts that {@code action} reverts with {@code errorName} and a readable message containing each fragment. */
    static RevertException reverts(String errorName, ThrowingCallable action, String... fragments) {
        Throwable t = catchThrowable(action);
        assertThat(t).as("expected revert " + errorName).isInstanceOf(RevertException.class);
        RevertException e = (RevertException) t;
        assertThat(e.errorName()).as("error name of: " + e.getMessage()).isEqualTo(errorName);
        assertThat(e.getMessage()).isNotBlank().doesNotContain(errorName + "[");
        for (String fragment : fragments) assertThat(e.getMessage().toLowerCase()).contains(fragment.toLowerCase());
        return e;
    }

    static <T> T call(java.util.concurrent.Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }
}
