package io.gridchain.scheduler.lifecycle;

/**
 * The timeout of every state, in one place. Times are in milliseconds of scheduler clock; the
 * deal's own deadline (a chain timestamp) bounds everything and is enforced by the planner.
 *
 * @param heartbeatMillis how often workers report; a worker silent for {@code 3 x heartbeat} is lost
 * @param fetchGraceMillis time a replicate may spend downloading before its app's wall time starts
 * @param revealMillis time a committed replicate has to reveal once asked
 * @param batchDelayMillis longest a task waits in CONSENSUS for more tasks to share its batch
 * @param receiptMillis longest a batch transaction may stay unanswered before its tasks are reconciled with the
 *     chain and retried
 */
public record Lifecycle(long heartbeatMillis, long fetchGraceMillis, long revealMillis, long batchDelayMillis,
        long receiptMillis) {

    public static final Lifecycle DEFAULT = new Lifecycle(2_000, 30_000, 30_000, 200, 60_000);

    /** A worker not heard from for this long is lost, and its replicates with it. */
    public long workerLostAfter() {
        return 3 * heartbeatMillis;
    }

    /** How long a replicate may stay in {@code status}, given the app's wall time. */
    public long replicateTimeout(ReplicateStatus status, long wallTimeMillis) {
        return switch (status) {
            case ASSIGNED -> fetchGraceMillis + wallTimeMillis;
            case COMMITTED -> revealMillis;
            case REVEALED, FAILED, LOST, CANCELLED -> Long.MAX_VALUE;
        };
    }

    /** How long a task may stay in {@code status} before the planner acts (the deal deadline bounds the others). */
    public long taskTimeout(TaskStatus status) {
        return switch (status) {
            case CONSENSUS -> batchDelayMillis;
            case FINALIZING -> receiptMillis;
            case PENDING, RUNNING, FINALIZED, FAILED -> Long.MAX_VALUE;
        };
    }

    /**
     * How long a batch may stay in {@code status}. The sign timeout is the pool's option rather than a lifecycle
     * fact, so it is passed in. A SENT batch holds FINALIZING tasks, so it shares their timeout.
     */
    public long batchTimeout(BatchStatus status, long signTimeoutMillis) {
        return switch (status) {
            case AWAITING_SIGNATURES -> signTimeoutMillis;
            case SENT -> taskTimeout(TaskStatus.FINALIZING);
            case PREPARED, MINED, CERTIFIED, REFUSED, UNANSWERED, SPLIT, DROPPED -> Long.MAX_VALUE;
        };
    }
}
