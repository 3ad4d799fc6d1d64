package io.gridchain.explorer;

import io.gridchain.explorer.chain.ChainReads;
import io.gridchain.explorer.index.EventIndex;
import io.gridchain.explorer.remote.Fetch;
import io.gridchain.explorer.remote.OrderBook;
import io.gridchain.explorer.remote.PoolApi;
import io.gridchain.explorer.store.IndexStore;
import io.gridchain.explorer.web.PageData;
import io.gridchain.explorer.web.Routes;
import io.gridchain.protocol.Protocol;
import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.gridchain.protocol.chain.BlockHashes;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The explorer service: the index follows the chain on a thread of its own, and the pages and their JSON twins serve
 * what it holds, with what the chain, the pools' schedulers and the order book say now (docs/API.md §4). Public data
 * only: nothing here knows a task's logs or can open a sealed result.
 */
public final class Explorer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Explorer.class);

    /**
     * How it starts: the chain, the protocol's addresses, where the index lives, the HTTP socket, confirmations, the
     * order book's URL (null: none), whether pools' APIs on private addresses may be read (a devnet), and the first
     * block to read (the hub's deployment: a long chain's earlier blocks hold nothing of it).
     */
    public record Config(String rpcUrl, Protocol.Addresses addresses, Path data, String bind, int port,
            int confirmations, long pollMillis, String marketUrl, boolean poolsOnPrivateNetwork, long fromBlock) {
        public static Config of(String rpcUrl, Protocol.Addresses addresses, Path data) {
            return new Config(rpcUrl, addresses, data, "127.0.0.1", 0, 0, 200, null, false, 0);
        }

        public Config withPort(String bindHost, int value) {
            return new Config(rpcUrl, addresses, data, bindHost, value, confirmations, pollMillis, marketUrl,
                    poolsOnPrivateNetwork, fromBlock);
        }

        public Config withConfirmations(int value) {
            return new Config(rpcUrl, addresses, data, bind, port, value, pollMillis, marketUrl, poolsOnPrivateNetwork,
                    fromBlock);
        }

        public Config withMarket(String url) {
            return new Config(rpcUrl, addresses, data, bind, port, confirmations, pollMillis, url, poolsOnPrivateNetwork,
                    fromBlock);
        }

        public Config withPoolsOnPrivateNetwork(boolean value) {
            return new Config(rpcUrl, addresses, data, bind, port, confirmations, pollMillis, marketUrl, value,
                    fromBlock);
        }

        public Config withFromBlock(long block) {
            return new Config(rpcUrl, addresses, data, bind, port, confirmations, pollMillis, marketUrl,
                    poolsOnPrivateNetwork, block);
        }
    }

    private final Web3j web3j;
    private final IndexStore store;
    private final EventIndex index;
    private final ChainReads chain;
    private final Javalin app;
    private final Thread follower;
    private volatile boolean running = true;

    private Explorer(Config config) {
        web3j = Web3j.build(new HttpService(config.rpcUrl()));
        store = new IndexStore(config.data().resolve("index.db"), config.addresses().hub().toLowerCase(Locale.ROOT)
                + "@" + genesis(web3j));
        index = new EventIndex(web3j, config.addresses(), store, config.confirmations(), config.fromBlock());
        chain = new ChainReads(config.rpcUrl(), config.addresses());
        Fetch fetch = new Fetch(config.poolsOnPrivateNetwork());
        PageData data = new PageData(store, chain, new PoolApi(fetch), new OrderBook(fetch, config.marketUrl()));
        follower = new Thread(() -> follow(config.pollMillis()), "gridchain-explorer-index");
        follower.setDaemon(true);
        app = Javalin.create(c -> {
            c.showJavalinBanner = false;
            c.staticFiles.add(s -> {
                s.hostedPath = "/static";
                s.directory = "/static";
                s.location = Location.CLASSPATH;
            });
        });
        new Routes(data).install(app);
        app.start(config.bind(), config.port());
    }

    /** The chain's first block, or its id where a node serves no block 0: what tells one chain from another. */
    private static String genesis(Web3j web3j) {
        String hash = BlockHashes.hashAt(web3j, 0);
        if (hash != null) return hash;
        try {
            return "chain " + web3j.ethChainId().send().getChainId();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot reach the chain: " + e.getMessage(), e);
        }
    }

    /** Starts the index and the HTTP server. */
    public static Explorer start(Config config) {
        Explorer e = new Explorer(config);
        e.follower.start();
        return e;
    }

    private void follow(long pollMillis) {
        while (running) {
            try {
                if (!index.step()) Thread.sleep(pollMillis);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("explorer index: {}", e.getMessage());
                try {
                    Thread.sleep(Math.max(pollMillis, 1_000));
                } catch (InterruptedException ie) {
                    return;
                }
            }
        }
    }

    /** The index's next block: tests and the CLI wait on it. */
    public long cursor() {
        return store.cursor();
    }

    public String url() {
        return "http://127.0.0.1:" + app.port();
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        running = false;
        follower.interrupt();
        try {
            follower.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        app.stop();
        store.close();
        chain.close();
        web3j.shutdown();
    }
}
