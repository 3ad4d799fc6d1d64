package io.gridchain.cli.service;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.explorer.Explorer;
import io.gridchain.protocol.Protocol;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gridchain explorer start}: the network explorer's index and API as a long-running service. */
@Command(
        name = "explorer",
        mixinStandardHelpOptions = true,
        description = {"Run the network explorer.",
            "An index of the hub's events, kept in SQLite and followed with the chain's confirmations",
            "and reorganisations, served as JSON (docs/API.md, explorer)."},
        subcommands = {ExplorerCommand.Start.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain explorer start --port 8090",
            "  curl http://127.0.0.1:8090/api/network"})
public final class ExplorerCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start the explorer for the profile's chain and contracts; print its URL and run",
                "until Ctrl-C. The index is kept in DIR/index.db and resumes after a restart. Needs no wallet."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain explorer start --port 8090",
                "  gridchain explorer start --profile sepolia --confirmations 12 --data ./explorer"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--data", paramLabel = "DIR", description = "Where the index is kept (default: <config dir>/explorer).")
        Path data;

        @Mixin Listen listen;

        @Mixin Confirmations confirmations;

        @Override
        public Integer call() throws Exception {
            int port = listen.port();
            Protocol.Addresses addresses;
            String rpc;
            Path dir;
            int confirmed;
            try (Context ctx = options.context()) {
                addresses = ctx.protocol().addresses();
                rpc = ctx.chain().rpcUrl();
                confirmed = confirmations.resolve(ctx);
                dir = data != null ? data.toAbsolutePath() : ctx.settings().dataDir().resolve("explorer");
            }
            Explorer explorer;
            try {
                explorer = Explorer.start(Explorer.Config.of(rpc, addresses, dir).withPort(listen.host(), port)
                        .withConfirmations(confirmed));
            } catch (RuntimeException e) {
                throw listen.cannotStart("explorer", e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("explorer", explorer.url());
            out.put("index", dir.resolve("index.db").toString());
            out.put("rpc", rpc);
            out.put("hub", addresses.hub());
            out.put("confirmations", confirmed);
            return Foreground.run("explorer", explorer, options, out);
        }
    }
}
