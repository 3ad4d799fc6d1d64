package io.gridchain.cli.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.gridchain.cli.Main;
import io.gridchain.cli.bench.SabotageSimulation.Outcome;
import io.gridchain.cli.bench.SabotageSimulation.Params;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BenchSabotageCommandTest {
    @Test
    void mFirstVotingNeedsTheAnchorsReplicas() {
        // 20 % colluding saboteurs: about 13 replicas for 1e-2 (m = 7) and 31 for 1e-4 (m = 16)
        assertThat(2 * SabotageSimulation.majorityM(0.2, 1e-2) - 1).isEqualTo(13);
        assertThat(2 * SabotageSimulation.majorityM(0.2, 1e-4) - 1).isEqualTo(31);
    }

    @Test
    void thePolicyCertifiesNoWrongResultWhereTheChainAloneWouldAtLowTrust() {
        SabotageSimulation sim = new SabotageSimulation(new Params(3_000, 40, 1e-4, 0.35, 0.05, true, 3, 100));
        Outcome credibility = sim.credibility(0.2, 1.0, null);
        assertThat(credibility.wrong()).isZero();
        assertThat(credibility.unfinished()).isZero();
        assertThat(credibility.blacklisted()).as("colluders caught").isPositive();
        assertThat(credibility.resultsPerTask()).isGreaterThanOrEqualTo(2.0);
        // m-first voting at m = 16 costs at least 16 results per task
        assertThat(sim.majority(0.2, 1.0, null).resultsPerTask()).isGreaterThanOrEqualTo(16);
    }

    @Test
    void jsonHasAnEntryPerCellAndPolicy() throws Exception {
        JsonNode json = BenchRuntimeCommandTest.runJson("bench", "sabotage", "--tasks", "200", "--json");
        assertThat(json.get("cells")).hasSize(27);
        Set<String> cells = new HashSet<>();
        for (JsonNode e : json.get("cells")) {
            for (String key : new String[] {"policy", "f", "s", "error_rate", "results_per_task"}) {
                assertThat(e.has(key)).as(key).isTrue();
            }
            cells.add(e.get("policy").asText() + e.get("f").asDouble() + "/" + e.get("s").asDouble());
        }
        assertThat(cells).hasSize(27);
    }

    @Test
    void aBadTargetIsAOneLineError() {
        assertThat(Main.execute("bench", "sabotage", "--target", "2")).isEqualTo(2);
    }
}
