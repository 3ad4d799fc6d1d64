package io.gridchain.scheduler.workers;

import static io.gridchain.scheduler.Fixtures.A;
import static io.gridchain.scheduler.Fixtures.B;
import static io.gridchain.scheduler.Fixtures.C;
import static io.gridchain.scheduler.Fixtures.NOW;
import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.scheduler.Fixtures;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.RecordingStore;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The public list of the workers alive: the scheduler's own rule for a lost worker, busy slots, address order. */
class WorkerViewTest {
    private static final long LOST_AFTER = Lifecycle.DEFAULT.workerLostAfter();

    @Test
    void listsTheWorkersHeardFromWithinTheLostTimeoutByAddressWithTheirBusySlots() {
        List<Worker> workers = List.of(
                new Worker(C, 4, NOW - LOST_AFTER, 0),
                new Worker(A, 2, NOW, 0),
                new Worker(B, 8, NOW - LOST_AFTER - 1, 0));

        Map<String, Integer> busy = Map.of(A, 1, B, 5, C, 3);
        assertThat(WorkerView.alive(workers, busy::get, NOW, LOST_AFTER)).containsExactly(
                new WorkerView(A, 2, 1, NOW),
                new WorkerView(C, 4, 3, NOW - LOST_AFTER));
    }

    @Test
    void aWorkerHoldingNoSlotIsListedIdle() {
        List<WorkerView> alive = WorkerView.alive(List.of(new Worker(A, 2, NOW, 0)), w -> 0, NOW, LOST_AFTER);
        assertThat(alive).singleElement().extracting(WorkerView::busy).isEqualTo(0);
    }

    @Test
    void noWorkerAliveIsAnEmptyList() {
        assertThat(WorkerView.alive(List.of(new Worker(A, 2, NOW - LOST_AFTER - 1, 0)), w -> 0, NOW, LOST_AFTER))
                .isEmpty();
    }

    @Test
    void busyCountsTheReplicatesHoldingASlotInTheLiveState() {
        DealView deal = Fixtures.deal(Fixtures.dealId(1), 3, 1, 10);
        List<Task> tasks = Fixtures.tasksOf(deal).stream().map(t -> t.moveTo(TaskStatus.RUNNING, NOW)).toList();
        Replicate assigned = Replicate.assigned(tasks.get(0).taskId(), deal.dealId(), A, NOW);
        Replicate committed = Replicate.assigned(tasks.get(1).taskId(), deal.dealId(), A, NOW)
                .committed("0x" + "1".repeat(64), "0x" + "5".repeat(130), NOW);
        Replicate revealed = Fixtures.revealed(tasks.get(2), A, Fixtures.digest(1));
        try (Applier applier = new Applier(new RecordingStore())) {
            List<WorkerView> alive;
            synchronized (applier.lock()) {
                applier.apply(Changes.deal(deal, tasks, 1));
                applier.apply(new Changes(List.of(), List.of(assigned, committed, revealed),
                        List.of(new Worker(A, 4, NOW, 0), new Worker(B, 1, NOW, 0))));
                alive = WorkerView.alive(applier.live().workers().values(), applier.live()::busy, NOW, LOST_AFTER);
            }
            // the revealed replicate gave its slot back; the assigned and the committed ones hold theirs
            assertThat(alive).containsExactly(new WorkerView(A, 4, 2, NOW), new WorkerView(B, 1, 0, NOW));
            assertThat(alive.get(0).busy()).isEqualTo(applier.live().holdingSlotOf(A).size());
        }
    }
}
