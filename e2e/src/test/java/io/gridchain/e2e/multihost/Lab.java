package io.gridchain.e2e.multihost;

import io.gridchain.apps.ExampleApps;
import io.gridchain.e2e.multihost.HostProcesses.Proc;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.local.LocalChain;
import io.gridchain.protocol.local.LocalProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.web3j.crypto.Credentials;

/**
 * A whole gridchain network across network namespaces, each part the {@code gridchain} CLI in a process of its
 * own on a host of its own: the chain (anvil), the order book, the scheduler (whose host also holds the pool
 * owner's wallet), N workers and the requester (who deploys the contracts and publishes the app). Every service
 * binds its host's bridge address; each host has its own config file, home directory and wallet keystore. The
 * test JVM, on the bridge as the "lab", only reads the chain to check what the processes did.
 *
 * <p>anvil mines on demand (automine), not every second: each transaction is mined when sent, so the CLI's
 * many setup transactions take milliseconds instead of a block time each, and confirmations (0 on chain id
 * 31337) add no wait. Reorganisations ({@code anvil_reorg}) work on it thanks to {@code --prune-history 64}.
 *
 * <p>A little over 300 lines: the network's setup is one sequence, kept in one place so a test reads as the
 * operator's steps.
 */
final class Lab implements AutoCloseable {
    static final String PASSWORD = "multihost";
    static final long POOL_PRICE = 5;
    static final long APP_PRICE = 1;
    static final int MARKET_PORT = 8081;
    static final int SCHEDULER_PORT = 8082;
    // dev accounts: 0 the requester (deploys, owns the hub and the app), 3 the pool's owner, 5.. the workers
    static final int REQUESTER = 0;
    static final int POOL_OWNER = 3;
    static final int FIRST_WORKER = 5;

    final Netns net;
    final HostProcesses procs;
    final Path home;
    final Netns.Host chainHost;
    final Netns.Host marketHost;
    final Netns.Host schedulerHost;
    final Netns.Host requesterHost;
    final List<Netns.Host> workerHosts = new ArrayList<>();
    final List<Credentials> accounts = LocalChain.DEV_PRIVATE_KEYS.stream().map(Credentials::create).toList();
    final String rpc;
    final String marketUrl;
    final String schedulerUrl;
    final Proc[] workers;
    Proc anvil;
    Proc market;
    Proc scheduler;
    ChainClient chain;
    Protocol protocol;
    String app;
    String pool;
    private int requests;
    private volatile boolean apiPublished;
    /** Blocks every service and client waits for on top of what it acts on; above 0 the chain mines every second. */
    private final int confirmations;

    private Lab(Netns net, HostProcesses procs, Path home, int workerCount, int confirmations) {
        this.confirmations = confirmations;
        this.net = net;
        this.procs = procs;
        this.home = home;
        this.chainHost = net.add("chain");
        this.marketHost = net.add("market");
        this.schedulerHost = net.add("sched");
        this.requesterHost = net.add("req");
        for (int i = 0; i < workerCount; i++) workerHosts.add(net.add("w" + i));
        this.rpc = "http://" + chainHost.address() + ":8545";
        this.marketUrl = "http://" + marketHost.address() + ":" + MARKET_PORT;
        this.schedulerUrl = "http://" + schedulerHost.address() + ":" + SCHEDULER_PORT;
        this.workers = new Proc[workerCount];
    }

    /** The network with {@code workerCount} workers running and ready; aborts the test where namespaces fail. */
    static Lab start(String run, int workerCount) {
        return start(run, workerCount, 0);
    }

    /**
     * The network with {@code confirmations} written into every host's profile (read by the order book, the scheduler
     * and {@code run --watch}); above 0 the chain also mines a block every second, as a real chain does, so that
     * blocks come on top of the last transaction.
     */
    static Lab start(String run, int workerCount, int confirmations) {
        Netns net = Netns.create();
        Lab lab = null;
        try {
            Path home = Files.createTempDirectory("multihost-" + run + "-");
            lab = new Lab(net, new HostProcesses(net, run), home, workerCount, confirmations);
            lab.setUp();
            return lab;
        } catch (IOException e) {
            net.close();
            throw new UncheckedIOException(e);
        } catch (RuntimeException | Error e) {
            if (lab != null) lab.close();
            else net.close();
            throw e;
        }
    }

