package io.gridchain.explorer.views;

import io.gridchain.explorer.index.HubEvent.Kind;
import io.gridchain.explorer.store.IndexQueries;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The network page: live counts, gas, who was active in the last day, certified tasks over time, the latest deals.
 *
 * @param block             the last block the index read
 * @param tasksCertified    tasks of {@code BatchFinalized} and {@code TaskFinalized} events
 * @param tasksRefunded     tasks of {@code TaskClaimed} events
 * @param gasSpent          gas of every transaction that emitted an indexed event
 * @param certifiedOverTime cumulative certified tasks, at most {@link #POINTS} points
 */
public record NetworkPage(long block, long deals, long tasksRequested, long tasksCertified, long tasksRefunded,
        long workerpools, long apps, long datasets, long gasSpent, long activePools, long activeWorkers,
        List<Point> certifiedOverTime, List<DealLine> latestDeals) {
    /** The chart's resolution: enough to see a trend, few enough to send on every refresh. */
    public static final int POINTS = 120;
    /** "Active" means seen in the last day of chain time. */
    public static final long ACTIVE_WINDOW_SECONDS = 24 * 3600;

    /** A point of the chart: chain time (seconds) and the certified tasks up to it. */
    public record Point(long time, long certified) {}

    public static NetworkPage of(long block, Map<Kind, long[]> totals, long gasSpent, IndexQueries.Activity active,
            Map<Long, Long> certifiedByTime, List<DealLine> latestDeals) {
        return new NetworkPage(block, totals.get(Kind.DEAL_CREATED)[0], totals.get(Kind.DEAL_CREATED)[1],
                totals.get(Kind.BATCH_FINALIZED)[1] + totals.get(Kind.TASK_FINALIZED)[0],
                totals.get(Kind.TASK_CLAIMED)[0], totals.get(Kind.WORKERPOOL_CREATED)[0],
                totals.get(Kind.APP_CREATED)[0], totals.get(Kind.DATASET_CREATED)[0], gasSpent, active.pools(),
                active.workers(), cumulative(certifiedByTime, POINTS), latestDeals);
    }

    /**
     * The running total of {@code byTime} (time order), down-sampled to at most {@code max} points by keeping the last
     * point of each equal slice of time, so the curve ends at the true total.
     */
    public static List<Point> cumulative(Map<Long, Long> byTime, int max) {
        List<Point> all = new ArrayList<>();
        long total = 0;
        for (var e : byTime.entrySet()) {
            total += e.getValue();
            all.add(new Point(e.getKey(), total));
        }
        if (all.size() <= max) return all;
        long first = all.get(0).time();
        long span = Math.max(1, all.get(all.size() - 1).time() - first);
        List<Point> out = new ArrayList<>();
        long slice = -1;
        for (Point p : all) {
            long s = Math.min(max - 1, (p.time() - first) * max / span);
            if (s == slice) out.set(out.size() - 1, p);
            else out.add(p);
            slice = s;
        }
        return out;
    }
}
