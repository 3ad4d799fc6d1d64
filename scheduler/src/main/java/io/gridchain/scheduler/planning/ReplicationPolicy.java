package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.model.SpotCheckRecord;

/**
 * The pool's sabotage-tolerance policy (Sarmenta 2002, credibility-based fault tolerance with
 * spot-checking and blacklisting). It never certifies anything: the chain's rule does. It decides how
 * many replicas a task gets and from whom, so that what the pool submits is right with probability at
 * least {@code 1 - 1/trust} even against saboteurs whose weight on the chain looks fine.
 *
 * <p>A worker's verifications {@code k} are the checks it survived without ever being caught: passed
 * known-answer checks plus its on-chain score (consensus wins on replicated tasks). With blacklisting, a
 * saboteur lying at rate s survives k checks with probability {@code (1-s)^k}. A result backed by a group
 * of n agreeing workers with {@code K} verifications in total is wrong only if all n are saboteurs and
 * this is a task they lie on. Colluders lie on the same tasks, so that is at most
 * {@code s (1-s)^K (f/(1-f))^n <= m(K) (f/(1-f))^n} whatever s, where {@code m(K) = max_s s (1-s)^K},
 * about {@code 1/(e (K+1))}. The group's odds right:wrong are therefore at least
 * {@code ((1-f)/f)^n / m(K)}: for one worker, Sarmenta's {@code (1-f) k e / f}; for a group, the
 * verifications add up rather than multiply, because colluders do not fail independently (multiplying
 * each member's odds let two colluders with 20 wins each certify a lie). A result's credibility is
 * {@code group / (1 + sum of all groups)}, the same form as the chain's rule, checked against the same
 * trust. A worker ever caught lying has no credibility: its results are ignored and, with
 * {@code blacklist}, it gets no work.
 *
 * <p>Workers who reach the trust alone are what keeps the cost near one result per task. Two things
 * bound what such a worker can do if it turns: spot-checks ({@code spotCheckRate} of claims), and audits
 * ({@code auditRate} of tasks get at least two agreeing results, drawn with the pool's secret salt so that
 * no worker can tell an audited task from another). Audits are also where newcomers earn their
 * verifications while an established worker is free: a newcomer does not start a task that is not drawn
 * for an audit, because its result alone could never settle it.
 *
 * <p>Turncoats, saboteurs honest until they reach the trust alone and lying from then on, defeat the bound
 * above: their past verifications say nothing about their next result. What bounds them is what comes
 * after a lie: the turncoat keeps claiming, and each claim may be a check. So a result that rests on one
 * worker alone (a lone result) is held for {@code holdMillis} before it may go to the chain, and a result
 * whose backers are caught lying meanwhile is backtracked: its task runs again without them (see
 * {@link #released}; the planner re-decides such a task). Audits follow what a worker has at stake: a task
 * first taken by a worker that can settle it alone is audited at {@code trustedAuditRate} (see
 * {@link #auditRate(boolean)}), so that a turncoat's lie is caught sooner and fewer of its lies fall outside
 * the hold.
 *
 * @param assumedSaboteurs f, the largest fraction of saboteurs the pool assumes among its workers (0 disables the
 *     pool's own check: only the chain's rule decides)
 * @param spotCheckRate q, the probability that a claim is answered with a known-answer task
 * @param auditRate the probability that a task needs at least two agreeing results whoever runs it
 * @param blacklist whether a worker caught lying is refused work
 * @param establishedAfter verifications (k) from which a worker is in the established class: a task that
 *     already has a live replica from a newcomer is not given to another newcomer while an established
 *     worker has a free slot (two newcomers could be colluders vouching for each other)
 * @param trustedAuditRate the audit rate of a task whose first worker reaches the trust alone (at least
 *     {@code auditRate})
 * @param holdMillis how long a lone result waits, certified by the pool but not yet final, before it may go to
 *     the chain (0: no hold)
 */
