package io.gridchain.cli.service;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
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
            "and commits and reveals their results. Its free balance in the hub is its stake."},
        subcommands = {WorkerCommand.Start.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain account deposit 1000", "  gridchain worker start --scheduler http://127.0.0.1:8082"})
public final class WorkerCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start a worker with the wallet's key, joined to the scheduler at URL (default:",
                "the profile's scheduler); run until Ctrl-C. Deposit a stake first (`gridchain",
                "account deposit`): the scheduler gives tasks only to workers whose free",
                "balance covers the stake."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain worker start --scheduler http://127.0.0.1:8082",
                "  gridchain worker start --wallet worker.json --password-file pw --slots 2"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--scheduler", paramLabel = "URL", description = "The scheduler to join (default: the profile's).")
        String scheduler;

        @Option(names = "--slots", paramLabel = "N", description = "Tasks run at once (default: one per CPU).")
        Integer slots;

        @Option(names = "--cache", paramLabel = "DIR", description = "Where apps and inputs are cached (default: ~/.gridchain/worker).")
        Path cache;

        @Override
        public Integer call() throws Exception {
            if (slots != null && slots < 1) throw UserError.usage("--slots must be at least 1");
            Credentials key;
            String url;
            BigInteger free = null;
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
                if (ctx.hasProtocol()) free = ctx.reader().balanceOf(key.getAddress()).free();
            }
            WorkerConfig config = WorkerConfig.of(url, key).withCacheDir(cache == null ? null : cache.toAbsolutePath());
            if (slots != null) config = config.withSlots(slots);
            WorkerAgent agent = new WorkerAgent(config).start();
            if (free != null && free.signum() == 0) {
                System.err.println("note: worker " + key.getAddress() + " has 0 free tokens in the hub, so no stake: "
                        + "`gridchain account deposit N` with this wallet");
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("worker", agent.address());
            out.put("scheduler", url);
            out.put("slots", config.slots());
            if (free != null) out.put("stake", free.toString());
            return Foreground.run("worker", agent, options, out);
        }
    }
}
