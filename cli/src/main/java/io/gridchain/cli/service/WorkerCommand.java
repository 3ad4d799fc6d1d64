package io.gridchain.cli.service;

import io.gridchain.api.WorkerApi;
import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.account.Amount;
import io.gridchain.cli.account.Pools;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
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
            "  gridchain worker start --scheduler http://127.0.0.1:8082 --bond 1000"})
public final class WorkerCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start a worker with the wallet's key, joined to the scheduler at URL (default:",
                "the profile's scheduler); run until Ctrl-C. The scheduler gives tasks only to",
                "workers whose bond in its pool covers the stakes: deposit (`gridchain account",
                "deposit`), then bond (`gridchain account bond POOL AMOUNT`, or --bond here)."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain worker start --scheduler http://127.0.0.1:8082",
                "  gridchain worker start --scheduler http://127.0.0.1:8082 --bond 1000",
                "  gridchain worker start --wallet worker.json --password-file pw --slots 2",
                "  gridchain worker start --scheduler https://pool.example:8443 --tls-ca ca.pem --metrics-port 9102"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--scheduler", paramLabel = "URL", description = "The scheduler to join (default: the profile's).")
        String scheduler;

        @Option(names = "--slots", paramLabel = "N", description = "Tasks run at once (default: one per CPU).")
        Integer slots;

        @Option(names = "--cache", paramLabel = "DIR", description = "Where apps and inputs are cached (default: ~/.gridchain/worker).")
        Path cache;

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
            if (metricsPort != null && (metricsPort < 0 || metricsPort > 65535)) {
                throw UserError.usage("--metrics-port must be between 0 and 65535");
            }
            Credentials key;
            String url;
            PoolStake stake = null;
            try (Context ctx = options.context()) {
                url = scheduler != null ? scheduler.replaceAll("/+$", "") : ctx.settings().schedulerUrl();
                if (url == null) {
                    throw UserError.usage("no scheduler to join: pass --scheduler URL (printed by `gridchain scheduler "
                            + "start`) or `gridchain config set scheduler URL`");
                }
                if (!url.startsWith("http://") && !url.startsWith("https://")) {
                    throw UserError.usage("--scheduler must be an http(s) URL, got " + url);
                }
                key = ctx.credentials();
                if (bond != null) stake = bondUpTo(ctx, url, key, bond);
            }
            WorkerConfig config = WorkerConfig.of(url, key).withCacheDir(cache == null ? null : cache.toAbsolutePath());
            if (slots != null) config = config.withSlots(slots);
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
            return Foreground.run("worker", agent, options, out);
        }

        /** Tops the worker's bond in the scheduler's pool up to {@code target}, saying what it did. */
        private static PoolStake bondUpTo(Context ctx, String url, Credentials key, BigInteger target) {
            if (!ctx.hasProtocol()) {
                throw UserError.usage("--bond needs the chain: pass --rpc URL or `gridchain config set rpc URL`");
            }
            String pool;
            try {
                // the scheduler names its pool at registration; the agent registers again when it starts
                pool = new SchedulerClient(url, key).register(new WorkerApi.RegisterRequest(1,
                        SchedulerClient.AGENT)).workerpool();
            } catch (RuntimeException e) {
                throw new UserError("cannot reach the scheduler at " + url + " to learn its pool: " + e.getMessage(),
                        UserError.UNREACHABLE);
            }
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
