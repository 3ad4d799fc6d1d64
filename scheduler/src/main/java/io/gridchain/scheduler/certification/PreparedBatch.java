package io.gridchain.scheduler.certification;

import io.gridchain.api.WorkerApi.Entry;
import io.gridchain.api.WorkerApi.SignRequest;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.scheduler.lifecycle.BatchStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Task;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One finalizeBatch transaction in the making: its tasks laid out, the signatures collected so far, and its
 * {@link BatchStatus}. Not thread-safe: the certification room reads and changes it under the scheduler's lock.
 */
public final class PreparedBatch {
    /** How long before a worker that has not signed is sent the same request again (lost answer, restart). */
    public static final long RESEND_MILLIS = 1_000;

    private final String id = UUID.randomUUID().toString();
    private final DealView deal;
    private final List<Task> tasks;
    final Batch batch = new Batch();
    final Map<String, byte[]> signatures = new LinkedHashMap<>();
    final Map<String, List<Entry>> toSign = new LinkedHashMap<>();
    /** When each worker was last sent its request (ms). */
    private final Map<String, Long> offered = new HashMap<>();
    private final long created;
    private BatchStatus status = BatchStatus.AWAITING_SIGNATURES;

    PreparedBatch(DealView deal, List<Task> tasks, long created) {
        this.deal = deal;
        this.tasks = List.copyOf(tasks);
        this.created = created;
    }

    public String id() {
        return id;
    }

    public List<Task> tasks() {
        return tasks;
    }

    public DealView deal() {
        return deal;
    }

    public long created() {
        return created;
    }

    public BatchStatus status() {
        return status;
    }

    /** Moves the batch on; a move its lifecycle does not allow is a bug. */
    void moveTo(BatchStatus to) {
        if (!status.canMoveTo(to)) throw new IllegalStateException("batch " + id + ": " + status + " -> " + to);
        status = to;
    }

    /** Every worker's signature is in. */
    public boolean ready() {
        return toSign.isEmpty();
    }

    /**
     * The batch's request for {@code worker}'s signature, or null when it has none to give or was sent it less
     * than {@link #RESEND_MILLIS} ago: a batch lists up to {@code maxBatch} entries, and repeating them in every
     * answer while the worker signs would cost the scheduler more than the rest of the answer.
     */
    public SignRequest request(String worker, long now) {
        List<Entry> entries = toSign.get(worker);
        if (entries == null) return null;
        Long last = offered.get(worker);
        if (last != null && now - last < RESEND_MILLIS) return null;
        offered.put(worker, now);
        return new SignRequest(id, entries);
    }

    /** The entries {@code worker} must sign, or null when it has none (left to sign) in this batch. */
    public List<Entry> entriesOf(String worker) {
        return toSign.get(worker);
    }

    /** The workers whose signature is still missing. */
    public java.util.Set<String> nonSigners() {
        return java.util.Set.copyOf(toSign.keySet());
    }

    /** Records {@code worker}'s signature, checked over its current entries. */
    public void signed(String worker, byte[] signature) {
        if (toSign.remove(worker) != null) signatures.put(worker, signature);
    }
}
