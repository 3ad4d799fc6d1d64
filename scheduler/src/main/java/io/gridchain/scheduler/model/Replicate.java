package io.gridchain.scheduler.model;

import io.gridchain.scheduler.lifecycle.FailureCause;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;

/**
 * One run of a task by one worker. A worker never holds two replicas of the same task at once, and gets
 * one again only after its earlier one was LOST (which never counted): its id then carries the attempt.
 *
 * @param commitment the worker's one-entry chain value, and {@code signature} its EIP-712 signature (the commit)
 * @param digest the revealed digest
 * @param since when it entered its status (ms)
 */
public record Replicate(String id, String taskId, String dealId, String worker, ReplicateStatus status,
        String commitment, String signature, String digest, FailureCause cause, String message, long since) {

    public static String idOf(String taskId, String worker) {
        return taskId.substring(2, 18) + "-" + worker.substring(2).toLowerCase();
    }

    public static Replicate assigned(String taskId, String dealId, String worker, long now) {
        return assigned(taskId, dealId, worker, 0, now);
    }

    /** The {@code attempt}-th assignment of the task to the worker (0 for the first). */
    public static Replicate assigned(String taskId, String dealId, String worker, int attempt, long now) {
        String id = attempt == 0 ? idOf(taskId, worker) : idOf(taskId, worker) + "-" + attempt;
        return new Replicate(id, taskId, dealId, worker.toLowerCase(), ReplicateStatus.ASSIGNED,
                null, null, null, null, null, now);
    }

    public Replicate committed(String chain, String sig, long now) {
        return with(ReplicateStatus.COMMITTED, chain, sig, digest, null, null, now);
    }

    public Replicate revealed(String revealed, long now) {
        return with(ReplicateStatus.REVEALED, commitment, signature, revealed, null, null, now);
    }

    public Replicate ended(ReplicateStatus to, FailureCause failure, String why, long now) {
        return with(to, commitment, signature, digest, failure, why, now);
    }

    private Replicate with(ReplicateStatus to, String c, String s, String d, FailureCause f, String m, long now) {
        if (!status.canMoveTo(to)) throw new IllegalStateException("replicate " + id + ": " + status + " -> " + to);
        return new Replicate(id, taskId, dealId, worker, to, c, s, d, f, m, now);
    }
}
