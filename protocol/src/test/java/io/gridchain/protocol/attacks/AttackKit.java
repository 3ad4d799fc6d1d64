package io.gridchain.protocol.attacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.GridHub;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.TxSender;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.errors.RevertDecoder;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;

/**
 * The attack tests' own fixture: a real anvil with the protocol deployed, and helpers to act as any party the
 * way an attacker would (fresh keys, own pools and apps, raw batches). Every actor is a fresh key, so that tests
 * sharing one chain never share a pool, a bond or a score. It tracks every account and (pool, worker) stake it
 * touched, so that the escrow invariant (sum of free, locked, bonds and earnings == the hub's token balance) can
 * be checked after each attack.
 */
final class AttackKit implements AutoCloseable {
    static final long APP_PRICE = 3;
    static final long POOL_PRICE = 100;
    /** Default workerpool policy: 30 % of the pool price staked per contribution, 1 % kept by the scheduler. */
    static final BigInteger STAKE = BigInteger.valueOf(30);
    static final BigInteger SCHEDULER_STAKE = BigInteger.valueOf(30);
    static final BigInteger WORKERS_SHARE = BigInteger.valueOf(99);
    /** Category 0 ("XS"): T = 300 s, deadline = start + 10 T, contributions close at D - 3 T. */
    static final long T = 300;
    static final long DEAL_DURATION = 10 * T;
    static final long UNBOND_DELAY = 11 * 24 * 3600;
    static final BigInteger DEPOSIT = BigInteger.valueOf(1_000_000);
    static final String BURN = "0x000000000000000000000000000000000000dead";
    static final BigInteger MAX_TRUST = BigInteger.ONE.shiftLeft(64);

    private static final AtomicLong SEQ = new AtomicLong();

    final LocalProtocol net;
    /** Dev account 0: deploys, owns the token, funds everyone. Takes no part in attacks. */
    final GridClient funder;
    private final Map<String, Credentials> keys = new HashMap<>();
    private final Set<String> accounts = new LinkedHashSet<>();
    private final Set<String> schedulers = new LinkedHashSet<>();

    AttackKit() {
        net = LocalProtocol.start();
        funder = net.client(0);
        accounts.add(BURN);
        for (Credentials c : net.accounts()) remember(c);
    }

    @Override
    public void close() {
        net.close();
    }

    // ---------------------------------------------------------------- actors