public record ReplicationPolicy(double assumedSaboteurs, double spotCheckRate, double auditRate, boolean blacklist,
        long establishedAfter, double trustedAuditRate, long holdMillis) {

    /** Only the chain's rule decides, whoever asks first gets the work (the behaviour before this policy). */
    public static final ReplicationPolicy CHAIN_ONLY = new ReplicationPolicy(0, 0, 0, false, 0);

    /**
     * Values a pool can start from: f = 0.2, 5 % spot-checks, 10 % audits (the same for workers trusted alone:
     * more only pays at f above 0.2, see docs/BENCHMARKS.md), blacklisting, established after 100 verifications,
     * lone results held 10 minutes (the
     * 250 task durations of a worker that catch turncoats, for tasks of about 2.4 seconds).
     */
    public static final ReplicationPolicy DEFAULT = new ReplicationPolicy(0.2, 0.05, 0.1, true, 100, 0.1, 600_000);

    /** Without the defences against turncoats: one audit rate for all, no hold. */
    public ReplicationPolicy(double assumedSaboteurs, double spotCheckRate, double auditRate, boolean blacklist,
            long establishedAfter) {
        this(assumedSaboteurs, spotCheckRate, auditRate, blacklist, establishedAfter, auditRate, 0);
    }

    private static final double CAP = 1e300;

    public ReplicationPolicy {
        if (!(assumedSaboteurs >= 0 && assumedSaboteurs < 1)) {
            throw new IllegalArgumentException("assumed saboteur fraction must be in [0, 1), got " + assumedSaboteurs);
        }
        if (!(spotCheckRate >= 0 && spotCheckRate < 1)) {
            throw new IllegalArgumentException("spot-check rate must be in [0, 1), got " + spotCheckRate);
        }
        if (!(auditRate >= 0 && auditRate <= 1)) {
            throw new IllegalArgumentException("audit rate must be in [0, 1], got " + auditRate);
        }
        if (establishedAfter < 0) throw new IllegalArgumentException("establishedAfter must be >= 0");
        if (!(trustedAuditRate >= auditRate && trustedAuditRate <= 1)) {
            throw new IllegalArgumentException(
                    "trusted audit rate must be in [audit rate, 1], got " + trustedAuditRate);
        }
        if (holdMillis < 0) throw new IllegalArgumentException("holdMillis must be >= 0");
    }

    public boolean active() {
        return assumedSaboteurs > 0;
    }

    /** Verifications a worker survived: passed known-answer checks plus its on-chain score. */
    public static long verifications(long score, SpotCheckRecord record) {
        return Math.max(0, score) + record.passed();
    }

    /**
     * The odds right:wrong of a result backed by {@code members} agreeing workers, never caught, with
     * {@code verifications} in total, even if they collude: {@code ((1-f)/f)^n / max_s s (1-s)^K}.
     */
    public double groupOdds(int members, long verifications) {
        if (!active()) return CAP;
        if (members == 0) return 0;
        double f = assumedSaboteurs;
        long k = Math.max(0, verifications);
        // ln max_s s(1-s)^K, reached at s = 1/(K+1)
        double lnWorst = k == 0 ? 0 : -Math.log1p(k) + k * Math.log((double) k / (k + 1));
        double lnOdds = members * Math.log((1 - f) / f) - lnWorst;
        return lnOdds >= Math.log(CAP) ? CAP : Math.exp(lnOdds);
    }

    /** Whether a group of odds {@code group}, among groups summing to {@code total}, reaches {@code trust}. */
    public static boolean reached(double group, double total, long trust) {
        return group * trust > (1 + total) * (trust - 1);
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
        return draw(salt ^ key(worker) ^ (claim * 0xC2B2AE3D27D4EB4FL)) < spotCheckRate;
    }

    /** A hex address or id, whatever its case, spread over 64 bits. */
    private static long key(String hex) {
        return hex.toLowerCase().hashCode() * 0x9E3779B97F4A7C15L;
    }

    /** A uniform draw in [0, 1) from a 64-bit key (the murmur3 finalizer). */
    private static double draw(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return (h >>> 11) * 0x1.0p-53;
    }

    /**
     * Whether task {@code taskId} is audited, that is needs two agreeing results even from workers who
     * reach the trust alone: a deterministic draw keyed by the pool's secret {@code salt}.
     */
    public boolean auditDue(String taskId, long salt) {
        return auditDue(taskId, salt, false);
    }

    /**
     * Whether task {@code taskId} is audited when its first worker can ({@code trusted}) or cannot settle it alone.
     * The same draw against a higher rate: a task audited for anyone is audited for a trusted worker too, and a
     * worker cannot tell which rate it was drawn against.
     */
    public boolean auditDue(String taskId, long salt, boolean trusted) {
        double rate = auditRate(trusted);
        return active() && rate > 0 && draw(salt ^ key(taskId)) < rate;
    }

    /**
     * The audit rate of a task whose first worker can settle it alone or not: such a worker has its whole
     * history at stake on every lone result, and a turncoat among them lies on tasks nobody else runs, so its
     * tasks are audited more often (the price is paid only on the tasks that would otherwise cost one result).
     */
    public double auditRate(boolean trusted) {
        return trusted ? trustedAuditRate : auditRate;
    }

    /**
     * Whether a task certified at {@code certifiedAt}, its result backed by {@code backers} agreeing workers the
     * pool counts, may go to the chain at {@code now}: a result two or more workers agree on is final at once
     * (a lie needs colluders on an audited task), a lone result once it has been held {@code holdMillis}, so that a
     * turncoat caught meanwhile has it backtracked instead of certified.
     */
    public boolean released(int backers, long certifiedAt, long now) {
        return now >= releasedAt(backers, certifiedAt);
    }

    /** When a result certified at {@code certifiedAt} with {@code backers} may go to the chain ({@link #released}). */
    public long releasedAt(int backers, long certifiedAt) {
        return !active() || backers >= 2 ? certifiedAt : certifiedAt + holdMillis;
    }

    /** Whether a worker with {@code verifications} reaches {@code trust} alone in the pool's view. */
    public boolean trustedAlone(long verifications, long trust) {
        double odds = groupOdds(1, verifications);
        return active() && reached(odds, odds, trust);
    }

    /** A sum of odds, capped like the odds themselves. */
    static double add(double a, double b) {
        return Math.min(CAP, a + b);
    }
}
