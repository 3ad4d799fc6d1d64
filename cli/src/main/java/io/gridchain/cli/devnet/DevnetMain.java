package io.gridchain.cli.devnet;

import io.gridchain.apps.ExampleApps;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Profile;
import io.gridchain.cli.provider.Sources;
import io.gridchain.explorer.Explorer;
import io.gridchain.market.Market;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.local.LocalProtocol;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import io.gridchain.runtime.WasmRuntime;
import io.gridchain.scheduler.Scheduler;
import io.gridchain.worker.WorkerAgent;
import io.gridchain.worker.WorkerConfig;
import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.WalletUtils;

/**
 * The devnet process: a whole local network that runs until stopped. Account 0 owns the hub, 1
 * publishes the example apps, 3 runs the workerpool's scheduler, 4 is the requester, and the next
 * ones are workers. Started by {@code gridchain devnet up}; {@code args}: config=PATH workers=N [scheduler=off]
 * (the pool and its orders are published, but its scheduler and workers are left to {@code gridchain scheduler
 * start} and {@code gridchain worker start}).
 */
public final class DevnetMain {
    /** The dev wallets' password: these keys are the well-known development keys anyway. */
    static final String PASSWORD = "devnet";
    static final long POOL_PRICE = 10;
    static final long APP_PRICE = 1;

    public static void main(String[] args) throws Exception {
        Path configArg = Config.defaultPath();
        int workers = 3;
        boolean poolServices = true;
        for (String a : args) {
            if (a.startsWith("config=")) configArg = Path.of(a.substring(7));
            if (a.startsWith("workers=")) workers = Integer.parseInt(a.substring(8));
            if (a.equals("scheduler=off")) poolServices = false;
        }
        Path configFile = configArg;
        Path dir = DevnetState.dir(configFile);
        Files.createDirectories(dir);
        List<AutoCloseable> running = new ArrayList<>();
        LocalProtocol net = LocalProtocol.start();
        running.add(net);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(running, DevnetState.file(configFile))));

        List<Credentials> keys = net.accounts();
        GridClient provider = net.client(1);
        GridClient schedulerOwner = net.client(3);
        BigInteger deposit = BigInteger.TEN.pow(18);
        for (int i = 3; i < 5 + workers; i++) net.client(i).deposit(deposit);
        // the pool serves only while its owner keeps a bond in it; each worker's bond there backs its stakes
        BigInteger bond = deposit.divide(BigInteger.TWO);
        schedulerOwner.bond(schedulerOwner.address(), bond);
        for (int i = 5; i < 5 + workers; i++) net.client(i).bond(schedulerOwner.address(), bond);
        String pool = schedulerOwner.createWorkerpool("devnet pool");
        Scheduler scheduler = null;
        if (poolServices) {
            // a devnet's chain is new at every start: state of the previous one is discarded, not refused
            scheduler = Scheduler.start(Scheduler.Config.local(net.rpcUrl(), net.protocol().addresses(), keys.get(3),
                    pool, dir.resolve("scheduler")).withFreshOnMismatch(true)
                    // everything of a devnet is on this machine, a requester's bucket included
                    .withOptions(io.gridchain.scheduler.SchedulerService.Options.DEFAULT.withDeliveryToPrivate(true)));
            running.add(0, scheduler);
        }
        String schedulerUrl = scheduler == null ? null : scheduler.url();
        // published on-chain, as a pool on a real network does: the devnet's requesters and workers find the
        // scheduler from the pool's address (the profile names none, so that the devnet takes that path too)
        if (schedulerUrl != null) schedulerOwner.setPoolApiUrl(pool, schedulerUrl);
        Market market = Market.start(Market.Config.of(net.rpcUrl(), net.protocol().addresses())
                .withData(dir.resolve("market")).withPort(0).withFreshOnMismatch(true));
        running.add(0, market);
        // the devnet's pool and book are on this machine: the explorer may read them on loopback
        Explorer explorer = Explorer.start(Explorer.Config.of(net.rpcUrl(), net.protocol().addresses(),
                dir.resolve("explorer")).withMarket(market.url()).withPoolsOnPrivateNetwork(true));
        running.add(0, explorer);

        for (long category = 0; category < 5; category++) {
            WorkerpoolOrder order = WorkerpoolOrder.of(pool, POOL_PRICE, 1_000_000_000L, category, 1_000_000);
            market.book().publish(order, Words.hex(schedulerOwner.sign(order)));
        }
        List<DevnetState.App> apps = new ArrayList<>();
        for (String name : List.of("primes", "wordfreq", "mandel", "chess", "salestats")) {
            byte[] wasm = ExampleApps.load(name);
            String app = provider.createApp(name, "wasm", "gridchain:apps/" + name + ".wasm", Sources.sha256(wasm));
            AppOrder order = AppOrder.of(app, APP_PRICE, 1_000_000_000L);
            market.book().publish(order, Words.hex(provider.sign(order)));
            apps.add(new DevnetState.App(name, app));
        }

        WasmRuntime runtime = new WasmRuntime();
        for (int i = 5; poolServices && i < 5 + workers; i++) {
            // a cache each, as on separate hosts: each worker's cache report must be its own (data placement)
            WorkerConfig config = WorkerConfig.of(schedulerUrl, keys.get(i)).withSlots(1)
                    .withCacheDir(dir.resolve("worker-cache").resolve(keys.get(i).getAddress().toLowerCase()));
            running.add(0, new WorkerAgent(config, runtime).start());
        }

        Path wallets = dir.resolve("wallets");
        Files.createDirectories(wallets);
        String[] roles = {"hub-owner", "provider", "dataset-owner", "scheduler", "requester"};
        List<DevnetState.Account> accounts = new ArrayList<>();
        for (int i = 0; i < 5 + workers; i++) {
            String role = i < roles.length ? roles[i] : "worker";
            Path wallet = wallets.resolve(role + (i >= roles.length ? "-" + i : "") + ".json");
            String file = WalletUtils.generateWalletFile(PASSWORD, keys.get(i).getEcKeyPair(), wallets.toFile(), false);
            Files.move(wallets.resolve(file), wallet, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            accounts.add(new DevnetState.Account(role, keys.get(i).getAddress(), wallet.toString()));
        }

        Config config = Files.exists(configFile) ? Config.load(configFile) : Config.empty();
        Profile profile = Profile.of(net.rpcUrl(), net.chain().chainId(), net.protocol().addresses());
        profile = new Profile(profile.rpc(), profile.chainId(), profile.hub(), profile.token(), profile.apps(),
                profile.datasets(), profile.workerpools(), market.url(), null);
        config.withProfile("devnet", profile).withCurrentProfile("devnet")
                .withWallet(accounts.get(4).wallet()).save(configFile);

        new DevnetState(ProcessHandle.current().pid(), net.rpcUrl(), net.chain().chainId(),
                net.protocol().addresses(), pool, schedulerUrl, market.url(), explorer.url(), apps, accounts, PASSWORD)
                .write(configFile);
        System.out.println("devnet ready");
        System.out.flush();
        Thread.currentThread().join();
    }

    private static void stop(List<AutoCloseable> running, Path stateFile) {
        for (AutoCloseable c : running) {
            try {
                c.close();
            } catch (Exception e) {
                // Stopping anyway: the rest must still be closed.
            }
        }
        try {
            Files.deleteIfExists(stateFile);
        } catch (IOException e) {
            // The next `devnet up` sees a dead pid and replaces the file.
        }
    }

    private DevnetMain() {}
}
