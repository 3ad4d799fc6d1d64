package io.gridchain.scheduler.model;

/**
 * A worker registered with the pool.
 *
 * @param slots how many replicates it runs at once (never exceeded)
 * @param lastSeen the scheduler time of its last authenticated request (ms)
 * @param lastNonce the highest request nonce accepted from it (replay protection)
 */
public record Worker(String address, int slots, long lastSeen, long lastNonce) {
    public Worker seen(long now, long nonce) {
        return new Worker(address, slots, Math.max(lastSeen, now), Math.max(lastNonce, nonce));
    }
}
