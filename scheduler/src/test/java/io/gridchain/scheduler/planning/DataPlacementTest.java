package io.gridchain.scheduler.planning;

import static io.gridchain.scheduler.planning.PlannerTest.A;
import static io.gridchain.scheduler.planning.PlannerTest.B;
import static io.gridchain.scheduler.planning.PlannerTest.C;
import static io.gridchain.scheduler.planning.PlannerTest.CHAIN_NOW;
import static io.gridchain.scheduler.planning.PlannerTest.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.api.WorkerApi.PlacementSpec;
import io.gridchain.api.WorkerApi.SweepSpec;
import io.gridchain.api.WorkerApi.TaskSpec;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Worker;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The planner with data placement directives: who gets the tasks that read a big input, as pure decisions. */
class DataPlacementTest {
    static final String X = "ab".repeat(32);
    static final String Y = "cd".repeat(32);
    static final PlacementSpec AFFINITY = new PlacementSpec(true, 0, 0);
    static final PlacementSpec ONE_COPY = new PlacementSpec(true, 1, 0);
    static final PlacementSpec TWO_COPIES = new PlacementSpec(false, 2, 600);

    final Planner planner = new Planner(Lifecycle.DEFAULT, 100, 1);

    static DealView reading(long volume, InputSpec... inputs) {
        DealView d = PlannerTest.deal(volume, 1);
        return new DealView(d.dealId(), d.record(), d.app(), List.of(inputs), d.args(), d.deadline(),
                d.wallTimeMillis());
    }

    static InputSpec input(String checksum, PlacementSpec placement) {
        return new InputSpec("big.bin", "http://data/big.bin", checksum, placement);
    }

    /** A world whose workers cache what {@code cached} says. */
    static final class Placed {
        final PlannerTest.World world;
        final Map<String, Set<String>> cached = new HashMap<>();
        final Map<String, Long> placedAt = new HashMap<>();

        Placed(DealView deal) {
            world = new PlannerTest.World(deal);
        }

        Placed worker(String w, int slots, String... holds) {
            world.worker(w, slots);
            if (holds.length > 0) cached.put(w, Set.of(holds));
            for (String key : holds) placedAt.put(key, NOW); // the holder has just been given a task reading it
            return this;
        }

        List<Replicate> assign(Planner planner, String w, int max) {
            Snapshot s = Snapshot.of(List.of(world.deal), world.tasks, world.replicates, world.workers.values(),
                    world.stakes, Set.of(), world.spotChecks, cached, placedAt);
            List<Replicate> got = planner.assign(s, w, max, NOW, CHAIN_NOW);
            world.replicates.addAll(got);
            return got;
        }
    }

    @Test
    void withoutDirectivesAWorkerWithoutTheDataStillGetsTasks() {
        Placed p = new Placed(reading(8, input(X, null))).worker(A, 2).worker(B, 2, X);
        assertThat(p.assign(planner, A, 2)).hasSize(2);
    }

    @Test
    void withAffinityAWorkerWithoutTheDataWaitsWhileAHolderHasAFreeSlot() {
        Placed p = new Placed(reading(8, input(X, AFFINITY))).worker(A, 2).worker(B, 2, X);
        assertThat(p.assign(planner, A, 2)).isEmpty();
        assertThat(p.assign(planner, B, 2)).hasSize(2);
        // the holder is busy now: the others take the rest rather than idle
        assertThat(p.assign(planner, A, 2)).hasSize(2);
    }

    @Test
    void aBoundOfOneCopyKeepsTheTasksOnTheHolderEvenWhenItIsBusy() {
        Placed p = new Placed(reading(8, input(X, ONE_COPY))).worker(A, 2).worker(B, 1, X).worker(C, 2);
        assertThat(p.assign(planner, B, 1)).hasSize(1);
        assertThat(p.assign(planner, A, 2)).isEmpty();
        assertThat(p.assign(planner, C, 2)).isEmpty();
    }

