package io.gridchain.bench.pool;

import io.gridchain.apps.ExampleApps;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.runtime.WasmRuntime;
import io.gridchain.scheduler.Scheduler;
import io.gridchain.scheduler.SchedulerService;
import io.gridchain.worker.WorkerAgent;
import io.gridchain.worker.WorkerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * A whole workerpool in one process for the pipeline benchmarks: anvil and the contracts, a
 * scheduler over real HTTP with SQLite state, and {@code workers} worker agents sharing one
 * WebAssembly runtime. The workers' keys are fresh and their stakes deposited for them.
 */
public final class LocalPool implements AutoCloseable {
    public static final long APP_PRICE = 1;
    public static final long POOL_PRICE = 10;

    public final LocalProtocol net;
    public final GridClient requester;
    public final Scheduler scheduler;
    public final List<WorkerAgent> workers = new ArrayList<>();
    public final Path dir;
    private final GridClient appOwner;
    private final GridClient schedulerOwner;
    private final String app;
    private final AppOrder appOrder;
    private final WorkerpoolOrder poolOrder;

    /** A pool whose deals run the example app {@code primes}. */
    public LocalPool(int workerCount, int slots, SchedulerService.Options options, Duration workerPoll) {
        this("primes", workerCount, slots, options, workerPoll);
    }

    /** A pool whose deals run the example app {@code appName} (one of {@link ExampleApps#NAMES}). */
    public LocalPool(String appName, int workerCount, int slots, SchedulerService.Options options, Duration workerPoll) {
        try {
            dir = Files.createTempDirectory("gridchain-bench-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        net = LocalProtocol.start();
        appOwner = net.client(1);
        schedulerOwner = net.client(3);
        requester = net.client(4);
        BigInteger deposit = BigInteger.TEN.pow(15);
        schedulerOwner.deposit(deposit);
        requester.deposit(deposit);
        String pool = schedulerOwner.createWorkerpool("bench pool");
        byte[] wasm = ExampleApps.load(appName);
        app = appOwner.createApp(appName, "wasm", "gridchain:apps/" + appName + ".wasm", "0x" + ResultDigest.sha256Hex(wasm));
        appOrder = AppOrder.of(app, APP_PRICE, 1_000_000_000);
        poolOrder = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000_000_000, 0, 1_000_000);
        scheduler = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(),
                net.accounts().get(3), pool, dir.resolve("scheduler")).withOptions(options));
        WasmRuntime runtime = new WasmRuntime();
        List<Credentials> keys = new ArrayList<>();
        for (int i = 0; i < workerCount; i++) keys.add(freshKey());
        BigInteger stake = BigInteger.TEN.pow(12);
        fund(keys, stake);
        for (Credentials key : keys) {
            WorkerConfig config = WorkerConfig.of(scheduler.url(), key).withSlots(slots)
                    .withCacheDir(dir.resolve("cache")).withPollInterval(workerPoll);
            workers.add(new WorkerAgent(config, runtime).start());
        }
    }

    /** Account 0 mints and deposits each worker's stake for it: workers need no ETH. */
    private void fund(List<Credentials> keys, BigInteger stake) {
        GridClient bank = net.client(0);
        BigInteger total = stake.multiply(BigInteger.valueOf(keys.size()));
        GridClient.call(() -> bank.hub().token().send());
        var token = io.gridchain.contracts.DevToken.load(net.protocol().addresses().token(), net.chain().web3j(),
                net.chain().sender(net.accounts().get(0)), new org.web3j.tx.gas.DefaultGasProvider());
        GridClient.call(() -> token.approve(net.protocol().addresses().hub(), total).send());
        for (Credentials key : keys) {
            GridClient.call(() -> bank.hub().depositFor(key.getAddress(), stake).send());
        }
    }

    /** Submits a request for {@code volume} runs of the app with {@code args}, at {@code trust}. */
    public TxResult submit(String args, long volume, long trust) {
        RequestOrder request = RequestOrder.of(requester.address(), app, APP_PRICE, POOL_PRICE, volume, 0, trust)
                .withParams(args);
        return requester.match(appOrder, DatasetOrder.NONE, poolOrder, request, appOwner.sign(appOrder), new byte[0],
                schedulerOwner.sign(poolOrder), new byte[0]);
    }

    public static DealRecord deal(TxResult match) {
        return GridClient.dealOf(match.receipt());
    }

    private static Credentials freshKey() {
        try {
            return Credentials.create(Keys.createEcKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (WorkerAgent w : workers) w.close();
        scheduler.close();
        net.close();
    }
}
