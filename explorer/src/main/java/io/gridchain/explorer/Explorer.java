package io.gridchain.explorer;

import io.gridchain.explorer.index.EventIndex;
import io.gridchain.explorer.index.HubEvent;
import io.gridchain.explorer.store.IndexStore;
import io.gridchain.explorer.views.Views;
import io.gridchain.protocol.Protocol;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * The explorer service: the index follows the chain on a thread of its own, and the JSON API serves what it holds
 * (docs/API.md, explorer). Public data only: nothing here knows a task's logs or a sealed result.
 */
public final class Explorer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Explorer.class);

    /** How it starts: the chain, the protocol's addresses, where the index lives, the HTTP socket, confirmations. */
    public record Config(String rpcUrl, Protocol.Addresses addresses, Path data, String bind, int port,
            int confirmations, long pollMillis) {
        public static Config of(String rpcUrl, Protocol.Addresses addresses, Path data) {
            return new Config(rpcUrl, addresses, data, "127.0.0.1", 0, 0, 200);
        }

        public Config withPort(String bindHost, int value) {
            return new Config(rpcUrl, addresses, data, bindHost, value, confirmations, pollMillis);
        }

        public Config withConfirmations(int value) {
            return new Config(rpcUrl, addresses, data, bind, port, value, pollMillis);
        }
    }

    private final Web3j web3j;
    private final IndexStore store;
    private final EventIndex index;
    private final Javalin app;
    private final Thread follower;
    private volatile boolean running = true;

    private Explorer(Config config) {
        web3j = Web3j.build(new HttpService(config.rpcUrl()));
        store = new IndexStore(config.data().resolve("index.db"));
        index = new EventIndex(web3j, config.addresses(), store, config.confirmations());
        follower = new Thread(() -> follow(config.pollMillis()), "gridchain-explorer-index");
        follower.setDaemon(true);
        app = Javalin.create(c -> c.showJavalinBanner = false);
        app.get("/api/network", ctx -> ctx.json(Views.network(store.cursor() - 1, store.totals())));
        app.get("/api/deal/{id}", ctx -> {
            String id = ctx.pathParam("id").toLowerCase(Locale.ROOT);
            if (Views.classify(id) != Views.Query.ID) throw new NotFound("not a deal id: " + ctx.pathParam("id"));
            ctx.json(Views.deal(id, store.about(id)).orElseThrow(() -> new NotFound("no deal " + id
                    + " in the index (not made yet, or not confirmed yet)")));
        });
        app.get("/api/search", ctx -> ctx.json(search(ctx.queryParam("q"))));
        app.exception(NotFound.class, (e, ctx) -> ctx.status(404).json(Map.of("error", e.getMessage())));
        app.exception(Exception.class, (e, ctx) -> ctx.status(500).json(Map.of("error", "explorer error: "
                + String.valueOf(e.getMessage()).lines().findFirst().orElse(""))));
        app.start(config.bind(), config.port());
    }

    /** Starts the index and the HTTP API. */
    public static Explorer start(Config config) {
        Explorer e = new Explorer(config);
        e.follower.start();
        return e;
    }

    /** A search: the page a deal id, task id or address names. */
    Map<String, String> search(String q) {
        String s = q == null ? "" : q.strip().toLowerCase(Locale.ROOT);
        switch (Views.classify(s)) {
            case ID -> {
                for (HubEvent e : store.about(s)) {
                    if (e.kind() == HubEvent.Kind.DEAL_CREATED && e.subject().equals(s)) {
                        return Map.of("kind", "deal", "url", "/deal/" + s);
                    }
                }
                return Map.of("kind", "task", "url", "/task/" + s);
            }
            case ADDRESS -> {
                for (HubEvent e : store.about(s)) {
                    if (e.subject().equals(s)) {
                        String kind = switch (e.kind()) {
                            case WORKERPOOL_CREATED -> "pool";
                            case APP_CREATED -> "app";
                            case DATASET_CREATED -> "dataset";
                            default -> "account";
                        };
                        return Map.of("kind", kind, "url", "/" + kind + "/" + s);
                    }
                }
                return Map.of("kind", "account", "url", "/account/" + s);
            }
            default -> throw new NotFound("search for a deal id, a task id (0x and 64 hex digits) or an address (0x"
                    + " and 40), not " + (q == null ? "nothing" : "'" + q.strip() + "'"));
        }
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

    static final class NotFound extends RuntimeException {
        NotFound(String message) {
            super(message);
        }
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
        web3j.shutdown();
    }
}