    /** A brand-new key with ETH for gas and {@code deposit} tokens in its escrow (funded by account 0). */
    GridClient actor(BigInteger deposit) {
        Credentials c;
        try {
            c = Credentials.create(Keys.createEcKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        remember(c);
        setEth(c.getAddress(), BigInteger.TEN.pow(20));
        if (deposit.signum() > 0) depositFor(c.getAddress(), deposit);
        return net.protocol().as(c);
    }

    GridClient actor() {
        return actor(DEPOSIT);
    }

    /** A fresh worker that bonds {@code bond} of its own tokens in the pool of {@code scheduler}. */
    GridClient worker(GridClient scheduler, long bond) {
        GridClient w = actor();
        w.bond(scheduler.address(), BigInteger.valueOf(bond));
        return w;
    }

    /** {@code n} fresh actors in increasing address order (the order the hub wants a batch's workers in). */
    List<GridClient> sortedActors(int n) {
        List<GridClient> out = new ArrayList<>();
        for (int i = 0; i < n; i++) out.add(actor());
        out.sort((a, b) -> Words.canonical(a.address()).compareTo(Words.canonical(b.address())));
        return out;
    }

    private void remember(Credentials c) {
        keys.put(Words.canonical(c.getAddress()), c);
        accounts.add(Words.canonical(c.getAddress()));
    }

    /** Tracks an account the kit did not create (a contract), for {@link #assertConserved()}. */
    void track(String account) {
        accounts.add(Words.canonical(account));
    }

    Credentials key(GridClient c) {
        return key(c.address());
    }

    Credentials key(String address) {
        Credentials c = keys.get(Words.canonical(address));
        if (c == null) throw new IllegalArgumentException("no key for " + address);
        return c;
    }

    void depositFor(String account, BigInteger amount) {
        var sender = net.chain().sender(net.accounts().get(0));
        var gas = new DefaultGasProvider();
        String hub = net.protocol().addresses().hub();
        DevToken token = DevToken.load(net.protocol().addresses().token(), net.chain().web3j(), sender, gas);
        GridHub h = GridHub.load(hub, net.chain().web3j(), sender, gas);
        GridClient.call(() -> token.approve(hub, amount).send());
        GridClient.call(() -> h.depositFor(account, amount).send());
    }

    void setEth(String address, BigInteger wei) {
        net.setBalance(address, wei);
    }

    /** Moves the chain's clock forward by {@code seconds} and mines a block. */
    void advance(long seconds) {
        net.advanceTime(seconds);
    }

    long now() {
        return net.chain().latestTimestamp();
    }


    // ---------------------------------------------------------------- assets, pools, deals

    /** A workerpool owned by {@code owner}, who bonds {@code bond} in its own pool (0: no bond, cannot serve). */
    String pool(GridClient owner, BigInteger bond) {
        String pool = owner.createWorkerpool("pool " + SEQ.incrementAndGet());
        schedulers.add(Words.canonical(owner.address()));
        if (bond.signum() > 0) owner.bond(owner.address(), bond);
        return pool;
    }

    String pool(GridClient owner) {
        return pool(owner, BigInteger.valueOf(1_000));
    }

    String app(GridClient owner) {
        String name = "app" + SEQ.incrementAndGet();
        return owner.createApp(name, "wasm", "http://127.0.0.1/" + name + ".wasm", digest(name));
    }

    /** The parties of a deal: who owns the app and the pool, who requests. */
    record Parties(GridClient appOwner, String app, GridClient scheduler, String pool, GridClient requester) {}

    /** Fresh app owner, scheduler (with a bonded pool) and requester. */
    Parties parties() {
        GridClient appOwner = actor();
        GridClient scheduler = actor();
        return new Parties(appOwner, app(appOwner), scheduler, pool(scheduler), actor());
    }

    DealRecord deal(Parties p, long volume, long trust) {
        return deal(p, volume, BigInteger.valueOf(trust), APP_PRICE, POOL_PRICE, Words.ZERO_ADDRESS);
    }

    /** Signs the app and pool orders as their owners and matches them with the requester's order, sent by it. */
    DealRecord deal(Parties p, long volume, BigInteger trust, long appPrice, long poolPrice, String callback) {
        AppOrder a = AppOrder.of(p.app(), appPrice, volume);
        WorkerpoolOrder w = poolOrder(p.pool(), poolPrice, volume, trust);
        RequestOrder r = request(p.requester().address(), p.app(), appPrice, poolPrice, volume, trust)
                .withCallback(callback);
        return p.requester().matchOrders(a, DatasetOrder.NONE, w, r, p.appOwner().sign(a), new byte[0],
                p.scheduler().sign(w), new byte[0]);
    }

    static WorkerpoolOrder poolOrder(String pool, long price, long volume, BigInteger trust) {
        WorkerpoolOrder o = WorkerpoolOrder.of(pool, price, volume, 0, 1);
        return new WorkerpoolOrder(o.workerpool(), o.price(), o.volume(), o.tag(), o.category(), trust,
                o.appRestrict(), o.datasetRestrict(), o.requesterRestrict(), o.expiry(), o.salt());
    }

    static RequestOrder request(String requester, String app, long appPrice, long poolPrice, long volume,
            BigInteger trust) {
        RequestOrder o = RequestOrder.of(requester, app, appPrice, poolPrice, volume, 0, 1);
        return new RequestOrder(o.app(), o.appMaxPrice(), o.dataset(), o.datasetMaxPrice(), o.workerpool(),
                o.workerpoolMaxPrice(), o.requester(), o.volume(), o.tag(), o.category(), trust, o.beneficiary(),
                o.callback(), o.params(), o.expiry(), o.salt());
    }

    // ---------------------------------------------------------------- aggregated path

    static String digest(String text) {
        return Words.hex(Hash.sha3((text + "#" + SEQ.incrementAndGet()).getBytes()));
    }

    /** One task: each worker votes the digest mapped to it; the scheduler lists {@code winner} first. */
    static Batch task(Batch batch, DealRecord deal, long index, Map<GridClient, String> votes, String winner) {
        List<Batch.Vote> vs = new ArrayList<>();
        votes.forEach((w, d) -> vs.add(new Batch.Vote(w.address(), d)));
        return batch.add(index, deal.taskId(index), vs, winner, null);
    }

    /** One task where every worker votes {@code digest}. */
    static Batch agree(Batch batch, DealRecord deal, long index, List<GridClient> workers, String digest) {
        Map<GridClient, String> votes = new LinkedHashMap<>();
        for (GridClient w : workers) votes.put(w, digest);
        return task(batch, deal, index, votes, digest);
    }

    /** Each worker's signature of its chain in the batch, in the batch's worker order. */
    List<byte[]> signatures(Batch batch) {
        List<byte[]> sigs = new ArrayList<>();
        for (String w : batch.workers()) {
            sigs.add(Contributions.sign(net.protocol().domain(), batch.entriesOf(w), key(w)));
        }
        return sigs;
    }

    /** The deal's scheduler submits {@code batch}, every worker having signed its part. */
    TxResult finalize(GridClient scheduler, DealRecord deal, Batch batch) {
        return scheduler.finalizeBatch(deal, batch, signatures(batch));
    }

    /** The calldata of finalizeBatch, for sending it with a gas limit of one's choosing. */
    String finalizeBatchData(GridClient scheduler, DealRecord deal, Batch batch) {
        return scheduler.finalizeBatchCalldata(deal, batch, signatures(batch));
    }

    /** The calldata of matchOrders without dataset. */
    static String matchData(GridClient sender, AppOrder a, WorkerpoolOrder w, RequestOrder r, byte[] appSig,
            byte[] poolSig, byte[] requestSig) {
        return sender.hub().matchOrders(
                new GridHub.AppOrder(a.app(), a.price(), a.volume(), Words.toBytes32(a.tag()), a.datasetRestrict(),
                        a.workerpoolRestrict(), a.requesterRestrict(), a.expiry(), Words.toBytes32(a.salt())),
                new GridHub.DatasetOrder(Words.ZERO_ADDRESS, BigInteger.ZERO, BigInteger.ZERO,
                        Words.toBytes32(Words.ZERO_BYTES32), Words.ZERO_ADDRESS, Words.ZERO_ADDRESS,
                        Words.ZERO_ADDRESS, BigInteger.ZERO, Words.toBytes32(Words.ZERO_BYTES32)),
                new GridHub.WorkerpoolOrder(w.workerpool(), w.price(), w.volume(), Words.toBytes32(w.tag()),
                        w.category(), w.trust(), w.appRestrict(), w.datasetRestrict(), w.requesterRestrict(),
                        w.expiry(), Words.toBytes32(w.salt())),
                new GridHub.RequestOrder(r.app(), r.appMaxPrice(), r.dataset(), r.datasetMaxPrice(), r.workerpool(),
                        r.workerpoolMaxPrice(), r.requester(), r.volume(), Words.toBytes32(r.tag()), r.category(),
                        r.trust(), r.beneficiary(), r.callback(), r.params(), r.expiry(), Words.toBytes32(r.salt())),
                new GridHub.MatchSignatures(appSig, new byte[0], poolSig, requestSig)).encodeFunctionCall();
    }

    static GridHub.Deal struct(Deal d) {
        return new GridHub.Deal(d.requester(), d.appOwner(), d.datasetOwner(), d.scheduler(), d.callback(),
                d.appPrice(), d.datasetPrice(), d.workerpoolPrice(), d.volume(), d.trust(), d.categoryTime(),
                d.startTime(), d.workerStake(), d.schedulerRewardRatio());
    }

    /** A transaction sent with a gas limit of its sender's choosing: the gas it used, and whether it succeeded. */
    record Sent(long gasUsed, boolean ok) {}

    /** Sends {@code data} to {@code to} from {@code sender} with exactly {@code gas}, without estimating: a revert is mined. */
    Sent sendWithGas(GridClient sender, String to, String data, BigInteger gas) {
        TxSender tx = net.chain().sender(key(sender));
        try {
            TransactionReceipt r = tx.send(to, data, BigInteger.ZERO, gas);
            return new Sent(r.getGasUsed().longValueExact(), true);
        } catch (RevertException e) {
            TransactionReceipt r = lastReceipt();
            assertThat(r.getFrom()).isEqualToIgnoringCase(sender.address());
            return new Sent(r.getGasUsed().longValueExact(), false);
        }
    }

    private TransactionReceipt lastReceipt() {
        try {
            var web3j = net.chain().web3j();
            var block = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
            String hash = (String) block.getTransactions().get(block.getTransactions().size() - 1).get();
            return web3j.ethGetTransactionReceipt(hash).send().getTransactionReceipt().orElseThrow();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---------------------------------------------------------------- per-worker path

    byte[] authorize(GridClient scheduler, String worker, String taskId) {
        return Contributions.authorize(net.protocol().domain(), worker, taskId, key(scheduler));
    }

    // ---------------------------------------------------------------- reading state

    Balance bal(String account) {
        return funder.balanceOf(account);
    }

    Balance bal(GridClient c) {
        return bal(c.address());
    }

    PoolStake stake(String scheduler, GridClient worker) {
        return funder.stakeOf(scheduler, worker.address());
    }

    PoolStake stake(GridClient scheduler, GridClient worker) {
        return stake(scheduler.address(), worker);
    }

    BigInteger burned() {
        return bal(BURN).free();
    }

    /** Escrow and wallet tokens of {@code c}, including its bonds and earnings in the pools the kit knows. */
    BigInteger everything(GridClient c) {
        BigInteger sum = bal(c).total().add(funder.tokenBalanceOf(c.address()));
        for (String s : schedulers) {
            PoolStake p = funder.stakeOf(s, c.address());
            sum = sum.add(p.bond()).add(p.earned());
        }
        return sum;
    }

    /** The escrow invariant over every account and pool the kit knows, against the hub's token balance. */
    void assertConserved() {
        BigInteger sum = BigInteger.ZERO;
        for (String a : accounts) sum = sum.add(bal(a).total());
        for (String s : schedulers) {
            for (String a : accounts) {
                PoolStake p = funder.stakeOf(s, a);
                sum = sum.add(p.bond()).add(p.earned());
            }
        }
        assertThat(sum).as("sum of escrow balances, bonds and earnings == hub token balance")
                .isEqualTo(funder.tokenBalanceOf(net.protocol().addresses().hub()));
    }

    // ---------------------------------------------------------------- reverts

    /** Asserts that {@code action} is refused with the custom error {@code errorName}. */
    static RevertException reverts(String errorName, ThrowingCallable action) {
        Throwable t = catchThrowable(action);
        assertThat(t).as("expected revert " + errorName).isInstanceOf(RevertException.class);
        RevertException e = (RevertException) t;
        assertThat(e.errorName()).as("error of: " + e.getMessage()).isEqualTo(errorName);
        return e;
    }

    /** eth_call of {@code data} to {@code to} from {@code from} with gas limit {@code gas}: null if it succeeds. */
    RevertException callWithGas(String from, String to, String data, BigInteger gas) {
        try {
            EthCall call = net.chain().web3j().ethCall(
                    Transaction.createFunctionCallTransaction(from, null, null, gas, to, BigInteger.ZERO, data),
                    DefaultBlockParameterName.LATEST).send();
            if (!call.hasError()) return null;
            return RevertDecoder.decodeRpcError(call.getError().getMessage(), call.getError().getData());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static BigInteger big(long v) {
        return BigInteger.valueOf(v);
    }
}
