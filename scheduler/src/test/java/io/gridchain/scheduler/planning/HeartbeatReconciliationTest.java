package io.gridchain.scheduler.planning;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.B;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.model.Replicate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

class HeartbeatReconciliationTest {
    private static final long LATER = NOW + Lifecycle.DEFAULT.heartbeatMillis() + 1;
    private final HeartbeatReconciliation reconciliation =
            new HeartbeatReconciliation(new Planner(Lifecycle.DEFAULT, 100, 1));

    private static String task(int n) {
        return "0x" + String.format("%016x", n) + "0".repeat(48);
    }

    private final Replicate assigned = Replicate.assigned(task(1), "deal", A, NOW);
    private final Replicate committed = Replicate.assigned(task(2), "deal", A, NOW).committed("0xc", "0xs", NOW);
    private final Replicate revealed = Replicate.assigned(task(3), "deal", A, NOW).committed("0xc", "0xs", NOW)
            .revealed("0xd", NOW);
    private final Replicate othersWorker = Replicate.assigned(task(4), "deal", B, NOW);
    private final Map<String, Replicate> known = Map.of(assigned.id(), assigned, committed.id(), committed,
            revealed.id(), revealed, othersWorker.id(), othersWorker);
    private final Function<String, Replicate> lookup = known::get;

    @Test
    void replicatesTheWorkerShouldNotRunAreCancelled() {
        HeartbeatReconciliation.Outcome o = reconciliation.reconcile(A,
                List.of(assigned.id(), revealed.id(), othersWorker.id(), "unknown"), lookup, id -> false,
                List.of(assigned), List.of(), LATER);

        assertThat(o.cancel()).containsExactly(revealed.id(), othersWorker.id(), "unknown");
        assertThat(o.forgotten()).isEmpty();
    }

    @Test
    void aReplicateTheWorkerNoLongerListsIsLostOnceAHeartbeatHadTimeToListIt() {
        HeartbeatReconciliation.Outcome o = reconciliation.reconcile(A, List.of(committed.id()), lookup, id -> false,
                List.of(assigned, committed), List.of(), LATER);

        assertThat(o.forgotten()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(assigned.id());
            assertThat(r.status()).isEqualTo(ReplicateStatus.LOST);
            assertThat(r.cause()).isEqualTo(FailureCause.WORKER_LOST);
        });
        assertThat(reconciliation.reconcile(A, List.of(), lookup, id -> false, List.of(assigned), List.of(), NOW)
                .forgotten()).as("given out within the last heartbeat").isEmpty();
    }

    @Test
    void committedReplicatesStillHeldAndCommittedChecksAreToReveal() {
        HeartbeatReconciliation.Outcome o = reconciliation.reconcile(A, List.of(committed.id(), "spot-1"), lookup,
                "spot-1"::equals, List.of(committed), List.of("spot-1"), LATER);

        assertThat(o.cancel()).as("a known-answer check is never cancelled").isEmpty();
        assertThat(o.reveal()).containsExactly("spot-1", committed.id());
    }

    @Test
    void aCommittedReplicateTheWorkerForgotIsNotAskedForItsReveal() {
        HeartbeatReconciliation.Outcome o = reconciliation.reconcile(A, List.of(), lookup, id -> false,
                List.of(committed), List.of(), LATER);

        assertThat(o.reveal()).isEmpty();
        assertThat(o.forgotten()).extracting(Replicate::id).containsExactly(committed.id());
    }
}
