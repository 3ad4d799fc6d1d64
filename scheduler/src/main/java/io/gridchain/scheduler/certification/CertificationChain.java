package io.gridchain.scheduler.certification;

import io.gridchain.api.WorkerApi.Entry;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import java.util.List;

/** What the certification room needs of the chain: the seam its tests replace with a fake. */
public interface CertificationChain {
    /** Where a mined transaction stands on the canonical chain. */
    enum Depth { CONFIRMED, PENDING, REMOVED }

    /** Sends the batch and waits for its receipt; throws when the hub refuses it. */
    TxResult submit(PreparedBatch batch);

    /**
     * Whether {@code tx} is at least {@code confirmations} blocks deep on the canonical chain, not yet, or removed
     * by a reorganisation. Fakes that never reorganise keep this default.
     */
    default Depth depth(TxResult tx, int confirmations) {
        return Depth.CONFIRMED;
    }

    /** Called before a batch a reorganisation removed is sent again (the sender's nonce may be ahead). */
    default void reorganised() {}

    /** What the hub says of a task, when a batch's outcome is in doubt. */
    GridClient.TaskStatus taskStatus(String taskId);

    /** Whether {@code signature} is {@code worker}'s signature over exactly {@code entries}. */
    boolean signs(String worker, List<Entry> entries, byte[] signature);
}
