package io.gridchain.scheduler.planning;

import static io.gridchain.scheduler.planning.PlannerTest.A;
import static io.gridchain.scheduler.planning.PlannerTest.B;
import static io.gridchain.scheduler.planning.PlannerTest.CHAIN_NOW;
import static io.gridchain.scheduler.planning.PlannerTest.D;
import static io.gridchain.scheduler.planning.PlannerTest.NOW;
import static io.gridchain.scheduler.planning.ReplicationPolicyTest.BAD;
import static io.gridchain.scheduler.planning.ReplicationPolicyTest.GOOD;
import static io.gridchain.scheduler.planning.ReplicationPolicyTest.SALT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.PlannerTest.World;
import java.util.List;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

/**
 * The defences against turncoats (workers honest until trusted alone, lying after): a lone result is held
 * before its batch, a held result whose worker is caught lying is backtracked, and the tasks of a worker trusted
 * alone are audited more often.
 */
class TurncoatDefenceTest {
    static final long HOLD = 60_000;
    /** f = 0.2, no spot-checks, no audits for newcomers, 50 % for workers trusted alone, lone results held. */
    final ReplicationPolicy policy = new ReplicationPolicy(0.2, 0, 0, true, 10, 0.5, HOLD);
    final Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1, policy, SALT);

    /** A task index in [0, 64) that the trusted worker's audit draw leaves unaudited. */
    int unaudited() {
        for (int i = 0; i < 64; i++) if (!policy.auditDue(PlannerTest.task(i), SALT, true)) return i;
        throw new AssertionError("no unaudited task");
    }

    /** D, trusted alone (1,000 wins: weight 10,002 and pool odds about 10,900 at trust 10,000), runs one task. */
    World trustedRuns(long index, String digest) {
        World w = new World(64, 10_000).worker(D, 64).worker(A, 64).worker(B, 64);
        for (String x : List.of(A, B, D)) w.score(x, 1_000L, 1_000L);
        assertThat(w.assign(planner, D, 64)).isNotEmpty();
        w.reveal(D, index, digest);
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        return w;
    }

    @Test
    void aLoneResultIsCertifiedAtOnceButGoesIntoABatchOnlyAfterTheHold() {
        int i = unaudited();
        World w = trustedRuns(i, GOOD);
        assertThat(w.taskAt(i).status()).isEqualTo(TaskStatus.CONSENSUS);
        long batchDelay = Lifecycle.DEFAULT.batchDelayMillis();
        assertThat(planner.tick(w.snapshot(), NOW + batchDelay, CHAIN_NOW).batches()).as("held").isEmpty();
        assertThat(planner.tick(w.snapshot(), NOW + HOLD - 1, CHAIN_NOW).batches()).as("held").isEmpty();
        Plan later = planner.tick(w.snapshot(), NOW + HOLD + batchDelay, CHAIN_NOW);
        assertThat(later.batches()).hasSize(1);
        assertThat(later.batches().get(0).tasks()).extracting(Task::taskId).containsExactly(PlannerTest.task(i));
    }

    @Test
    void heldResultsReleasedTogetherShareABatch() {
        int i = unaudited();
        int next = i + 1;
        while (policy.auditDue(PlannerTest.task(next), SALT, true)) next++;
        int j = next;
        World w = trustedRuns(i, GOOD);
        w.reveal(D, j, GOOD);
        w.apply(planner.tick(w.snapshot(), NOW + 10, CHAIN_NOW));
        // the batch delay counts from the release: right after it, the first waits for more to share its batch
        assertThat(planner.tick(w.snapshot(), NOW + HOLD + 10, CHAIN_NOW).batches()).isEmpty();
        Plan due = planner.tick(w.snapshot(), NOW + HOLD + Lifecycle.DEFAULT.batchDelayMillis(), CHAIN_NOW);
        assertThat(due.batches()).singleElement().satisfies(b -> assertThat(b.tasks()).extracting(Task::taskId)
                .containsExactly(PlannerTest.task(i), PlannerTest.task(j)));
    }

    @Test
    void aHeldLieIsBacktrackedWhenItsWorkerIsCaughtAndRunsAgainWithoutIt() {
        int i = unaudited();
        World w = trustedRuns(i, BAD);
        assertThat(w.taskAt(i).digest()).as("the turncoat's lie, certified by its history").isEqualTo(BAD);
        // a known-answer check catches D before the hold is over
        w.spotChecks.put(D, new SpotCheckRecord(0, 1));
        w.apply(planner.tick(w.snapshot(), NOW + 1_000, CHAIN_NOW));
        Task reopened = w.taskAt(i);
        assertThat(reopened.status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(reopened.digest()).isNull();
        assertThat(w.assign(planner, D, 64)).as("blacklisted").isEmpty();
        List<Replicate> again = w.assign(planner, A, 64);
        assertThat(again).extracting(Replicate::taskId).contains(PlannerTest.task(i));
        w.reveal(A, i, GOOD);
        w.apply(planner.tick(w.snapshot(), NOW + 2_000, CHAIN_NOW));
        // on the chain D still weighs 10,002 until a loss resets its score: a second agreeing worker outweighs it
        assertThat(w.taskAt(i).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(w.assign(planner, B, 64)).extracting(Replicate::taskId).contains(PlannerTest.task(i));
        w.reveal(B, i, GOOD);
        w.apply(planner.tick(w.snapshot(), NOW + 3_000, CHAIN_NOW));
        Task fixed = w.taskAt(i);
        assertThat(fixed.status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(fixed.digest()).isEqualTo(GOOD);
        assertThat(Planner.caught(fixed, w.replicates)).containsExactly(D);
    }

    @Test
    void aResultAlreadyInABatchIsNotBacktracked() {
        int i = unaudited();
        World w = trustedRuns(i, BAD);
        w.spotChecks.put(D, new SpotCheckRecord(0, 1));
        Snapshot batching = Snapshot.of(List.of(w.deal), w.tasks, w.replicates, w.workers.values(), w.stakes,
                Set.of(PlannerTest.task(i)), w.spotChecks);
        assertThat(planner.tick(batching, NOW + 1_000, CHAIN_NOW).tasks()).extracting(Task::taskId)
                .doesNotContain(PlannerTest.task(i));
    }

    @Test
    void aTrustedWorkersTasksAreAuditedAtTheHigherRate() {
        World w = new World(64, 10_000).worker(D, 64).worker(A, 64);
        w.score(D, 1_000L, 1_000L);
        w.score(A, 1_000L, 1_000L);
        List<Replicate> got = w.assign(planner, D, 64);
        assertThat(got).hasSize(64);
        for (Replicate r : got) w.reveal(D, w.indexOf(r.taskId()), GOOD);
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        for (Task t : w.tasks) {
            boolean audited = policy.auditDue(t.taskId(), SALT, true);
            assertThat(t.status()).as(t.taskId())
                    .isEqualTo(audited ? TaskStatus.RUNNING : TaskStatus.CONSENSUS);
        }
        assertThat(w.tasks.stream().filter(t -> t.status() == TaskStatus.RUNNING).count())
                .as("about half of 64, none at the newcomers' rate of 0").isBetween(16L, 48L);
    }

    @Property
    void aTaskAuditedForAnyoneIsAuditedForATrustedWorker(@ForAll @LongRange(min = 0, max = 1_000_000) long task,
            @ForAll @LongRange(min = 0, max = 1_000) long salt) {
        ReplicationPolicy p = new ReplicationPolicy(0.2, 0.05, 0.1, true, 100, 0.15, HOLD);
        String id = PlannerTest.task(task);
        if (p.auditDue(id, salt, false)) assertThat(p.auditDue(id, salt, true)).isTrue();
        assertThat(p.auditDue(id, salt)).isEqualTo(p.auditDue(id, salt, false));
    }

    @Test
    void trustedWorkersTasksAreDrawnAtTheirRate() {
        ReplicationPolicy p = new ReplicationPolicy(0.2, 0.05, 0.1, true, 100, 0.15, HOLD);
        int trusted = 0, other = 0;
        for (int i = 0; i < 20_000; i++) {
            if (p.auditDue(PlannerTest.task(i), SALT, true)) trusted++;
            if (p.auditDue(PlannerTest.task(i), SALT, false)) other++;
        }
        assertThat(trusted / 20_000.0).isCloseTo(0.15, within(0.01));
        assertThat(other / 20_000.0).isCloseTo(0.10, within(0.01));
    }

    @Property
    void aHoldOnceOverStaysOverAndNeverAppliesToAgreeingWorkers(@ForAll @IntRange(min = 0, max = 5) int backers,
            @ForAll @LongRange(min = 0, max = 10_000_000) long elapsed,
            @ForAll @LongRange(min = 0, max = 1_000_000) long more) {
        long certified = NOW;
        if (policy.released(backers, certified, certified + elapsed)) {
            assertThat(policy.released(backers, certified, certified + elapsed + more)).isTrue();
        }
        assertThat(policy.released(backers, certified, certified + elapsed)).isEqualTo(backers >= 2 || elapsed >= HOLD);
        assertThat(new ReplicationPolicy(0.2, 0.05, 0.1, true, 100).released(backers, certified, certified))
                .as("no hold").isTrue();
        assertThat(ReplicationPolicy.CHAIN_ONLY.released(backers, certified, certified)).isTrue();
    }

    @Property
    void trustAloneGrowsWithVerifications(@ForAll @LongRange(min = 0, max = 5_000) long k,
            @ForAll @DoubleRange(min = 0.05, max = 0.35) double f) {
        ReplicationPolicy p = new ReplicationPolicy(f, 0, 0.1, true, 10, 0.2, 0);
        if (p.trustedAlone(k, 10_000)) assertThat(p.trustedAlone(k + 1, 10_000)).isTrue();
        // at f = 0.2 and trust 10,000 it takes about 920 verifications: (1-f)/f e (k+1) > trust - 1
        ReplicationPolicy q = new ReplicationPolicy(0.2, 0, 0.1, true, 10, 0.2, 0);
        assertThat(q.trustedAlone(k, 10_000)).isEqualTo(k >= 920);
    }

    @Test
    void theTurncoatDialsAreChecked() {
        assertThatThrownBy(() -> new ReplicationPolicy(0.2, 0, 0.2, true, 10, 0.1, 0))
                .hasMessageContaining("trusted audit rate");
        assertThatThrownBy(() -> new ReplicationPolicy(0.2, 0, 0.1, true, 10, 0.2, -1)).hasMessageContaining("hold");
        assertThat(ReplicationPolicy.DEFAULT.holdMillis()).isPositive();
        assertThat(ReplicationPolicy.DEFAULT.trustedAuditRate()).isGreaterThanOrEqualTo(
                ReplicationPolicy.DEFAULT.auditRate());
    }
}
