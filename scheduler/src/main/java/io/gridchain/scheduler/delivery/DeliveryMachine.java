package io.gridchain.scheduler.delivery;

/**
 * The one place a delivery changes status: what an attempt's outcome makes of it, when the next attempt is due, and
 * when it gives up. Pure: no clock, no network, no files (the owner, {@link Deliveries}, brings those).
 *
 * <p>A failed delivery changes nothing else: the task stays certified and paid, and its result stays in the pool's
 * store, which every cause says.
 *
 * @param maxAttempts uploads tried before the delivery is FAILED
 * @param firstBackoffMillis the wait after the first failure; it doubles after each, up to {@code maxBackoffMillis}
 */
public record DeliveryMachine(int maxAttempts, long firstBackoffMillis, long maxBackoffMillis) {
    public static final DeliveryMachine DEFAULT = new DeliveryMachine(3, 1_000, 60_000);

    public DeliveryMachine {
        if (maxAttempts < 1) throw new IllegalArgumentException("maxAttempts must be at least 1");
        if (firstBackoffMillis < 0 || maxBackoffMillis < firstBackoffMillis) {
            throw new IllegalArgumentException("backoff must be 0 <= first <= max");
        }
    }

    /** The upload went through. */
    public TaskDelivery delivered(TaskDelivery d, long now) {
        return d.to(DeliveryStatus.DELIVERED, d.attempts() + 1, now, null);
    }

    /**
     * The upload to {@code where} failed with {@code error} (one line, e.g. {@code AccessDenied (403): Access
     * Denied}): RETRYING after a backoff while attempts remain, else FAILED with the cause the requester reads.
     */
    public TaskDelivery failed(TaskDelivery d, String where, String error, String pool, long now) {
        int attempts = d.attempts() + 1;
        if (attempts >= maxAttempts) {
            return d.to(DeliveryStatus.FAILED, attempts, now, "delivery to " + where + " failed after " + attempts
                    + (attempts == 1 ? " attempt: " : " attempts: ") + error + "; the result stays downloadable from pool "
                    + pool);
        }
        return d.to(DeliveryStatus.RETRYING, attempts, now + backoff(attempts), "attempt " + attempts + " of "
                + maxAttempts + " to deliver to " + where + " failed: " + error + "; trying again");
    }

    /**
     * The pool's store does not hold the result yet (its upload is still on its way): not an attempt, so it costs
     * none; the delivery waits as it is and looks again after the first backoff.
     */
    public TaskDelivery waiting(TaskDelivery d, long now) {
        return d.to(d.status(), d.attempts(), now + Math.max(firstBackoffMillis, 1),
                "waiting for the result to reach the pool's store");
    }

    /** The requester named a new target: the task goes again, to it, from the start. */
    public TaskDelivery retargeted(TaskDelivery d, long now) {
        return TaskDelivery.pending(d.dealId(), d.taskId(), d.index(), d.digest(), d.callback(), now);
    }

    /** The wait after the {@code failures}-th failure: the first backoff, doubled per failure after it, capped. */
    public long backoff(int failures) {
        long wait = firstBackoffMillis;
        for (int i = 1; i < failures && wait < maxBackoffMillis; i++) wait *= 2;
        return Math.min(wait, maxBackoffMillis);
    }
}
