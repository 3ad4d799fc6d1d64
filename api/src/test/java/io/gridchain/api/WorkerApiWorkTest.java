package io.gridchain.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Claim and commit answers group their assignments by deal on the wire, and give them back one per replicate. */
class WorkerApiWorkTest {

    private static final WorkerApi.AppSpec APP =
            new WorkerApi.AppSpec("0xapp", "noop", "wasm", "gridchain:apps/noop.wasm", "0x" + "ab".repeat(32));
    private static final WorkerApi.LimitsSpec LIMITS = new WorkerApi.LimitsSpec(1_000, 16, 1 << 20);

    private static WorkerApi.Assignment assignment(String deal, long index, List<String> args) {
        String task = "0x" + deal.substring(2, 4).repeat(31) + String.format("%02x", index);
        return new WorkerApi.Assignment("r-" + deal + "-" + index, deal, index, task, APP, List.of(), args, Map.of(),
                LIMITS, 1_000 + index, 1_790_000_000L, false, false);
    }

    @Test
    void aClaimAnswerRepeatsWhatADealsReplicatesShareOnceAndRoundTripsThroughJson() throws Exception {
        List<WorkerApi.Assignment> given = List.of(
                assignment("0x11", 0, List.of("10")),
                assignment("0x22", 0, List.of("7")),
                assignment("0x11", 1, List.of("10")),
                assignment("0x11", 2, List.of("10")));
        WorkerApi.ClaimResponse response = new WorkerApi.ClaimResponse(given);

        assertThat(response.work()).hasSize(2);
        assertThat(response.work().get(0).replicas()).extracting(WorkerApi.Replica::taskIndex).containsExactly(0L, 1L, 2L);

        ObjectMapper json = new ObjectMapper();
        String wire = json.writeValueAsString(response);
        assertThat(wire.split("gridchain:apps/noop.wasm", -1)).hasSize(3); // the app once per deal, not per replicate
        WorkerApi.ClaimResponse read = json.readValue(wire, WorkerApi.ClaimResponse.class);
        // per deal, in the order each deal first appears
        assertThat(read.assignments()).containsExactly(given.get(0), given.get(2), given.get(3), given.get(1));
    }

    @Test
    void anAnswerWithoutWorkHasNoAssignments() {
        assertThat(new WorkerApi.CommitResponse(List.of("r1")).assignments()).isEmpty();
        assertThat(WorkerApi.Work.expand(null)).isEmpty();
    }
}
