package io.gridchain.scheduler.lifecycle;

import java.util.EnumSet;
import java.util.Set;

/**
 * The lifecycle of a batch (one finalizeBatch transaction in the making), all in one place with {@link Lifecycle}.
 * Its tasks are CONSENSUS while it waits, FINALIZING once it is PREPARED and until it ends.
 *
 * <pre>
 *  AWAITING_SIGNATURES ──every signature in──> PREPARED ──tasks saved FINALIZING──> SENT ──mined──> CERTIFIED
 *        │                                        │                                  ├──reverted──> REFUSED
 *        └──sign timeout──> SPLIT                 └──save failed──> DROPPED          ├──no answer in time──> UNANSWERED
 *                                                                                    └──mined, confirmations wanted──> MINED
 *  MINED ──confirmations deep, still on the chain──> CERTIFIED
 *    └──removed by a reorganisation──> SENT (sent again; a task the chain finalized meanwhile counts as done)
 * </pre>
 *
 * SPLIT and REFUSED (of several tasks) send their tasks again, each in a batch of its own; a lone task REFUSED
 * fails. DROPPED and UNANSWERED put their tasks back in CONSENSUS, the latter after asking the chain which of them
 * were certified all the same.
 */
public enum BatchStatus {
    AWAITING_SIGNATURES,
    PREPARED,
    SENT,
    MINED,
    CERTIFIED,
    REFUSED,
    UNANSWERED,
    SPLIT,
    DROPPED;

    public Set<BatchStatus> next() {
        return switch (this) {
            case AWAITING_SIGNATURES -> EnumSet.of(PREPARED, SPLIT);
            case PREPARED -> EnumSet.of(SENT, DROPPED);
            case SENT -> EnumSet.of(MINED, CERTIFIED, REFUSED, UNANSWERED);
            case MINED -> EnumSet.of(CERTIFIED, SENT);
            case CERTIFIED, REFUSED, UNANSWERED, SPLIT, DROPPED -> EnumSet.noneOf(BatchStatus.class);
        };
    }

    public boolean canMoveTo(BatchStatus target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }
}
