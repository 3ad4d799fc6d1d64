package io.gridchain.protocol;

import io.gridchain.contracts.AppRegistry;
import io.gridchain.contracts.DatasetRegistry;
import io.gridchain.contracts.DevToken;
import io.gridchain.contracts.GridHub;
import io.gridchain.contracts.GridHubExtension;
import io.gridchain.contracts.WorkerpoolRegistry;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.TxSender;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.deal.DealTerms;
import io.gridchain.protocol.errors.RevertException;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.protocol.poco.Batch;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.gas.DefaultGasProvider;
import org.web3j.tuples.generated.Tuple3;
import org.web3j.utils.Numeric;

/**
 * One account acting on a deployment: every protocol operation, typed, with reverts surfacing
 * as {@link io.gridchain.protocol.errors.RevertException} carrying a readable message.
 *
 * <p>Over 400 lines because it is the typed face of the whole hub (and its extension): one short method per
 * contract operation, plus the conversions between the protocol's records and the generated wrapper structs.
 */
public final class GridClient {
    /** Status of a task as the hub reports it. */
    public enum TaskStatus { UNSET, IN_PROGRESS, FINALIZED, CLAIMED }

    private final Protocol protocol;
    private final TxSender tx;
    private final GridHub hub;
    /** The hub's rarely called half (bonds, refunds, the per-worker path), called at the hub's address. */
    private final GridHubExtension ext;
    private final DevToken token;
    private final AppRegistry apps;
    private final DatasetRegistry datasets;
    private final WorkerpoolRegistry workerpools;

    GridClient(Protocol protocol, TxSender tx) {
        this.protocol = protocol;
        this.tx = tx;
        var web3j = protocol.chain().web3j();
        var gas = new DefaultGasProvider();
        Protocol.Addresses a = protocol.addresses();
        this.hub = GridHub.load(a.hub(), web3j, tx, gas);
        this.ext = GridHubExtension.load(a.hub(), web3j, tx, gas);
        this.token = DevToken.load(a.token(), web3j, tx, gas);
        this.apps = AppRegistry.load(a.apps(), web3j, tx, gas);
        this.datasets = DatasetRegistry.load(a.datasets(), web3j, tx, gas);
        this.workerpools = WorkerpoolRegistry.load(a.workerpools(), web3j, tx, gas);
    }

    public String address() {
        return tx.address();
    }

    /** The key this client acts with, for signatures the chain does not see (a scheduler's authorizations). */
    public org.web3j.crypto.Credentials credentials() {
        return tx.credentials();
    }

    public Protocol protocol() {
        return protocol;
    }

    /** The generated wrapper, for operations this facade does not cover. */
    public GridHub hub() {
        return hub;
    }

    /** The generated wrapper of the hub's extension, at the hub's address: bonds, refunds and the per-worker path. */
    public GridHubExtension extension() {
        return ext;
    }

    public AppRegistry apps() {
        return apps;
    }

    public DatasetRegistry datasets() {
        return datasets;
    }

    // ---------------------------------------------------------------- escrow

    /** Approves the hub for {@code amount} tokens and deposits them into this account. */
    public TxResult deposit(BigInteger amount) {
        call(() -> token.approve(protocol.addresses().hub(), amount).send());
        return TxResult.of(call(() -> hub.deposit(amount).send()));
    }

    /** Approves the hub and deposits {@code amount} of this account's tokens into {@code account}'s escrow. */
    public TxResult depositFor(String account, BigInteger amount) {
        call(() -> token.approve(protocol.addresses().hub(), amount).send());
        return TxResult.of(call(() -> hub.depositFor(account, amount).send()));
    }

    public TxResult withdraw(BigInteger amount) {
        return TxResult.of(call(() -> hub.withdraw(amount, address()).send()));
    }

    public Balance balance() {
        return balanceOf(address());
    }

    public Balance balanceOf(String account) {
        Tuple3<BigInteger, BigInteger, BigInteger> t = call(() -> hub.accountOf(account).send());
        return new Balance(t.component1(), t.component2(), t.component3().longValueExact());
    }

    /** Tokens held in the wallet, outside the escrow. */
    // ---------------------------------------------------------------- bonds

