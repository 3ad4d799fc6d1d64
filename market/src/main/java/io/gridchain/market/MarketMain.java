package io.gridchain.market;

import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

/**
 * Runs the order book: {@code java -cp ... io.gridchain.market.MarketMain rpc=URL hub=0x.. token=0x..
 * apps=0x.. datasets=0x.. workerpools=0x.. [data=DIR] [host=127.0.0.1] [port=0] [poll=200]}.
 * Prints {@code listening URL} once serving, then runs until killed.
 */
public final class MarketMain {
    private static final List<String> KEYS = List.of("rpc", "hub", "token", "apps", "datasets", "workerpools", "data",
            "host", "port", "poll", "maxOrdersPerSigner", "confirmations");

    public static void main(String[] args) throws InterruptedException {
        Map<String, String> a = new HashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            String key = eq < 0 ? arg : arg.substring(0, eq);
            if (eq < 0 || !KEYS.contains(key)) fail("unknown argument '" + arg + "': expected key=value with key in " + KEYS);
            a.put(key, arg.substring(eq + 1));
        }
        for (String required : List.of("rpc", "hub", "token", "apps", "datasets", "workerpools")) {
            if (!a.containsKey(required)) fail("missing " + required + "=...");
        }
        Market.Config config;
        try {
            var addresses = new Protocol.Addresses(Words.canonical(a.get("token")), Words.canonical(a.get("hub")),
                    Words.canonical(a.get("apps")), Words.canonical(a.get("datasets")),
                    Words.canonical(a.get("workerpools")));
            config = new Market.Config(a.get("rpc"), addresses, a.containsKey("data") ? Path.of(a.get("data")) : null,
                    a.getOrDefault("host", "127.0.0.1"), Integer.parseInt(a.getOrDefault("port", "0")),
                    Long.parseLong(a.getOrDefault("poll", "200")), Integer.parseInt(a.getOrDefault("maxOrdersPerSigner",
                    Integer.toString(Market.Config.DEFAULT_MAX_ORDERS_PER_SIGNER))))
                    .withConfirmations(Integer.parseInt(a.getOrDefault("confirmations", "0")));
        } catch (IllegalArgumentException e) {
            fail(e.getMessage());
            return;
        }
        Market market;
        try {
            market = Market.start(config);
        } catch (RuntimeException e) {
            fail(e.getMessage());
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(market::close, "gridchain-market-stop"));
        System.out.println("listening " + market.url());
        System.out.flush();
        new CountDownLatch(1).await();
    }

    private static void fail(String message) {
        System.err.println("gridchain market: " + message);
        System.exit(2);
    }

    private MarketMain() {}
}
