package io.gridchain.worker.metrics;

import com.sun.net.httpserver.HttpServer;
import io.gridchain.protocol.http.HttpMetrics;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Runtime;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * The worker's figures for Prometheus (docs/OPERATIONS.md lists them): app run times in the sandbox by outcome,
 * replicates committed, revealed and failed, and slots busy. Served on {@code GET /metrics} of a port of its own
 * ({@link #serve}), off unless asked for: a worker otherwise listens on nothing.
 */
public final class WorkerMetrics implements AutoCloseable {
    public static final String PREFIX = "gridchain.worker";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private HttpServer server;
    /** Micrometer holds a function counter's object weakly: these keep the counters' sources alive. */
    private final List<LongSupplier> sources;

    /** Counts the worker's work from its own counters, read when scraped. */
    public WorkerMetrics(int slots, IntSupplier busy, LongSupplier commits, LongSupplier reveals, LongSupplier failures) {
        this.sources = List.of(commits, reveals, failures);
        Gauge.builder(PREFIX + ".slots", () -> slots).description("Tasks this worker runs at once").register(registry);
        Gauge.builder(PREFIX + ".slots.busy", busy::getAsInt).description("Slots holding a replicate")
                .register(registry);
        FunctionCounter.builder(PREFIX + ".commits", commits, LongSupplier::getAsLong)
                .description("Results committed to the scheduler").register(registry);
        FunctionCounter.builder(PREFIX + ".reveals", reveals, LongSupplier::getAsLong)
                .description("Results revealed after a consensus").register(registry);
        FunctionCounter.builder(PREFIX + ".failures", failures, LongSupplier::getAsLong)
                .description("Replicates reported failed to the scheduler").register(registry);
    }

    /** {@code runtime} with each run timed, tagged by outcome (ok, or the sandbox's failure cause). */
    public Runtime timed(Runtime runtime) {
        return request -> {
            long start = System.nanoTime();
            ExecutionResult result = null;
            try {
                result = runtime.run(request);
                return result;
            } finally {
                String outcome = result == null ? "error" : result.succeeded() ? "ok"
                        : result.failure().cause().name().toLowerCase();
                Timer.builder(PREFIX + ".app.run").tag("outcome", outcome)
                        .description("Time an app ran in the sandbox, by outcome").register(registry)
                        .record(System.nanoTime() - start, java.util.concurrent.TimeUnit.NANOSECONDS);
            }
        };
    }

    /** Serves {@code GET /metrics} on {@code host:port} (0: a free port); returns the port. */
    public synchronized int serve(String host, int port) {
        if (server != null) throw new IllegalStateException("metrics are already served");
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serve metrics on " + host + ":" + port + ": " + e.getMessage(), e);
        }
        server.createContext(HttpMetrics.PATH, exchange -> {
            try (exchange) {
                if (!"GET".equals(exchange.getRequestMethod())) {
                    exchange.sendResponseHeaders(405, -1);
                    return;
                }
                byte[] body = registry.scrape().getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", HttpMetrics.CONTENT_TYPE);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        });
        server.start();
        return server.getAddress().getPort();
    }

    /** The figures as Prometheus text. */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public synchronized void close() {
        if (server != null) server.stop(0);
        server = null;
    }
}
