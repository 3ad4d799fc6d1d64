package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.model.Task;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Cuts a planned batch so that each task marked solo goes alone. A batch fails as a whole (one worker that does not
 * sign, one entry the hub refuses), so a task whose batch could not be signed or was refused is tried on its own:
 * then only its own fault can stop it, and the tasks that shared its batch go on without it.
 */
public final class BatchSplit {
    private BatchSplit() {}

    /** The solo tasks each in a list of their own, in order, then the others together (if any). */
    public static List<List<Task>> split(List<Task> batch, Set<String> solo) {
        List<List<Task>> out = new ArrayList<>();
        List<Task> shared = new ArrayList<>();
        for (Task t : batch) {
            if (solo.contains(t.taskId())) out.add(List.of(t));
            else shared.add(t);
        }
        if (!shared.isEmpty()) out.add(shared);
        return out;
    }
}
