package io.gridchain.bench.gas;

import io.gridchain.bench.chess.ChessMatch;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.ConsensusRule;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;

/**
 * Measures the protocol's gas from receipts on an embedded anvil, in steady state: the app and
 * workerpool orders are long-lived (published once, consumed by many deals, as on a real market)
 * and the accounts already hold balances. The request order is fresh for every deal.
 */
public final class GasBench {
    /** One measured operation. */
    public record Row(String scenario, String operation, long gas, long count) {}

    /** Gas per certified task, matching included, for the three cases the protocol issue names. */
    public record Result(long singleTrust1, long single3Workers, long single3WorkersFreshOrders, long bag100PerTask,
            long classic3Workers, long sweep100kPerTask, List<Row> rows, Chess chess) {}

    /**
     * The chess example's decisive move (the mate of fool's mate, decided through gridchain by a real worker):
     * its cost through gridchain (move transaction with matching, plus the certification calling the game back)
     * and the cost of the same decision on-chain (legal-move generation in the EVM).
     */
    public record Chess(long onchainCheck, long viaGridchain, List<ChessMatch.MoveGas> moves) {}

    static final List<String> FOOLS_MATE = List.of("f2f3", "e7e5", "g2g4", "d8h4");

    private static final long APP_PRICE = 1;
    private static final long POOL_PRICE = 100;
    private static final long BAG = 100;
    private static final long SWEEP = 100_000;

    private final LocalProtocol net;
    private final GridClient appOwner;
    private final GridClient scheduler;
    private final GridClient requester;
    private final List<Credentials> workers;
    private final String app;
    private final String pool;
    private AppOrder appOrder;
    private WorkerpoolOrder poolOrder;
    private byte[] appSig;
    private byte[] poolSig;
    private final List<Row> rows = new ArrayList<>();
    private long salt;

    private GasBench(LocalProtocol net, Consumer<String> progress) {
        this.net = net;
        appOwner = net.client(1);
        scheduler = net.client(3);
        requester = net.client(4);
        workers = net.accounts().subList(5, 8);
        progress.accept("funding accounts and registering the app and the workerpool");
        BigInteger deposit = BigInteger.TEN.pow(12);
        for (int i : new int[] {1, 3, 4, 5, 6, 7}) net.client(i).deposit(deposit);
        app = appOwner.createApp("bench", "wasm", "http://127.0.0.1/bench.wasm", Words.hex(Hash.sha3(new byte[] {1})));
        pool = scheduler.createWorkerpool("bench pool");
        BigInteger bond = deposit.divide(BigInteger.TWO);
        scheduler.bond(scheduler.address(), bond);
        for (Credentials w : workers) net.protocol().as(w).bond(scheduler.address(), bond);
        newProviderOrders();
    }

