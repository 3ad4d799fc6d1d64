package io.gridchain.scheduler.state;

import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where the scheduler's state survives crashes. Every method is atomic; {@link #commit} applies a
 * set of changes in one transaction, so a scheduler killed at any point restarts from a consistent
 * state. Implementations: SQLite (embedded default) and PostgreSQL, both migrated by Flyway.
 */
public interface StateStore extends AutoCloseable {

    /** The next chain block to scan for deals (0 before the first scan). */
    long cursor();

    /**
     * Records a newly seen deal, its tasks (all PENDING), and the new cursor, in one transaction.
     * Returns false, changing nothing but the cursor, if the deal was already recorded: a deal is
     * never processed twice.
     */
    boolean addDeal(DealView deal, List<Task> tasks, long nextCursor);

    /** Advances the cursor when a scanned range held no new deal. */
    void setCursor(long nextCursor);

    /** One atomic set of changes: tasks and replicates upserted by id, workers upserted by address. */
    record Changes(Collection<Task> tasks, Collection<Replicate> replicates, Collection<Worker> workers) {
        public static Changes of(Collection<Task> tasks, Collection<Replicate> replicates) {
            return new Changes(tasks, replicates, List.of());
        }

        public boolean isEmpty() {
            return tasks.isEmpty() && replicates.isEmpty() && workers.isEmpty();
        }
    }

    void commit(Changes changes);

    Optional<DealView> deal(String dealId);

    List<DealView> deals();

    /** Tasks not yet in a terminal status (FINALIZED or CLAIMED); FAILED ones are included. */
    List<Task> liveTasks();

    Optional<Task> task(String taskId);

    List<Task> tasksOf(String dealId);

    /** Replicates of live tasks, whatever their own status. */
    List<Replicate> liveReplicates();

    Optional<Replicate> replicate(String replicateId);

    List<Worker> workers();

    Optional<Worker> worker(String address);

    /** Adds outcomes to workers' spot-check records (created at zero), in one transaction. */
    void recordSpotChecks(Map<String, SpotCheckRecord> outcomes);

    /** Every worker's spot-check record. */
    Map<String, SpotCheckRecord> spotChecks();

    @Override
    void close();
}
