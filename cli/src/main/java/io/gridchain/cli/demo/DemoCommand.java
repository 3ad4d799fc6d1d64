package io.gridchain.cli.demo;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.apps.ExampleApps;
import io.gridchain.cli.provider.Sources;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.ConsensusRule;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Limits;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.web3j.crypto.Credentials;
import org.web3j.utils.Numeric;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The main job on the embedded local network: a chain with the contracts, an app published with its
 * orders, a deal matched, the app run by three workers in the WebAssembly sandbox, their results
 * certified by consensus on-chain, the result printed, everything stopped.
 */
@Command(
        name = "demo",
        mixinStandardHelpOptions = true,
        subcommands = ChessDemoCommand.class,
        description = {
            "Run the whole flow on an embedded local network.",
            "Start anvil and deploy the contracts, publish the example app 'primes' and its orders, match",
            "a deal needing 3 agreeing workers, run the app on 3 workers in the WebAssembly sandbox,",
            "certify the result on-chain, print it with the transaction hashes, gas and timings, and",
            "stop everything."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain demo", "  gridchain demo --n 5000000 --json", "  gridchain demo chess"})
public final class DemoCommand implements Callable<Integer> {
    private static final long APP_PRICE = 5;
    private static final long POOL_PRICE = 20;
    private static final int WORKERS = 3;

    @Option(names = "--n", description = "Count primes below this number (default: ${DEFAULT-VALUE}).",
            defaultValue = "2000000")
    long n;

    @Option(names = "--json", description = "Print one JSON object at the end instead of the summary.")
    boolean json;

    private final Map<String, Long> timings = new LinkedHashMap<>();
    private final List<Map<String, Object>> transactions = new ArrayList<>();
    private long started;

    @Override
    public Integer call() throws Exception {
        if (n < 2 || n > 200_000_000) {
            System.err.println("error: --n must be between 2 and 200000000, got " + n);
            return 2;
        }
        started = System.nanoTime();
        step("starting the local network: anvil, the contracts, 10 funded dev accounts");
        try (LocalProtocol net = LocalProtocol.start()) {
            lap("network");
            return run(net);
        }
    }

    private int run(LocalProtocol net) throws Exception {
        GridClient appOwner = net.client(1);
        GridClient scheduler = net.client(3);
        GridClient requester = net.client(4);
        List<Credentials> workerKeys = net.accounts().subList(5, 5 + WORKERS);
        BigInteger deposit = BigInteger.valueOf(1_000_000);
        for (GridClient c : List.of(scheduler, requester)) c.deposit(deposit);
        // the pool serves only while its owner keeps a bond in it; each worker's bond there backs its stakes
        BigInteger bond = deposit.divide(BigInteger.TWO);
        scheduler.bond(scheduler.address(), bond);
        for (Credentials w : workerKeys) {
            GridClient worker = net.protocol().as(w);
            worker.deposit(deposit);
            worker.bond(scheduler.address(), bond);
        }

        byte[] wasm = ExampleApps.load("primes");
        String checksum = Sources.sha256(wasm);
        step("publishing app 'primes' (" + wasm.length + " bytes of WebAssembly, sha256 " + checksum + ")");
        String app = appOwner.createApp("primes", "wasm", "gridchain:apps/primes.wasm", checksum);
        String pool = scheduler.createWorkerpool("demo pool: 3 workers");
        AppOrder appOrder = AppOrder.of(app, APP_PRICE, 1_000);
        WorkerpoolOrder poolOrder = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000, 0, 1_000);
        lap("publish");

        long trust = ConsensusRule.groupWeight(0, 0).longValueExact() + 1; // 2 fresh workers fall short, 3 reach it
        step("requesting primes below " + n + " at trust " + trust + " (3 agreeing workers needed)");
        RequestOrder request = RequestOrder.of(requester.address(), app, APP_PRICE, POOL_PRICE, 1, 0, trust)
                .withParams(Long.toString(n));
        TxResult match = requester.match(appOrder, DatasetOrder.NONE, poolOrder, request, appOwner.sign(appOrder),
                new byte[0], scheduler.sign(poolOrder), new byte[0]);
        tx("matchOrders", match);
        DealRecord deal = GridClient.dealOf(match.receipt());
        String taskId = deal.taskId(0);
        lap("match");

        step("running the app on " + WORKERS + " workers in the WebAssembly sandbox");
        List<WorkerRun> runs = runWorkers(wasm, checksum, deal, taskId, workerKeys, net.protocol().domain());
        for (WorkerRun r : runs) {
            if (!r.result().succeeded()) {
                System.err.println("error: worker " + r.worker() + " failed: " + r.result().failure());
                return 1;
            }
        }
        lap("execute");

        step("certifying: the scheduler submits the workers' signed contributions in one transaction");
        Batch batch = new Batch();
        List<Batch.Vote> votes = runs.stream().map(r -> new Batch.Vote(r.worker(), r.digest())).toList();
        batch.add(0, taskId, votes, runs.get(0).digest(), null);
        List<byte[]> signatures = new ArrayList<>();
        for (String w : batch.workers()) {
            signatures.add(runs.stream().filter(r -> r.worker().equalsIgnoreCase(w)).findFirst().orElseThrow().signature());
        }
        tx("finalizeBatch", scheduler.finalizeBatch(deal, batch, signatures));
        String certified = requester.resultDigest(taskId);
        lap("certify");

        String result = Files.readString(runs.get(0).output().resolve("result.txt"), StandardCharsets.UTF_8).trim();
        for (WorkerRun r : runs) deleteTree(r.output());
        long total = (System.nanoTime() - started) / 1_000_000;
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("result", result);
            out.put("digest", certified);
            out.put("task_status", requester.taskStatus(taskId).name());
            out.put("deal_id", deal.dealId());
            out.put("task_id", taskId);
            out.put("transactions", transactions);
            out.put("gas_total", transactions.stream().mapToLong(t -> (Long) t.get("gas")).sum());
            out.put("timings_ms", timings);
            out.put("total_ms", total);
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            System.out.println();
            System.out.println("certified result : " + result);
            System.out.println("digest           : " + certified + " (agreed by " + WORKERS + " workers, status "
                    + requester.taskStatus(taskId) + ")");
            System.out.println("deal / task      : " + deal.dealId() + " / " + taskId);
            for (Map<String, Object> t : transactions) {
                System.out.printf("%-17s: %s  gas %,d%n", t.get("operation"), t.get("hash"), t.get("gas"));
            }
            System.out.printf("gas in total     : %,d%n", transactions.stream().mapToLong(t -> (Long) t.get("gas")).sum());
            StringBuilder laps = new StringBuilder();
            timings.forEach((k, v) -> laps.append(k).append(' ').append(v).append(" ms, "));
            System.out.println("timings          : " + laps + "total " + total + " ms");
        }
        step("stopping the local network");
        return 0;
    }

    /** One worker's execution: its output, the digest it votes for, and its signed commitment. */
    private record WorkerRun(String worker, ExecutionResult result, Path output, String digest, byte[] signature) {}

    private List<WorkerRun> runWorkers(byte[] wasm, String checksum, DealRecord deal, String taskId,
            List<Credentials> workerKeys, Eip712Domain domain) throws Exception {
        WasmRuntime runtime = new WasmRuntime();
        // Every replica gets the same seed, derived from the task, so honest replicas agree bit for bit.
        long seed = Numeric.toBigInt(taskId).longValue();
        ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
        try {
            List<Future<WorkerRun>> futures = new ArrayList<>();
            for (Credentials key : workerKeys) {
                futures.add(pool.submit(() -> {
                    Path out = Files.createTempDirectory("gridchain-demo-").resolve("out");
                    ExecutionRequest request = ExecutionRequest.of("primes", wasm, out)
                            .withModuleSha256(checksum)
                            .withArgs(deal.terms().params())
                            .withLimits(Limits.DEFAULT.withWallTime(Duration.ofSeconds(300)))
                            .withSeed(seed);
                    ExecutionResult result = runtime.run(request);
                    String digest = result.succeeded() ? ResultDigest.of(out) : null;
                    byte[] sig = digest == null ? null
                            : Contributions.sign(domain, List.of(new Contributions.Entry(taskId, digest)), key);
                    return new WorkerRun(key.getAddress(), result, out, digest, sig);
                }));
            }
            List<WorkerRun> runs = new ArrayList<>();
            for (Future<WorkerRun> f : futures) {
                WorkerRun r = f.get();
                runs.add(r);
                step("  worker " + r.worker() + ": " + (r.result().succeeded()
                        ? "digest " + r.digest() + " in " + r.result().elapsed().toMillis() + " ms"
                        : "failed: " + r.result().failure()));
            }
            return runs;
        } finally {
            pool.shutdown();
        }
    }

    private void tx(String operation, TxResult tx) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("operation", operation);
        t.put("hash", tx.hash());
        t.put("gas", tx.gasUsed());
        transactions.add(t);
    }

    private void step(String message) {
        System.err.println("[demo] " + message);
    }

    private long lapStart = System.nanoTime();

    private void lap(String name) {
        long now = System.nanoTime();
        timings.put(name, (now - lapStart) / 1_000_000);
        lapStart = now;
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir.getParent())) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
