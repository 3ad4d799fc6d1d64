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
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.PlannerTest.World;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReplicationPolicyTest {
    static final String GOOD = "0x" + "11".repeat(32);
    static final String BAD = "0x" + "66".repeat(32);
    static final String E = "0x" + "f".repeat(40);
    static final long SALT = 42;
    final ReplicationPolicy policy = new ReplicationPolicy(0.2, 0.1, 0, true, 10);
    final Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1, policy, SALT);

    /** max over s of s (1-s)^k, by brute force over a fine grid. */
    static double worstRate(long k) {
        double best = 0;
        for (int i = 1; i <= 1_000_000; i++) {
            double s = i / 1_000_000.0;
            best = Math.max(best, s * Math.pow(1 - s, k));
        }
        return best;
    }

    @Test
    void aWorkersCredibilityIsSarmentasBoundOnItsVerifications() {
        assertThat(policy.groupOdds(1, 0)).as("a newcomer: the prior (1-f)/f").isCloseTo(4, within(1e-12));
        // k = 60 on-chain wins + 40 passed checks: odds (1-f)/f / max_s s(1-s)^k, about (1-f) k e / f
        assertThat(ReplicationPolicy.verifications(60, new SpotCheckRecord(40, 0))).isEqualTo(100);
        double odds = 4 / worstRate(100);
        assertThat(policy.groupOdds(1, 100)).isCloseTo(odds, within(odds * 1e-6));
        assertThat(odds).isBetween(4 * 100 * Math.E, 4 * 101 * Math.E);
        assertThat(policy.groupOdds(0, 100)).as("nobody").isZero();
        assertThat(ReplicationPolicy.CHAIN_ONLY.active()).isFalse();
        assertThatThrownBy(() -> new ReplicationPolicy(1.0, 0, 0, true, 0)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> new ReplicationPolicy(0.2, 0, 1.5, true, 0)).hasMessageContaining("audit rate");
    }

    @Test
    void colludersVerificationsAddUpInsteadOfMultiplying() {
        // two colluders with 20 wins each lie together: wrong with probability <= s (1-s)^40 (f/(1-f))^2
        double pair = policy.groupOdds(2, 40);
        assertThat(pair).isCloseTo(16 / worstRate(40), within(pair * 1e-6));
        double independent = policy.groupOdds(1, 20) * policy.groupOdds(1, 20);
        assertThat(pair).as("far below the product of their odds").isLessThan(independent / 20);
        assertThat(ReplicationPolicy.reached(pair, pair, 10_000)).as("not enough for trust 10,000").isFalse();
        assertThat(ReplicationPolicy.reached(independent, independent, 10_000)).isTrue();
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
        Planner lenient = new Planner(Lifecycle.DEFAULT, 100, 1, new ReplicationPolicy(0.2, 0.1, 0, false, 10), SALT);
        assertThat(new World(1, 1).worker(A, 1).worker(B, 1).assign(lenient, A, 1)).as("no blacklist").hasSize(1);
    }

    @Test
    void aNewcomerDoesNotSecondAnotherNewcomerWhileAnEstablishedWorkerIsFree() {
        World w = new World(2, 10_000).worker(A, 2).worker(B, 2).worker(C, 2);
        w.score(C, 200, 200); // established
        assertThat(w.assign(planner, A, 1)).hasSize(1); // task 0, newcomer A
        List<?> b = w.assign(planner, B, 2);
        assertThat(b).as("B (a newcomer) skips task 0, held by newcomer A, and takes task 1 only").hasSize(1);
        assertThat(w.replicates).filteredOn(r -> r.worker().equals(B)).extracting(r -> r.taskId())
                .containsExactly(PlannerTest.task(1));
        // C is established: it seconds both
        assertThat(w.assign(planner, C, 2)).hasSize(2);
        // with no established worker free, newcomers may second each other (or the pool would stall)
        World busy = new World(1, 10_000).worker(A, 1).worker(B, 1).worker(C, 1);
        busy.score(C, 200, 200); // C and A (20,002 on the chain, 8,700 in the pool) need a third
        busy.assign(planner, C, 1);
        busy.assign(planner, A, 1);
        assertThat(busy.assign(planner, B, 1)).hasSize(1);
    }

    @Test
    void theChainsRuleAloneDoesNotCertifyWhatThePoolDoesNotBelieve() {
        // trust 100: two agreeing workers of score 10 satisfy the chain (102^2 * 100 > (102^2 + 1) * 99), but B was
        // caught lying before, so the pool counts A alone: odds (0.65/0.35) * 11 * 1.1^10 = 53, and 53 * 100 < 54 * 99
        World w = new World(1, 100).worker(A, 1).worker(B, 1).worker(C, 1);
        for (String x : List.of(A, B, C)) w.score(x, 10, 10);
        w.spotChecks.put(B, new SpotCheckRecord(0, 1));
        Planner lenient = new Planner(Lifecycle.DEFAULT, 100, 1, new ReplicationPolicy(0.35, 0.1, 0, false, 0), SALT);
        Planner chainOnly = new Planner(Lifecycle.DEFAULT, 100, 1);
        w.assign(lenient, A, 1);
        w.assign(lenient, B, 1);
        w.reveal(A, 0, GOOD);
        w.reveal(B, 0, GOOD);
        assertThat(chainOnly.tick(w.snapshot(), NOW, CHAIN_NOW).tasks()).extracting(Task::status)
                .containsExactly(TaskStatus.CONSENSUS);
        w.apply(lenient.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.RUNNING);
        // the pool asks for another replica, and C's agreement settles it: (0.65/0.35)^2 * 21 * 1.05^20 = 192
        assertThat(w.assign(lenient, C, 1)).hasSize(1);
        w.reveal(C, 0, GOOD);
        w.apply(lenient.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.CONSENSUS);
    }

    @Test
    void aSaboteurHonestUntilItsReputationIsHighIsOutvotedCaughtAndBlacklisted() {
        // D built a score of 300 honestly, like A, B, C, E and the others; at trust 10,000 that is not enough alone
        // (a lone weight of 3,002 < 9,999 on the chain, odds 3,270 in the pool), so its lie meets honest replicas and
        // loses. Against a worker that credible, the honest side needs odds above 3,270 x 10,000, from as many
        // agreeing workers as colluders would need to fake it (7 with 300 wins each).
        World w = new World(1, 10_000).worker(A, 1).worker(B, 1).worker(C, 1).worker(D, 1).worker(E, 1);
        for (String x : honest(8)) w.worker(x, 1);
        for (String x : List.of(A, B, C, D, E)) w.score(x, 300, 300);
        for (String x : honest(8)) w.score(x, 300, 300);
        assertThat(w.assign(planner, D, 1)).hasSize(1);
        assertThat(w.assign(planner, A, 1)).hasSize(1);
        assertThat(w.assign(planner, B, 1)).as("two agreeing would be enough: no third yet").isEmpty();
        w.reveal(D, 0, BAD);
        w.reveal(A, 0, GOOD);
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.RUNNING);
        List<String> others = new ArrayList<>(List.of(B, C, E));
        others.addAll(honest(8));
        for (String x : others) {
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

    /** n more honest workers' addresses. */
    static List<String> honest(int n) {
        return IntStream.range(0, n).mapToObj(i -> String.format("0x%040x", 0xabc00 + i)).toList();
    }

    @Test
    void aWorkerTrustedAloneIsAuditedOnADrawOfTasksTheWorkerCannotTell() {
        ReplicationPolicy audited = new ReplicationPolicy(0.2, 0, 0.5, true, 10);
        Planner auditing = new Planner(Lifecycle.DEFAULT, 100, 1, audited, SALT);
        int unaudited = -1, drawn = -1;
        for (int i = 0; i < 64 && (unaudited < 0 || drawn < 0); i++) {
            boolean due = audited.auditDue(PlannerTest.task(i), SALT);
            if (due && drawn < 0) drawn = i;
            if (!due && unaudited < 0) unaudited = i;
        }
        int differ = 0, due = 0;
        for (int i = 0; i < 10_000; i++) {
            boolean here = audited.auditDue(PlannerTest.task(i), SALT);
            if (here) due++;
            if (here != audited.auditDue(PlannerTest.task(i), SALT + 1)) differ++;
        }
        assertThat(due / 10_000.0).isCloseTo(0.5, within(0.03));
        assertThat(differ).as("another salt, another draw").isGreaterThan(4_000);
        // D has 1,000 wins: weight 10,002 on the chain and odds 10,900 in the pool, enough for trust 10,000 alone
        World w = new World(64, 10_000).worker(D, 64).worker(A, 64).worker(B, 64).worker(C, 64);
        for (String x : honest(8)) w.worker(x, 64);
        for (String x : List.of(A, B, C, D)) w.score(x, 1_000, 1_000);
        for (String x : honest(8)) w.score(x, 1_000, 1_000);
        assertThat(w.assign(auditing, D, 64)).hasSize(64);
        w.reveal(D, unaudited, GOOD);
        w.reveal(D, drawn, BAD);
        w.apply(auditing.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(unaudited).status()).as("one result settles an unaudited task").isEqualTo(TaskStatus.CONSENSUS);
        assertThat(w.taskAt(drawn).status()).as("an audited task waits for a second result").isEqualTo(TaskStatus.RUNNING);
        // the audit finds the lie: A disagrees, and honest workers outvote D (7 of them against odds of 10,900)
        String audit = PlannerTest.task(drawn);
        List<String> others = new ArrayList<>(List.of(A, B, C));
        others.addAll(honest(8));
        for (String x : others) {
            if (w.taskAt(drawn).status() != TaskStatus.RUNNING) break;
            if (w.assign(auditing, x, 64).stream().noneMatch(r -> r.taskId().equals(audit))) continue;
            w.reveal(x, drawn, GOOD);
            w.apply(auditing.tick(w.snapshot(), NOW, CHAIN_NOW));
        }
        Task t = w.taskAt(drawn);
        assertThat(t.status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(t.digest()).isEqualTo(GOOD);
        assertThat(Planner.caught(t, w.replicates)).containsExactly(D);
    }

    @Test
    void whileAnEstablishedWorkerIsFreeANewcomerOnlyStartsAuditedTasks() {
        ReplicationPolicy audited = new ReplicationPolicy(0.2, 0, 0.5, true, 10);
        Planner auditing = new Planner(Lifecycle.DEFAULT, 100, 1, audited, SALT);
        World w = new World(32, 10_000).worker(A, 32).worker(C, 32);
        w.score(C, 1_000, 1_000);
        List<Replicate> got = w.assign(auditing, A, 32);
        assertThat(got).isNotEmpty().allMatch(r -> audited.auditDue(r.taskId(), SALT));
        assertThat(got.size()).isLessThan(32);
        // without a free established worker, the newcomer takes any task (or the pool would idle)
        World alone = new World(32, 10_000).worker(A, 32);
        assertThat(alone.assign(auditing, A, 32)).hasSize(32);
    }

    @Test
    void aLiarCaughtByACheckAtTrustOneLeavesItsTasksToOthers() {
        ReplicationPolicy audited = new ReplicationPolicy(0.3, 0.2, 0.1, true, 10);
        Planner auditing = new Planner(Lifecycle.DEFAULT, 100, 1, audited, SALT);
        World w = new World(8, 1).worker(D, 8).worker(A, 8).worker(B, 8);
        w.score(A, 50, 50);
        w.score(B, 50, 50);
        List<Replicate> lies = w.assign(auditing, D, 8);
        assertThat(lies).isNotEmpty();
        for (Replicate r : lies) w.reveal(D, w.indexOf(r.taskId()), BAD);
        w.spotChecks.put(D, new SpotCheckRecord(0, 1));
        w.apply(auditing.tick(w.snapshot(), NOW, CHAIN_NOW));
        for (int round = 0; round < 4; round++) {
            for (String x : List.of(A, B)) {
                for (Replicate r : w.assign(auditing, x, 8)) {
                    w.reveal(x, w.indexOf(r.taskId()), GOOD);
                }
                w.apply(auditing.tick(w.snapshot(), NOW, CHAIN_NOW));
            }
        }
        assertThat(w.tasks).extracting(Task::status).containsOnly(TaskStatus.CONSENSUS);
        assertThat(w.tasks).extracting(Task::digest).containsOnly(GOOD);
    }
}
