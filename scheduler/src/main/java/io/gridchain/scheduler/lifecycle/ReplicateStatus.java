package io.gridchain.scheduler.lifecycle;

import java.util.EnumSet;
import java.util.Set;

/**
 * The replicate lifecycle (one task run by one worker), all in one place with {@link Lifecycle}.
 *
 * <pre>
 *  ASSIGNED ──commit──> COMMITTED ──reveal──> REVEALED
 *     │                    │
 *     ├──failure report──> FAILED
 *     ├──no heartbeat / too slow / not in the worker's heartbeat──> LOST   (its slot is freed; the task
 *     │                                                            may go to any worker again, this one too)
 *     └──task no longer needs it──> CANCELLED   (consensus predictable, task failed or finalized)
 *  COMMITTED ──no reveal in time / not in the worker's heartbeat──> LOST
 *  REVEALED ──its worker does not sign it, alone in a batch, in time──> LOST   (the worker lost its state, or
 *                                                      withholds; the task needs another result)
 * </pre>
 */
public enum ReplicateStatus {
    ASSIGNED,
    COMMITTED,
    REVEALED,
    FAILED,
    LOST,
    CANCELLED;

    public Set<ReplicateStatus> next() {
        return switch (this) {
            case ASSIGNED -> EnumSet.of(COMMITTED, FAILED, LOST, CANCELLED);
            case COMMITTED -> EnumSet.of(REVEALED, LOST, CANCELLED);
            case REVEALED -> EnumSet.of(LOST);
            case FAILED, LOST, CANCELLED -> EnumSet.noneOf(ReplicateStatus.class);
        };
    }

    public boolean canMoveTo(ReplicateStatus target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    /** Holds one of its worker's slots. */
    public boolean holdsSlot() {
        return this == ASSIGNED || this == COMMITTED;
    }
}