    /** Bonds {@code amount} of this account's free tokens for {@code worker} in the pool owned by {@code scheduler}. */
    public TxResult bondFor(String scheduler, String worker, BigInteger amount) {
        return TxResult.of(call(() -> ext.bondFor(scheduler, worker, amount).send()));
    }

    /** Bonds {@code amount} of this account's free tokens for itself in the pool owned by {@code scheduler}. */
    public TxResult bond(String scheduler, BigInteger amount) {
        return bondFor(scheduler, address(), amount);
    }

    /** Starts the delay after which this account's bond in the pool of {@code scheduler} may leave. */
    public TxResult requestUnbond(String scheduler) {
        return TxResult.of(call(() -> ext.requestUnbond(scheduler).send()));
    }

    /** Moves {@code amount} of this account's bond in the pool of {@code scheduler} back to its free balance. */
    public TxResult unbond(String scheduler, BigInteger amount) {
        return TxResult.of(call(() -> ext.unbond(scheduler, amount).send()));
    }

    /** Moves this account's earnings in the pool of {@code scheduler} to its free balance. */
    public TxResult collect(String scheduler) {
        return TxResult.of(call(() -> ext.collect(scheduler).send()));
    }

    /** {@code worker}'s bond, earnings, reputation and withdrawal time in the pool owned by {@code scheduler}. */
    public PoolStake stakeOf(String scheduler, String worker) {
        var t = call(() -> ext.stakeOf(scheduler, worker).send());
        return new PoolStake(t.component1(), t.component2(), t.component3().longValueExact(),
                t.component4().longValueExact());
    }

    /** This account's standing in the pool owned by {@code scheduler}. */
    public PoolStake stakeIn(String scheduler) {
        return stakeOf(scheduler, address());
    }

    public BigInteger tokenBalanceOf(String account) {
        return call(() -> token.balanceOf(account).send());
    }

    // ---------------------------------------------------------------- registries

    public String createApp(String name, String kind, String uri, String checksum) {
        TransactionReceipt r = call(() -> apps.createApp(address(), name, kind, uri, Words.toBytes32(checksum)).send());
        return AppRegistry.getAppCreatedEvents(r).get(0).app;
    }

    public String createDataset(String name, String uri, String checksum) {
        TransactionReceipt r = call(() -> datasets.createDataset(address(), name, uri, Words.toBytes32(checksum)).send());
        return DatasetRegistry.getDatasetCreatedEvents(r).get(0).dataset;
    }

    public String createWorkerpool(String description) {
        TransactionReceipt r = call(() -> workerpools.createWorkerpool(address(), description).send());
        return WorkerpoolRegistry.getWorkerpoolCreatedEvents(r).get(0).pool;
    }

    public TxResult setWorkerpoolPolicy(String pool, int workerStakeRatio, int schedulerRewardRatio) {
        return TxResult.of(call(() -> workerpools.setPolicy(pool, BigInteger.valueOf(workerStakeRatio),
                BigInteger.valueOf(schedulerRewardRatio)).send()));
    }

    /** Publishes {@code url} as the API of the scheduler of {@code pool} (its owner only); empty withdraws it. */
    public TxResult setPoolApiUrl(String pool, String url) {
        return TxResult.of(call(() -> workerpools.setApiUrl(pool, url).send()));
    }

    /** The API URL the owner of {@code pool} published on-chain; empty when none. */
    public java.util.Optional<String> poolApiUrl(String pool) {
        String url = call(() -> workerpools.apiUrlOf(pool).send());
        return url == null || url.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(url);
    }

    /** Declares (or stops declaring) that {@code pool} runs only allowlisted workers (its owner only). */
    public TxResult setAllowlistOnly(String pool, boolean only) {
        return TxResult.of(call(() -> workerpools.setAllowlistOnly(pool, only).send()));
    }

    /** Adds {@code worker} to the allowlist of {@code pool}, or removes it (its owner only). */
    public TxResult setWorkerAllowed(String pool, String worker, boolean allowed) {
        return TxResult.of(call(() -> workerpools.setWorkerAllowed(pool, worker, allowed).send()));
    }

    /** Whether {@code pool} declared on-chain that it runs only allowlisted workers. */
    public boolean allowlistOnly(String pool) {
        return call(() -> workerpools.allowlistOnly(pool).send());
    }

