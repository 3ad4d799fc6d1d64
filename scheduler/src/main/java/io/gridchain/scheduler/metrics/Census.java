package io.gridchain.scheduler.metrics;

import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.util.EnumMap;
import java.util.Map;

/**
 * What the scheduler holds at one moment, counted for a scrape: workers alive and their slots, live tasks and
 * replicates by status, and the deal scan's cursor. Taken under the scheduler's lock, so it is one consistent moment;
 * a count, never a copy of the state.
 */
public record Census(int workersAlive, long slotsAlive, Map<TaskStatus, Long> tasks,
        Map<ReplicateStatus, Long> replicates, long cursor) {

    /** Counts {@code live} (call under the scheduler's lock); a worker heard from within {@code lostAfterMillis}. */
    public static Census of(LiveState live, long now, long lostAfterMillis) {
        int alive = 0;
        long slots = 0;
        for (Worker w : live.workers().values()) {
            if (now - w.lastSeen() > lostAfterMillis) continue;
            alive++;
            slots += w.slots();
        }
        Map<TaskStatus, Long> tasks = new EnumMap<>(TaskStatus.class);
        for (TaskStatus s : TaskStatus.values()) tasks.put(s, 0L);
        for (Task t : live.tasks()) tasks.merge(t.status(), 1L, Long::sum);
        Map<ReplicateStatus, Long> replicates = new EnumMap<>(ReplicateStatus.class);
        for (ReplicateStatus s : ReplicateStatus.values()) replicates.put(s, 0L);
        for (Replicate r : live.replicates()) replicates.merge(r.status(), 1L, Long::sum);
        return new Census(alive, slots, tasks, replicates, live.cursor());
    }

    /** Before the first scrape. */
    static Census empty() {
        return new Census(0, 0, Map.of(), Map.of(), 0);
    }
}
