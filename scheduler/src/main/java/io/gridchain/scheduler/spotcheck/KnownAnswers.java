package io.gridchain.scheduler.spotcheck;

import io.gridchain.protocol.poco.Contributions;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.planning.ReplicationPolicy;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Known-answer tasks (spot-checks): a claim the policy picks ({@link ReplicationPolicy#spotCheckDue}) is
 * answered with a replica of a task the chain already certified, which the worker cannot tell from work. It
 * runs, commits and reveals as usual, but is never submitted: its digest is compared with the certified one
 * and the outcome goes to the worker's spot-check record. In memory only: a check lost in a restart is simply
 * not counted. Not thread-safe: it is called under the scheduler's lock.
 */
public final class KnownAnswers {
    /** A certified task: its digest and who contributed to it (they are not checked against themselves). */
    public record Known(String taskId, String dealId, long index, String digest, Set<String> contributors) {}

    public record Check(String replicateId, String worker, Known known, String commitment) {}

    private static final int KEEP = 1_024;

    private final ReplicationPolicy policy;
    private final long salt;
    private final LinkedHashMap<String, Known> known = new LinkedHashMap<>();
    private final Map<String, Check> inFlight = new HashMap<>();
    private final Map<String, Long> claims = new HashMap<>();

    public KnownAnswers(ReplicationPolicy policy, long salt) {
        this.policy = policy;
        this.salt = salt;
    }

    /**
     * Remembers a task the chain certified (the most recent {@value #KEEP}) if at least two workers agreed on its
     * result: a lone result may be a turncoat's lie that got through, and as a known answer it would have honest
     * workers caught and blacklisted for telling the truth.
     */
    public void certified(Task t, List<Replicate> rs) {
        if (!policy.active() || policy.spotCheckRate() <= 0 || t.digest() == null) return;
        Set<String> contributors = new HashSet<>();
        Set<String> agreeing = new HashSet<>();
        for (Replicate r : rs) {
            contributors.add(r.worker());
            if (r.status() == ReplicateStatus.REVEALED && t.digest().equalsIgnoreCase(r.digest())) {
                agreeing.add(r.worker());
            }
        }
        if (agreeing.size() < 2) return;
        known.put(t.taskId(), new Known(t.taskId(), t.dealId(), t.index(), t.digest(), contributors));
        Iterator<String> oldest = known.keySet().iterator();
        while (known.size() > KEEP) {
            oldest.next();
            oldest.remove();
        }
    }

    /**
     * A known-answer task for this claim of {@code worker}, whose record so far is {@code record}, or null: the
     * policy blacklists the worker (it gets no work at all, checks included), no check is due, or none it could run.
     */
    public Check handOut(String worker, SpotCheckRecord record, Predicate<String> dealRunnable) {
        return policy.refused(record) ? null : give(worker, dealRunnable);
    }

    /** A known-answer task for this claim of {@code worker}, or null (not due, or none it could run). */
    Check give(String worker, Predicate<String> dealRunnable) {
        if (!policy.active() || policy.spotCheckRate() <= 0) return null;
        long claim = claims.merge(worker, 1L, Long::sum);
        if (!policy.spotCheckDue(worker, claim, salt)) return null;
        for (Known k : known.values()) {
            if (k.contributors().contains(worker) || !dealRunnable.test(k.dealId())) continue;
            String id = "spot-" + Replicate.idOf(k.taskId(), worker) + "-" + claim;
            if (inFlight.containsKey(id)) continue;
            Check c = new Check(id, worker, k, null);
            inFlight.put(id, c);
            return c;
        }
        return null;
    }

    /** The check {@code replicateId} if it is one of {@code worker}'s, else null. */
    public Check of(String worker, String replicateId) {
        Check c = inFlight.get(replicateId);
        return c != null && c.worker().equals(worker) ? c : null;
    }

    public Iterable<Check> committedBy(String worker) {
        return inFlight.values().stream().filter(c -> c.worker().equals(worker) && c.commitment() != null).toList();
    }

    public Check committed(Check c, String commitment) {
        Check now = new Check(c.replicateId(), c.worker(), c.known(), commitment.toLowerCase());
        inFlight.put(c.replicateId(), now);
        return now;
    }

    /**
     * The outcome of a revealed check (passed iff the digest is the certified one), or null if the digest does
     * not match the worker's commitment (the reveal is refused, the check stays open).
     */
    public SpotCheckRecord revealed(Check c, String digest) {
        String expected = Contributions.commitment(c.worker(), List.of(new Contributions.Entry(c.known().taskId(),
                digest)));
        if (c.commitment() == null || !expected.equalsIgnoreCase(c.commitment())) return null;
        inFlight.remove(c.replicateId());
        return new SpotCheckRecord(0, 0).after(c.known().digest().equalsIgnoreCase(digest));
    }

    /** A check the worker reports as failed: a deterministic failure of a task known to succeed is a wrong answer. */
    public SpotCheckRecord failed(Check c, boolean deterministic) {
        inFlight.remove(c.replicateId());
        return deterministic ? new SpotCheckRecord(0, 1) : null;
    }

    /** Whether {@code worker} is uploading the result of one of its checks (accepted, not kept). */
    public boolean uploading(String worker, String digest) {
        for (Check c : inFlight.values()) {
            if (!c.worker().equals(worker)) continue;
            if (c.commitment() == null) {
                // workers upload before they commit: before the commit only the certified answer is recognised
                if (c.known().digest().equalsIgnoreCase(digest)) return true;
                continue;
            }
            String expected = Contributions.commitment(worker, List.of(new Contributions.Entry(c.known().taskId(),
                    digest)));
            if (expected.equalsIgnoreCase(c.commitment())) return true;
        }
        return false;
    }
}
