package io.gridchain.market;

import io.gridchain.market.metrics.MarketMetrics;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.chain.BoundState;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.chain.ChainClient;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
     * @param freshOnMismatch whether a book saved on another chain may be discarded (a devnet): the book then
     *     starts empty instead of refusing to start
     * @param confirmations blocks that must follow a match or a cancellation before the book applies it
     */
    public record Config(String rpcUrl, Protocol.Addresses addresses, Path dataDir, String host, int port,
            long pollMillis, int maxOrdersPerSigner, boolean freshOnMismatch, int confirmations) {
        public static final int DEFAULT_MAX_ORDERS_PER_SIGNER = 1000;

        /** A config that refuses a book of another chain and applies what the chain says at once. */
        public Config(String rpcUrl, Protocol.Addresses addresses, Path dataDir, String host, int port,
                long pollMillis, int maxOrdersPerSigner) {
            this(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, false, 0);
        }

        public static Config of(String rpcUrl, Protocol.Addresses addresses) {
            return new Config(rpcUrl, addresses, null, "127.0.0.1", 0, 200, DEFAULT_MAX_ORDERS_PER_SIGNER);
        }

        public Config withData(Path dir) {
            return new Config(rpcUrl, addresses, dir, host, port, pollMillis, maxOrdersPerSigner, freshOnMismatch,
                    confirmations);
        }

        public Config withPort(int port) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, freshOnMismatch,
                    confirmations);
        }

        public Config withHost(String host) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, freshOnMismatch,
                    confirmations);
        }

        public Config withPollMillis(long millis) {
            return new Config(rpcUrl, addresses, dataDir, host, port, millis, maxOrdersPerSigner, freshOnMismatch,
                    confirmations);
        }

        public Config withFreshOnMismatch(boolean value) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, value,
                    confirmations);
        }

        public Config withConfirmations(int value) {
            if (value < 0) throw new IllegalArgumentException("confirmations must be 0 or more");
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, maxOrdersPerSigner, freshOnMismatch,
                    value);
        }

        public Config withMaxOrdersPerSigner(int value) {
            return new Config(rpcUrl, addresses, dataDir, host, port, pollMillis, value, freshOnMismatch,
                    confirmations);
        }
    }

    private static final Logger log = LoggerFactory.getLogger(Market.class);

    private final ChainClient chain;
    private final MarketService service;
    private final MarketHttpApi api;
    private final String host;
    private final boolean https;

    private Market(ChainClient chain, MarketService service, MarketHttpApi api, String host, boolean https) {
        this.chain = chain;
        this.service = service;
        this.api = api;
        this.host = host;
        this.https = https;
    }

    public static Market start(Config config) {
        return start(config, null);
    }

    /**
     * Starts a book whose API serves HTTPS only with {@code tls} ({@link io.gridchain.protocol.http.Tls
     * #serverContext}), or plain HTTP when it is null. Its figures are on {@code GET /metrics} either way.
     */
    public static Market start(Config config, SSLContext tls) {
        ChainClient chain = ChainClient.connect(config.rpcUrl());
        MarketService service = null;
        OrderStore store = null;
        try {
            Protocol protocol = Protocol.at(chain, config.addresses());
            ChainBinding node = ChainBinding.read(chain, config.addresses().hub());
            Path file = config.dataDir() == null ? null : config.dataDir().toAbsolutePath().resolve(BOOK_FILE);
            store = OrderStore.open(file);
            BoundState.Outcome bound = BoundState.ensure(store, node, config.freshOnMismatch(),
                    "the order book in " + (file == null ? "memory" : file), config.rpcUrl(),
                    "start with another --data directory, or delete " + file + " to start over");
            if (bound.action() == BoundState.Action.WIPE_AND_BIND) log.warn("{}", bound.describe());
            else log.info("{}", bound.describe());
            service = new MarketService(new ChainView(protocol), store, config.pollMillis(),
                    config.maxOrdersPerSigner(), config.confirmations());
            MarketMetrics metrics = new MarketMetrics(service.book());
            Path blobDir = config.dataDir() == null ? tempBlobs() : config.dataDir().toAbsolutePath().resolve("blobs");
            MarketHttpApi api = new MarketHttpApi(service, config.host(), config.port(), tls, metrics::install,
                    new Blobs(blobDir));
            return new Market(chain, service, api, config.host(), tls != null);
        } catch (RuntimeException e) {
            if (service != null) service.close();
            else if (store != null) store.close();
            chain.close();
            throw e;
        }
    }

    /** Base URL, e.g. {@code http://127.0.0.1:41234} ({@code https://} with TLS). */
    public String url() {
        return (https ? "https://" : "http://") + host + ":" + api.port();
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

    /** An in-memory book still serves blobs: from a directory of its own, gone with the process. */
    private static Path tempBlobs() {
        try {
            Path dir = java.nio.file.Files.createTempDirectory("gridchain-blobs");
            dir.toFile().deleteOnExit();
            return dir;
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot create a blob directory", e);
        }
    }
}
