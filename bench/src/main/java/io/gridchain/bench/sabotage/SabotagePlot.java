package io.gridchain.bench.sabotage;

import io.gridchain.bench.plot.SvgCharts;
import io.gridchain.bench.plot.SvgCharts.Axis;
import io.gridchain.bench.plot.SvgCharts.Point;
import io.gridchain.bench.plot.SvgCharts.Reference;
import io.gridchain.bench.plot.SvgCharts.Series;
import io.gridchain.bench.sabotage.SabotageSimulation.Outcome;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sabotage bench's chart at one saboteur fraction: error rate against steady results per task, a series per
 * policy with a point per lying rate s. Cost is the steady figure because it is the one the targets judge.
 */
final class SabotagePlot {
    private SabotagePlot() {}

    /**
     * @param parameters the run's parameters, as the table's first line states them
     * @param tasks tasks per cell: an error rate of 0 is drawn at half of one wrong in that many, since a log axis
     *     has no 0 (the subtitle says so)
     */
    static SvgCharts.Chart chart(List<Outcome> outcomes, double f, double target, int tasks, String parameters) {
        double zero = 0.5 / tasks;
        Map<String, List<Point>> byPolicy = new LinkedHashMap<>();
        List<String> rates = new ArrayList<>();
        for (Outcome o : outcomes) {
            if (o.f() != f) continue;
            String name = o.policy() + (o.m() > 0 ? " m=" + o.m() : "");
            // a policy that leaves tasks unfinished errs on none of them: the legend must not let 0 pass for safety
            if (outcomes.stream().anyMatch(c -> c.f() == f && c.policy().equals(o.policy()) && c.unfinished() > 0)) {
                name += " (leaves tasks unfinished)";
            }
            double error = o.errorRate() > 0 ? o.errorRate() : zero;
            byPolicy.computeIfAbsent(name, k -> new ArrayList<>()).add(new Point(o.steadyResultsPerTask(), error));
            String s = String.format(Locale.ROOT, "%s", o.s());
            if (!rates.contains(s)) rates.add(s);
        }
        if (byPolicy.isEmpty()) throw new IllegalArgumentException("no cell at f = " + f);
        List<Series> series = new ArrayList<>();
        byPolicy.forEach((name, points) -> series.add(new Series(name, points)));
        String title = String.format(Locale.ROOT, "Error rate against cost, saboteur fraction f = %.2f", f);
        String subtitle = String.format(Locale.ROOT, "%s. A point per lying rate s = %s, joined in that order;"
                + " an error rate of 0 is drawn at %.0e (half of one wrong in %d tasks).", parameters,
                String.join(", ", rates), zero, tasks);
        return new SvgCharts.Chart(title, subtitle,
                new Axis("results per task (steady state: the run's second half)", true),
                new Axis("error rate (wrong results certified per task)", true), series,
                new Reference(target, String.format(Locale.ROOT, "target %.0e", target)), true);
    }
}
