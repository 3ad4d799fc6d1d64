package io.gridchain.worker;

import io.gridchain.api.WorkerApi;
import io.gridchain.worker.SlotLedger.Phase;
import java.util.List;

/** What waits in the {@link Outbox}: a commit or a failure report, each for one replicate. */
sealed interface OutboxItem {

    String replicateId();

    /** The deal's deadline (seconds since the epoch): the item is not sent again after it. */
    long deadline();

    /** The phase its replicate is in while it waits. */
    Phase queued();

    /** Adds itself to the list of its kind: each kind goes in its own request. */
    void sortInto(List<Commit> commits, List<Failure> failures);

    /** A commit; its digest goes with it when the result is in the scheduler's store. */
    record Commit(Pending pending, WorkerApi.Commit commit) implements OutboxItem {

        /** The replicate is done once the scheduler has the request. */
        boolean reveals() {
            return commit.digest() != null;
        }

        @Override
        public String replicateId() {
            return commit.replicateId();
        }

        @Override
        public long deadline() {
            return pending.assignment().deadline();
        }

        @Override
        public Phase queued() {
            return Phase.QUEUED_COMMIT;
        }

        @Override
        public void sortInto(List<Commit> commits, List<Failure> failures) {
            commits.add(this);
        }
    }

    record Failure(WorkerApi.Failure failure, long deadline) implements OutboxItem {

        @Override
        public String replicateId() {
            return failure.replicateId();
        }

        @Override
        public Phase queued() {
            return Phase.QUEUED_FAILURE;
        }

        @Override
        public void sortInto(List<Commit> commits, List<Failure> failures) {
            failures.add(this);
        }
    }
}
