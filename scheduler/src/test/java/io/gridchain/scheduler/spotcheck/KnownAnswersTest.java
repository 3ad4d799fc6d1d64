package io.gridchain.scheduler.spotcheck;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.B;
import static io.gridchain.scheduler.Fixtures.C;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownAnswersTest {
    private static final ReplicationPolicy POLICY = new ReplicationPolicy(0.3, 0.9, 0.1, true, 10);
    private final DealView deal = Fixtures.deal(Fixtures.dealId(1), 1, 1, 1);
    private final Task certified = Fixtures.tasksOf(deal).get(0).moveTo(TaskStatus.RUNNING, NOW)
            .withConsensus(Fixtures.digest(1), NOW);
    private final KnownAnswers checks = new KnownAnswers(POLICY, 42);

    /** The first check handed out within 200 claims (the draw is deterministic for a given salt), or null. */
    private KnownAnswers.Check firstHandedOut(String worker, SpotCheckRecord record) {
        for (int claim = 0; claim < 200; claim++) {
            KnownAnswers.Check c = checks.handOut(worker, record, d -> true);
            if (c != null) return c;
        }
        return null;
    }

    /** The certified task's replicates: these workers revealed its digest. */
    private List<Replicate> agreed(String... workers) {
        return Arrays.stream(workers).map(w -> Fixtures.revealed(certified, w, Fixtures.digest(1))).toList();
    }

    @Test
    void aLoneResultIsNoKnownAnswer() {
        // it may be a turncoat's lie that got through: honest workers checked against it would be caught
        checks.certified(certified, agreed(A));
        checks.certified(certified, List.of(Fixtures.revealed(certified, A, Fixtures.digest(1)),
                Fixtures.revealed(certified, B, Fixtures.digest(2))));

        assertThat(firstHandedOut(C, SpotCheckRecord.NONE)).isNull();
    }

    @Test
    void aWorkerIsHandedACertifiedTaskItDidNotContributeTo() {
        checks.certified(certified, agreed(A, B));

        KnownAnswers.Check c = firstHandedOut(C, SpotCheckRecord.NONE);

        assertThat(c).isNotNull();
        assertThat(c.known().taskId()).isEqualTo(certified.taskId());
        assertThat(checks.of(C, c.replicateId())).isEqualTo(c);
        assertThat(firstHandedOut(A, SpotCheckRecord.NONE)).as("a contributor is not checked against itself").isNull();
        assertThat(firstHandedOut(B, SpotCheckRecord.NONE)).isNull();
    }

    @Test
    void aBlacklistedWorkerIsHandedNothing() {
        checks.certified(certified, agreed(A, B));

        assertThat(firstHandedOut(C, new SpotCheckRecord(0, 1))).isNull();
        assertThat(firstHandedOut(C, SpotCheckRecord.NONE)).isNotNull();
    }

    @Test
    void noCheckForADealThatCanNoLongerRun() {
        checks.certified(certified, agreed(A, B));

        for (int claim = 0; claim < 200; claim++) {
            assertThat(checks.handOut(C, SpotCheckRecord.NONE, d -> false)).isNull();
        }
    }
}
