package io.gridchain.bench.sabotage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.bench.Run;
import io.gridchain.bench.sabotage.SabotageSimulation.Outcome;
import io.gridchain.bench.sabotage.SabotageSimulation.Params;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchSabotageCommandTest {
    @TempDir Path tmp;

    /** The command's defaults at trust 10,000 for a smaller run, seed 3. */
    static Params defaults(int tasks, int workers, boolean turncoats, long hold) {
        return new Params(tasks, workers, 1e-4, 0.2, 0.05, 0.1, true, 3, 100, turncoats, 0.1, hold);
    }

    @Test
    void mFirstVotingNeedsTheAnchorsReplicas() {
        // 20 % colluding saboteurs: about 13 replicas for 1e-2 (m = 7) and 31 for 1e-4 (m = 16)
        assertThat(2 * SabotageSimulation.majorityM(0.2, 1e-2) - 1).isEqualTo(13);
        assertThat(2 * SabotageSimulation.majorityM(0.2, 1e-4) - 1).isEqualTo(31);
    }

    @Test
    void thePolicyCertifiesNoWrongResultWhereTheChainAloneWouldAtLowTrust() {
        SabotageSimulation sim = new SabotageSimulation(defaults(3_000, 40, false, 0));
        Outcome credibility = sim.credibility(0.2, 1.0, null);
        assertThat(credibility.wrong()).isZero();
        assertThat(credibility.unfinished()).isZero();
        assertThat(credibility.blacklisted()).as("colluders caught").isPositive();
        // m-first voting at m = 16 costs at least 16 results per task
        Outcome majority = sim.majority(0.2, 1.0, null);
        assertThat(majority.resultsPerTask()).isGreaterThanOrEqualTo(16);
        assertThat(credibility.resultsPerTask()).isLessThan(majority.resultsPerTask() / 5);
    }

    @Test
    void onceWorkersHaveAHistoryMostTasksNeedOneResult() {
        // 20 workers share 40,000 tasks: by the second half most honest workers have the 1,000 wins that let
        // one result reach trust 10,000, and newcomers (rejoining saboteurs) only start audited tasks
        SabotageSimulation sim = new SabotageSimulation(defaults(40_000, 20, false, 0));
        Outcome o = sim.credibility(0.2, 0.5, null);
        assertThat(o.steadyResultsPerTask()).isLessThanOrEqualTo(1.5);
        assertThat(o.resultsPerTask()).as("the first half pays for the history").isGreaterThan(o.steadyResultsPerTask());
        assertThat(o.errorRate()).isLessThanOrEqualTo(1e-4);
        assertThat(o.blacklisted()).isPositive();
    }

    @Test
    void turncoatsAreCaughtByAuditsAfterFewLies() {
        // saboteurs honest until their score alone reaches the trust, then always lying: each claim is a
        // spot-check (q) or an audited task (a) with probability q + (1 - q) a, so a turncoat gets on average
        // (1 - q)(1 - a) / (q + (1 - q) a) = 5.9 lies through before it is caught, blacklisted and slashed
        SabotageSimulation sim = new SabotageSimulation(defaults(40_000, 20, true, 0));
        Outcome o = sim.credibility(0.2, 1.0, null);
        assertThat(o.blacklisted()).as("turncoats caught").isPositive();
        assertThat((double) o.wrong() / o.blacklisted()).isLessThanOrEqualTo(3 * 0.95 * 0.9 / (0.05 + 0.95 * 0.1));
        SabotageSimulation audited = new SabotageSimulation(new Params(40_000, 20, 1e-4, 0.2, 0.05, 1.0, true, 3, 100,
                true, 1.0, 0));
        Outcome all = audited.credibility(0.2, 1.0, null);
        assertThat(all.wrong()).as("every task audited: a lone turncoat never decides").isLessThan(o.wrong());
    }

    @Test
    void holdingLoneResultsBacktracksTheLiesOfTurncoatsCaughtMeanwhile() {
        // 20 workers: a worker takes about one task in 20, so a hold of 4,000 tasks is about 200 of its own tasks
        Outcome before = new SabotageSimulation(defaults(40_000, 20, true, 0)).credibility(0.2, 1.0, null);
        Outcome after = new SabotageSimulation(defaults(40_000, 20, true, 4_000)).credibility(0.2, 1.0, null);
        assertThat(before.wrong()).as("turncoats get lies through without a hold").isPositive();
        assertThat(before.backtracked()).isZero();
        assertThat(after.held()).as("lone results were held").isPositive();
        assertThat(after.backtracked()).as("a caught turncoat's held lies run again").isPositive();
        assertThat(after.wrong()).isLessThan(before.wrong());
        assertThat(after.unfinished()).isZero();
        // the second runs cost little: backtracked tasks are a small share of all
        assertThat(after.steadyResultsPerTask()).isLessThan(before.steadyResultsPerTask() + 0.05);
    }

    @Test
    void aTurncoatWaitsForTheSameHistoryUnderEveryPolicy() {
        // under m-first voting nobody is trusted alone, but a turncoat still turns once it has 1,000 wins: with
        // 20 workers and m = 16 that is early in the run, after which it lies like any saboteur
        Outcome late = new SabotageSimulation(defaults(20_000, 40, true, 0)).majority(0.2, 1.0, null);
        Outcome early = new SabotageSimulation(defaults(20_000, 40, false, 0)).majority(0.2, 1.0, null);
        assertThat(late.resultsPerTask()).as("fewer lies to outvote while they wait")
                .isLessThan(early.resultsPerTask());
        assertThat(late.steadyResultsPerTask()).isCloseTo(early.steadyResultsPerTask(), within(0.5));
    }

    @Test
    void jsonHasAnEntryPerCellAndPolicy() throws Exception {
        JsonNode json = Run.json(new BenchSabotageCommand(), "--tasks", "200", "--json");
        assertThat(json.get("cells")).hasSize(27);
        Set<String> cells = new HashSet<>();
        for (JsonNode e : json.get("cells")) {
            for (String key : new String[] {"policy", "f", "s", "error_rate", "results_per_task"}) {
                assertThat(e.has(key)).as(key).isTrue();
            }
            cells.add(e.get("policy").asText() + e.get("f").asDouble() + "/" + e.get("s").asDouble());
        }
        assertThat(cells).hasSize(27);
        assertThat(json.get("hold_tasks").asLong()).isPositive();
        assertThat(json.get("targets").has("beats_poco_cells")).isTrue();
        assertThat(json.get("targets").has("beats_majority_cells")).isTrue();
        assertThat(json.get("cells").get(0).has("backtracked")).as("credibility's first cell").isTrue();
    }

    @Test
    void aBadTargetIsAOneLineError() {
        assertThat(Run.command(new BenchSabotageCommand(), "--target", "2")).isEqualTo(2);
    }

    @Test
    void aPlotIntoAMissingDirectoryIsOneLineAndExitCode2BeforeTheRun() {
        Path missing = tmp.resolve("missing").resolve("sabotage.svg");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream original = System.err;
        int code;
        try {
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            code = Run.command(new BenchSabotageCommand(), "--tasks", "200", "--plot", missing.toString());
        } finally {
            System.setErr(original);
        }
        assertThat(code).isEqualTo(2);
        // no progress line either: the simulation never started
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly("error: --plot " + missing
                + ": directory " + missing.getParent() + " does not exist");
        assertThat(missing.getParent()).doesNotExist();
    }

    @Test
    void thePlotDrawsEveryPolicyAtTheChosenFractionBesideTheUnchangedJson() throws Exception {
        Path svg = tmp.resolve("sabotage.svg");
        JsonNode json = Run.json(new BenchSabotageCommand(), "--tasks", "200", "--json", "--plot", svg.toString(),
                "--plot-f", "0.35");
        assertThat(json.get("cells")).hasSize(27);
        String text = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(svg.toFile())
                .getDocumentElement().getTextContent();
        assertThat(text).contains("saboteur fraction f = 0.35", "200 tasks per cell", "credibility", "majority m=74",
                "poco", "error rate", "results per task");
        assertThat(Files.readString(svg)).doesNotContain("majority m=16");
    }

    @Test
    void aFractionTheGridDoesNotHaveCannotBePlotted() {
        assertThat(Run.command(new BenchSabotageCommand(), "--plot", tmp.resolve("s.svg").toString(), "--plot-f",
                "0.3")).isEqualTo(2);
    }
}
