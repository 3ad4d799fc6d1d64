package io.gridchain.scheduler.results;

import io.gridchain.api.ResultEncryption;
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
import java.util.Optional;

/**
 * Results in and out of the pool's {@link ResultStore}: a worker uploads a result (or partial output) while it
 * holds a replicate, and anyone reads it back by digest. The result of a deal whose params ask for encryption is
 * stored sealed to the beneficiary's key and never in the clear.
 */
public final class ResultIntake {
    private final Applier applier;
    private final LiveState live;
    private final KnownAnswers knownAnswers;
    private final ResultStore results;

    public ResultIntake(Applier applier, KnownAnswers knownAnswers, ResultStore results) {
        this.applier = applier;
        this.live = applier.live();
        this.knownAnswers = knownAnswers;
        this.results = results;
    }

    /** Stores an upload; the bytes must hash to the digest. */
    public void putResult(String worker, String digest, byte[] archive) {
        String encryptTo;
        synchronized (applier.lock()) {
            if (knownAnswers.uploading(worker, digest)) return; // a known-answer check's output is not kept
            List<Replicate> held = live.replicates().stream().filter(r -> r.worker().equals(worker)
                    && (r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED)).toList();
            if (held.isEmpty()) throw new Rejected(403, "worker " + worker + " holds no replicate: nothing to upload");
            Replicate committedTo = held.stream().filter(r -> r.commitment() != null && r.commitment().equalsIgnoreCase(
                    Contributions.commitment(worker, List.of(new Contributions.Entry(r.taskId(), digest)))))
                    .findFirst().orElse(null);
            if (committedTo != null) {
                // Callback data is published on-chain anyway, and a failure record says only how the app failed:
                // neither is sealed.
                encryptTo = hasCallback(committedTo.dealId()) || FailureDigest.isRecord(archive) ? null
                        : encryptionKey(committedTo.dealId());
            } else if (held.stream().anyMatch(r -> encryptionKey(r.dealId()) != null)) {
                throw new Rejected(403, "partial output is not stored for deals whose results are encrypted");
            } else {
                encryptTo = null;
            }
        }
        try {
            if (encryptTo == null) {
                results.put(digest, archive);
            } else {
                String actual = "0x" + FileResultStore.sha256(archive);
                if (!actual.equalsIgnoreCase(digest)) {
                    throw new IllegalArgumentException("result bytes hash to " + actual + ", not to " + digest);
                }
                results.putSealed(digest, ResultEncryption.seal(archive, encryptTo));
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

    /** A sealed result, if the digest's deal asked for encryption. */
    public Optional<byte[]> sealedResult(String digest) {
        try {
            return results.sealed(digest);
        } catch (IllegalArgumentException e) {
            throw new Rejected(400, e.getMessage());
        }
    }

    /** Whether the store holds the result under {@code digest}, in the clear or sealed. */
    public boolean hasResult(String digest) {
        try {
            return results.contains(digest) || results.sealed(digest).isPresent();
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
