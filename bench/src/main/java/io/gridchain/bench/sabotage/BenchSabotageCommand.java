package io.gridchain.bench.sabotage;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.bench.plot.PlotFile;
import io.gridchain.bench.plot.SvgCharts;
import io.gridchain.bench.sabotage.SabotageSimulation.Outcome;
import io.gridchain.bench.sabotage.SabotageSimulation.Params;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.IntConsumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Error rate and cost of the scheduler's sabotage tolerance against m-first voting and PoCo's rule. */
@Command(
        name = "sabotage",
        mixinStandardHelpOptions = true,
        description = {
            "Simulate tasks through the scheduler's real replication policy (Planner, ReplicationPolicy; the chain",
            "modelled by the tested ConsensusRule) in a pool where a fraction f of the workers are colluding",
            "saboteurs lying with probability s, for f in {0.1, 0.2, 0.35} x s in {0.05, 0.5, 1.0}, and report the",
            "error rate (wrong results certified) and results per task, beside m-first majority voting and iExec",
            "PoCo's weight rule. Reputations evolve across the run (steady state = its second half).",
            "--turncoats makes the saboteurs honest until their score alone reaches the trust (in all three policies).",
            "Our policy holds a lone result --hold tasks before it is final (backtracked if its worker is caught",
            "meanwhile) and audits --trusted-audit-rate of the tasks a worker trusted alone takes. The summary checks",
            "the targets: error <= target in every f = 0.2 cell, <= 1.5 steady results per task, and beating both",
            "other policies at f = 0.2 (fewer results per task, error no higher or within the target)."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench sabotage", "  gridchain bench sabotage --tasks 10000 --json",
            "  gridchain bench sabotage --turncoats", "  gridchain bench sabotage --plot docs/plots/sabotage.svg",
            "  gridchain bench sabotage --turncoats --hold 0 --audit-rate 0.3"})
public final class BenchSabotageCommand implements Callable<Integer> {
    @Option(names = "--tasks", description = "Tasks per cell and policy (default: ${DEFAULT-VALUE}).",
            defaultValue = "100000")
    int tasks;

    @Option(names = "--workers", description = "Workers in the pool (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    int workers;

    @Option(names = "--target", description = "Target error rate; the deal's trust is 1/target (default: ${DEFAULT-VALUE}).",
            defaultValue = "1e-4")
    double target;

    @Option(names = "--assumed-f", description = "Saboteur fraction the pool's policy assumes (default: ${DEFAULT-VALUE}).",
            defaultValue = "0.2")
    double assumedF;

    @Option(names = "--audit-rate", description = "Share of tasks that need two agreeing results whoever runs them"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "0.1")
    double auditRate;

    @Option(names = "--trusted-audit-rate", description = "Share of the tasks first taken by a worker that reaches the"
            + " trust alone that need two agreeing results; below --audit-rate means --audit-rate (default:"
            + " ${DEFAULT-VALUE}).", defaultValue = "0.1")
    double trustedAuditRate;

    @Option(names = "--hold", description = "Tasks the pool settles while a lone result is held before it goes to"
            + " the chain; a backer caught lying meanwhile has it run again (default: ${DEFAULT-VALUE}; 0: no hold).",
            defaultValue = "20000")
    long hold;

    @Option(names = "--turncoats", description = "Saboteurs behave honestly until their wins alone reach the trust on"
            + " our chain (1,000 at trust 10,000), then lie at rate s; the same history under all three policies.")
    boolean turncoats;

    @Option(names = "--spot-check-rate", description = "Share of claims answered with a known-answer task"
            + " (default: ${DEFAULT-VALUE}).", defaultValue = "0.05")
    double spotCheckRate;

    @Option(names = "--no-rejoin", negatable = true, description = "Blacklisted saboteurs come back as newcomers,"
            + " keeping f constant (default: true; --no-rejoin: they stay out).", defaultValue = "true")
    boolean rejoin;

    @Option(names = "--established-after", description = "Verifications (score + passed spot-checks) from which a"
            + " worker may second a newcomer's task (default: ${DEFAULT-VALUE}).", defaultValue = "100")
    long establishedAfter;

    @Option(names = "--seed", description = "Random seed (default: ${DEFAULT-VALUE}).", defaultValue = "1")
    long seed;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "Also write an SVG chart: error rate against"
            + " steady results per task at saboteur fraction --plot-f, a series per policy, a point per s.")
    Path plot;

    @Option(names = "--plot-f", description = "The saboteur fraction --plot draws: 0.1, 0.2 or 0.35 (default:"
            + " ${DEFAULT-VALUE}).", defaultValue = "0.2")
    double plotF;

    static final double[] FS = {0.1, 0.2, 0.35};
    static final double[] SS = {0.05, 0.5, 1.0};

