package io.gridchain.scheduler.lifecycle;

import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;

/**
 * What becomes of a deal's live tasks when a reorganisation removed the block that created it: the lifecycle's
 * transition for a deal that no longer exists. Tasks not in a batch fail ({@link FailureCause#DEAL_REMOVED}) and
 * their replicates holding a slot are CANCELLED, so workers stop and their slots free; a FINALIZING task is left to
 * its batch (whose transaction the hub refuses) and is removed once the batch has put it back in CONSENSUS.
 */
public final class DealRemoval {
    /** The changes to apply, and whether FINALIZING tasks are left to remove later. */
    public record Outcome(List<Task> tasks, List<Replicate> replicates, boolean waiting) {}

    static final String WHY = "the deal was removed from the chain by a reorganisation";

    private DealRemoval() {}

    /** The changes that abandon {@code tasks} (the deal's live tasks) cleanly. */
    public static Outcome of(Collection<Task> tasks, Function<String, List<Replicate>> replicatesOf, long now) {
        List<Task> failed = new ArrayList<>();
        List<Replicate> cancelled = new ArrayList<>();
        boolean waiting = false;
        for (Task t : tasks) {
            if (t.status().terminal()) continue;
            if (t.status() == TaskStatus.FINALIZING) {
                waiting = true;
                continue;
            }
            for (Replicate r : replicatesOf.apply(t.taskId())) {
                if (r.status().holdsSlot()) {
                    cancelled.add(r.ended(ReplicateStatus.CANCELLED, FailureCause.DEAL_REMOVED, WHY, now));
                }
            }
            failed.add(t.failed(FailureCause.DEAL_REMOVED, WHY, now));
        }
        return new Outcome(failed, cancelled, waiting);
    }
}
