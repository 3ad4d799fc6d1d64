package io.gridchain.scheduler.certification;

import io.gridchain.api.WorkerApi.Entry;
import io.gridchain.protocol.poco.Batch;
import io.gridchain.protocol.poco.Contributions;
import io.gridchain.protocol.poco.FailureDigest;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.results.ResultStore;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.web3j.utils.Numeric;

/**
 * Lays out a batch of tasks in consensus for one finalizeBatch transaction. Each worker's signature must cover its
 * entries in batch order: a worker with one entry already gave it (its commit); a worker with several is asked to
 * sign the batch's chain.
 */
public final class BatchLayout {
    private final ResultStore results;

    /** {@code results} holds the callback data of callback deals, stored under its keccak256 (the digest). */
    public BatchLayout(ResultStore results) {
        this.results = results;
    }

    /** The votes of every revealed replicate, winner first, and the signatures at hand. */
    public PreparedBatch prepare(DealView deal, List<Task> tasks, Function<String, List<Replicate>> replicatesOf,
            long now) {
        PreparedBatch p = new PreparedBatch(deal, tasks, now);
        for (Task t : tasks) {
            List<Batch.Vote> votes = new ArrayList<>();
            for (Replicate r : replicatesOf.apply(t.taskId())) {
                if (r.status() == ReplicateStatus.REVEALED) votes.add(new Batch.Vote(r.worker(), r.digest()));
            }
            p.batch.add(t.index(), t.taskId(), votes, t.digest(), callbackData(deal, t));
        }
        for (String worker : p.batch.workers()) {
            List<Contributions.Entry> entries = p.batch.entriesOf(worker);
            Replicate single = entries.size() == 1 ? replicatesOf.apply(entries.get(0).taskId()).stream()
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
        // a certified failure hands the contract empty bytes, which its digest names: no upload needed
        if (FailureDigest.EMPTY_CALLBACK.equalsIgnoreCase(t.digest())) return new byte[0];
        return results.get(t.digest()).orElseThrow(() -> new MissingCallbackData("callback data of task "
                + t.taskId() + " (digest " + t.digest() + ") is not in the result store"));
    }

    /** A callback task's winning data is not in the store, so its batch cannot be laid out yet. */
    public static final class MissingCallbackData extends RuntimeException {
        MissingCallbackData(String message) {
            super(message);
        }
    }
}
