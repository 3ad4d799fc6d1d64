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
 *     └───────────────────┴──deal deadline────────────────> FAILED ──claimed on-chain──> CLAIMED
 * </pre>
 *
 * A FINALIZING task is in a batch ({@link BatchStatus}): its transaction is sent, or about to be. A FAILED task
 * has {@link #ended} for the scheduler: the claim that moves it on is the requester's, on-chain.
 */
public enum TaskStatus {
    /** Created from the deal; no replica assigned yet. */
    PENDING,
    /** Replicas are assigned, running, committed or revealed; no result has reached the trust yet. */
    RUNNING,
    /** One digest reached the deal's trust; waiting to be put in a batch. */
    CONSENSUS,
    /** In a finalizeBatch transaction that has not been mined yet. */
    FINALIZING,
    /** Certified on-chain. Terminal. */
    FINALIZED,
    /** Cannot be certified (typed cause); the requester claims a refund after the deadline. */
    FAILED,
    /** Refunded on-chain. Terminal. */
    CLAIMED;

    public Set<TaskStatus> next() {
        return switch (this) {
            case PENDING -> EnumSet.of(RUNNING, FAILED);
            case RUNNING -> EnumSet.of(CONSENSUS, FAILED);
            case CONSENSUS -> EnumSet.of(FINALIZING, FAILED);
            case FINALIZING -> EnumSet.of(FINALIZED, CONSENSUS);
            case FAILED -> EnumSet.of(CLAIMED);
            case FINALIZED, CLAIMED -> EnumSet.noneOf(TaskStatus.class);
        };
    }

    public boolean canMoveTo(TaskStatus target) {
        return next().contains(target);
    }

    public boolean terminal() {
        return next().isEmpty();
    }

    /**
     * Nothing the scheduler does moves the task on, so it leaves the scheduler's memory: it is terminal, or FAILED
     * (only the requester's claim on-chain moves a FAILED task to CLAIMED, and the scheduler never watches claims).
     * The store keeps FAILED tasks among its live ones (their claim is still to come); the scheduler skips them.
     */
    public boolean ended() {
        return terminal() || this == FAILED;
    }

    /** Still needs replicas or their results. */
    public boolean open() {
        return this == PENDING || this == RUNNING;
    }
}
