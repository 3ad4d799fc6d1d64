package io.gridchain.market.metrics;

import io.gridchain.market.MarketHttpApi;
import io.gridchain.market.OrderBook;
import io.gridchain.protocol.http.HttpMetrics;
import io.gridchain.protocol.orders.Order;
import io.javalin.Javalin;
import io.javalin.http.Context;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.Map;

/**
 * The order book's figures for Prometheus (docs/OPERATIONS.md lists them): live orders by kind, counted when
 * scraped; publications accepted and rejected; how far behind the chain the book follows; and requests by route.
 */
public final class MarketMetrics {
    public static final String PREFIX = "gridchain.market";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final OrderBook book;
    private volatile Map<Order.Kind, Long> byKind = Map.of();

    public MarketMetrics(OrderBook book) {
        this.book = book;
        for (Order.Kind k : Order.Kind.values()) {
            Gauge.builder(PREFIX + ".orders", () -> byKind.getOrDefault(k, 0L)).tag("kind", k.label())
                    .description("Live orders in the book, by kind").register(registry);
        }
        Gauge.builder(PREFIX + ".chain.lag", () -> Math.max(0, System.currentTimeMillis() / 1000.0 - book.chainTime()))
                .baseUnit("seconds").description("Seconds between the chain time the book last followed and now")
                .register(registry);
    }

    /** Serves {@code GET /metrics} on {@code app} and counts its requests and publications. */
    public void install(Javalin app) {
        HttpMetrics.install(app, registry, PREFIX, this::scrape);
        app.after(MarketHttpApi.ORDERS, this::publication);
    }

    private void publication(Context ctx) {
        if (!"POST".equals(ctx.method().name())) return;
        int status = ctx.statusCode();
        String outcome = status / 100 == 2 ? "accepted" : "rejected";
        Counter.builder(PREFIX + ".publications").tag("outcome", outcome).tag("status", Integer.toString(status))
                .description("Order publications, accepted (new or already known) or rejected, by HTTP status")
                .register(registry).increment();
    }

    /** Counts the book's orders, then renders every figure as Prometheus text. */
    public synchronized String scrape() {
        byKind = book.countByKind();
        return registry.scrape();
    }
}