    /** Whether {@code worker} is on the on-chain allowlist of {@code pool}. */
    public boolean workerAllowed(String pool, String worker) {
        return call(() -> workerpools.isWorkerAllowed(pool, worker).send());
    }

    // ---------------------------------------------------------------- secrets

    /** Names the secret management service that holds this account's secrets; empty withdraws it. */
    public TxResult setSmsUrl(String url) {
        return TxResult.of(call(() -> ext.setSmsUrl(url).send()));
    }

    /** The secret management service {@code account} named on-chain; empty when none. */
    public java.util.Optional<String> smsUrlOf(String account) {
        String url = call(() -> ext.smsUrlOf(account).send());
        return url == null || url.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(url);
    }

    // ---------------------------------------------------------------- orders

    public byte[] sign(Order order) {
        return order.sign(protocol.domain(), tx.credentials());
    }

    /** Matches the orders; an empty signature means pre-signed or signed by this sender. */
    public DealRecord matchOrders(AppOrder app, DatasetOrder dataset, WorkerpoolOrder pool, RequestOrder request,
            byte[] appSig, byte[] datasetSig, byte[] poolSig, byte[] requestSig) {
        return dealOf(match(app, dataset, pool, request, appSig, datasetSig, poolSig, requestSig).receipt());
    }

    /** Like {@link #matchOrders} but returns the transaction; {@link #dealOf} reads the deal from it. */
    public TxResult match(AppOrder app, DatasetOrder dataset, WorkerpoolOrder pool, RequestOrder request,
            byte[] appSig, byte[] datasetSig, byte[] poolSig, byte[] requestSig) {
        return TxResult.of(call(() -> hub.matchOrders(struct(app), struct(dataset), struct(pool), struct(request),
                new GridHub.MatchSignatures(appSig, datasetSig, poolSig, requestSig)).send()));
    }

    public TxResult presign(Order order) {
        return TxResult.of(call(() -> {
            if (order instanceof AppOrder o) return hub.presignAppOrder(struct(o)).send();
            if (order instanceof DatasetOrder o) return hub.presignDatasetOrder(struct(o)).send();
            if (order instanceof WorkerpoolOrder o) return hub.presignWorkerpoolOrder(struct(o)).send();
            return hub.presignRequestOrder(struct((RequestOrder) order)).send();
        }));
    }

    public TxResult cancel(Order order) {
        return TxResult.of(call(() -> {
            if (order instanceof AppOrder o) return hub.cancelAppOrder(struct(o)).send();
            if (order instanceof DatasetOrder o) return hub.cancelDatasetOrder(struct(o)).send();
            if (order instanceof WorkerpoolOrder o) return hub.cancelWorkerpoolOrder(struct(o)).send();
            return hub.cancelRequestOrder(struct((RequestOrder) order)).send();
        }));
    }

    /** Tasks consumed from the order (max uint256 once cancelled). */
    public BigInteger consumed(Order order) {
        return call(() -> hub.consumedOf(order.structHash()).send());
    }

    /** The deal created by a matching transaction. */
    public static DealRecord dealOf(TransactionReceipt receipt) {
        var events = GridHub.getDealCreatedEvents(receipt);
        if (events.isEmpty()) throw new IllegalStateException("no DealCreated event in " + receipt.getTransactionHash());
        return dealOf(events.get(0));
    }

    /** The deal a DealCreated event announces (from a receipt or from eth_getLogs). */
    public static DealRecord dealOf(GridHub.DealCreatedEventResponse e) {
        GridHub.DealTerms t = e.terms;
        DealTerms terms = new DealTerms(t.app, t.dataset, t.workerpool, t.beneficiary, Words.hex(t.tag), t.category,
                t.params, Words.hex(t.appOrderHash), Words.hex(t.datasetOrderHash), Words.hex(t.workerpoolOrderHash),
                Words.hex(t.requestOrderHash));
        return new DealRecord(Words.hex(e.dealId), deal(e.deal), terms, e.log.getBlockNumber().longValueExact());
    }

    // ---------------------------------------------------------------- aggregated path

