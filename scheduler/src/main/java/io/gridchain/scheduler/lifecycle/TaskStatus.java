package io.gridchain.scheduler.lifecycle;

import java.util.EnumSet;
import java.util.Set;

/**
 * The task lifecycle, all in one place: each status, the statuses it may move to, and how long a
 * task may stay in it ({@link Lifecycle#taskTimeout}).
 *
 * <pre>
 *  PENDING ──assign──> RUNNING ──winner reaches trust──> CONSENSUS ──batch sent──> FINALIZING ──mined──> FINALIZED
 *     │                   │                                  ▲                        │
 *     │                   ├──every replica failed alike──> FAILED                     └──tx failed──> CONSENSUS
 *     └───────────────────┴──deal deadline────────────────> FAILED
 *     └───────────────────┴──deal removed by a reorganisation──> FAILED (DEAL_REMOVED; from CONSENSUS too)
 * </pre>
 *
 * A deal a reorganisation removed ({@code DealRemoval}) fails its PENDING, RUNNING and CONSENSUS tasks with
 * {@link FailureCause#DEAL_REMOVED} and cancels their replicates; a FINALIZING task waits for its batch to end (the
 * hub refuses a batch of a deal it does not know), then fails the same way.
 *
 * A CONSENSUS task whose result the pool backtracks (its backers were caught lying before it went into a batch,
 * see ReplicationPolicy#released) goes back to RUNNING.
 *
 * A FINALIZING task is in a batch ({@link BatchStatus}): its transaction is sent, or about to be. FINALIZED and
 * FAILED are terminal: nothing the scheduler does moves such a task on, so it leaves the scheduler's memory and
 * its store's live set. A FAILED task's refund is the requester's to claim on-chain after the deadline; the
 * scheduler never watches claims, so it keeps no status for them (the on-chain status says CLAIMED).
 */
public enum TaskStatus {
    /** Created from the deal; no replica assigned yet. */
    PENDING,
    /** Replicas are assigned, running, committed or revealed; no result has reached the trust yet. */
    RUNNING,
    /** One digest reached the deal's trust; waiting to be put in a batch (a lone result is held first). */
    CONSENSUS,
    /** In a finalizeBatch transaction that has not been mined yet. */
    FINALIZING,
    /** Certified on-chain. Terminal. */
    FINALIZED,
    /** Cannot be certified (typed cause); the requester claims a refund on-chain after the deadline. Terminal. */
    FAILED;

    public Set<TaskStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(CONSENSUS, FAILED);
            case CONSENSUS -> EnumSet.of(FINALIZING, FAILED, RUNNING);
            case FINALIZING -> EnumSet.of(FINALIZED, CONSENSUS);
            case FINALIZED, FAILED -> EnumSet.noneOf(TaskStatus.class);
        };
    }

    public boolean canMoveTo(TaskStatus target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }


    /** Still needs replicas or their results. */
    public boolean open() {
        return this == PENDING || this == RUNNING;
    }
}
