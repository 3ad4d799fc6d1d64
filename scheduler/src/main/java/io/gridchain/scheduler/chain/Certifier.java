package io.gridchain.scheduler.chain;

import io.gridchain.api.WorkerApi.Entry;
import io.gridchain.api.WorkerApi.SignRequest;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.results.ResultStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.web3j.utils.Numeric;

/**
 * Turns a batch of tasks in consensus into one finalizeBatch transaction. Each worker's signature
 * must cover its entries in batch order: a worker with one entry already gave it (its commit);
 * a worker with several is asked to sign the batch's chain ({@link SignRequest}).
 */
public final class Certifier {
    /** A batch waiting for its workers' signatures. */
    public static final class Pending {
        /** How long before a worker that has not signed is sent the same request again (lost answer, restart). */
        public static final long RESEND_MILLIS = 1_000;

        final String id = UUID.randomUUID().toString();
        final DealView deal;
        final List<Task> tasks;
        final Batch batch = new Batch();
        final Map<String, byte[]> signatures = new LinkedHashMap<>();
        final Map<String, List<Entry>> toSign = new LinkedHashMap<>();
        /** When each worker was last sent its request (ms). */
        final Map<String, Long> offered = new HashMap<>();
        final long created;

        Pending(DealView deal, List<Task> tasks, long created) {
            this.deal = deal;
            this.tasks = tasks;
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

        public boolean ready() {
            return toSign.isEmpty();
        }

        /** The signature requests still open, per worker. */
        public Map<String, SignRequest> requests() {
            Map<String, SignRequest> out = new LinkedHashMap<>();
            toSign.forEach((w, entries) -> out.put(w, new SignRequest(id, entries)));
            return out;
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

        /**
         * Whether {@code signature} is {@code worker}'s signature over exactly {@code entries}. Recovering the key
         * is the costly part of a signature, and needs nothing of the batch's mutable state, so callers run it
         * without the scheduler's lock.
         */
        public static boolean signs(String worker, List<Entry> entries, byte[] signature,
                io.gridchain.protocol.orders.Eip712Domain domain) {
            List<Contributions.Entry> chain = entries.stream()
                    .map(e -> new Contributions.Entry(e.taskId(), e.digest())).toList();
            String signer = Contributions.signerOf(domain, Contributions.commitment(worker, chain), signature);
            return signer != null && signer.equalsIgnoreCase(worker);
        }

        /** Records {@code worker}'s signature, checked by {@link #signs} over its current entries. */
        public void signed(String worker, byte[] signature) {
            if (toSign.remove(worker) != null) signatures.put(worker, signature);
        }
    }

    private final GridClient scheduler;
    private final ResultStore results;

    /** {@code results} holds the callback data of callback deals, stored under its keccak256 (the digest). */
    public Certifier(GridClient scheduler, ResultStore results) {
        this.scheduler = scheduler;
        this.results = results;
    }

    /** Lays out the batch: votes of every revealed replicate, winner first; collects the signatures at hand. */
    public Pending prepare(DealView deal, List<Task> tasks, Map<String, List<Replicate>> replicatesByTask, long now) {
        Pending p = new Pending(deal, tasks, now);
        for (Task t : tasks) {
            List<Batch.Vote> votes = new ArrayList<>();
            for (Replicate r : replicatesByTask.getOrDefault(t.taskId(), List.of())) {
                if (r.status() == ReplicateStatus.REVEALED) votes.add(new Batch.Vote(r.worker(), r.digest()));
            }
            p.batch.add(t.index(), t.taskId(), votes, t.digest(), callbackData(deal, t));
        }
        for (String worker : p.batch.workers()) {
            List<Contributions.Entry> entries = p.batch.entriesOf(worker);
            Replicate single = entries.size() == 1 ? replicatesByTask.get(entries.get(0).taskId()).stream()
                    .filter(x -> x.worker().equals(worker) && x.status() == ReplicateStatus.REVEALED).findFirst()
                    .orElseThrow() : null;
            if (single != null && single.signature() != null) {
                p.signatures.put(worker, Numeric.hexStringToByteArray(single.signature()));
            } else {
                p.toSign.put(worker, entries.stream().map(e -> new Entry(e.taskId(), e.digest())).toList());
            }
        }
        return p;
    }

    /**
     * The bytes the hub hands to a callback deal's contract: the winner's upload, which the store accepted
     * only if it hashes to the digest; null for deals without callback.
     */
    private byte[] callbackData(DealView deal, Task t) {
        if (!deal.record().deal().hasCallback()) return null;
        return results.get(t.digest()).orElseThrow(() -> new MissingCallbackData("callback data of task "
                + t.taskId() + " (digest " + t.digest() + ") is not in the result store"));
    }

    /** A callback task's winning data is not in the store, so its batch cannot be laid out yet. */
    public static final class MissingCallbackData extends RuntimeException {
        MissingCallbackData(String message) {
            super(message);
        }
    }

    /** Sends the batch; its workers' signatures must all be in. */
    public TxResult submit(Pending p) {
        if (!p.ready()) throw new IllegalStateException("batch " + p.id + " still waits for signatures");
        List<byte[]> sigs = new ArrayList<>();
        for (String w : p.batch.workers()) sigs.add(p.signatures.get(w));
        return scheduler.finalizeBatch(p.deal.record(), p.batch, sigs);
    }
}