    /** Submits a batch with each worker's signature, in {@link Batch#workers()} order. */
    public TxResult finalizeBatch(DealRecord deal, Batch batch, List<byte[]> signatures) {
        GridHub.Votes votes = votes(deal, batch);
        var finalize = hub.finalizeBatch(id(deal), struct(deal.deal()), votes, batch.workers(), signatures);
        int voteCount = votes.voters.stream().mapToInt(BigInteger::bitCount).sum();
        BigInteger bound = finalizeBatchGasBound(votes.tasks.size(), voteCount, batch.workers().size());
        // A callback's gas is the callee's to decide, so only batches without one go unestimated.
        if (!deal.deal().hasCallback() && bound.compareTo(MAX_UNESTIMATED_GAS) <= 0) {
            try {
                return TxResult.of(tx.send(hub.getContractAddress(), finalize.encodeFunctionCall(), BigInteger.ZERO,
                        bound));
            } catch (RevertException e) {
                // Mined and reverted: the estimating path below refuses the batch with the hub's reason, or sends
                // it should the bound have been too low.
            }
        }
        return TxResult.of(call(finalize::send));
    }

    /** The calldata of {@link #finalizeBatch}, for callers that send it themselves (with a gas limit of their own). */
    public String finalizeBatchCalldata(DealRecord deal, Batch batch, List<byte[]> signatures) {
        return hub.finalizeBatch(id(deal), struct(deal.deal()), votes(deal, batch), batch.workers(), signatures)
                .encodeFunctionCall();
    }

    /** A batch in the hub's flattened calldata layout ({@code BatchPath.Votes}). */
    private static GridHub.Votes votes(DealRecord deal, Batch batch) {
        List<BigInteger> tasks = new ArrayList<>();
        List<byte[]> digests = new ArrayList<>();
        List<BigInteger> voters = new ArrayList<>();
        List<byte[]> callbackData = new ArrayList<>();
        for (Batch.TaskVotes t : batch.taskVotes()) {
            tasks.add(BigInteger.valueOf(t.index()).or(BigInteger.valueOf(t.digests().size()).shiftLeft(128)));
            t.digests().forEach(d -> digests.add(Words.toBytes32(d)));
            voters.addAll(t.voterMasks());
            if (deal.deal().hasCallback()) callbackData.add(t.callbackData());
        }
        return new GridHub.Votes(tasks, digests, voters, callbackData);
    }

    /** Batches whose bound is above this are estimated: a limit near the block's would not fit in a block. */
    static final BigInteger MAX_UNESTIMATED_GAS = BigInteger.valueOf(15_000_000);

    /**
     * Gas enough for a finalizeBatch without callback: about twice what docs/BENCHMARKS.md measures (2,788,574 for
     * 100 tasks of 3 votes from 3 workers; 143,177 for one such task). Only the gas used is paid, so the margin costs
     * nothing; the bound saves {@code eth_estimateGas}, which ran the batch several times and made up half of each
     * batch's time on the chain in the throughput bench.
     */
    static BigInteger finalizeBatchGasBound(int tasks, int votes, int workers) {
        return BigInteger.valueOf(150_000L + 40_000L * workers + 35_000L * tasks + 5_000L * votes);
    }

    // ---------------------------------------------------------------- per-worker path

    public TxResult initialize(DealRecord deal, long index) {
        return TxResult.of(call(() -> ext.initialize(id(deal), extStruct(deal.deal()), BigInteger.valueOf(index)).send()));
    }

    /** Commits a salted seal ({@link io.gridchain.protocol.poco.Contributions#seal}) with the scheduler's authorization. */
    public TxResult contribute(DealRecord deal, long index, String seal, byte[] authorization) {
        return TxResult.of(call(() -> ext.contribute(id(deal), extStruct(deal.deal()), BigInteger.valueOf(index),
                Words.toBytes32(seal), authorization).send()));
    }

    /** Closes a task's contributions and opens its reveal window (the deal's scheduler only). */
    public TxResult close(DealRecord deal, long index) {
        return TxResult.of(call(() -> ext.close(id(deal), extStruct(deal.deal()), BigInteger.valueOf(index)).send()));
    }

