package io.gridchain.bench.pool;

import io.gridchain.apps.ExampleApps;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.runtime.ResultDigest;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Keys;

/**
 * A whole workerpool in one process, shared by the pipeline benchmarks, the chess match and the end-to-end tests:
 * anvil with the contracts, a scheduler serving HTTP with SQLite state, and worker agents sharing one WebAssembly
 * runtime. Account 0 mints, 1 publishes apps, 3 owns the pool, 4 requests. The workers are accounts 5 to 9, each
 * staked at start so a test can also run them as processes; a pool of more than five workers stakes fresh keys
 * for the rest. The providers' orders are standing orders, published once and consumed by every deal, as on a
 * market.
 *
 * <p>A little over 300 lines: it is the union of what the benchmarks and the end-to-end tests need, in one class
 * so that the two can no longer drift apart as their two near-copies did.
 */
public final class LocalPool implements AutoCloseable {
    public static final long APP_PRICE = 5;
    public static final long POOL_PRICE = 100;
    /** Every order's volume: more tasks than any bench or test asks for. */
    private static final long ORDER_VOLUME = 1_000_000_000;
    private static final long MAX_TRUST = 1_000_000;
    private static final int FIRST_WORKER_ACCOUNT = 5;
    /** Escrow of the pool's owner, the requester and each worker: enough for a million tasks at any trust. */
    private static final BigInteger DEPOSIT = BigInteger.TEN.pow(15);
    private static final BigInteger BOND = DEPOSIT.divide(BigInteger.TWO);
    /** The address seized stakes are credited to (Escrow.BURN). */
    public static final String BURN = "0x000000000000000000000000000000000000dEaD";

    /**
     * How the pool starts.
     *
     * @param scheduler the in-process scheduler's options; null starts none (a test runs its own as a process and
     *     names it with {@link #useScheduler})
     */
    public record Setup(int workers, int slots, Duration workerPoll, SchedulerService.Options scheduler,
            long cacheMaxBytes) {
        /** {@code workers} workers of 2 slots, polling at the worker's default, and a default scheduler. */
        public static Setup of(int workers) {
            return new Setup(workers, 2, WorkerConfig.DEFAULT_POLL_INTERVAL, SchedulerService.Options.DEFAULT, 0);
        }

        public Setup withSlots(int value) {
            return new Setup(workers, value, workerPoll, scheduler, cacheMaxBytes);
        }

        public Setup withWorkerPoll(Duration value) {
            return new Setup(workers, slots, value, scheduler, cacheMaxBytes);
        }

        public Setup withScheduler(SchedulerService.Options value) {
            return new Setup(workers, slots, workerPoll, value, cacheMaxBytes);
        }

        public Setup withoutScheduler() {
            return withScheduler(null);
        }

        /** Each worker's content cache holds at most {@code value} bytes on disk (0: the worker's default). */
        public Setup withCacheMaxBytes(long value) {
            return new Setup(workers, slots, workerPoll, scheduler, value);
        }
    }

    private final Setup setup;
    private final LocalProtocol net;
    private final GridClient appOwner;
    private final GridClient schedulerOwner;
    private final GridClient requester;
    private final String workerpool;
    private final Path dir;
    private final WasmRuntime runtime = new WasmRuntime();
    private final Scheduler scheduler;
    private final List<WorkerAgent> workers = new ArrayList<>();
    private final List<String> freshWorkers = new ArrayList<>();
    private final Map<String, AppOrder> appOrders = new ConcurrentHashMap<>();
    private final Map<Long, WorkerpoolOrder> poolOrders = new ConcurrentHashMap<>();
    private volatile String externalSchedulerUrl;

    public LocalPool(int workers) {
        this(Setup.of(workers));
    }

