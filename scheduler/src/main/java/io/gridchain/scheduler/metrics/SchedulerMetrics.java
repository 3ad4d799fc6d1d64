package io.gridchain.scheduler.metrics;

import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduler's figures for Prometheus (docs/OPERATIONS.md lists them). Gauges are computed only when scraped: a
 * {@link Census} counted under the scheduler's lock and one read of the chain's head, so the scheduler's loop pays
 * nothing between scrapes. Batches are recorded as their receipts land ({@link #batchLanded}).
 */
public final class SchedulerMetrics {
    private static final Logger log = LoggerFactory.getLogger(SchedulerMetrics.class);
    public static final String PREFIX = "gridchain.scheduler";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Supplier<Census> census;
    private final Supplier<ChainClient.Head> head;
    private final DistributionSummary batchTasks;
    private final DistributionSummary batchGas;
    private volatile Census last = Census.empty();
    private volatile ChainClient.Head lastHead;

    /**
     * @param census counts the scheduler's state (under its lock)
     * @param head reads the chain's latest block
     */
    public SchedulerMetrics(Supplier<Census> census, Supplier<ChainClient.Head> head) {
        this.census = census;
        this.head = head;
        Gauge.builder(PREFIX + ".workers.alive", () -> last.workersAlive())
                .description("Workers heard from within the heartbeat loss timeout").register(registry);
        Gauge.builder(PREFIX + ".worker.slots", () -> last.slotsAlive())
                .description("Slots (tasks at once) the workers alive offer").register(registry);
        for (TaskStatus s : TaskStatus.values()) {
            Gauge.builder(PREFIX + ".tasks", () -> last.tasks().getOrDefault(s, 0L)).tag("status", s.name())
                    .description("Tasks the scheduler holds in memory, by status").register(registry);
        }
        for (ReplicateStatus s : ReplicateStatus.values()) {
            Gauge.builder(PREFIX + ".replicates", () -> last.replicates().getOrDefault(s, 0L)).tag("status", s.name())
                    .description("Replicates the scheduler holds in memory, by status").register(registry);
        }
        Gauge.builder(PREFIX + ".chain.lag", this::headAgeSeconds).baseUnit("seconds")
                .description("Seconds between the chain head's timestamp and now").register(registry);
        Gauge.builder(PREFIX + ".deal.scan.lag.blocks", this::scanLagBlocks)
                .description("Blocks the deal scan is behind the chain head").register(registry);
        batchTasks = DistributionSummary.builder(PREFIX + ".batch.tasks")
                .description("Tasks per batch the chain accepted").register(registry);
        batchGas = DistributionSummary.builder(PREFIX + ".batch.gas")
                .description("Gas used per batch the chain accepted").register(registry);
    }

    /** A batch of {@code tasks} tasks landed, for {@code gasUsed} gas. */
    public void batchLanded(int tasks, long gasUsed) {
        batchTasks.record(tasks);
        batchGas.record(gasUsed);
    }

    /** The registry, for the HTTP API's request counters. */
    public PrometheusMeterRegistry registry() {
        return registry;
    }

    /** Counts the state and reads the head once, then renders every figure as Prometheus text. */
    public synchronized String scrape() {
        last = census.get();
        try {
            lastHead = head.get();
        } catch (RuntimeException e) { // the lag then shows the last head seen, growing: what an alert wants
            log.debug("metrics: chain head unreadable: {}", e.getMessage());
        }
        return registry.scrape();
    }

    private double headAgeSeconds() {
        ChainClient.Head h = lastHead;
        return h == null ? Double.NaN : Math.max(0, System.currentTimeMillis() / 1000.0 - h.timestamp());
    }

    private double scanLagBlocks() {
        ChainClient.Head h = lastHead;
        // the cursor is the next block to scan
        return h == null ? Double.NaN : Math.max(0, h.number() + 1 - last.cursor());
    }
}