    @Test
    void theFirstWorkerFetchesWhenNobodyHoldsTheData() {
        Placed p = new Placed(reading(8, input(X, ONE_COPY))).worker(A, 2).worker(B, 2);
        assertThat(p.assign(planner, A, 2)).hasSize(2);
    }

    @Test
    void aBoundOfTwoCopiesLetsASecondWorkerFetchThenNoThird() {
        Placed p = new Placed(reading(8, input(X, TWO_COPIES))).worker(A, 1, X).worker(B, 1).worker(C, 1);
        assertThat(p.assign(planner, B, 1)).hasSize(1); // one holder of two wanted: B may fetch
        p.cached.put(B, Set.of(X));
        assertThat(p.assign(planner, C, 1)).isEmpty();
        assertThat(p.assign(planner, A, 1)).hasSize(1);
    }

    @Test
    void aHolderNotSeenLatelyNoLongerHoldsWorkBack() {
        Placed p = new Placed(reading(8, input(X, ONE_COPY))).worker(A, 2).worker(B, 2, X);
        p.world.workers.put(B, new Worker(B, 2, NOW - Lifecycle.DEFAULT.workerLostAfter() - 1, 0));
        assertThat(p.assign(planner, A, 2)).hasSize(2);
    }

    @Test
    void holdersThatNeverTakeTheTasksHoldThemBackOnlyForAWhile() {
        // an attacker's keys claim to hold the input and never claim its tasks
        Placed p = new Placed(reading(8, input(X, ONE_COPY))).worker(A, 2).worker(B, 2, X);
        assertThat(p.assign(planner, A, 2)).isEmpty();
        p.placedAt.put(X, NOW - Lifecycle.DEFAULT.workerLostAfter());
        assertThat(p.assign(planner, A, 2)).hasSize(2);
    }

    @Test
    void aTaskEveryHolderAlreadyRanGoesToAnotherWorkerSoItReachesItsTrust() {
        Planner twoResults = new Planner(Lifecycle.DEFAULT, 100, 2); // the pool wants 2 agreeing results
        Placed p = new Placed(reading(1, input(X, ONE_COPY))).worker(A, 1).worker(B, 1, X);
        assertThat(p.assign(twoResults, B, 1)).hasSize(1);
        p.world.reveal(B, 0, "0x" + "1".repeat(64));
        assertThat(p.assign(twoResults, A, 1)).extracting(Replicate::worker).containsExactly(A);
    }

    @Test
    void aHolderTakesTheTasksThatReadItsDataFirst() {
        // a sweep whose even tasks read X and odd tasks read Y; B caches Y
        List<TaskSpec> tasks = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) tasks.add(new TaskSpec(null, List.of(input(i % 2 == 0 ? X : Y, AFFINITY))));
        DealView d = reading(4);
        DealView sweep = new DealView(d.dealId(), d.record(), d.app(), d.inputs(), d.args(), d.deadline(),
                d.wallTimeMillis(), null, new SweepSpec(tasks, null));
        Placed p = new Placed(sweep).worker(B, 2, Y).worker(A, 2, X);
        assertThat(p.assign(planner, B, 2)).extracting(r -> p.world.indexOf(r.taskId())).containsExactly(1L, 3L);
        assertThat(p.assign(planner, A, 2)).extracting(r -> p.world.indexOf(r.taskId())).containsExactly(0L, 2L);
    }

    @Test
    void aDirectiveOnAnInputWithoutChecksumIsIgnored() {
        Placed p = new Placed(reading(8, input(null, ONE_COPY))).worker(A, 2).worker(B, 2, X);
        assertThat(p.assign(planner, A, 2)).hasSize(2);
        assertThat(DataPlacement.placedInputs(p.world.deal, 0)).isEmpty();
    }

    @Test
    void keysAreTheCachesSha256Spelling() {
        assertThat(DataPlacement.key("0x" + X.toUpperCase())).isEqualTo(X);
        assertThat(DataPlacement.key(X)).isEqualTo(X);
        assertThat(DataPlacement.key("0x1234")).isNull();
        assertThat(DataPlacement.key("zz".repeat(32))).isNull();
    }
}