    public LocalPool(Setup setup) {
        if (setup.scheduler() == null && setup.workers() > 0) {
            throw new IllegalArgumentException("workers need a scheduler: start them after useScheduler");
        }
        this.setup = setup;
        try {
            dir = Files.createTempDirectory("gridchain-pool-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        net = LocalProtocol.start();
        appOwner = net.client(1);
        schedulerOwner = net.client(3);
        requester = net.client(4);
        schedulerOwner.deposit(DEPOSIT);
        requester.deposit(DEPOSIT);
        // The pool bonds to serve; each worker bonds in the pool half its deposit, the stake behind its contributions.
        schedulerOwner.bond(schedulerOwner.address(), BOND);
        for (int i = FIRST_WORKER_ACCOUNT; i < net.accounts().size(); i++) {
            net.client(i).deposit(DEPOSIT);
            net.client(i).bond(schedulerOwner.address(), BOND);
        }
        workerpool = schedulerOwner.createWorkerpool("local pool");
        scheduler = setup.scheduler() == null ? null : Scheduler.start(Scheduler.Config.local(net.rpcUrl(),
                net.protocol().addresses(), net.accounts().get(3), workerpool, dir.resolve("scheduler"))
                .withOptions(setup.scheduler()));
        // published as a pool on a network does; one transaction before any deal, so no bench measures it
        if (scheduler != null) schedulerOwner.setPoolApiUrl(workerpool, scheduler.url());
        for (int i = 0; i < setup.workers(); i++) startWorker(workerKey(i));
    }

    /** Worker {@code i}'s key: a dev account while there are some, else a fresh key account 0 stakes. */
    private Credentials workerKey(int i) {
        int account = FIRST_WORKER_ACCOUNT + i;
        if (account < net.accounts().size()) return net.accounts().get(account);
        Credentials key;
        try {
            key = Credentials.create(Keys.createEcKeyPair());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        // a fresh key has no ether: account 0 funds its free balance and its bond in the pool
        net.client(0).depositFor(key.getAddress(), DEPOSIT);
        net.client(0).deposit(BOND);
        net.client(0).bondFor(schedulerOwner.address(), key.getAddress(), BOND);
        freshWorkers.add(key.getAddress());
        return key;
    }

    public LocalProtocol net() {
        return net;
    }

    /**
     * Creates a category whose reference time is {@code seconds} and returns its index: a deal's deadline is ten
     * of them, so a short category lets a test reach a deadline by moving the chain's time.
     */
    public long category(String name, long seconds) {
        GridClient admin = net.client(0);
        GridClient.call(() -> admin.hub().createCategory(name, seconds + " seconds", BigInteger.valueOf(seconds))
                .send());
        return GridClient.call(() -> admin.hub().categoryCount().send()).longValueExact() - 1;
    }

    public GridClient appOwner() {
        return appOwner;
    }

    public GridClient schedulerOwner() {
        return schedulerOwner;
    }

    public GridClient requester() {
        return requester;
    }

    /** The workerpool's address. */
    public String workerpool() {
        return workerpool;
    }

    /** A directory of this pool's own, for scheduler data, worker caches and key files. */
    public Path dir() {
        return dir;
    }

    /** The runtime the in-process workers share: a local run of an app reuses its compiled module. */
    public WasmRuntime runtime() {
        return runtime;
    }

    /** The in-process scheduler; null if the pool was set up without one. */
    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * Workers and requests go to the scheduler at {@code url} (one a test started as a process) from now on; the
     * pool publishes it on-chain, where clients that know only the pool's address find it.
     */
    public void useScheduler(String url) {
        externalSchedulerUrl = url;
        schedulerOwner.setPoolApiUrl(workerpool, url);
    }

    /** The scheduler's base URL: the one given to {@link #useScheduler}, else the in-process one's. */
    public String schedulerUrl() {
        String url = externalSchedulerUrl;
        return url != null ? url : scheduler.url();
    }

    /** Starts a worker with {@code key} on the pool's scheduler; it is closed with the pool. */
    public WorkerAgent startWorker(Credentials key) {
        return startWorker(WorkerConfig.of(schedulerUrl(), key));
    }

    /**
     * Starts a worker from {@code config} (e.g. a saboteur's) with the pool's slots and poll interval and a cache of
     * its own; it is closed with the pool.
     */
    public WorkerAgent startWorker(WorkerConfig config) {
        WorkerConfig sized = setup.cacheMaxBytes() > 0 ? config.withCacheMaxBytes(setup.cacheMaxBytes()) : config;
        WorkerAgent worker = new WorkerAgent(sized.withSlots(setup.slots()).withPollInterval(setup.workerPoll())
                .withCacheDir(dir.resolve("cache-" + config.address())), runtime).start();
        synchronized (workers) {
            workers.add(worker);
        }
        return worker;
    }

    /** Registers an example app whose checksum is that of {@code checksumOf} (its bytes, or tampered ones). */
    public String publish(String name, byte[] checksumOf) {
        return appOwner.createApp(name, "wasm", "gridchain:apps/" + name + ".wasm", sha256(checksumOf));
    }

    /** Registers the example app {@code name} (one of {@link ExampleApps#NAMES}) and returns its address. */
    public String publish(String name) {
        return publish(name, ExampleApps.load(name));
    }

    /** The app owner's standing order for {@code app}. */
    public AppOrder appOrder(String app) {
        return appOrders.computeIfAbsent(app, a -> AppOrder.of(a, APP_PRICE, ORDER_VOLUME));
    }

    /** The pool's standing order, as in the order book. */
    public WorkerpoolOrder poolOrder() {
        return poolOrder(0);
    }

    /** The pool's standing order for {@code category}. */
    public WorkerpoolOrder poolOrder(long category) {
        return poolOrders.computeIfAbsent(category, c -> WorkerpoolOrder.of(workerpool, POOL_PRICE, ORDER_VOLUME, c,
                MAX_TRUST));
    }

    /** The requester asks for {@code volume} runs of {@code app} with {@code params} at {@code trust}. */
    public DealRecord request(String app, String params, long volume, long trust) {
        return request(app, params, volume, trust, 0);
    }

    /** The same in a category of its own, served by a pool order for that category. */
    public DealRecord request(String app, String params, long volume, long trust, long category) {
        return request(RequestOrder.of(requester.address(), app, APP_PRICE, POOL_PRICE, volume, category, trust)
                .withParams(params), poolOrder(category));
    }

    /** The requester matches {@code request} against its app's standing order and {@code poolOrder}. */
    public DealRecord request(RequestOrder request, WorkerpoolOrder poolOrder) {
        AppOrder appOrder = appOrder(request.app());
        return requester.matchOrders(appOrder, DatasetOrder.NONE, poolOrder, request, appOwner.sign(appOrder),
                new byte[0], schedulerOwner.sign(poolOrder), new byte[0]);
    }

    /** The deal's tasks finalized on-chain: one call per task, so a bench counts them outside its timed window. */
    public long certified(DealRecord deal) {
        long volume = deal.deal().volume().longValueExact();
        long n = 0;
        for (long i = 0; i < volume; i++) {
            if (requester.taskStatus(deal.taskId(i)) == GridClient.TaskStatus.FINALIZED) n++;
        }
        return n;
    }

    /** Tokens conserved: every account's free and locked balances add up to what the hub holds. */
    public boolean conserved() {
        return conserved(List.of());
    }

    /**
     * The same, counting also {@code others}' escrow: accounts outside the dev ten and the pool's own fresh
     * workers, such as extra workers or consumer contracts holding their own escrow.
     */
    public boolean conserved(List<String> others) {
        List<String> accounts = new ArrayList<>();
        for (Credentials c : net.accounts()) accounts.add(c.getAddress());
        accounts.addAll(freshWorkers);
        accounts.addAll(others);
        // penalties are burned: credited to an account nobody controls, still in the hub
        BigInteger sum = requester.balanceOf(BURN).total();
        for (String a : accounts) sum = sum.add(held(a));
        return sum.equals(requester.tokenBalanceOf(net.protocol().addresses().hub()));
    }

    /** What the hub holds for {@code account}: its escrow, and its bond and uncollected earnings in this pool. */
    public BigInteger held(String account) {
        PoolStake s = requester.stakeOf(schedulerOwner.address(), account);
        return requester.balanceOf(account).total().add(s.bond()).add(s.earned());
    }

    /** {@code worker}'s bond, earnings and score in this pool. */
    public PoolStake stakeOf(String worker) {
        return requester.stakeOf(schedulerOwner.address(), worker);
    }

    /** The workers beyond the five dev accounts: fresh keys account 0 funded and bonded. */
    public List<String> freshWorkers() {
        return List.copyOf(freshWorkers);
    }

    /** The pool's owner, which keys the bonds in the pool. */
    public String owner() {
        return schedulerOwner.address();
    }

    /** GET on the scheduler's public API. */
    public HttpResponse<byte[]> get(String path) {
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

    /**
     * Polls until {@code done} holds. After {@code timeout} it throws an AssertionError naming {@code what}: a pool
     * that never gets there is a failed expectation, in a test as in a bench.
     */
    public static void await(String what, Duration timeout, BooleanSupplier done) {
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

    /** The checksum registered on-chain for an app's bytes, and the digest of a result archive: 0x and sha256. */
    public static String sha256(byte[] bytes) {
        return "0x" + ResultDigest.sha256Hex(bytes);
    }

    @Override
    public void close() {
        synchronized (workers) {
            for (WorkerAgent w : workers) w.close();
        }
        if (scheduler != null) scheduler.close();
        net.close();
    }
}
