package io.gridchain.cli.provider;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.protocol.GridClient;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gridchain pool create}: register a workerpool on-chain. */
@Command(
        name = "pool",
        mixinStandardHelpOptions = true,
        description = {"Create workerpools.",
            "",
            "The wallet that owns a pool is its scheduler: it signs the pool's orders."},
        subcommands = {PoolCommand.Create.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain pool create --description \"my 3 workers\""})
public final class PoolCommand extends GroupCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Register a workerpool owned by the wallet; print its address.",
                "",
                "The pool gets the default policy: workers stake 30 %% of the pool price",
                "per contribution, the scheduler keeps 1 %%."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool create", "  gridchain pool create --description \"gpu-less pool\" --json"})
    public static final class Create implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--description", paramLabel = "D", description = "Free text (default: \"workerpool of <address>\").")
        String description;

        @Override
        public Integer call() {
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                String text = description != null ? description : "workerpool of " + me.address();
                String pool = me.createWorkerpool(text);
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("workerpool", pool);
                out.put("description", text);
                out.put("owner", me.address());
                Provider.print(options, out);
                return 0;
            }
        }
    }
}
