package io.gridchain.cli.service;

import io.gridchain.api.WorkerApi;
import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.account.Amount;
import io.gridchain.cli.account.Pools;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.discovery.PoolApiFollower;
import io.gridchain.cli.discovery.SchedulerLocator;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.worker.SchedulerClient;
import io.gridchain.worker.WorkerAgent;
import io.gridchain.worker.WorkerConfig;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gridchain worker start}: a worker joining a workerpool's scheduler. */
@Command(
        name = "worker",
        mixinStandardHelpOptions = true,
        description = {"Run a worker.",
            "It joins a workerpool's scheduler, runs the WebAssembly tasks it is given in a sandbox,",
            "and commits and reveals their results. Its bond in the pool is its stake."},
        subcommands = {WorkerCommand.Start.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain account deposit 1000",
            "  gridchain worker start --pool 0xPOOL --bond 1000",
            "  gridchain worker start --scheduler http://127.0.0.1:8082 --bond 1000"})
public final class WorkerCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start a worker with the wallet's key, joined to the scheduler of --pool (found",
                "on-chain, where the pool's owner published it with `gridchain pool set-api`) or",
                "at --scheduler URL (default: GRIDCHAIN_SCHEDULER, else the profile's scheduler,",
                "which also override the pool's URL); run until Ctrl-C. The scheduler gives tasks only to",
                "workers whose bond in its pool covers the stakes: deposit (`gridchain account",
                "deposit`), then bond (`gridchain account bond POOL AMOUNT`, or --bond here)."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain worker start --pool 0xPOOL",
                "  gridchain worker start --scheduler http://127.0.0.1:8082",
                "  gridchain worker start --scheduler http://127.0.0.1:8082 --bond 1000",
                "  gridchain worker start --wallet worker.json --password-file pw --slots 2 --cache-size 4096",
                "  gridchain worker start --scheduler https://pool.example:8443 --tls-ca ca.pem --metrics-port 9102"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--scheduler", paramLabel = "URL", description = "The scheduler to join (default: the profile's).")
        String scheduler;

        @Option(names = "--pool", paramLabel = "ADDRESS", description = "Join the scheduler this workerpool published "
                + "on-chain (`gridchain pool set-api`), and follow it when its owner publishes a new URL.")
        String pool;

        @Option(names = "--slots", paramLabel = "N", description = "Tasks run at once (default: one per CPU).")
        Integer slots;

        @Option(names = "--cache", paramLabel = "DIR", description = "Where apps and inputs are cached (default: ~/.gridchain/worker).")
        Path cache;

        @Option(names = "--cache-size", paramLabel = "MiB", description = "Most MiB the cache keeps on disk; the least "
                + "recently used apps and inputs go first (default: 8192).")
        Long cacheMiB;

        @Option(names = "--bond", paramLabel = "AMOUNT", converter = Amount.class, description = "Make the bond in"
                + " the scheduler's pool at least AMOUNT tokens before starting, from the wallet's free balance.")
        BigInteger bond;

        @Option(names = "--metrics-port", paramLabel = "N", description = "Serve Prometheus metrics on GET /metrics at"
                + " this port (default: off; 0: any free port). docs/OPERATIONS.md.")
        Integer metricsPort;

        @Option(names = "--metrics-bind", paramLabel = "HOST", defaultValue = "127.0.0.1",
                description = "With --metrics-port: the interface to serve metrics on (default: ${DEFAULT-VALUE}).")
        String metricsBind;

        @Override
        public Integer call() throws Exception {
            if (slots != null && slots < 1) throw UserError.usage("--slots must be at least 1");
            if (cacheMiB != null && (cacheMiB < 1 || cacheMiB > (Long.MAX_VALUE >> 20))) {
                throw UserError.usage("--cache-size must be a positive number of MiB, e.g. --cache-size 4096");
            }
            if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
                throw UserError.usage("--metrics-port must be between 0 and 65535");
            }
            Credentials key;
            String url;
            PoolStake stake = null;
            boolean follow;
            try (Context ctx = options.context()) {
                url = schedulerUrl(ctx);
                follow = pool != null && ctx.settings().scheduler() == null;
                key = ctx.credentials();
                if (bond != null) stake = bondUpTo(ctx, url, pool == null ? null : Words.canonical(pool), key, bond);
            }
            WorkerConfig config = WorkerConfig.of(url, key).withCacheDir(cache == null ? null : cache.toAbsolutePath());
            if (slots != null) config = config.withSlots(slots);
            if (cacheMiB != null) config = config.withCacheMaxBytes(cacheMiB << 20);
            WorkerAgent agent = new WorkerAgent(config).start();
            Map<String, Object> out = new LinkedHashMap<>();
            if (metricsPort != null) {
                try {
                    out.put("metrics", "http://" + metricsBind + ":" + agent.serveMetrics(metricsBind, metricsPort)
                            + "/metrics");
                } catch (RuntimeException e) {
                    agent.close();
                    throw UserError.failure(e.getMessage()); // names the address
                }
            }
            out.put("worker", agent.address());
            out.put("scheduler", url);
            out.put("slots", config.slots());
            if (stake != null) out.put("bond", stake.bond().toString());
            if (!follow) {
                return Foreground.run("worker", agent, options, out);
            }
            // given only its pool, the worker follows the pool's scheduler should its owner publish a new URL
            Context chain = options.context();
            String address = Words.canonical(pool);
            PoolApiFollower follower = new PoolApiFollower(address, () -> chain.reader().poolApiUrl(address),
                    agent.client(), FOLLOW_PERIOD, System.err);
            return Foreground.run("worker", () -> {
                follower.close();
                agent.close();
                chain.close();
            }, options, out);
        }

        /** How often a worker given --pool reads the pool's URL again. */
        static final java.time.Duration FOLLOW_PERIOD = java.time.Duration.ofSeconds(30);

        /** --scheduler, else the override (GRIDCHAIN_SCHEDULER, the profile's), else the URL --pool published. */
        private String schedulerUrl(Context ctx) {
            if (scheduler != null && pool != null) {
                throw UserError.usage("--scheduler and --pool both name the scheduler: give one");
            }
            if (scheduler != null) return SchedulerLocator.httpUrl("--scheduler", scheduler);
            if (pool != null) {
                String address;
                try {
                    address = Words.canonical(pool);
                } catch (IllegalArgumentException e) {
                    throw UserError.usage("--pool must be an address (0x and 40 hex digits), got " + pool);
                }
                var located = SchedulerLocator.forPool(ctx.settings(), ctx.reader(), address);
                requireServes(located, address);
                System.err.println("[worker] scheduler " + located.url() + " (" + located.source() + ")");
                return located.url();
            }
            if (ctx.settings().scheduler() == null) {
                throw UserError.usage("no scheduler to join: pass --pool 0xPOOL (its owner published the URL with "
                        + "`gridchain pool set-api`), --scheduler URL, or `gridchain config set scheduler URL`");
            }
            return SchedulerLocator.httpUrl(ctx.settings().scheduler().source(), ctx.settings().scheduler().value());
        }

        /**
         * Refuses a scheduler that says it serves another pool (an override left from another pool); one that does
         * not answer yet is waited for by the agent, which retries until it does.
         */
        private static void requireServes(SchedulerLocator.Located scheduler, String pool) {
            String served;
            try {
                served = SchedulerLocator.servedPool(scheduler.url()).orElse("");
            } catch (java.io.IOException e) {
                System.err.println("[worker] the scheduler at " + scheduler.url() + " is unreachable ("
                        + SchedulerClient.reason(e) + "); the worker waits for it");
                return;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (!served.isEmpty() && !served.equalsIgnoreCase(pool)) {
                boolean published = scheduler.source().startsWith(SchedulerLocator.PUBLISHED);
                throw UserError.failure("the scheduler at " + scheduler.url() + " (" + scheduler.source()
                        + ") serves pool " + served + ", not " + pool + (published ? ": the pool's owner must publish "
                        + "its own scheduler's URL (`gridchain pool set-api`)" : ": unset GRIDCHAIN_SCHEDULER or the "
                        + "profile's scheduler, or pass --scheduler"));
            }
        }

        /** The pool the scheduler at {@code url} serves, as it names it at registration. */
        private static String poolOf(String url, Credentials key) {
            try {
                // the agent registers again when it starts
                return new SchedulerClient(url, key).register(new WorkerApi.RegisterRequest(1, SchedulerClient.AGENT))
                        .workerpool();
            } catch (RuntimeException e) {
                throw new UserError("cannot learn the pool of the scheduler at " + url + " (" + e.getMessage()
                        + "): pass --pool 0xPOOL", UserError.UNREACHABLE);
            }
        }

        /**
         * Tops the worker's bond in the scheduler's pool ({@code known}, else asked of the scheduler) up to
         * {@code target}, saying what it did.
         */
        private static PoolStake bondUpTo(Context ctx, String url, String known, Credentials key, BigInteger target) {
            if (!ctx.hasProtocol()) {
                throw UserError.usage("--bond needs the chain: pass --rpc URL or `gridchain config set rpc URL`");
            }
            String pool = known != null ? known : poolOf(url, key);
            GridClient me = ctx.client();
            String owner = Pools.owner(ctx.protocol(), pool);
            PoolStake stake = me.stakeIn(owner);
            BigInteger missing = target.subtract(stake.bond());
            if (missing.signum() <= 0) {
                System.err.println("[worker] bond in pool " + pool + ": " + stake.bond() + " (at least " + target
                        + ", nothing to bond)");
                return stake;
            }
            BigInteger free = me.balance().free();
            if (free.compareTo(missing) < 0) {
                throw UserError.failure("worker " + me.address() + " has " + free + " free tokens but " + missing
                        + " are needed to bond " + target + " in pool " + pool + ": gridchain account deposit "
                        + missing.subtract(free));
            }
            me.bond(owner, missing);
            stake = me.stakeIn(owner);
            System.err.println("[worker] bonded " + missing + " tokens in pool " + pool + " (owner " + owner
                    + "): bond now " + stake.bond());
            return stake;
        }
    }
}