    public TxResult reveal(DealRecord deal, long index, String digest, String salt) {
        return TxResult.of(call(() -> ext.reveal(id(deal), extStruct(deal.deal()), BigInteger.valueOf(index),
                Words.toBytes32(digest), Words.toBytes32(salt)).send()));
    }

    public TxResult finalizeTask(DealRecord deal, long index, byte[] callbackData) {
        return TxResult.of(call(() -> ext.finalize(id(deal), extStruct(deal.deal()), BigInteger.valueOf(index),
                callbackData == null ? new byte[0] : callbackData).send()));
    }

    /**
     * The deal with id {@code dealId} as the chain holds it now: from its DealCreated event, and only if the hub still
     * stores that deal's hash under the id (a deal a reorganisation removed or replaced is empty).
     */
    public java.util.Optional<DealRecord> dealById(String dealId) {
        var filter = new org.web3j.protocol.core.methods.request.EthFilter(
                org.web3j.protocol.core.DefaultBlockParameterName.EARLIEST,
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, protocol.addresses().hub());
        filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(GridHub.DEALCREATED_EVENT));
        filter.addSingleTopic(Words.hex(Words.toBytes32(dealId)));
        var logs = call(() -> protocol.chain().web3j().ethGetLogs(filter).send());
        if (logs.hasError()) throw new IllegalStateException("eth_getLogs failed: " + logs.getError().getMessage());
        String stored = Numeric.toHexString(call(() -> hub.dealHashOf(Words.toBytes32(dealId)).send()));
        for (var l : logs.getLogs()) {
            DealRecord d = dealOf(GridHub.getDealCreatedEventFromLog(
                    (org.web3j.protocol.core.methods.response.Log) l.get()));
            if (d.deal().hash().equalsIgnoreCase(stored)) return java.util.Optional.of(d);
        }
        return java.util.Optional.empty();
    }

    /** The per-worker path's record of {@code taskId}. */
    public GridHubExtension.ClassicTask classicTask(String taskId) {
        return call(() -> ext.classicTaskOf(Words.toBytes32(taskId)).send());
    }

    /** {@code worker}'s commitment to {@code taskId} on the per-worker path (seal, and the digest once revealed). */
    public GridHubExtension.Contribution contribution(String taskId, String worker) {
        return call(() -> ext.contributionOf(Words.toBytes32(taskId), worker).send());
    }

    // ---------------------------------------------------------------- claims and results

    public TxResult claim(DealRecord deal, List<Long> indexes) {
        List<BigInteger> idx = indexes.stream().map(BigInteger::valueOf).toList();
        return TxResult.of(call(() -> ext.claim(id(deal), extStruct(deal.deal()), idx).send()));
    }

    /** After a reorganisation dropped this account's transactions: the next one takes its nonce from the node. */
    public void forgetNonce() {
        tx.forgetNonce();
    }

    public TaskStatus taskStatus(String taskId) {
        BigInteger s = call(() -> hub.taskStatus(Words.toBytes32(taskId)).send());
        return TaskStatus.values()[s.intValueExact()];
    }

    /** What the hub said of a task at block {@code block}: a status that has its confirmations once that is old enough. */
    public TaskStatus taskStatusAt(String taskId, long block) {
        var f = hub.taskStatus(Words.toBytes32(taskId));
        try {
            var r = protocol.chain().web3j().ethCall(Transaction.createEthCallTransaction(address(),
                    hub.getContractAddress(), f.encodeFunctionCall()),
                    DefaultBlockParameter.valueOf(BigInteger.valueOf(block))).send();
            if (r.hasError()) throw new IllegalStateException("taskStatus failed: " + r.getError().getMessage());
            return TaskStatus.values()[Numeric.toBigInt(r.getValue()).intValueExact()];
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The certified digest of a finalized task, or the zero bytes32. */
    public String resultDigest(String taskId) {
        return Words.hex(call(() -> hub.resultDigestOf(Words.toBytes32(taskId)).send()));
    }

    /**
     * How the hub's call to a callback deal's contract went for a finalized task: whether the contract accepted
     * the result, in which transaction, and that transaction's gas. Empty before the task is finalized (or for
     * deals without callback).
     */
    public record CallbackOutcome(boolean success, String callback, String txHash, long gasUsed) {}

    /** The outcome of the callback of {@code taskId}, read from the hub's CallbackDelivered log. */
    public java.util.Optional<CallbackOutcome> callbackOutcome(String taskId) {
        var web3j = protocol.chain().web3j();
        var filter = new org.web3j.protocol.core.methods.request.EthFilter(
                org.web3j.protocol.core.DefaultBlockParameterName.EARLIEST,
                org.web3j.protocol.core.DefaultBlockParameterName.LATEST, protocol.addresses().hub());
        filter.addSingleTopic(org.web3j.abi.EventEncoder.encode(GridHub.CALLBACKDELIVERED_EVENT));
        filter.addSingleTopic(Words.hex(Words.toBytes32(taskId)));
        var logs = call(() -> web3j.ethGetLogs(filter).send());
        if (logs.hasError()) throw new IllegalStateException("cannot read logs: " + logs.getError().getMessage());
        if (logs.getLogs().isEmpty()) return java.util.Optional.empty();
        var log = (org.web3j.protocol.core.methods.response.Log) logs.getLogs().get(0).get();
        var e = GridHub.getCallbackDeliveredEventFromLog(log);
        var receipt = call(() -> web3j.ethGetTransactionReceipt(log.getTransactionHash()).send()).getTransactionReceipt()
                .orElseThrow(() -> new IllegalStateException("no receipt for " + log.getTransactionHash()));
        return java.util.Optional.of(new CallbackOutcome(e.success, Words.canonical(e.callback),
                log.getTransactionHash(), receipt.getGasUsed().longValueExact()));
    }

    /** The certified callback data of a finalized callback task. */
    public byte[] resultFor(String taskId) {
        return call(() -> hub.resultFor(Words.toBytes32(taskId)).send());
    }

    // ---------------------------------------------------------------- conversions

    private static byte[] id(DealRecord deal) {
        return Words.toBytes32(deal.dealId());
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

    static Deal deal(GridHub.Deal d) {
        return new Deal(Words.canonical(d.requester), Words.canonical(d.appOwner), Words.canonical(d.datasetOwner),
                Words.canonical(d.scheduler), Words.canonical(d.callback), d.appPrice, d.datasetPrice, d.workerpoolPrice,
                d.volume, d.trust, d.categoryTime, d.startTime, d.workerStake, d.schedulerRewardRatio);
    }

    static GridHub.AppOrder struct(AppOrder o) {
        return new GridHub.AppOrder(o.app(), o.price(), o.volume(), Words.toBytes32(o.tag()), o.datasetRestrict(),
                o.workerpoolRestrict(), o.requesterRestrict(), o.expiry(), Words.toBytes32(o.salt()));
    }

    static GridHub.DatasetOrder struct(DatasetOrder o) {
        return new GridHub.DatasetOrder(o.dataset(), o.price(), o.volume(), Words.toBytes32(o.tag()), o.appRestrict(),
                o.workerpoolRestrict(), o.requesterRestrict(), o.expiry(), Words.toBytes32(o.salt()));
    }

    static GridHub.WorkerpoolOrder struct(WorkerpoolOrder o) {
        return new GridHub.WorkerpoolOrder(o.workerpool(), o.price(), o.volume(), Words.toBytes32(o.tag()),
                o.category(), o.trust(), o.appRestrict(), o.datasetRestrict(), o.requesterRestrict(), o.expiry(),
                Words.toBytes32(o.salt()));
    }

    static GridHub.RequestOrder struct(RequestOrder o) {
        return new GridHub.RequestOrder(o.app(), o.appMaxPrice(), o.dataset(), o.datasetMaxPrice(), o.workerpool(),
                o.workerpoolMaxPrice(), o.requester(), o.volume(), Words.toBytes32(o.tag()), o.category(), o.trust(),
                o.beneficiary(), o.callback(), o.params(), o.expiry(), Words.toBytes32(o.salt()));
    }

    /** Runs a wrapper call, letting our runtime exceptions through and wrapping web3j's checked ones. */
    public static <T> T call(Callable<T> action) {
        try {
            return action.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    static String hex(BigInteger v) {
        return Numeric.toHexStringWithPrefixZeroPadded(v, 64);
    }
}
