package io.gridchain.scheduler.delivery;

/**
 * One certified task's delivery to its deal's target, as stored.
 *
 * @param digest the certified digest: what the pool's store keeps the result under
 * @param callback whether the result is a callback deal's raw data (named {@code result.bin})
 * @param attempts the uploads tried and failed so far
 * @param nextAt when the next attempt is due (ms, the scheduler's clock)
 * @param cause why it is not DELIVERED yet (one line), else null
 */
public record TaskDelivery(String dealId, String taskId, long index, String digest, boolean callback,
        DeliveryStatus status, int attempts, long nextAt, String cause) {

    public static TaskDelivery pending(String dealId, String taskId, long index, String digest, boolean callback,
            long now) {
        return new TaskDelivery(dealId, taskId.toLowerCase(), index, digest, callback, DeliveryStatus.PENDING, 0, now,
                null);
    }

    TaskDelivery to(DeliveryStatus next, int attemptsNow, long at, String why) {
        if (!status.canMoveTo(next)) {
            throw new IllegalStateException("delivery of task " + taskId + ": " + status + " -> " + next);
        }
        return new TaskDelivery(dealId, taskId, index, digest, callback, next, attemptsNow, at, why);
    }

    public boolean due(long now) {
        return !status.terminal() && nextAt <= now;
    }
}
