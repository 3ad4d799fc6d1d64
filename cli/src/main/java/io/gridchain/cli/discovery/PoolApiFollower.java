package io.gridchain.cli.discovery;

import io.gridchain.worker.SchedulerClient;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Keeps a worker that was given only its pool on the scheduler the pool publishes: when the owner publishes
 * another URL (the scheduler moved to another host), the worker moves there, once that scheduler says it serves
 * the same pool.
 */
public final class PoolApiFollower implements AutoCloseable {
    private final String pool;
    private final Supplier<Optional<String>> published;
    private final SchedulerClient client;
    private final PrintStream err;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gridchain-pool-api");
        t.setDaemon(true);
        return t;
    });

    /** Reads {@code published} (the pool's URL on-chain) every {@code period}. */
    public PoolApiFollower(String pool, Supplier<Optional<String>> published, SchedulerClient client, Duration period,
            PrintStream err) {
        this.pool = pool;
        this.published = published;
        this.client = client;
        this.err = err;
        timer.scheduleWithFixedDelay(this::check, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The URL to move to: the published one when it is an http(s) URL other than {@code current}. */
    static Optional<String> moveTo(String current, Optional<String> published) {
        if (published.isEmpty()) return Optional.empty(); // withdrawn: keep the one the worker knows
        String url;
        try {
            url = SchedulerLocator.httpUrl("url", published.get());
        } catch (RuntimeException e) {
            return Optional.empty();
        }
        return url.equalsIgnoreCase(current) ? Optional.empty() : Optional.of(url);
    }

    void check() {
        try {
            Optional<String> next = moveTo(client.baseUrl(), published.get());
            if (next.isEmpty()) return;
            Optional<String> served = SchedulerLocator.servedPool(next.get());
            if (served.isPresent() && !served.get().equalsIgnoreCase(pool)) {
                err.println("[worker] pool " + pool + " now publishes " + next.get() + ", which serves pool "
                        + served.get() + ": staying at " + client.baseUrl());
                return;
            }
            err.println("[worker] pool " + pool + " now publishes its scheduler at " + next.get() + ": moving there");
            client.moveTo(next.get());
        } catch (java.io.IOException | RuntimeException e) {
            // the chain or the new scheduler does not answer now: asked again next period
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