    private void setUp() {
        List<String> anvilCommand = new ArrayList<>(List.of(LocalChain.findAnvil().toString(), "--host",
                chainHost.address(), "--port", "8545", "--prune-history", "64"));
        if (confirmations > 0) anvilCommand.addAll(List.of("--block-time", "1"));
        anvil = procs.start("anvil", chainHost, Map.of(), anvilCommand);
        HostProcesses.await(anvil, "Listening on", Duration.ofSeconds(30));
        chain = ChainClient.connect(rpc);
        importWallet(requesterHost, REQUESTER);
        deploy();
        // the profile `deploy` wrote, handed to every other host as an operator would copy it
        cli("config-market", requesterHost, "config", "set", "market", marketUrl);
        String profile = read(config(requesterHost));
        List<Netns.Host> others = new ArrayList<>(List.of(marketHost, schedulerHost));
        others.addAll(workerHosts);
        for (Netns.Host h : others) Netns.write(config(h), profile);

        List<CompletableFuture<?>> steps = new ArrayList<>();
        steps.add(async(this::startMarket));
        steps.add(async(() -> importWallet(schedulerHost, POOL_OWNER)));
        for (int i = 0; i < workerHosts.size(); i++) {
            int w = i;
            steps.add(async(() -> importWallet(workerHosts.get(w), FIRST_WORKER + w)));
        }
        join(steps);
        steps.clear();
        steps.add(async(() -> {
            Path wasm = home.resolve("primes.wasm");
            write(wasm, ExampleApps.load("primes"));
            app = json(cli("app-publish", requesterHost, "app", "publish", wasm.toString(), "--uri",
                    "gridchain:apps/primes.wasm", "--json"), "app");
            cli("order-app", requesterHost, "order", "publish", "app", app, "--price", "" + APP_PRICE, "--volume",
                    "1000000");
            cli("deposit", requesterHost, "account", "deposit", "100000");
        }));
        steps.add(async(() -> {
            pool = json(cli("pool-create", schedulerHost, "pool", "create", "--description", "multihost", "--json"),
                    "workerpool");
            cli("deposit", schedulerHost, "account", "deposit", "5000");
            cli("bond", schedulerHost, "account", "bond", pool, "1000");
            cli("order-pool", schedulerHost, "order", "publish", "workerpool", pool, "--price", "" + POOL_PRICE,
                    "--volume", "1000000", "--trust", "10");
            startScheduler();
        }));
        for (int i = 0; i < workerHosts.size(); i++) {
            int w = i;
            steps.add(async(() -> cli("deposit", workerHosts.get(w), "account", "deposit", "2000")));
        }
        join(steps);
        join(IntStream.range(0, workerHosts.size()).mapToObj(w -> async(() -> startWorker(w))).toList());
    }

    /**
     * {@code gridchain deploy} on the requester's host, over the bridge to the chain's host: the contracts and the
     * dev token, owned by the requester's key, and the profile "lab"; then {@code gridchain token mint} there funds
     * every dev account, as the network's operator would.
     */
    private void deploy() {
        String out = cli("deploy", requesterHost, "deploy", "--rpc", rpc, "--dev-token", "--name", "lab",
                "--confirmations", "" + confirmations, "--json");
        protocol = Protocol.at(chain, new Protocol.Addresses(json(out, "token"), json(out, "hub"), json(out, "apps"),
                json(out, "datasets"), json(out, "workerpools")));
        cli("token-mint", requesterHost, "token", "mint", LocalProtocol.DEV_FUNDS.toString(), "--to",
                String.join(",", accounts.stream().map(Credentials::getAddress).toList()));
    }

    void startMarket() {
        market = service("market", marketHost, Map.of(), "market", "start", "--host", marketHost.address(),
                "--port", "" + MARKET_PORT, "--data", home.resolve("market-data").toString());
        HostProcesses.await(market, "running: Ctrl-C", Duration.ofSeconds(60));
    }

    void startScheduler() {
        scheduler = service("scheduler", schedulerHost, Map.of(), "scheduler", "start", "--pool", pool, "--host",
                schedulerHost.address(), "--port", "" + SCHEDULER_PORT, "--data",
                home.resolve("scheduler-data").toString());
        HostProcesses.await(scheduler, "running: Ctrl-C", Duration.ofSeconds(60));
        if (!apiPublished) {
            // on-chain, once: workers and requesters find the scheduler from the pool, not from a setting
            cli("pool-set-api", schedulerHost, "pool", "set-api", pool, schedulerUrl);
            apiPublished = true;
        }
    }

