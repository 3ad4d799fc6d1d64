package io.gridchain.cli.provider;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.market.ChainView;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.abi.Words;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain pool create|show}: register a workerpool on-chain, or show its standing. */
@Command(
        name = "pool",
        mixinStandardHelpOptions = true,
        description = {"Create workerpools and show their standing.",
            "",
            "The wallet that owns a pool is its scheduler: it signs the pool's orders."},
        subcommands = {PoolCommand.Create.class, PoolCommand.Show.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain pool create --description \"my 3 workers\"", "  gridchain pool show 0xPOOL"})
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

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Show a workerpool's standing on-chain: its owner, the owner's bond in its own",
                "pool, whether the owner asked for that bond back (leaving: the hub then refuses",
                "the pool's deals) and the owner's reputation (+1 per certified priced task, -10",
                "per refunded one). `gridchain run` chooses only pools meeting your minimums of",
                "these (docs/SECURITY.md). The description is the owner's own words.",
                "Needs no wallet."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain pool show 0xPOOL", "  gridchain pool show 0xPOOL --json"})
    public static final class Show implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool's address.")
        String pool;

        @Override
        public Integer call() {
            String address;
            try {
                address = Words.canonical(pool);
            } catch (IllegalArgumentException e) {
                throw UserError.usage("POOL must be an address (0x and 40 hex digits), got " + pool);
            }
            try (Context ctx = options.context()) {
                ChainView chain = new ChainView(ctx.protocol());
                ChainView.PoolStanding s = chain.poolStanding(address);
                if (!s.registered()) {
                    throw UserError.failure("workerpool " + address + " is not registered on this chain: check the "
                            + "address and the profile");
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("workerpool", address);
                out.put("description", chain.workerpoolDescription(address));
                out.put("owner", s.owner());
                out.put("bond", s.bond().toString());
                out.put("leaving", s.leaving());
                out.put("reputation", s.reputation());
                Provider.print(options, out);
                return 0;
            }
        }
    }
}
