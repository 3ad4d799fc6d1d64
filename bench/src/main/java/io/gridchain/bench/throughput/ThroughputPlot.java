package io.gridchain.bench.throughput;

import io.gridchain.bench.plot.SvgCharts;
import io.gridchain.bench.plot.SvgCharts.Axis;
import io.gridchain.bench.plot.SvgCharts.Point;
import io.gridchain.bench.plot.SvgCharts.Series;
import java.util.List;
import java.util.Locale;

/** The throughput bench's chart: the timed bag's certified tasks over time, its rate in the title. */
final class ThroughputPlot {
    private ThroughputPlot() {}

    /**
     * @param samples (seconds since the bag was requested, tasks certified then), as the bench polled them; no mark
     *     per sample (ten a second would hide the line), the line alone
     */
    static SvgCharts.Chart chart(List<Point> samples, int tasks, String app, double tasksPerSecond, int workers,
            int slots, int replicas) {
        String title = String.format(Locale.ROOT, "Certified tasks over time: %,.1f tasks/s", tasksPerSecond);
        String subtitle = String.format(Locale.ROOT, "A bag of %,d %s tasks, %d replicas each, %d workers x %d slots,"
                + " counted from the hub's logs every 100 ms from the deal's request.", tasks, app, replicas, workers,
                slots);
        return new SvgCharts.Chart(title, subtitle, new Axis("seconds since the deal was requested", false),
                new Axis("tasks certified", false), List.of(new Series("certified tasks", samples)), null, false);
    }
}