    /** Starts worker {@code w} (again) with its key, its cache in its host's home; waits until registered. */
    void startWorker(int w) {
        // the scheduler's URL comes from the pool's record on-chain
        workers[w] = service("worker" + w, workerHosts.get(w), Map.of(), "worker", "start", "--pool", pool,
                "--bond", "1000", "--slots", "2", "--cache", workerCache(w).toString());
        HostProcesses.await(workers[w], "registered with workerpool", Duration.ofSeconds(60));
    }

    Path workerCache(int w) {
        return hostHome(workerHosts.get(w)).resolve("cache");
    }

    /** {@code gridchain run APP …} started on the requester's host; {@link Deal#finish} waits for it. */
    Proc run(String args, long volume, long trust) {
        Path download = home.resolve("results-" + (++requests));
        // no GRIDCHAIN_SCHEDULER: run finds the scheduler from the deal's pool on-chain
        Proc p = procs.start("run-" + requests, requesterHost, env(requesterHost, Map.of()), java(List.of("run", app, "--args", args, "--volume", "" + volume, "--trust",
                "" + trust, "--pool", pool, "--watch", "--download", download.toString(), "--json")), true);
        return p;
    }

    /** A raw JSON-RPC call to the chain from the lab (anvil_reorg, anvil_rollback): the answer's body. */
    String rpc(String method, String params) {
        try {
            var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(rpc))
                    .header("Content-Type", "application/json").POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"" + method + "\",\"params\":" + params + "}"))
                    .build();
            return java.net.http.HttpClient.newHttpClient().send(request,
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    GridClient reader() {
        return protocol.as(accounts.get(REQUESTER));
    }

    Credentials worker(int w) {
        return accounts.get(FIRST_WORKER + w);
    }

    // ---- processes

    /** A one-shot CLI command on {@code host}; fails the test with its output unless it exits 0. Its stdout. */
    String cli(String name, Netns.Host host, String... args) {
        return cli(name, host, Map.of(), args);
    }

    String cli(String name, Netns.Host host, Map<String, String> extraEnv, String... args) {
        Proc p = procs.start(name, host, env(host, extraEnv), java(List.of(args)), true);
        int code = HostProcesses.waitFor(p, Duration.ofSeconds(120));
        if (code != 0) {
            throw new AssertionError("gridchain " + String.join(" ", args) + " on " + host.name() + " exited " + code
                    + ":\n" + HostProcesses.tail(p.output()) + HostProcesses.tail(p.stdout()));
        }
        return p.stdout();
    }

    Proc service(String name, Netns.Host host, Map<String, String> extraEnv, String... args) {
        return procs.start(name, host, env(host, extraEnv), java(List.of(args)));
    }

    private void importWallet(Netns.Host host, int account) {
        Path key = hostHome(host).resolve("key.txt");
        write(key, LocalChain.DEV_PRIVATE_KEYS.get(account).getBytes());
        cli("wallet-import", host, "wallet", "import", "--private-key-file", key.toString());
    }

    private Map<String, String> env(Netns.Host host, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>(extra);
        env.put("GRIDCHAIN_CONFIG", config(host).toString());
        env.put("GRIDCHAIN_PASSWORD", PASSWORD);
        return env;
    }

    private List<String> java(List<String> args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-Dlogback.configurationFile=" + logbackConfig(), "-cp", System.getProperty("java.class.path"),
                "io.gridchain.cli.Main"));
        command.addAll(args);
        return command;
    }

    private static String logbackConfig() {
        try {
            return Path.of(Lab.class.getResource("/multihost-logback.xml").toURI()).toString();
        } catch (java.net.URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    Path hostHome(Netns.Host host) {
        return home.resolve(host.name());
    }

    private Path config(Netns.Host host) {
        return hostHome(host).resolve("config.json");
    }

    // ---- small helpers

    static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    static String json(String stdout, String field) {
        try {
            return MAPPER.readTree(stdout).get(field).asText();
        } catch (IOException | NullPointerException e) {
            throw new AssertionError("no \"" + field + "\" in: " + stdout, e);
        }
    }

    private static CompletableFuture<Void> async(Runnable step) {
        return CompletableFuture.runAsync(step);
    }

    private static void join(List<? extends CompletableFuture<?>> steps) {
        try {
            CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new)).join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof Error err) throw err;
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw e;
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void write(Path file, byte[] bytes) {
        try {
            Files.createDirectories(file.getParent());
            Files.write(file, bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        procs.close();
        if (chain != null) chain.close();
        net.close();
        System.out.println("[multihost] logs in " + procs.logs());
    }
}
