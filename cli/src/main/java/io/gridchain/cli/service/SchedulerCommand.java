package io.gridchain.cli.service;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.market.ChainView;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.scheduler.Scheduler;
import io.gridchain.scheduler.SchedulerService;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import io.gridchain.protocol.http.HttpMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import org.web3j.crypto.Credentials;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gridchain scheduler start}: a workerpool's scheduler as a long-running service. */
@Command(
        name = "scheduler",
        mixinStandardHelpOptions = true,
        description = {"Run a workerpool's scheduler.",
            "It takes the pool's deals, hands tasks to the workers that join it, and certifies and",
            "submits their results on-chain."},
        subcommands = {SchedulerCommand.Start.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain pool create --json", "  gridchain scheduler start --pool 0xPOOL --port 8082"})
public final class SchedulerCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start the scheduler of workerpool POOL, owned by the wallet (it signs the",
                "pool's orders and pays for finalization); print the URL workers join and run",
                "until Ctrl-C. Its state and the results it stores live in DIR, so a restart",
                "resumes where it stopped."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain scheduler start --pool 0xPOOL --port 8082",
                "  gridchain scheduler start --pool 0xPOOL --wallet owner.json --data ./sched",
                "  gridchain scheduler start --pool 0xPOOL --bind 0.0.0.0 --port 8443 --tls-cert server.pem"
                        + " --tls-key server.key",
                "  gridchain scheduler start --pool 0xPOOL --db postgresql://gridchain:secret@db.example:5432/gridchain",
                "  gridchain scheduler start --pool 0xPOOL --confirmations 12",
                "  gridchain scheduler start --pool 0xPOOL --assume-saboteurs 0.2 --spot-checks 0.05"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--pool", paramLabel = "ADDRESS", required = true, description = "The workerpool to serve.")
        String pool;

        @Option(names = "--data", paramLabel = "DIR",
                description = "State (SQLite, unless --db) and results (default: <config dir>/scheduler-<pool>).")
        Path data;

        @Option(names = "--db", paramLabel = "URL", description = {"Keep the state in PostgreSQL instead of SQLite:",
            "postgresql://USER:PASSWORD@HOST:PORT/DB (results stay in --data). docs/OPERATIONS.md."})
        String db;

        @Mixin Listen listen;

        @Mixin Confirmations confirmations;

        @Mixin ServeTls tls;

        @Option(names = "--assume-saboteurs", paramLabel = "F", defaultValue = "0",
                description = {"Sabotage tolerance (docs/PROTOCOL.md): the fraction of lying workers the pool",
                    "assumes. Above 0, a result also needs Sarmenta's credibility 1 - 1/trust in the pool's",
                    "view, newcomers do not vouch for each other, and known-answer spot-checks run.",
                    "Default 0: the chain's rule alone decides. 0.2 is a reasonable start."})
        double assumedSaboteurs;

        @Option(names = "--spot-checks", paramLabel = "RATE", defaultValue = "0.05",
                description = "With --assume-saboteurs: share of claims answered with a known-answer task (default 0.05).")
        double spotCheckRate;

        @Option(names = "--audits", paramLabel = "RATE", defaultValue = "0.1",
                description = "With --assume-saboteurs: share of tasks that need two agreeing results even from workers"
                        + " trusted alone (default 0.1).")
        double auditRate;

        @Option(names = "--trusted-audits", paramLabel = "RATE", defaultValue = "0.1",
                description = "With --assume-saboteurs: share of the tasks first taken by a worker trusted alone that"
                        + " need two agreeing results (at least --audits; default 0.1).")
        double trustedAuditRate;

        @Option(names = "--hold", paramLabel = "SECONDS", defaultValue = "600",
                description = {"With --assume-saboteurs: how long a result resting on one worker waits",
                    "before its batch; if the worker is caught lying meanwhile the task runs again",
                    "(default 600; 0: no hold). About 250 task durations catch turncoats (BENCHMARKS.md)."})
        long holdSeconds;

        @Option(names = "--no-blacklist", description = "With --assume-saboteurs: keep giving work to a worker caught lying.")
        boolean noBlacklist;

        @Option(names = "--delivery-to-private", description = {"Let requesters name delivery targets (`run --deliver`)",
            "on private addresses: loopback, LAN, link-local. Off by default: a target is a stranger's",
            "choice of where this scheduler sends requests, from inside your network."})
        boolean deliveryToPrivate;

        private SchedulerService.Options schedulerOptions() {
            SchedulerService.Options base = SchedulerService.Options.DEFAULT.withDeliveryToPrivate(deliveryToPrivate);
            if (assumedSaboteurs == 0) return base;
            try {
                return base.withPolicy(new ReplicationPolicy(assumedSaboteurs,
                        spotCheckRate, auditRate, !noBlacklist, ReplicationPolicy.DEFAULT.establishedAfter(),
                        Math.max(auditRate, trustedAuditRate), Math.multiplyExact(holdSeconds, 1000L)));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw UserError.usage("--assume-saboteurs, --spot-checks, --audits and --trusted-audits must be"
                        + " fractions, --hold at least 0 seconds: " + e.getMessage());
            }
        }

        @Override
        public Integer call() throws Exception {
            int port = listen.port();
            SchedulerService.Options schedulerOptions = schedulerOptions();
            Database database = db == null ? null : Database.parse(db);
            SSLContext serverTls = tls.context();
            int confirmed;
            String workerpool;
            try {
                workerpool = Words.canonical(pool);
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--pool must be an address (0x and 40 hex digits), got " + pool);
            }
            Protocol.Addresses addresses;
            String rpc;
            Credentials key;
            Path dir;
            try (Context ctx = options.context()) {
                String me = Words.canonical(ctx.walletAddress());
                String owner = Words.canonical(new ChainView(ctx.protocol()).workerpoolOwner(workerpool));
                if (owner.equals(Words.ZERO_ADDRESS)) {
                    throw UserError.failure("workerpool " + workerpool + " is not registered on this chain: "
                            + "`gridchain pool create`, or check the address and the profile");
                }
                if (!owner.equals(me)) {
                    throw UserError.failure("workerpool " + workerpool + " is owned by " + owner + ", not by your wallet "
                            + me + ": run the scheduler with the owner's wallet (--wallet)");
                }
                key = ctx.credentials();
                if (ctx.reader().balanceOf(me).free().signum() == 0) {
                    System.err.println("note: " + me + " has 0 free tokens in the hub: deals on this pool need the"
                            + " scheduler's stake, so requesters' matches fail until `gridchain account deposit N`");
                }
                PoolStake own = ctx.reader().stakeOf(me, me);
                if (own.bond().signum() == 0 || own.leaving()) {
                    System.err.println("note: the pool serves only while its owner keeps a bond in it: matches fail"
                            + " until `gridchain account bond " + workerpool + " N`");
                }
                addresses = ctx.protocol().addresses();
                rpc = ctx.chain().rpcUrl();
                confirmed = confirmations.resolve(ctx);
                dir = data != null ? data.toAbsolutePath()
                        : ctx.settings().dataDir().resolve("scheduler-" + workerpool.substring(2, 10));
            }
            if (database != null) database.checkReachable(5_000);
            Scheduler scheduler;
            try {
                scheduler = Scheduler.start(new Scheduler.Config(rpc, addresses, key, workerpool, listen.host(), port, dir,
                        database == null ? null : database.jdbcUrl(), database == null ? null : database.user(),
                        database == null ? null : database.password(), schedulerOptions.withConfirmations(confirmed)),
                        serverTls);
            } catch (ChainBinding.MismatchException e) {
                throw UserError.failure(e.getMessage()); // already says what to do
            } catch (RuntimeException e) {
                throw listen.cannotStart("scheduler", e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("scheduler", scheduler.url());
            out.put("workerpool", workerpool);
            out.put("owner", key.getAddress());
            out.put("data", dir.toString());
            out.put("state", database == null ? dir.resolve("scheduler.db").toString()
                    : "PostgreSQL " + database.where() + " (" + database.jdbcUrl() + ")");
            out.put("metrics", scheduler.url() + HttpMetrics.PATH);
            out.put("confirmations", confirmed);
            return Foreground.run("scheduler", scheduler, options, out);
        }
    }
}
