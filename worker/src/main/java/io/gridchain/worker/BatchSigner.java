package io.gridchain.worker;

import io.gridchain.api.FastSign;
import io.gridchain.api.WorkerApi;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.Eip712Domain;
import io.gridchain.protocol.poco.Contributions;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.utils.Numeric;

/**
 * Signs commitments: a single-task deal's commit, and the batches the scheduler asks for, but only when every entry
 * is a (task, digest) this worker revealed itself. Each batch is signed once; a signature that could not be sent
 * is forgotten so the scheduler can ask again.
 */
final class BatchSigner {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    /** How many own (task, digest) results are remembered for batch signing. */
    static final int MAX_REMEMBERED_RESULTS = 100_000;

    /** How many batch ids are remembered as signed. */
    static final int MAX_REMEMBERED_BATCHES = 10_000;

    private static final byte[] CONTRIBUTION_TYPEHASH = Words.keccak("Contribution(bytes32 commitment)");

    private final SchedulerPort scheduler;
    private final String address;
    private final BigInteger privateKey;
    /** The hub's EIP-712 domain, known once registered. */
    private final Supplier<Eip712Domain> domain;
    /** Runs signatures off the thread that received the request (the outbox or claim loop). */
    private final Executor actions;

    private final Map<String, String> ownResults = Collections.synchronizedMap(
            new LinkedHashMap<>(16, 0.75f, false) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
                    return size() > MAX_REMEMBERED_RESULTS;
                }
            });
    /** Batches signed or being signed (a sign request repeats until the scheduler has the signature). */
    private final Set<String> signedBatches = Collections.newSetFromMap(new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
            return size() > MAX_REMEMBERED_BATCHES;
        }
    });
    private final AtomicLong signatures = new AtomicLong();

    BatchSigner(SchedulerPort scheduler, String address, BigInteger privateKey, Supplier<Eip712Domain> domain,
            Executor actions) {
        this.scheduler = scheduler;
        this.address = address;
        this.privateKey = privateKey;
        this.domain = domain;
        this.actions = actions;
    }

    /** Remembers a result this worker revealed (or is revealing), so batches over it can be signed. */
    void remember(String taskId, String digest) {
        ownResults.put(taskId.toLowerCase(Locale.ROOT), digest);
    }

    Map<String, String> results() {
        synchronized (ownResults) {
            return Map.copyOf(ownResults);
        }
    }

    long signatures() {
        return signatures.get();
    }

    /**
     * The EIP-712 signature of {@code Contribution(bytes32 commitment)}, byte for byte
     * {@link Contributions#signCommitment}'s, at a third of its cost ({@link FastSign}).
     */
    byte[] signCommitment(String commitment) {
        byte[] structHash = Words.of().bytes32(CONTRIBUTION_TYPEHASH).bytes32(commitment).keccak();
        return FastSign.sign(domain.get().digest(structHash), privateKey);
    }

    /** Signs, on the actions executor, the batches a claim or commit answer asks for (each batch once). */
    void signLater(List<WorkerApi.SignRequest> requests) {
        if (requests == null || requests.isEmpty()) {
            return;
        }
        List<WorkerApi.SignRequest> fresh = new ArrayList<>();
        for (WorkerApi.SignRequest r : requests) {
            if (r != null && firstRequest(r.batchId())) {
                fresh.add(r);
            }
        }
        if (fresh.isEmpty()) {
            return;
        }
        try {
            actions.execute(() -> {
                for (WorkerApi.SignRequest r : fresh) {
                    try {
                        sign(r);
                    } catch (RuntimeException e) {
                        log.warn("batch {}: {}", r.batchId(), e.toString());
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            // closing
        }
    }

    /** Signs, on the caller's thread, the batches a heartbeat answer asks for (each batch once). */
    void signNow(List<WorkerApi.SignRequest> requests) {
        if (requests == null) {
            return;
        }
        for (WorkerApi.SignRequest request : requests) {
            if (request != null && firstRequest(request.batchId())) {
                sign(request);
            }
        }
    }

    /** True the first time a batch is asked for; a failed signature is forgotten so it can be asked again. */
    private boolean firstRequest(String batchId) {
        synchronized (signedBatches) {
            return batchId != null && signedBatches.add(batchId);
        }
    }

    private void sign(WorkerApi.SignRequest request) {
        if (request.entries() == null || request.entries().isEmpty()) {
            log.warn("refusing to sign batch {}: it has no entries", request.batchId());
            return;
        }
        List<Contributions.Entry> entries = new ArrayList<>(request.entries().size());
        for (WorkerApi.Entry e : request.entries()) {
            String mine = e == null || e.taskId() == null ? null : ownResults.get(e.taskId().toLowerCase(Locale.ROOT));
            if (mine == null || e.digest() == null || !mine.equalsIgnoreCase(e.digest())) {
                log.warn("refusing to sign batch {}: entry (task {}, digest {}) is not a result this worker revealed"
                        + " (its digest: {})", request.batchId(), e == null ? null : e.taskId(),
                        e == null ? null : e.digest(), mine);
                return;
            }
            entries.add(new Contributions.Entry(e.taskId(), e.digest()));
        }
        String signature = Numeric.toHexString(signCommitment(Contributions.commitment(address, entries)));
        try {
            scheduler.sign(new WorkerApi.SignResponse(request.batchId(), signature));
            signatures.incrementAndGet();
            log.debug("signed batch {} ({} entries)", request.batchId(), entries.size());
        } catch (SchedulerException e) {
            log.warn("batch {}: cannot send the signature: {}", request.batchId(), e.getMessage());
            synchronized (signedBatches) {
                signedBatches.remove(request.batchId());
            }
        }
    }
}
