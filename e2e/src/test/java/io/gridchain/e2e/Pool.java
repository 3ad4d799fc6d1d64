package io.gridchain.e2e;

import io.gridchain.apps.ExampleApps;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
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
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.web3j.crypto.Credentials;

/**
 * A whole workerpool on the embedded network: anvil and the contracts, a scheduler serving HTTP with
 * SQLite state, and in-process workers sharing one WebAssembly runtime. Account 1 publishes apps,
 * 3 owns the pool, 4 requests, 5 to 9 are workers.
 */
final class Pool implements AutoCloseable {
    static final long APP_PRICE = 5;
    static final long POOL_PRICE = 100;

    final LocalProtocol net;
    final GridClient appOwner;
    final GridClient schedulerOwner;
    final GridClient requester;
    final String pool;
    final Path dir;
    final WasmRuntime runtime = new WasmRuntime();
    final Scheduler scheduler;
    final List<WorkerAgent> workers = new ArrayList<>();
    private final WorkerpoolOrder poolOrder;

    Pool(int workerCount) {
        this(workerCount, true);
    }

    /** With {@code inProcessScheduler} false, no scheduler is started: the test runs its own process. */
    Pool(int workerCount, boolean inProcessScheduler) {
        this(workerCount, inProcessScheduler ? SchedulerService.Options.DEFAULT : null);
    }

    /** A pool whose in-process scheduler runs with {@code options} (null: no scheduler). */
    Pool(int workerCount, SchedulerService.Options options) {
        boolean inProcessScheduler = options != null;
        try {
            dir = Files.createTempDirectory("gridchain-e2e-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        net = LocalProtocol.start();
        appOwner = net.client(1);
        schedulerOwner = net.client(3);
        requester = net.client(4);
        BigInteger deposit = BigInteger.valueOf(1_000_000);
        schedulerOwner.deposit(deposit);
        requester.deposit(deposit);
        for (int i = 5; i < 10; i++) net.client(i).deposit(deposit); // every worker account keeps a stake
        pool = schedulerOwner.createWorkerpool("e2e pool");
        poolOrder = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000_000, 0, 1_000_000);
        scheduler = inProcessScheduler ? Scheduler.start(Scheduler.Config.local(net.rpcUrl(),
                net.protocol().addresses(), net.accounts().get(3), pool, dir.resolve("scheduler")).withOptions(options))
                : null;
        for (int i = 5; i < 5 + workerCount; i++) workers.add(startWorker(net.accounts().get(i)));
    }

    /** The scheduler's base URL: the in-process one's, or the one a test started as a process. */
    String schedulerUrl() {
        return externalUrl != null ? externalUrl : scheduler.url();
    }

    String externalUrl;

    WorkerAgent startWorker(Credentials key, String url) {
        return startWorker(WorkerConfig.of(url, key));
    }

    /** Starts a worker from {@code config} with 2 slots and its own cache (e.g. a saboteur's). */
    WorkerAgent startWorker(WorkerConfig config) {
        return new WorkerAgent(config.withSlots(2).withCacheDir(dir.resolve("cache-" + config.address())), runtime)
                .start();
    }

    /** Tokens conserved: every account's free and locked balances add up to what the hub holds. */
    boolean conserved() {
        return conserved(List.of());
    }

    /**
     * The same, counting also {@code others}' escrow: accounts outside the dev ten, such as extra workers or
     * consumer contracts holding their own escrow.
     */
    boolean conserved(List<String> others) {
        BigInteger sum = BigInteger.ZERO;
        for (Credentials c : net.accounts()) sum = sum.add(requester.balanceOf(c.getAddress()).total());
        for (String a : others) sum = sum.add(requester.balanceOf(a).total());
        return sum.equals(requester.tokenBalanceOf(net.protocol().addresses().hub()));
    }

    WorkerAgent startWorker(Credentials key) {
        return startWorker(key, schedulerUrl());
    }

    /** Registers an example app (bytes as published, or tampered) and returns its address. */
    String publish(String name, byte[] checksumOf) {
        return appOwner.createApp(name, "wasm", "gridchain:apps/" + name + ".wasm", sha256(checksumOf));
    }

    String publish(String name) {
        return publish(name, ExampleApps.load(name));
    }

    /** The pool's standing order, as in the order book. */
    WorkerpoolOrder poolOrder() {
        return poolOrder;
    }

    /** The requester asks for {@code volume} runs of {@code app} with {@code params} at {@code trust}. */
    DealRecord request(String app, String params, long volume, long trust) {
        return request(app, params, volume, trust, poolOrder);
    }

    /** The same in a category of its own, served by a pool order for that category. */
    DealRecord request(String app, String params, long volume, long trust, long category) {
        WorkerpoolOrder order = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000_000, category, 1_000_000);
        return request(app, params, volume, trust, order);
    }

    private DealRecord request(String app, String params, long volume, long trust, WorkerpoolOrder poolOrder) {
        return request(RequestOrder.of(requester.address(), app, APP_PRICE, POOL_PRICE, volume,
                poolOrder.category().longValueExact(), trust).withParams(params), poolOrder);
    }

    /** The requester matches {@code request} against the app's order and {@code poolOrder}. */
    DealRecord request(RequestOrder request, WorkerpoolOrder poolOrder) {
        AppOrder appOrder = AppOrder.of(request.app(), APP_PRICE, 1_000_000);
        return requester.matchOrders(appOrder, DatasetOrder.NONE, poolOrder, request, appOwner.sign(appOrder),
                new byte[0], schedulerOwner.sign(poolOrder), new byte[0]);
    }

    /** GET on the scheduler's public API. */
    HttpResponse<byte[]> get(String path) {
        try {
            return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(schedulerUrl() + path)).GET()
                    .build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Polls until {@code done} holds; fails the test with {@code what} after {@code timeout}. */
    static void await(String what, Duration timeout, BooleanSupplier done) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting for " + what);
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return Words.hex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        for (WorkerAgent w : workers) w.close();
        if (scheduler != null) scheduler.close();
        net.close();
    }
}
