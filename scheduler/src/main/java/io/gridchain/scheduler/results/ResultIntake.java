package io.gridchain.scheduler.results;

import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.scheduler.SchedulerService.Rejected;
import io.gridchain.scheduler.chain.DealParams;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.live.LiveState;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.spotcheck.KnownAnswers;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Results in and out of the pool's {@link ResultStore}: a worker uploads a result (or partial output) while it
 * holds a replicate, and anyone reads it back by digest. The result of a deal whose params ask for encryption arrives
 * sealed to the beneficiary's key by each worker that committed to it, and is kept as that worker's copy: this
 * scheduler never sees it in the clear, and cannot check it, which is why every committed worker's copy is kept.
 */
public final class ResultIntake {
    /** Bytes of partial output one worker may leave in the store (a committed result does not count). */
    public static final long MAX_PARTIAL_BYTES_PER_WORKER = 64L << 20;

    /** Whether and how an upload is kept: not at all (a known answer), as a worker's sealed copy, or in the clear. */
    private record Decision(boolean keep, boolean sealed, boolean partial) {}

    private final Applier applier;
    private final LiveState live;
    private final KnownAnswers knownAnswers;
    private final ResultStore results;
    private final long maxPartialBytes;
    /**
     * Partial output each worker stored since this scheduler started. In memory: a restart forgets it, which costs
     * an attacker a restart per quota, not a way around it.
     */
    private final Map<String, Long> partialBytes = new ConcurrentHashMap<>();

    public ResultIntake(Applier applier, KnownAnswers knownAnswers, ResultStore results) {
        this(applier, knownAnswers, results, MAX_PARTIAL_BYTES_PER_WORKER);
    }

    public ResultIntake(Applier applier, KnownAnswers knownAnswers, ResultStore results, long maxPartialBytes) {
        this.applier = applier;
        this.live = applier.live();
        this.knownAnswers = knownAnswers;
        this.results = results;
        this.maxPartialBytes = maxPartialBytes;
    }

    /**
     * Refuses, before its body is read, an upload that would not be kept: from a worker holding no replicate,
     * partial output of an encrypted deal, or partial output past the worker's quota.
     */
    public void admit(String worker, String digest, long declaredLength) {
        Decision d = decide(worker, digest);
        if (d.partial()) checkPartialQuota(worker, Math.max(0, declaredLength));
    }

    /** Stores an upload; the bytes must hash to the digest. */
    public void putResult(String worker, String digest, byte[] archive) {
        Decision d = decide(worker, digest);
        if (!d.keep()) return;
        boolean counted = d.partial() && !hasResult(digest);
        if (counted) reservePartial(worker, archive.length);
        try {
            store(worker, digest, archive, d.sealed() && !FailureDigest.isRecord(archive));
        } catch (RuntimeException e) {
            if (counted) partialBytes.merge(worker, -(long) archive.length, Long::sum);
            throw e;
        }
    }

    /** How many bytes of partial output {@code worker} stored. */
    public long partialBytes(String worker) {
        return partialBytes.getOrDefault(worker, 0L);
    }

    private void checkPartialQuota(String worker, long more) {
        if (partialBytes(worker) + more > maxPartialBytes) {
            throw new Rejected(429, "worker " + worker + " stored its most partial output (" + maxPartialBytes
                    + " bytes): upload the results it committed to, not more partial output");
        }
    }

    private void reservePartial(String worker, long bytes) {
        synchronized (partialBytes) {
            checkPartialQuota(worker, bytes);
            partialBytes.merge(worker, bytes, Long::sum);
        }
    }

    private Decision decide(String worker, String digest) {
        synchronized (applier.lock()) {
            if (knownAnswers.uploading(worker, digest)) return new Decision(false, false, false); // not kept
            List<Replicate> held = live.replicates().stream().filter(r -> r.worker().equals(worker)
                    && (r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED)).toList();
            if (held.isEmpty()) throw new Rejected(403, "worker " + worker + " holds no replicate: nothing to upload");
            Replicate committedTo = held.stream().filter(r -> r.commitment() != null && r.commitment().equalsIgnoreCase(
                    Contributions.commitment(worker, List.of(new Contributions.Entry(r.taskId(), digest)))))
                    .findFirst().orElse(null);
            if (committedTo != null) {
                // Callback data is published on-chain anyway: it is never sealed (nor is a failure record, which
                // says only how the app failed: see putResult).
                return new Decision(true, !hasCallback(committedTo.dealId())
                        && encryptionKey(committedTo.dealId()) != null, false);
            }
            if (held.stream().anyMatch(r -> encryptionKey(r.dealId()) != null)) {
                throw new Rejected(403, "partial output is not stored for deals whose results are encrypted");
            }
            return new Decision(true, false, true);
        }
    }

    private void store(String worker, String digest, byte[] archive, boolean sealed) {
        try {
            if (sealed) {
                results.putSealed(digest, worker, archive);
            } else {
                results.put(digest, archive);
            }
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    private boolean hasCallback(String dealId) {
        DealView d = live.deals().get(dealId);
        return d != null && d.record().deal().hasCallback();
    }

    private String encryptionKey(String dealId) {
        DealView d = live.deals().get(dealId);
        return d == null ? null : DealParams.parse(d.record().terms().params()).encryptTo();
    }

    /** The workers whose sealed copies of {@code digest} the store holds (none if the result is not sealed). */
    public List<String> sealedCopies(String digest) {
        try {
            return results.sealedCopies(digest);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    /** {@code worker}'s sealed copy of {@code digest}. */
    public Optional<byte[]> sealedResult(String digest, String worker) {
        try {
            return results.sealed(digest, worker);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    /** Whether the store holds the result under {@code digest}, in the clear or sealed. */
    public boolean hasResult(String digest) {
        try {
            return results.contains(digest) || !results.sealedCopies(digest).isEmpty();
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    public Optional<byte[]> result(String digest) {
        try {
            return results.get(digest);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }
}
