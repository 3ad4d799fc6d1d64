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
            "Web pages (network, deals, tasks, pools, apps, datasets, accounts, the order book) and their",
            "JSON twins, from an index of the hub's events kept in SQLite and followed with the chain's",
            "confirmations and reorganisations (docs/API.md, explorer)."},
        subcommands = {ExplorerCommand.Start.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain explorer start --port 8090   # then open http://127.0.0.1:8090/",
            "  curl http://127.0.0.1:8090/api/network"})
public final class ExplorerCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start the explorer for the profile's chain and contracts; print its URL and run",
                "until Ctrl-C. The index is kept in DIR/index.db and resumes after a restart. Needs no wallet."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain explorer start --port 8090",
                "  gridchain explorer start --profile sepolia --confirmations 12 --from-block 7012345 --data ./explorer",
                "  gridchain explorer start --market http://127.0.0.1:8070 --pools-on-private-network"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--data", paramLabel = "DIR", description = "Where the index is kept (default: <config dir>/explorer).")
        Path data;

        @Mixin Listen listen;

        @Mixin Confirmations confirmations;

        @Option(names = "--market", paramLabel = "URL",
                description = "The order book the order pages read (default: the profile's market; none: no order pages).")
        String market;

        @Option(names = "--from-block", paramLabel = "N", defaultValue = "0",
                description = "The first block to index: the hub's deployment block on a long chain (default: 0).")
        long fromBlock;

        @Option(names = "--pools-on-private-network",
                description = {"Also read pools whose published API URL is a private address (loopback, LAN).",
                    "Off by default: a pool's URL is a stranger's word, and the explorer must not be",
                    "aimed at its own operator's network. Turn it on for a devnet or a private network."})
        boolean poolsOnPrivateNetwork;

        @Override
        public Integer call() throws Exception {
            int port = listen.port();
            Protocol.Addresses addresses;
            String rpc;
            Path dir;
            int confirmed;
            String book;
            try (Context ctx = options.context()) {
                book = market != null ? market.replaceAll("/+$", "") : ctx.settings().marketUrl();
                addresses = ctx.protocol().addresses();
                rpc = ctx.chain().rpcUrl();
                confirmed = confirmations.resolve(ctx);
                dir = data != null ? data.toAbsolutePath() : ctx.settings().dataDir().resolve("explorer");
            }
            Explorer explorer;
            try {
                explorer = Explorer.start(Explorer.Config.of(rpc, addresses, dir).withPort(listen.host(), port)
                        .withConfirmations(confirmed).withMarket(book).withPoolsOnPrivateNetwork(poolsOnPrivateNetwork)
                        .withFromBlock(fromBlock));
            } catch (RuntimeException e) {
                throw listen.cannotStart("explorer", e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("explorer", explorer.url());
            out.put("index", dir.resolve("index.db").toString());
            out.put("rpc", rpc);
            out.put("hub", addresses.hub());
            out.put("confirmations", confirmed);
            out.put("market", book == null ? "(none: the order pages say so)" : book);
            return Foreground.run("explorer", explorer, options, out);
        }
    }
}
