package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.model.Replicate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * What a worker's heartbeat (the replicates it says it runs) means against what the scheduler believes it holds.
 * A worker and its scheduler drift apart when an answer is lost or either restarts; the heartbeat brings them back
 * together: the worker stops what the scheduler no longer needs, and the scheduler gives up what the worker forgot.
 */
public final class HeartbeatReconciliation {
    /**
     * @param cancel replicates the worker runs that the scheduler does not need from it (to stop)
     * @param forgotten replicates the scheduler believed the worker held and it no longer does, now LOST
     * @param reveal committed replicates (and known-answer checks) the worker still holds and should reveal
     */
    public record Outcome(List<String> cancel, List<Replicate> forgotten, List<String> reveal) {}

    private final Planner planner;

    public HeartbeatReconciliation(Planner planner) {
        this.planner = planner;
    }

    /**
     * @param running the replicates the heartbeat lists
     * @param known the scheduler's replicate of an id, or null
     * @param isCheck whether an id is one of the worker's known-answer checks (which are never cancelled)
     * @param believed the worker's replicates holding a slot, as the scheduler sees them
     * @param committedChecks the worker's known-answer checks waiting for their reveal
     */
    public Outcome reconcile(String worker, Collection<String> running, Function<String, Replicate> known,
            Predicate<String> isCheck, List<Replicate> believed, List<String> committedChecks, long now) {
        Set<String> mine = new HashSet<>();
        List<String> cancel = new ArrayList<>();
        for (String id : running) {
            Replicate r = known.apply(id);
            if (isCheck.test(id)) mine.add(id);
            else if (r == null || !r.worker().equals(worker) || !r.status().holdsSlot()) cancel.add(id);
            else mine.add(id);
        }
        List<Replicate> forgotten = planner.forgotten(believed, mine, now);
        List<String> reveal = new ArrayList<>(committedChecks);
        for (Replicate r : believed) {
            if (r.status() == ReplicateStatus.COMMITTED && mine.contains(r.id())) reveal.add(r.id());
        }
        return new Outcome(cancel, forgotten, reveal);
    }
}
