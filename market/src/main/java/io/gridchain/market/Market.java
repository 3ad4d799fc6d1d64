package io.gridchain.market;

import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.ChainClient;
import java.nio.file.Path;

/**
 * A running order book service: {@code Market.start(config)} connects to the chain, opens the book
 * (a SQLite file, or memory), starts following the chain and serves the HTTP API.
 *
 * <pre>{@code
 * try (Market m = Market.start(Market.Config.of(rpcUrl, addresses).withData(dir))) {
 *     System.out.println("listening " + m.url());
 * }
 * }</pre>
 */
public final class Market implements AutoCloseable {
    /** Book file name inside the data directory. */
    public static final String BOOK_FILE = "market.db";

    /**
     * @param dataDir directory holding {@value #BOOK_FILE}; null keeps the book in memory
     * @param port 0 picks a free port
     * @param pollMillis how often the book follows the chain
     * @param maxOrdersPerSigner live orders one signer may keep in the book
     * @param confirmations blocks that must follow a match or a cancellation before the book applies it
     */
    public record Config(String rpcUrl, Protocol.Addresses addresses, Path dataDir, String host, int port,
            long pollMillis, int maxOrdersPerSigner, int confirmations) {
        public static final int DEFAULT_MAX_ORDERS_PER_SIGNER = 1000;

        public static Config of(String rpcUrl, Protocol.Addresses addresses) {
            return new Config(rpcUrl, addresses, null, "127.0.0.1", 0, 200, DEFAULT_MAX_ORDERS_PER_SIGNER, 0);
        }

        public Config withData(Path dir) {
            return new Config(rpcUrl, addresses, dir, host, port, pollMillis, maxOrdersPerSigner, confirmations);
        }

        public Config withPort(int port) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, confirmations);
        }

        public Config withHost(String host) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, confirmations);
        }

        public Config withPollMillis(long millis) {
            return new Config(rpcUrl, addresses, dataDir, host, port, millis, maxOrdersPerSigner, confirmations);
        }

        public Config withConfirmations(int value) {
            if (value < 0) throw new IllegalArgumentException("confirmations must be 0 or more");
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, value);
        }

        public Config withMaxOrdersPerSigner(int value) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, value, confirmations);
        }
    }

    private final ChainClient chain;
    private final MarketService service;
    private final MarketHttpApi api;
    private final String host;

    private Market(ChainClient chain, MarketService service, MarketHttpApi api, String host) {
        this.chain = chain;
        this.service = service;
        this.api = api;
        this.host = host;
    }

    public static Market start(Config config) {
        ChainClient chain = ChainClient.connect(config.rpcUrl());
        MarketService service = null;
        try {
            Protocol protocol = Protocol.at(chain, config.addresses());
            OrderStore store = OrderStore.open(config.dataDir() == null ? null : config.dataDir().resolve(BOOK_FILE));
            service = new MarketService(new ChainView(protocol), store, config.pollMillis(),
                    config.maxOrdersPerSigner(), config.confirmations());
            MarketHttpApi api = new MarketHttpApi(service, config.host(), config.port());
            return new Market(chain, service, api, config.host());
        } catch (RuntimeException e) {
            if (service != null) service.close();
            chain.close();
            throw e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234}. */
    public String url() {
        return "http://" + host + ":" + api.port();
    }

    public int port() {
        return api.port();
    }

    public OrderBook book() {
        return service.book();
    }

    @Override
    public void close() {
        api.close();
        service.close();
        chain.close();
    }
}
