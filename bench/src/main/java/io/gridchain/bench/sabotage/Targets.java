package io.gridchain.bench.sabotage;

import io.gridchain.bench.sabotage.SabotageSimulation.Outcome;
import java.util.ArrayList;
import java.util.List;

/**
 * The targets for the {@code credibility} policy, judged on one run's outcomes: error at most the target
 * in every f = 0.2 cell, at most 1.5 results per task in steady state in every cell, and beating m-first voting
 * and PoCo's rule in every f = 0.2 cell of the same run.
 *
 * @param errorMet credibility's error rate is at most the target in every f = 0.2 cell
 * @param costMet credibility's steady results per task are at most {@link #MAX_STEADY} in every cell
 * @param beaten for each other policy, the f = 0.2 cells where credibility beats it, out of {@code cells}
 */
public record Targets(double target, boolean errorMet, boolean costMet, List<Beaten> beaten) {
    static final double F = 0.2;
    static final double MAX_STEADY = 1.5;

    /** How many of the f = 0.2 cells credibility beats {@code policy} in. */
    public record Beaten(String policy, int cells, int beaten) {
        public boolean all() {
            return beaten == cells;
        }
    }

    public boolean met() {
        return errorMet && costMet && beaten.stream().allMatch(Beaten::all);
    }

    /**
     * Credibility beats another policy in a cell when it costs fewer results per task in steady state and errs no
     * more: its error is at most the other's, or at most the target (two policies that both meet the target are
     * told apart by their cost).
     */
    static boolean beats(Outcome ours, Outcome theirs, double target) {
        boolean noWorse = ours.errorRate() <= theirs.errorRate() || ours.errorRate() <= target;
        return noWorse && ours.unfinished() <= theirs.unfinished()
                && ours.steadyResultsPerTask() < theirs.steadyResultsPerTask();
    }

    static Targets of(List<Outcome> out, double target) {
        boolean error = true, cost = true;
        for (Outcome o : out) {
            if (!o.policy().equals("credibility")) continue;
            if (o.f() == F && o.errorRate() > target) error = false;
            if (o.steadyResultsPerTask() > MAX_STEADY) cost = false;
        }
        List<Beaten> beaten = new ArrayList<>();
        for (String other : List.of("majority", "poco")) {
            int cells = 0, won = 0;
            for (Outcome ours : out) {
                if (!ours.policy().equals("credibility") || ours.f() != F) continue;
                for (Outcome theirs : out) {
                    if (!theirs.policy().equals(other) || theirs.f() != ours.f() || theirs.s() != ours.s()) continue;
                    cells++;
                    if (beats(ours, theirs, target)) won++;
                }
            }
            beaten.add(new Beaten(other, cells, won));
        }
        return new Targets(target, error, cost, List.copyOf(beaten));
    }
}
