package io.gridchain.protocol.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.Supplier;

/**
 * A Javalin service's requests counted by route, method and status ({@code PREFIX_http_requests_total}), and its
 * registry served as Prometheus text on {@code GET /metrics}. The route is the matched path template
 * ({@code /v1/tasks/{taskId}}), never the path itself: a client cannot grow the number of series.
 */
public final class HttpMetrics {
    public static final String PATH = "/metrics";
    /** The Prometheus text format's content type. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private HttpMetrics() {}

    /**
     * Counts {@code app}'s requests in {@code registry} as {@code prefix.http.requests} and serves {@code GET
     * /metrics} with the text {@code scrape} returns (it may refresh figures first).
     */
    public static void install(Javalin app, MeterRegistry registry, String prefix, Supplier<String> scrape) {
        app.get(PATH, ctx -> ctx.contentType(CONTENT_TYPE).result(scrape.get()));
        app.after(ctx -> count(registry, prefix, ctx));
    }

    private static void count(MeterRegistry registry, String prefix, Context ctx) {
        String route;
        try {
            route = ctx.endpointHandlerPath();
        } catch (RuntimeException e) { // no route matched
            route = null;
        }
        if (route == null || route.isEmpty() || route.equals("*")) route = "unmatched";
        int status = ctx.statusCode();
        Counter.builder(prefix + ".http.requests")
                .description("HTTP requests answered, by route template, method and status")
                .tag("route", route).tag("method", ctx.method().name()).tag("status", Integer.toString(status))
                .register(registry).increment();
    }
}