    /** Fresh long-lived app and workerpool orders, as providers publish them on the market. */
    private void newProviderOrders() {
        appOrder = AppOrder.of(app, APP_PRICE, 1_000_000);
        poolOrder = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000_000, 0, 1_000_000_000);
        appSig = appOwner.sign(appOrder);
        poolSig = scheduler.sign(poolOrder);
    }

    public static Result run(Consumer<String> progress) throws InterruptedException {
        progress.accept("starting anvil and deploying the contracts");
        Result r;
        try (LocalProtocol net = LocalProtocol.start()) {
            r = new GasBench(net, progress).measure(progress);
        }
        progress.accept("chess: fool's mate through gridchain, each move also decided on-chain");
        List<ChessMatch.MoveGas> moves;
        try (ChessMatch match = new ChessMatch(progress)) {
            moves = match.play(io.gridchain.protocol.chess.Chess.START, FOOLS_MATE);
        }
        ChessMatch.MoveGas mate = moves.get(moves.size() - 1);
        return new Result(r.singleTrust1(), r.single3Workers(), r.single3WorkersFreshOrders(), r.bag100PerTask(),
                r.classic3Workers(), r.sweep100kPerTask(), r.rows(), new Chess(mate.onchainGas(), mate.viaGridchain(),
                moves));
    }

    private Result measure(Consumer<String> progress) {
        progress.accept("warming up (first use of the long-lived orders and accounts)");
        aggregated("warm-up", 1, trustRequiring(3), 3);
        classic("warm-up", trustRequiring(3));
        rows.clear();

        progress.accept("(a) one-task deal at trust 1");
        long a = aggregated("single_trust1", 1, 1, 1);
        progress.accept("(b) one-task deal with 3 agreeing workers");
        long b = aggregated("single_3_workers", 1, trustRequiring(3), 3);
        progress.accept("(c) bag of 100 tasks with 3 agreeing workers each");
        long c = aggregated("bag100_3_workers", BAG, trustRequiring(3), 3) / BAG;
        progress.accept("(d) a sweep of 100,000 tasks through a manifest, 3 agreeing workers each");
        long d = sweep("sweep100k_3_workers", trustRequiring(3), 3);
        progress.accept("(b') one-task deal with 3 workers on the per-worker commit/reveal path");
        long classic = classic("classic_3_workers", trustRequiring(3));
        progress.accept("(b'') case (b) as the first deal of new app and workerpool orders");
        newProviderOrders();
        long fresh = aggregated("single_3_workers_fresh_orders", 1, trustRequiring(3), 3);
        return new Result(a, b, fresh, c, classic, d, List.copyOf(rows), null);
    }

    /**
     * The smallest trust that {@code n} agreeing workers reach but {@code n - 1} do not, given the
     * workers' current reputation: without dissent a group of weight W wins exactly when trust <= W.
     */
    private long trustRequiring(int n) {
        BigInteger fewer = BigInteger.ONE;
        for (int k = 0; k < n - 1; k++) {
            PoolStake s = requester.stakeOf(scheduler.address(), workers.get(k).getAddress());
            long stake = POOL_PRICE * 30 / 100; // the bench pool keeps the default 30 % worker stake ratio
            fewer = fewer.multiply(ConsensusRule.weight(
                    ConsensusRule.effectiveScore(s.score(), s.bond(), BigInteger.valueOf(stake))));
        }
        return fewer.longValueExact() + 1;
    }

    /** Match a deal and certify all its tasks in one aggregated batch; returns the total gas. */
    private long aggregated(String scenario, long volume, long trust, int nWorkers) {
        DealRecord deal = match(scenario, volume, trust, "bench " + (salt++));
        certify(scenario, deal, volume, nWorkers);
        return rowsGas(scenario);
    }

    /**
     * A parameter sweep of {@value #SWEEP} tasks whose per-task arguments are a manifest the request names by URL and
     * checksum (docs/APPS.md): its matching costs what a uniform bag's does plus the URL's calldata, once for the bag.
     * Its first {@value #BAG} tasks are certified in one batch, as case (c) certifies its bag: a batch's gas depends on
     * its tasks, not on the deal's size, so every later batch of 100 costs the same. Gas per task: matching over
     * {@value #SWEEP}, plus the batch over {@value #BAG}.
     */
    private long sweep(String scenario, long trust, int nWorkers) {
        String params = "{\"sweep\": {\"manifest\": {\"name\": \"sweep\", \"url\": "
                + "\"https://sweeps.example.org/0x" + "5e".repeat(32) + ".txt\", \"checksum\": \"0x"
                + "5e".repeat(32) + "\"}}, \"salt\": " + (salt++) + "}";
        DealRecord deal = match(scenario, SWEEP, trust, params);
        long matching = rowsGas(scenario);
        certify(scenario, deal, BAG, nWorkers);
        long batch = rowsGas(scenario) - matching;
        return matching / SWEEP + batch / BAG;
    }

    private void certify(String scenario, DealRecord deal, long volume, int nWorkers) {
        Batch batch = new Batch();
        for (long i = 0; i < volume; i++) {
            String digest = Words.hex(Hash.sha3((deal.dealId() + i).getBytes()));
            List<Batch.Vote> votes = new ArrayList<>();
            for (int k = 0; k < nWorkers; k++) votes.add(new Batch.Vote(workers.get(k).getAddress(), digest));
            batch.add(i, deal.taskId(i), votes, digest, null);
        }
        List<byte[]> sigs = new ArrayList<>();
        for (String w : batch.workers()) {
            Credentials c = workers.stream().filter(x -> x.getAddress().equalsIgnoreCase(w)).findFirst().orElseThrow();
            sigs.add(Contributions.sign(net.protocol().domain(), batch.entriesOf(w), c));
        }
        TxResult fin = scheduler.finalizeBatch(deal, batch, sigs);
        add(scenario, "finalizeBatch (" + volume + " task(s) x " + nWorkers + " worker(s))", fin);
    }

    /** The per-worker path: initialize, each worker commits, the scheduler closes, each reveals, the scheduler finalizes. */
    private long classic(String scenario, long trust) {
        DealRecord deal = match(scenario, 1, trust, "bench " + (salt++));
        String taskId = deal.taskId(0);
        String digest = Words.hex(Hash.sha3(("classic" + deal.dealId()).getBytes()));
        Credentials schedulerKey = net.accounts().get(3);
        add(scenario, "initialize", scheduler.initialize(deal, 0));
        Map<Credentials, String> salts = new LinkedHashMap<>();
        for (Credentials w : workers) {
            byte[] auth = Contributions.authorize(net.protocol().domain(), w.getAddress(), taskId, schedulerKey);
            String salt = Contributions.salt();
            salts.put(w, salt);
            add(scenario, "contribute", net.protocol().as(w).contribute(deal, 0,
                    Contributions.seal(w.getAddress(), taskId, digest, salt), auth));
        }
        add(scenario, "close", scheduler.close(deal, 0));
        for (Credentials w : workers) add(scenario, "reveal", net.protocol().as(w).reveal(deal, 0, digest, salts.get(w)));
        add(scenario, "finalize", scheduler.finalizeTask(deal, 0, null));
        return rowsGas(scenario);
    }

    private DealRecord match(String scenario, long volume, long trust, String params) {
        RequestOrder request = RequestOrder.of(requester.address(), app, APP_PRICE, POOL_PRICE, volume, 0, trust)
                .withParams(params);
        TxResult tx = requester.match(appOrder, DatasetOrder.NONE, poolOrder, request, appSig, new byte[0], poolSig,
                new byte[0]);
        add(scenario, "matchOrders (volume " + volume + ", trust " + trust + ")", tx);
        return GridClient.dealOf(tx.receipt());
    }

    private void add(String scenario, String operation, TxResult tx) {
        for (int i = 0; i < rows.size(); i++) {
            Row r = rows.get(i);
            if (r.scenario().equals(scenario) && r.operation().equals(operation)) {
                rows.set(i, new Row(scenario, operation, r.gas() + tx.gasUsed(), r.count() + 1));
                return;
            }
        }
        rows.add(new Row(scenario, operation, tx.gasUsed(), 1));
    }

    private long rowsGas(String scenario) {
        return rows.stream().filter(r -> r.scenario().equals(scenario)).mapToLong(Row::gas).sum();
    }

    /** Figures as one JSON-ready map. */
    public static Map<String, Object> toJson(Result r) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("single_trust1", r.singleTrust1());
        json.put("single_3_workers", r.single3Workers());
        json.put("single_3_workers_fresh_orders", r.single3WorkersFreshOrders());
        json.put("bag100_3_workers_per_task", r.bag100PerTask());
        json.put("classic_3_workers", r.classic3Workers());
        json.put("sweep100k_3_workers_per_task", r.sweep100kPerTask());
        List<Map<String, Object>> ops = new ArrayList<>();
        for (Row row : r.rows()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("scenario", row.scenario());
            m.put("operation", row.operation());
            m.put("gas", row.gas());
            m.put("count", row.count());
            ops.add(m);
        }
        json.put("operations", ops);
        json.put("chess_onchain_check_gas", r.chess().onchainCheck());
        json.put("chess_via_gridchain_gas", r.chess().viaGridchain());
        List<Map<String, Object>> chess = new ArrayList<>();
        for (ChessMatch.MoveGas m : r.chess().moves()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("move", m.move());
            row.put("state", m.state().name());
            row.put("via_gridchain_gas", m.viaGridchain());
            row.put("onchain_check_gas", m.onchainGas());
            chess.add(row);
        }
        json.put("chess_moves", chess);
        return json;
    }
}
