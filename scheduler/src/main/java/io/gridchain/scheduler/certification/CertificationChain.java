package io.gridchain.scheduler.certification;

import io.gridchain.api.WorkerApi.Entry;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.TxResult;
import java.util.List;

/** What the certification room needs of the chain: the seam its tests replace with a fake. */
public interface CertificationChain {
    /** Sends the batch and waits for its receipt; throws when the hub refuses it. */
    TxResult submit(PreparedBatch batch);

    /** What the hub says of a task, when a batch's outcome is in doubt. */
    GridClient.TaskStatus taskStatus(String taskId);

    /** Whether {@code signature} is {@code worker}'s signature over exactly {@code entries}. */
    boolean signs(String worker, List<Entry> entries, byte[] signature);
}
