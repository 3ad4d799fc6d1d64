package io.gridchain.scheduler.planning;

import static io.gridchain.scheduler.planning.PlannerTest.A;
import static io.gridchain.scheduler.planning.PlannerTest.B;
import static io.gridchain.scheduler.planning.PlannerTest.C;
import static io.gridchain.scheduler.planning.PlannerTest.CHAIN_NOW;
import static io.gridchain.scheduler.planning.PlannerTest.D;
import static io.gridchain.scheduler.planning.PlannerTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.PlannerTest.World;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReplicationPolicyTest {
    static final String GOOD = "0x" + "11".repeat(32);
    static final String BAD = "0x" + "66".repeat(32);
    static final String E = "0x" + "f".repeat(40);
    final ReplicationPolicy policy = new ReplicationPolicy(0.2, 0.1, true, 10);
    final Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1, policy);

    @Test
    void aWorkersCredibilityIsSarmentasBoundOnItsVerifications() {
        assertThat(policy.credibility(0, SpotCheckRecord.NONE)).isCloseTo(0.8, within(1e-12));
        // k = 60 on-chain wins + 40 passed checks: 1 - f / ((1 - f) k e)
        double expected = 1 - 0.2 / (0.8 * 100 * Math.E);
        assertThat(policy.credibility(60, new SpotCheckRecord(40, 0))).isCloseTo(expected, within(1e-12));
        assertThat(policy.odds(60, new SpotCheckRecord(40, 0))).isCloseTo(expected / (1 - expected), within(1e-6));
        assertThat(policy.credibility(5000, new SpotCheckRecord(40, 1))).as("caught once").isZero();
        assertThat(policy.odds(5000, new SpotCheckRecord(40, 1))).isZero();
        assertThat(ReplicationPolicy.CHAIN_ONLY.active()).isFalse();
        assertThatThrownBy(() -> new ReplicationPolicy(1.0, 0, true, 0)).hasMessageContaining("[0, 1)");
    }

    @Test
    void spotChecksAreDrawnAtTheConfiguredRate() {
        int due = 0;
        for (int i = 0; i < 100_000; i++) if (policy.spotCheckDue(A, i, 42)) due++;
        assertThat(due / 100_000.0).isCloseTo(0.1, within(0.005));
        assertThat(policy.spotCheckDue(A, 7, 42)).isEqualTo(policy.spotCheckDue(A, 7, 42));
        assertThat(ReplicationPolicy.CHAIN_ONLY.spotCheckDue(A, 7, 42)).isFalse();
    }

    @Test
    void aBlacklistedWorkerGetsNoWork() {
        World w = new World(2, 1).worker(A, 2).worker(B, 2);
        w.spotChecks.put(A, new SpotCheckRecord(50, 1));
        assertThat(w.assign(planner, A, 2)).isEmpty();
        assertThat(w.assign(planner, B, 2)).hasSize(2);
        Planner lenient = new Planner(Lifecycle.DEFAULT, 100, 1, new ReplicationPolicy(0.2, 0.1, false, 10));
        assertThat(new World(1, 1).worker(A, 1).worker(B, 1).assign(lenient, A, 1)).as("no blacklist").hasSize(1);
    }

    @Test
    void aNewcomerDoesNotSecondAnotherNewcomerWhileAnEstablishedWorkerIsFree() {
        World w = new World(2, 10_000).worker(A, 2).worker(B, 2).worker(C, 2);
        w.scores.put(C, 500L); // established
        assertThat(w.assign(planner, A, 1)).hasSize(1); // task 0, newcomer A
        List<?> b = w.assign(planner, B, 2);
        assertThat(b).as("B (a newcomer) skips task 0, held by newcomer A, and takes task 1 only").hasSize(1);
        assertThat(w.replicates).filteredOn(r -> r.worker().equals(B)).extracting(r -> r.taskId())
                .containsExactly(PlannerTest.task(1));
        // C is established: it seconds both
        assertThat(w.assign(planner, C, 2)).hasSize(2);
        // with no established worker free, newcomers may second each other (or the pool would stall)
        World busy = new World(1, 10_000).worker(A, 1).worker(B, 1).worker(C, 1);
        busy.scores.put(C, 500L);
        busy.assign(planner, C, 1);
        busy.assign(planner, A, 1);
        assertThat(busy.assign(planner, B, 1)).hasSize(1);
    }

    @Test
    void theChainsRuleAloneDoesNotCertifyWhatThePoolDoesNotBelieve() {
        // trust 100: two agreeing workers of score 10 satisfy the chain (144 * 100 > 145 * 99), but B was caught
        // lying before, so the pool counts A alone: odds 0.65 * 10 * e / 0.35 - 1 = 49.5, and 49.5 * 100 < 50.5 * 99
        World w = new World(1, 100).worker(A, 1).worker(B, 1).worker(C, 1);
        for (String x : List.of(A, B, C)) w.scores.put(x, 10L);
        w.spotChecks.put(B, new SpotCheckRecord(0, 1));
        Planner lenient = new Planner(Lifecycle.DEFAULT, 100, 1, new ReplicationPolicy(0.35, 0.1, false, 0));
        Planner chainOnly = new Planner(Lifecycle.DEFAULT, 100, 1);
        w.assign(lenient, A, 1);
        w.assign(lenient, B, 1);
        w.reveal(A, 0, GOOD);
        w.reveal(B, 0, GOOD);
        assertThat(chainOnly.tick(w.snapshot(), NOW, CHAIN_NOW).tasks()).extracting(Task::status)
                .containsExactly(TaskStatus.CONSENSUS);
        w.apply(lenient.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.RUNNING);
        // the pool asks for another replica, and C's agreement settles it (49.5^2 = 2,450)
        assertThat(w.assign(lenient, C, 1)).hasSize(1);
        w.reveal(C, 0, GOOD);
        w.apply(lenient.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.CONSENSUS);
    }

    @Test
    void aSaboteurHonestUntilItsReputationIsHighIsOutvotedCaughtAndBlacklisted() {
        // D built a score of 300 honestly, like A, B, C and E; at trust 10,000 one result is never enough
        // (a lone weight of 302 < 9,999), so its lie meets honest replicas and loses.
        World w = new World(1, 10_000).worker(A, 1).worker(B, 1).worker(C, 1).worker(D, 1).worker(E, 1);
        for (String x : List.of(A, B, C, D, E)) w.scores.put(x, 300L);
        assertThat(w.assign(planner, D, 1)).hasSize(1);
        assertThat(w.assign(planner, A, 1)).hasSize(1);
        assertThat(w.assign(planner, B, 1)).as("two agreeing would be enough: no third yet").isEmpty();
        w.reveal(D, 0, BAD);
        w.reveal(A, 0, GOOD);
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.RUNNING);
        for (String x : List.of(B, C, E)) {
            if (w.taskAt(0).status() != TaskStatus.RUNNING) break;
            if (w.assign(planner, x, 1).isEmpty()) continue;
            w.reveal(x, 0, GOOD);
            w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        }
        Task t = w.taskAt(0);
        assertThat(t.status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(t.digest()).isEqualTo(GOOD);
        assertThat(Planner.caught(t, w.replicates)).containsExactly(D);
        w.spotChecks.put(D, new SpotCheckRecord(0, 1));
        World next = new World(1, 10_000).worker(D, 1);
        next.spotChecks.putAll(w.spotChecks);
        assertThat(next.assign(planner, D, 1)).as("blacklisted").isEmpty();
    }
}
