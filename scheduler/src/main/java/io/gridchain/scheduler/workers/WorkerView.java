package io.gridchain.scheduler.workers;

import io.gridchain.scheduler.model.Worker;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * What anyone may see of a worker alive in the pool ({@code GET /v1/workers}, for the explorer): its slots and how
 * many are taken. Never which tasks it runs, nor whom it shares them with: that would help colluders find each other.
 *
 * @param busy replicates holding one of its slots (assigned, or committed and waiting for their reveal)
 * @param lastSeen the scheduler time of its last authenticated request (ms)
 */
public record WorkerView(String worker, int slots, int busy, long lastSeen) {

    /**
     * The workers heard from within {@code lostAfterMillis} of {@code now}, by address: the planner's own rule
     * for a lost worker, so the list shows exactly the workers the scheduler still gives work to.
     */
    public static List<WorkerView> alive(Collection<Worker> workers, ToIntFunction<String> busy, long now,
            long lostAfterMillis) {
        return workers.stream()
                .filter(w -> now - w.lastSeen() <= lostAfterMillis)
                .map(w -> new WorkerView(w.address(), w.slots(), busy.applyAsInt(w.address()), w.lastSeen()))
                .sorted(Comparator.comparing(WorkerView::worker))
                .toList();
    }
}
