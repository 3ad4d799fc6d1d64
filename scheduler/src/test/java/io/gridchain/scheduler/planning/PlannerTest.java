package io.gridchain.scheduler.planning;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi.AppSpec;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.deal.Deal;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.protocol.deal.DealTerms;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class PlannerTest {
    static final String DEAL = "0x" + "d".repeat(64);
    static final String A = "0x" + "a".repeat(40);
    static final String B = "0x" + "b".repeat(40);
    static final String C = "0x" + "c".repeat(40);
    static final String D = "0x" + "e".repeat(40);
    static final long NOW = 1_000_000;
    static final long CHAIN_NOW = 10_000;
    final Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1);

    static DealView deal(long volume, long trust) {
        return deal(volume, trust, A);
    }

    static DealView deal(long volume, long trust, String callback) {
        Deal d = new Deal(A, A, A, A, callback, BigInteger.ONE, BigInteger.ZERO, BigInteger.TEN, BigInteger.valueOf(volume),
                BigInteger.valueOf(trust), BigInteger.valueOf(300), BigInteger.valueOf(CHAIN_NOW), BigInteger.ONE,
                BigInteger.ONE);
        DealTerms terms = new DealTerms(A, A, A, A, "0x0", BigInteger.ZERO, "", "0x1", "0x2", "0x3", "0x4");
        return new DealView(DEAL, new DealRecord(DEAL, d, terms, 1), new AppSpec(A, "app", "wasm", "u", "0x00"),
                List.of(), List.of(), CHAIN_NOW + 3000, 300_000);
    }

    static String task(long i) {
        return Deal.taskId(DEAL, i);
    }

    /** A scenario: a deal, its tasks, replicates and workers (each with `slots` and seen now). */
    static final class World {
        final DealView deal;
        final List<Task> tasks = new ArrayList<>();
        final List<Replicate> replicates = new ArrayList<>();
        final Map<String, Worker> workers = new HashMap<>();
        final Map<String, PoolStake> stakes = new HashMap<>();
        final Map<String, SpotCheckRecord> spotChecks = new HashMap<>();

        World(long volume, long trust) {
            this(deal(volume, trust));
        }

        World(DealView deal) {
            this.deal = deal;
            long volume = deal.volume();
            for (long i = 0; i < volume; i++) tasks.add(Task.pending(task(i), DEAL, i, NOW));
        }

        /** The worker's score in the pool, backed by a bond of {@code bond} (the deal stakes 1 per contribution). */
        World score(String w, long score, long bond) {
            stakes.put(w, new PoolStake(BigInteger.valueOf(bond), BigInteger.ZERO, score, 0));
            return this;
        }

        World worker(String w, int slots) {
            workers.put(w, new Worker(w, slots, NOW, 0));
            return this;
        }

        Snapshot snapshot() {
            return Snapshot.of(List.of(deal), tasks, replicates, workers.values(), stakes, Set.of(), spotChecks);
        }

        void apply(Plan p) {
            for (Task t : p.tasks()) tasks.replaceAll(x -> x.taskId().equals(t.taskId()) ? t : x);
            for (Replicate r : p.replicates()) {
                replicates.removeIf(x -> x.id().equals(r.id()));
                replicates.add(r);
            }
        }

        List<Replicate> assign(Planner planner, String w, int max) {
            List<Replicate> got = planner.assign(snapshot(), w, max, NOW, CHAIN_NOW);
            replicates.addAll(got);
            return got;
        }

        void reveal(String w, long index, String digest) {
            replace(w, index, r -> r.committed("0xc", "0xs", NOW).revealed(digest, NOW));
        }

        void fail(String w, long index, FailureCause cause) {
            replace(w, index, r -> r.ended(ReplicateStatus.FAILED, cause, "app trapped: out of bounds memory access",
                    NOW));
        }

        void replace(String w, long index, UnaryOperator<Replicate> f) {
            String id = Replicate.idOf(task(index), w);
            replicates.replaceAll(r -> r.id().equals(id) ? f.apply(r) : r);
        }

        Task taskAt(long i) {
            return tasks.stream().filter(t -> t.index() == i).findFirst().orElseThrow();
        }

        long indexOf(String taskId) {
            return tasks.stream().filter(t -> t.taskId().equals(taskId)).findFirst().orElseThrow().index();
        }
    }

    @Test
    void replicasStopOnceTheResultIsPredictable() {
        // trust 5 with fresh workers (weight 2): 2 agreeing reach 4 < 5, 3 reach 8 >= 5.
        World w = new World(1, 5).worker(A, 1).worker(B, 1).worker(C, 1).worker(D, 1);
        assertThat(w.assign(planner, A, 1)).hasSize(1);
        assertThat(w.assign(planner, B, 1)).hasSize(1);
        assertThat(w.assign(planner, C, 1)).hasSize(1);
        assertThat(w.assign(planner, D, 1)).as("a fourth replica would be wasted").isEmpty();
    }

    @Test
    void reputationLowersTheReplicasNeeded() {
        World w = new World(1, 5).worker(A, 1).worker(B, 1).worker(C, 1);
        w.score(A, 3, 3); // weight 32: alone it reaches trust 5
        assertThat(w.assign(planner, A, 1)).hasSize(1);
        assertThat(w.assign(planner, B, 1)).isEmpty();
    }

    @Test
    void aWorkerNeverGetsTwoReplicasOfATaskNorMoreThanItsSlots() {
        World w = new World(5, 5).worker(A, 2);
        List<Replicate> first = w.assign(planner, A, 10);
        assertThat(first).hasSize(2);
        assertThat(first).extracting(Replicate::taskId).doesNotHaveDuplicates();
        assertThat(w.assign(planner, A, 10)).as("both slots busy").isEmpty();
        World one = new World(1, 5).worker(A, 3);
        assertThat(one.assign(planner, A, 3)).hasSize(1);
    }

    @Test
    void agreementReachesConsensusAndCancelsWhatIsLeft() {
        World w = new World(1, 5).worker(A, 1).worker(B, 1).worker(C, 1);
        w.assign(planner, A, 1);
        w.assign(planner, B, 1);
        w.assign(planner, C, 1);
        w.reveal(A, 0, "0x11");
        w.reveal(B, 0, "0x11");
        w.reveal(C, 0, "0x11");
        Plan p = planner.tick(w.snapshot(), NOW, CHAIN_NOW);
        w.apply(p);
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(w.taskAt(0).digest()).isEqualTo("0x11");
        assertThat(p.batches()).singleElement().satisfies(b -> assertThat(b.tasks()).hasSize(1));
    }

    @Test
    void disagreementAsksForAnotherReplica() {
        World w = new World(1, 5).worker(A, 1).worker(B, 1).worker(C, 1).worker(D, 1);
        w.assign(planner, A, 1);
        w.assign(planner, B, 1);
        w.assign(planner, C, 1);
        w.reveal(A, 0, "0x11");
        w.reveal(B, 0, "0x11");
        w.reveal(C, 0, "0x22");
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(w.assign(planner, D, 1)).hasSize(1);
    }

    @Test
    void workersReportingAlikeAFailureThatDependsOnThemEndTheTaskWithTheCause() {
        World w = new World(1, 5).worker(A, 1).worker(B, 1).worker(C, 1);
        w.assign(planner, A, 1);
        w.assign(planner, B, 1);
        w.assign(planner, C, 1);
        for (String x : List.of(A, B, C)) w.fail(x, 0, FailureCause.TIMEOUT);
        Plan p = planner.tick(w.snapshot(), NOW, CHAIN_NOW);
        w.apply(p);
        assertThat(w.taskAt(0).status()).as("refunded to the requester, not certified").isEqualTo(TaskStatus.FAILED);
        assertThat(w.taskAt(0).cause()).isEqualTo(FailureCause.TIMEOUT);
        assertThat(w.taskAt(0).message()).isEqualTo("app trapped: out of bounds memory access");
        assertThat(p.batches()).isEmpty();
    }

    @Test
    void aFailureDigestTheWorkersAgreeOnIsCertifiedLikeAResult() {
        World w = new World(deal(1, 5, Fixtures.NO_CALLBACK)).worker(A, 1).worker(B, 1).worker(C, 1);
        String exit2 = FailureDigest.of(false, "EXIT_NONZERO", 2);
        for (String x : List.of(A, B, C)) {
            w.assign(planner, x, 1);
            w.reveal(x, 0, exit2);
        }
        Plan p = planner.tick(w.snapshot(), NOW, CHAIN_NOW);
        w.apply(p);
        Task t = w.taskAt(0);
        assertThat(t.status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(t.digest()).isEqualTo(exit2);
        assertThat(t.cause()).isEqualTo(FailureCause.EXIT_NONZERO);
        assertThat(t.message()).isEqualTo("failed (certified by 3 workers): app exited with code 2");
        assertThat(p.batches()).singleElement().satisfies(b -> assertThat(b.tasks()).containsExactly(t));
        Task certified = t.inBatch("0xbatch", NOW).certified("0xtx", NOW);
        assertThat(certified.message()).as("the requester's view keeps it").isEqualTo(t.message());
    }

    @Test
    void aCallbackDealsFailureIsItsEmptyCallbackData() {
        World w = new World(deal(1, 1, A)).worker(A, 1);
        w.assign(planner, A, 1);
        w.reveal(A, 0, FailureDigest.EMPTY_CALLBACK);
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.CONSENSUS);
        assertThat(w.taskAt(0).cause()).isEqualTo(FailureCause.NO_CALLBACK_DATA);
        assertThat(w.taskAt(0).message()).isEqualTo("failed (certified by 1 worker): the app wrote no usable"
                + " callback data (none, or more than a callback carries): the consumer receives empty bytes");
    }

    @Test
    void reputationCountsOnlyAsFarAsTheBondInThePoolBacksIt() {
        // trust 20: score 3 (weight 32) reaches it alone when the bond backs 3 stakes; a bond of 1 stake caps the
        // score at 1 (weight 12 < 20), as the hub does, so the task needs a second replica
        World backed = new World(1, 20).worker(A, 1).worker(B, 1).score(A, 3, 3);
        assertThat(backed.assign(planner, A, 1)).hasSize(1);
        assertThat(backed.assign(planner, B, 1)).isEmpty();
        World capped = new World(1, 20).worker(A, 1).worker(B, 1).score(A, 3, 1);
        assertThat(capped.assign(planner, A, 1)).hasSize(1);
        assertThat(capped.assign(planner, B, 1)).hasSize(1);
    }

    @Test
    void aResultMustOutweighAllTheOthersTogetherEvenAtTrustOne() {
        World w = new World(1, 1).worker(A, 1).worker(B, 1);
        w.replicates.add(Fixtures.revealed(w.taskAt(0), A, "0x11"));
        w.replicates.add(Fixtures.revealed(w.taskAt(0), B, "0x22"));
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).as("2 against 2: no majority").isIn(TaskStatus.PENDING, TaskStatus.RUNNING);
    }

    @Test
    void aHostErrorIsRetriedElsewhereNotTakenAsAVerdict() {
        World w = new World(1, 1).worker(A, 1).worker(B, 1);
        w.assign(planner, A, 1);
        w.fail(A, 0, FailureCause.HOST_ERROR);
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.RUNNING);
        assertThat(w.assign(planner, B, 1)).hasSize(1);
    }

    @Test
    void aSilentWorkersReplicasAreLostAndReassigned() {
        World w = new World(1, 1).worker(A, 1).worker(B, 1);
        w.assign(planner, A, 1);
        assertThat(w.assign(planner, B, 1)).as("trust 1: one replica is enough").isEmpty();
        w.workers.put(A, new Worker(A, 1, NOW - Lifecycle.DEFAULT.workerLostAfter() - 1, 0));
        w.apply(planner.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.replicates).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(ReplicateStatus.LOST);
            assertThat(r.cause()).isEqualTo(FailureCause.WORKER_LOST);
        });
        assertThat(w.assign(planner, B, 1)).hasSize(1);
    }

    @Test
    void aWorkerWhoseLostReplicaNeverCountedMayRunTheTaskAgain() {
        World w = new World(1, 1).worker(A, 1);
        w.assign(planner, A, 1);
        long later = NOW + Lifecycle.DEFAULT.replicateTimeout(ReplicateStatus.ASSIGNED, w.deal.wallTimeMillis()) + 1;
        w.workers.put(A, new Worker(A, 1, later, 0));
        w.apply(planner.tick(w.snapshot(), later, CHAIN_NOW));
        List<Replicate> again = w.assign(planner, A, 1);
        assertThat(again).singleElement().satisfies(r -> {
            assertThat(r.status()).isEqualTo(ReplicateStatus.ASSIGNED);
            assertThat(r.id()).as("a new attempt, not the lost one").isNotEqualTo(w.replicates.get(0).id());
        });
    }

    @Test
    void replicatesAWorkersHeartbeatNoLongerListsAreLostAfterTheGrace() {
        World w = new World(2, 1).worker(A, 2);
        List<Replicate> given = w.assign(planner, A, 2);
        long grace = Lifecycle.DEFAULT.heartbeatMillis();
        assertThat(planner.forgotten(given, Set.of(), NOW + grace)).as("may not have reached its list yet").isEmpty();
        List<Replicate> lost = planner.forgotten(given, Set.of(given.get(0).id()), NOW + grace + 1);
        assertThat(lost).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo(given.get(1).id());
            assertThat(r.status()).isEqualTo(ReplicateStatus.LOST);
            assertThat(r.cause()).isEqualTo(FailureCause.WORKER_LOST);
        });
    }

    @Test
    void aTooSlowReplicateIsLost() {
        World w = new World(1, 1).worker(A, 1);
        w.assign(planner, A, 1);
        long later = NOW + Lifecycle.DEFAULT.replicateTimeout(ReplicateStatus.ASSIGNED, w.deal.wallTimeMillis()) + 1;
        w.workers.put(A, new Worker(A, 1, later, 0));
        w.apply(planner.tick(w.snapshot(), later, CHAIN_NOW));
        assertThat(w.replicates.get(0).status()).isEqualTo(ReplicateStatus.LOST);
        assertThat(w.replicates.get(0).message()).startsWith("worker too slow");
    }

    @Test
    void theDealDeadlineFailsOpenTasks() {
        World w = new World(2, 1).worker(A, 1);
        w.assign(planner, A, 1);
        Plan p = planner.tick(w.snapshot(), NOW, w.deal.deadline());
        w.apply(p);
        assertThat(w.tasks).allSatisfy(t -> {
            assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
            assertThat(t.cause()).isEqualTo(FailureCause.DEADLINE);
        });
        assertThat(w.replicates).allSatisfy(r -> assertThat(r.status()).isEqualTo(ReplicateStatus.CANCELLED));
        assertThat(planner.assign(w.snapshot(), A, 1, NOW, w.deal.deadline())).isEmpty();
    }

    @Test
    void aCallbackDealsBatchesStayWithinABlocksGas() {
        for (String callback : List.of(A, "0x" + "0".repeat(40))) {
            World w = new World(deal(40, 1, callback)).worker(A, 40);
            w.assign(planner, A, 40);
            for (long i = 0; i < 40; i++) w.reveal(A, i, "0x01");
            Plan p = planner.tick(w.snapshot(), NOW, CHAIN_NOW);
            List<Integer> sizes = p.batches().stream().map(b -> b.tasks().size()).toList();
            if (callback.equals(A)) {
                assertThat(sizes).as("callbacks may burn their whole budget").containsExactly(32, 8);
            } else {
                assertThat(sizes).containsExactly(40);
            }
        }
    }

    @Test
    void consensusTasksWaitForTheirBatchToFillOrAge() {
        World w = new World(3, 1).worker(A, 3);
        w.assign(planner, A, 3);
        w.reveal(A, 0, "0x01");
        Plan first = planner.tick(w.snapshot(), NOW, CHAIN_NOW);
        w.apply(first);
        assertThat(first.batches()).as("two tasks still running, batch not due yet").isEmpty();
        Plan later = planner.tick(w.snapshot(), NOW + Lifecycle.DEFAULT.batchDelayMillis(), CHAIN_NOW);
        assertThat(later.batches()).singleElement().satisfies(b -> assertThat(b.tasks()).hasSize(1));
    }

    @Test
    void aMinimumOfReplicasHoldsEvenWhenReputationWouldNeedFewer() {
        Planner strict = new Planner(Lifecycle.DEFAULT, 100, 3);
        World w = new World(1, 5).worker(A, 1).worker(B, 1).worker(C, 1).worker(D, 1);
        w.score(A, 100, 100); // alone it would reach trust 5
        assertThat(w.assign(strict, A, 1)).hasSize(1);
        assertThat(w.assign(strict, B, 1)).hasSize(1);
        assertThat(w.assign(strict, C, 1)).hasSize(1);
        assertThat(w.assign(strict, D, 1)).isEmpty();
        w.reveal(A, 0, "0x11");
        w.reveal(B, 0, "0x11");
        w.apply(strict.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).as("2 of 3 agree: not yet").isEqualTo(TaskStatus.RUNNING);
        w.reveal(C, 0, "0x11");
        w.apply(strict.tick(w.snapshot(), NOW, CHAIN_NOW));
        assertThat(w.taskAt(0).status()).isEqualTo(TaskStatus.CONSENSUS);
    }
}
