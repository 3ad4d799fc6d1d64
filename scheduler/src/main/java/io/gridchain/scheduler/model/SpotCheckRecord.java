package io.gridchain.scheduler.model;

/**
 * What the pool itself verified about a worker: known-answer checks it passed, and times it was
 * caught returning a wrong result (a failed known-answer check, or a result that lost a consensus
 * the pool certified). Kept by the pool, off-chain; the chain keeps the score.
 */
public record SpotCheckRecord(long passed, long failed) {
    public static final SpotCheckRecord NONE = new SpotCheckRecord(0, 0);

    public SpotCheckRecord plus(SpotCheckRecord other) {
        return new SpotCheckRecord(passed + other.passed, failed + other.failed);
    }

    public SpotCheckRecord after(boolean pass) {
        return pass ? new SpotCheckRecord(passed + 1, failed) : new SpotCheckRecord(passed, failed + 1);
    }

    public boolean caught() {
        return failed > 0;
    }
}
