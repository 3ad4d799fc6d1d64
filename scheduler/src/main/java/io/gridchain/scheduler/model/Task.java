package io.gridchain.scheduler.model;

import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.TaskStatus;

/**
 * A task of a deal as the scheduler tracks it.
 *
 * @param digest the consensus digest once the task reached CONSENSUS, else null
 * @param cause and {@code message}: why it FAILED, or the app's failure its workers agreed on when the task
 *     certifies a failure (from CONSENSUS on: the requester pays for that run), else null
 * @param since when it entered its status (scheduler clock, ms)
 * @param batch the id of the batch transaction it is in while FINALIZING or FINALIZED, else null
 */
public record Task(String taskId, String dealId, long index, TaskStatus status, String digest, FailureCause cause,
        String message, long since, String batch) {

    public static Task pending(String taskId, String dealId, long index, long now) {
        return new Task(taskId, dealId, index, TaskStatus.PENDING, null, null, null, now, null);
    }

    public Task moveTo(TaskStatus to, long now) {
        if (!status.canMoveTo(to)) throw new IllegalStateException("task " + taskId + ": " + status + " -> " + to);
        return new Task(taskId, dealId, index, to, digest, cause, message, now, batch);
    }

    public Task withConsensus(String consensusDigest, long now) {
        return new Task(taskId, dealId, index, TaskStatus.CONSENSUS, consensusDigest, null, null, now, null)
                .checkedFrom(status);
    }

    /** Back to RUNNING from CONSENSUS: the result was backtracked before it went to the chain (its backers lied). */
    public Task reopened(long now) {
        return new Task(taskId, dealId, index, TaskStatus.RUNNING, null, null, null, now, null).checkedFrom(status);
    }

    /**
     * In CONSENSUS on a failure digest: the workers agree the app fails this way, which the pool certifies like a
     * result (issue 14, guarantee 1).
     */
    public Task certifyingFailure(FailureCause failure, String why) {
        if (status != TaskStatus.CONSENSUS) throw new IllegalStateException("task " + taskId + " is " + status);
        return new Task(taskId, dealId, index, status, digest, failure, why, since, batch);
    }

    public Task failed(FailureCause failure, String why, long now) {
        return new Task(taskId, dealId, index, TaskStatus.FAILED, null, failure, why, now, batch).checkedFrom(status);
    }

    public Task inBatch(String batchId, long now) {
        return new Task(taskId, dealId, index, TaskStatus.FINALIZING, digest, cause, message, now, batchId)
                .checkedFrom(status);
    }

    /** Certified on-chain by {@code transaction}, which the requester's view shows. */
    public Task certified(String transaction, long now) {
        return new Task(taskId, dealId, index, TaskStatus.FINALIZED, digest, cause, message, now, transaction)
                .checkedFrom(status);
    }

    private Task checkedFrom(TaskStatus from) {
        if (!from.canMoveTo(status)) throw new IllegalStateException("task " + taskId + ": " + from + " -> " + status);
        return this;
    }
}
