package io.gridchain.scheduler.live;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The live state and its applier over a store that records what it is given. */
class ApplierTest {
    private final RecordingStore store = new RecordingStore();
    private final DealView deal = Fixtures.deal(Fixtures.dealId(1), 2, 1, 10);
    private final List<Task> tasks = Fixtures.tasksOf(deal);
    private Applier applier = new Applier(store);

    @AfterEach
    void close() {
        applier.close();
    }

    private void apply(Changes changes) {
        synchronized (applier.lock()) {
            applier.apply(changes);
        }
        applier.saved(applier.queued());
    }

    @Test
    void aDealItsTasksAndTheCursorAreSavedInOneChange() {
        apply(Changes.deal(deal, tasks, 7));

        assertThat(store.commits).singleElement().satisfies(c -> {
            assertThat(c.deals()).containsExactly(deal);
            assertThat(c.tasks()).containsExactlyElementsOf(tasks);
            assertThat(c.cursor()).isEqualTo(7L);
        });
        assertThat(applier.live().cursor()).isEqualTo(7);
        assertThat(applier.live().task(tasks.get(1).taskId())).isEqualTo(tasks.get(1));
    }

    @Test
    void aFailedTaskLeavesMemoryWithItsReplicatesAndTheirStake() {
        apply(Changes.deal(deal, tasks, 1));
        Task running = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW);
        Replicate revealed = Fixtures.revealed(running, A, Fixtures.digest(1));
        apply(new Changes(List.of(running), List.of(revealed), List.of()));
        assertThat(applier.live().stakedBy(A)).isEqualTo(BigInteger.TEN);

        Task failed = running.failed(FailureCause.DEADLINE, "late", NOW);
        apply(Changes.of(List.of(failed), List.of()));

        assertThat(applier.live().task(failed.taskId())).isNull();
        assertThat(applier.live().replicate(revealed.id())).isNull();
        assertThat(applier.live().stakedBy(A)).isEqualTo(BigInteger.ZERO);
        assertThat(applier.savedTask(failed.taskId())).contains(failed);
    }

    @Test
    void aRestartLeavesFailedTasksOutOfMemory() {
        Task failed = tasks.get(0).failed(FailureCause.TRAP, "trap", NOW);
        store.commit(Changes.deal(deal, tasks, 1));
        store.commit(Changes.of(List.of(failed), List.of()));
        applier.close();

        applier = new Applier(store);

        assertThat(applier.live().task(failed.taskId())).isNull();
        assertThat(applier.live().task(tasks.get(1).taskId())).isEqualTo(tasks.get(1));
        assertThat(applier.live().deals()).containsKey(deal.dealId());
    }

    @Test
    void spotCheckOutcomesAreSavedThroughTheGroupCommitAndAddUp() {
        apply(Changes.spotChecks(Map.of(A, new SpotCheckRecord(2, 0))));
        apply(Changes.spotChecks(Map.of(A, new SpotCheckRecord(1, 1))));

        assertThat(store.spotChecks()).containsEntry(A, new SpotCheckRecord(3, 1));
        assertThat(applier.live().spotChecks(A)).isEqualTo(new SpotCheckRecord(3, 1));
    }

    @Test
    void aCaughtWorkerHasTheRunningTasksDecidedAgain() {
        apply(Changes.deal(deal, tasks, 1));
        Task running = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW);
        apply(Changes.of(List.of(running), List.of()));
        synchronized (applier.lock()) {
            applier.live().toDecide(NOW, 0, Lifecycle.DEFAULT);
        }

        apply(Changes.spotChecks(Map.of(A, new SpotCheckRecord(0, 1))));

        synchronized (applier.lock()) {
            assertThat(applier.live().toDecide(NOW, 0, Lifecycle.DEFAULT))
                    .containsExactly(running);
        }
    }

    @Test
    void aCaughtWorkerHasTheCertifiedTasksNotYetInABatchDecidedAgain() {
        // its results held before their batch may have to be backtracked
        apply(Changes.deal(deal, tasks, 1));
        Task running = tasks.get(0).moveTo(TaskStatus.RUNNING, NOW);
        Task certified = running.withConsensus(Fixtures.digest(1), NOW);
        apply(Changes.of(List.of(certified), List.of()));
        synchronized (applier.lock()) {
            applier.live().toDecide(NOW, 0, Lifecycle.DEFAULT);
            assertThat(applier.live().toDecide(NOW, 0, Lifecycle.DEFAULT)).as("nothing changed").isEmpty();
        }

        apply(Changes.spotChecks(Map.of(A, new SpotCheckRecord(1, 0))));
        synchronized (applier.lock()) {
            assertThat(applier.live().toDecide(NOW, 0, Lifecycle.DEFAULT)).as("a passed check").isEmpty();
        }
        apply(Changes.spotChecks(Map.of(A, new SpotCheckRecord(0, 1))));
        synchronized (applier.lock()) {
            assertThat(applier.live().toDecide(NOW, 0, Lifecycle.DEFAULT)).containsExactly(certified);
        }
    }

    @Test
    void changesAreAppliedUnderTheLockOnly() {
        assertThatThrownBy(() -> applier.apply(Changes.cursor(3))).isInstanceOf(IllegalStateException.class);
        assertThat(store.commits).isEmpty();
    }
}