    @Override
    public Integer call() throws Exception {
        String bad = check();
        if (bad != null) {
            System.err.println("error: " + bad);
            return 2;
        }
        SabotageSimulation sim = new SabotageSimulation(new Params(tasks, workers, target, assumedF, spotCheckRate,
                auditRate, rejoin, seed, establishedAfter, turncoats, trustedAuditRate, hold));
        List<Outcome> out = new ArrayList<>();
        int cells = FS.length * SS.length * 3;
        for (double f : FS) {
            for (double s : SS) {
                out.add(sim.credibility(f, s, progress(out.size(), cells, "credibility", f, s)));
                out.add(sim.majority(f, s, progress(out.size(), cells, "majority", f, s)));
                out.add(sim.poco(f, s, progress(out.size(), cells, "poco", f, s)));
            }
        }
        String parameters = parameters();
        if (json) {
            Map<String, Object> root = new LinkedHashMap<>();
            root.put("tasks", tasks);
            root.put("workers", workers);
            root.put("target", target);
            root.put("trust", Math.round(1 / target));
            root.put("assumed_f", assumedF);
            root.put("spot_check_rate", spotCheckRate);
            root.put("audit_rate", auditRate);
            root.put("trusted_audit_rate", Math.max(auditRate, trustedAuditRate));
            root.put("hold_tasks", hold);
            root.put("rejoin", rejoin);
            root.put("turncoats", turncoats);
            List<Map<String, Object>> entries = new ArrayList<>();
            for (Outcome o : out) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("policy", o.policy());
                e.put("f", o.f());
                e.put("s", o.s());
                e.put("error_rate", o.errorRate());
                e.put("results_per_task", o.resultsPerTask());
                e.put("steady_results_per_task", o.steadyResultsPerTask());
                e.put("wrong", o.wrong());
                e.put("unfinished", o.unfinished());
                e.put("spot_checks", o.spotChecks());
                e.put("blacklisted", o.blacklisted());
                if (o.m() > 0) e.put("m", o.m());
                if (o.policy().equals("credibility")) {
                    e.put("held", o.held());
                    e.put("backtracked", o.backtracked());
                }
                entries.add(e);
            }
            root.put("cells", entries);
            Targets t = Targets.of(out, target);
            Map<String, Object> targets = new LinkedHashMap<>();
            targets.put("error_at_f_0_2", t.errorMet());
            targets.put("steady_results_per_task", t.costMet());
            for (Targets.Beaten b : t.beaten()) {
                targets.put("beats_" + b.policy() + "_cells", b.beaten() + "/" + b.cells());
            }
            root.put("targets", targets);
            root.put("targets_met", t.met());
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root));
        } else {
            System.out.println(parameters);
            System.out.printf("%-14s %5s %5s %11s %8s %10s %10s %11s %11s%n", "policy", "f", "s", "error_rate", "wrong",
                    "results/t", "steady r/t", "unfinished", "backtracked");
            for (Outcome o : out) {
                System.out.printf("%-14s %5.2f %5.2f %11.2e %8d %10.3f %10.3f %11d %11s%n",
                        o.policy() + (o.m() > 0 ? " m=" + o.m() : ""), o.f(), o.s(), o.errorRate(), o.wrong(),
                        o.resultsPerTask(), o.steadyResultsPerTask(), o.unfinished(),
                        o.policy().equals("credibility") ? Long.toString(o.backtracked()) : "-");
            }
            Targets t = Targets.of(out, target);
            System.out.printf("targets (credibility): error <= %s in every f = 0.2 cell: %s; <= %.1f results per"
                    + " task in steady state: %s%n", target, t.errorMet() ? "met" : "NOT met", Targets.MAX_STEADY,
                    t.costMet() ? "met" : "NOT met");
            StringBuilder beats = new StringBuilder(
                    "comparison at f = 0.2 (cheaper, error no higher or within target):");
            for (Targets.Beaten b : t.beaten()) {
                beats.append(String.format(" beats %s in %d/%d cells;", b.policy(), b.beaten(), b.cells()));
            }
            System.out.println(beats.append(" all targets: ").append(t.met() ? "met" : "NOT met"));
        }
        if (plot != null) {
            try {
                PlotFile.write(plot, SvgCharts.svg(SabotagePlot.chart(out, plotF, target, tasks, parameters)));
            } catch (IOException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
            System.err.println("[bench sabotage] wrote " + plot);
        }
        return 0;
    }

    /** The run's parameters in one line: the table's first line, and the plot's subtitle. */
    private String parameters() {
        return String.format("%d tasks per cell, %d workers, target error %.0e (trust %d), assumed f %.2f, spot-checks"
                + " %.2f, audits %.2f (%.2f of a trusted worker's tasks), lone results held %d tasks,"
                + " saboteurs rejoin: %s%s", tasks, workers, target, Math.round(1 / target), assumedF,
                spotCheckRate, auditRate, Math.max(auditRate, trustedAuditRate), hold, rejoin,
                turncoats ? ", turncoats" : "");
    }

    private String check() {
        if (tasks < 2) return "--tasks must be at least 2";
        if (workers < 2) return "--workers must be at least 2";
        if (!(target > 0 && target < 1)) return "--target must be between 0 and 1, e.g. 1e-4";
        if (!(assumedF > 0 && assumedF < 1)) return "--assumed-f must be between 0 and 1, e.g. 0.2";
        if (!(auditRate >= 0 && auditRate <= 1)) return "--audit-rate must be in [0, 1], e.g. 0.1";
        if (!(spotCheckRate >= 0 && spotCheckRate < 1)) return "--spot-check-rate must be in [0, 1), e.g. 0.05";
        if (!(trustedAuditRate >= 0 && trustedAuditRate <= 1)) {
            return "--trusted-audit-rate must be in [0, 1], e.g. 0.15";
        }
        if (hold < 0) return "--hold must be at least 0 tasks, e.g. 20000";
        if (Arrays.stream(FS).noneMatch(f -> f == plotF)) return "--plot-f must be one of 0.1, 0.2, 0.35";
        if (plot != null) return PlotFile.problem(plot);
        return null;
    }

    private IntConsumer progress(int done, int cells, String policy, double f, double s) {
        int step = Math.max(1, tasks / 4);
        return i -> {
            if ((i + 1) % step == 0) {
                System.err.printf("[bench sabotage] cell %d/%d %s f=%.2f s=%.2f: %d/%d tasks%n", done + 1, cells, policy,
                        f, s, i + 1, tasks);
            }
        };
    }
}
