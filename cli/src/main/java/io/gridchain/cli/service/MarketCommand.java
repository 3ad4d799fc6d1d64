package io.gridchain.cli.service;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.market.Market;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.http.HttpMetrics;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.net.ssl.SSLContext;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gridchain market start}: the order book as a long-running service. */
@Command(
        name = "market",
        mixinStandardHelpOptions = true,
        description = {"Run the order book.",
            "The HTTP API where signed orders are published and queried (docs/API.md). It follows",
            "the chain, so filled and cancelled orders disappear."},
        subcommands = {MarketCommand.Start.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain market start --port 8081",
            "  gridchain config set market http://127.0.0.1:8081"})
public final class MarketCommand extends GroupCommand {

    @Command(
            name = "start",
            mixinStandardHelpOptions = true,
            description = {"Start the order book for the profile's chain and contracts; print its URL and",
                "run until Ctrl-C. The book is kept in DIR/market.db, so it survives restarts.",
                "Needs no wallet."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain market start --port 8081",
                "  gridchain market start --profile sepolia --bind 0.0.0.0 --port 8081",
                "  gridchain market start --port 8081 --confirmations 12",
                "  gridchain market start --port 8443 --tls-cert server.pem --tls-key server.key --data ./book"})
    public static final class Start implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--data", paramLabel = "DIR", description = "Where the book is kept (default: <config dir>/market).")
        Path data;

        @Mixin Listen listen;

        @Mixin Confirmations confirmations;

        @Mixin ServeTls tls;

        @Override
        public Integer call() throws Exception {
            int port = listen.port();
            SSLContext serverTls = tls.context();
            Protocol.Addresses addresses;
            String rpc;
            Path dir;
            int confirmed;
            try (Context ctx = options.context()) {
                addresses = ctx.protocol().addresses();
                rpc = ctx.chain().rpcUrl();
                confirmed = confirmations.resolve(ctx);
                dir = data != null ? data.toAbsolutePath() : ctx.settings().dataDir().resolve("market");
            }
            Market market;
            try {
                market = Market.start(Market.Config.of(rpc, addresses).withData(dir).withHost(listen.host())
                        .withPort(port).withConfirmations(confirmed), serverTls);
            } catch (ChainBinding.MismatchException e) {
                throw UserError.failure(e.getMessage()); // already says what to do
            } catch (RuntimeException e) {
                throw listen.cannotStart("order book", e);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("market", market.url());
            out.put("book", dir.resolve(Market.BOOK_FILE).toString());
            out.put("rpc", rpc);
            out.put("hub", addresses.hub());
            out.put("confirmations", confirmed);
            out.put("metrics", market.url() + HttpMetrics.PATH);
            return Foreground.run("market", market, options, out);
        }
    }
}
