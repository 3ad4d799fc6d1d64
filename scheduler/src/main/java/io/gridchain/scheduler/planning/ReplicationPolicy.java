package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.model.SpotCheckRecord;
import java.util.Collection;

/**
 * The pool's sabotage-tolerance policy (Sarmenta 2002, credibility-based fault tolerance with
 * spot-checking and blacklisting). It never certifies anything: the chain's rule does. It decides how
 * many replicas a task gets and from whom, so that what the pool submits is right with probability at
 * least {@code 1 - 1/trust} even against saboteurs whose weight on the chain looks fine.
 *
 * <p>A worker that survived {@code k} verifications (passed known-answer checks plus its on-chain
 * score, i.e. consensus wins) without ever being caught is honest with credibility
 * {@code 1 - f / ((1 - f) k e)}: with blacklisting, a saboteur lying at rate s survives k checks with
 * probability {@code (1-s)^k}, and {@code s (1-s)^k <= 1/(k e)} whatever s. A fresh worker (k = 0) is
 * honest with the prior {@code 1 - f}. Credibilities are used as odds {@code Cr / (1 - Cr)}; a group
 * of agreeing workers has the product of their odds, and a result's credibility is
 * {@code group / (1 + sum of all groups)}, the same form as the chain's rule, checked against the same trust.
 * A worker ever caught lying has no credibility: its results are ignored and, with {@code blacklist},
 * it gets no work.
 *
 * @param assumedSaboteurs f, the largest fraction of saboteurs the pool assumes among its workers (0 disables the
 *     pool's own check: only the chain's rule decides)
 * @param spotCheckRate q, the probability that a claim is answered with a known-answer task
 * @param blacklist whether a worker caught lying is refused work
 * @param establishedAfter verifications (k) from which a worker is in the established class: a task that
 *     already has a live replica from a newcomer is not given to another newcomer while an established
 *     worker has a free slot (two newcomers could be colluders vouching for each other)
 */
public record ReplicationPolicy(double assumedSaboteurs, double spotCheckRate, boolean blacklist,
        long establishedAfter) {

    /** Only the chain's rule decides, whoever asks first gets the work (the behaviour before this policy). */
    public static final ReplicationPolicy CHAIN_ONLY = new ReplicationPolicy(0, 0, false, 0);

    /** Values a pool can start from: f = 0.35, 5 % spot-checks, blacklisting, established after 100 verifications. */
    public static final ReplicationPolicy DEFAULT = new ReplicationPolicy(0.35, 0.05, true, 100);

    private static final double CAP = 1e300;

    public ReplicationPolicy {
        if (!(assumedSaboteurs >= 0 && assumedSaboteurs < 1)) {
            throw new IllegalArgumentException("assumed saboteur fraction must be in [0, 1), got " + assumedSaboteurs);
        }
        if (!(spotCheckRate >= 0 && spotCheckRate < 1)) {
            throw new IllegalArgumentException("spot-check rate must be in [0, 1), got " + spotCheckRate);
        }
        if (establishedAfter < 0) throw new IllegalArgumentException("establishedAfter must be >= 0");
    }

    public boolean active() {
        return assumedSaboteurs > 0;
    }

    /** Verifications a worker survived: passed known-answer checks plus its on-chain score. */
    public static long verifications(long score, SpotCheckRecord record) {
        return Math.max(0, score) + record.passed();
    }

    /** Sarmenta's credibility of a worker never caught (0 if caught). */
    public double credibility(long score, SpotCheckRecord record) {
        if (record.caught()) return 0;
        double f = assumedSaboteurs;
        long k = verifications(score, record);
        double prior = 1 - f;
        if (k == 0) return prior;
        return Math.max(prior, 1 - f / ((1 - f) * k * Math.E));
    }

    /** The credibility as odds honest:dishonest, the factor a worker brings to its group. */
    public double odds(long score, SpotCheckRecord record) {
        if (!active()) return CAP;
        if (record.caught()) return 0;
        double f = assumedSaboteurs;
        long k = verifications(score, record);
        // odds of 1 - f/((1-f) k e), computed directly so that large k keeps its precision
        double odds = k == 0 ? (1 - f) / f : Math.max((1 - f) / f, (1 - f) * k * Math.E / f - 1);
        return Math.min(odds, CAP);
    }

    /** Whether a group of odds {@code group}, among groups summing to {@code total}, reaches {@code trust}. */
    public static boolean reached(double group, double total, long trust) {
        return group * trust > (1 + total) * (trust - 1);
    }

    /** A group's odds after one more worker of odds {@code odds} joins it (0 = empty group). */
    public static double join(double group, double odds) {
        return group == 0 ? odds : Math.min(CAP, group * odds);
    }

    /** Whether the worker may get work at all. */
    public boolean refused(SpotCheckRecord record) {
        return active() && blacklist && record.caught();
    }

    /** Whether the worker is in the established class (see {@code establishedAfter}). */
    public boolean established(long score, SpotCheckRecord record) {
        return !record.caught() && verifications(score, record) >= establishedAfter;
    }

    /**
     * Whether the claim numbered {@code claim} of {@code worker} is answered with a known-answer task: a
     * deterministic draw (a hash of both), so that a test or a restart sees the same sequence, that a worker
     * cannot predict without the pool's salt.
     */
    public boolean spotCheckDue(String worker, long claim, long salt) {
        if (!active() || spotCheckRate <= 0) return false;
        long h = salt ^ (worker.toLowerCase().hashCode() * 0x9E3779B97F4A7C15L) ^ (claim * 0xC2B2AE3D27D4EB4FL);
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53 < spotCheckRate;
    }

    /** The credibility needed by a result, for {@code trust}: {@code 1 - 1/trust}. */
    public static double target(long trust) {
        return 1 - 1.0 / trust;
    }

    static double sum(Collection<Double> groups) {
        double t = 0;
        for (double g : groups) t = Math.min(CAP, t + g);
        return t;
    }
}
