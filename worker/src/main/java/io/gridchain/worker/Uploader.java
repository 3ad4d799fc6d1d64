package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.runtime.ResultArchive;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Puts results in the scheduler's content-addressed store, not again once the store is known to hold them. */
final class Uploader {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    /** How many digests the store is remembered to hold. */
    static final int MAX_REMEMBERED_DIGESTS = 10_000;

    private final SchedulerPort scheduler;
    /** Digests the scheduler's store is known to hold (uploaded or seen there). */
    private final Set<String> stored = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED_DIGESTS;
        }
    });

    Uploader(SchedulerPort scheduler) {
        this.scheduler = scheduler;
    }

    /** Puts the bytes in the scheduler's store under their digest, unless it is known to hold them. */
    void put(String digest, byte[] bytes) {
        synchronized (stored) {
            if (stored.contains(digest)) {
                return;
            }
        }
        if (!scheduler.hasResult(digest)) {
            scheduler.putResult(digest, bytes);
        }
        synchronized (stored) {
            stored.add(digest);
        }
    }

    /** Whether the scheduler's store holds the result, uploading it if needed; false if that failed. */
    boolean tryPut(String replicateId, String digest, byte[] bytes) {
        try {
            put(digest, bytes);
            return true;
        } catch (RuntimeException e) {
            log.info("replicate {}: upload failed, the digest will be revealed when asked: {}", replicateId,
                    e.getMessage());
            return false;
        }
    }

    /**
     * Whether the worker seals this assignment's result to the beneficiary before it leaves: then the scheduler keeps
     * it as this worker's copy, accepted only once committed to (so it goes with the reveal), and every committed
     * worker uploads its own copy, the beneficiary's fallback if another is wrong.
     */
    static boolean sealsAtSource(WorkerApi.Assignment a) {
        return a.confidential() != null && a.confidential().encryptTo() != null && !a.callback();
    }

    /** Makes sure the scheduler's store holds a committed result; false if the kept bytes do not match the commit. */
    boolean upload(Pending p) {
        if (p.unstored() == null) {
            return true; // the store held the digest when the result was committed
        }
        if (sealsAtSource(p.assignment()) && !FailureDigest.isRecord(p.unstored())) {
            scheduler.putResult(p.digest(), p.unstored()); // sealed: only the beneficiary can check it
            return true;
        }
        // callback data and failure records are addressed by keccak256, result archives by sha256
        String digest = p.assignment().callback() || FailureDigest.isRecord(p.unstored())
                ? Contributions.callbackDigest(p.unstored()) : ResultArchive.digest(p.unstored());
        if (!digest.equals(p.digest())) {
            log.warn("replicate {}: its kept result hashes to {}, not its commit's digest; it cannot be revealed",
                    p.replicateId(), digest);
            return false;
        }
        put(digest, p.unstored());
        return true;
    }

    /**
     * Uploads a failed run's partial output, if it has files, and returns its digest; null if there is none or
     * the upload failed. Sent without asking first: a failure's output is rarely in the store already.
     */
    String putPartial(String replicateId, byte[] output) {
        try {
            if (output != null && !ResultArchive.read(output).isEmpty()) {
                String digest = ResultArchive.digest(output);
                scheduler.putResult(digest, output);
                return digest;
            }
        } catch (RuntimeException e) {
            log.warn("replicate {}: cannot upload its partial output: {}", replicateId, e.getMessage());
        }
        return null;
    }
}
