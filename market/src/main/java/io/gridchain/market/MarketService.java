package io.gridchain.market;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The order book plus the loop that keeps it in step with the chain every {@code pollMillis}. */
public final class MarketService implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(MarketService.class);

    private final OrderBook book;
    private final OrderStore store;
    private final ScheduledExecutorService loop;
    private volatile String lastError;

    public MarketService(ChainView chain, OrderStore store, long pollMillis, int maxOrdersPerSigner) {
        this(chain, store, pollMillis, maxOrdersPerSigner, 0);
    }

    /** Matches and cancellations are applied to the book once {@code confirmations} blocks follow theirs. */
    public MarketService(ChainView chain, OrderStore store, long pollMillis, int maxOrdersPerSigner,
            int confirmations) {
        this.store = store;
        this.book = new OrderBook(chain, store, maxOrdersPerSigner, confirmations);
        this.loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "gridchain-market-follow");
            t.setDaemon(true);
            return t;
        });
        loop.scheduleWithFixedDelay(this::followOnce, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
    }

    private void followOnce() {
        try {
            book.follow();
            if (lastError != null) log.info("following the chain again");
            lastError = null;
        } catch (RuntimeException e) {
            String m = String.valueOf(e.getMessage());
            if (!m.equals(lastError)) log.warn("cannot follow the chain (will retry): {}", m);
            lastError = m;
        }
    }

    public OrderBook book() {
        return book;
    }

    /** The last error met while following the chain, or null when all is well. */
    public String lastError() {
        return lastError;
    }

    @Override
    public void close() {
        loop.shutdownNow();
        try {
            loop.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }
}
