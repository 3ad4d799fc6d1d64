package io.gridchain.scheduler.state;

import io.gridchain.protocol.chain.BlockTrail;
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
     * The hashes of the last blocks the deal scan processed, oldest first: what a restarted scheduler compares with
     * the chain to see a reorganisation that happened while it was down.
     */
    List<BlockTrail.Mark> trail();

    /** Replaces the saved trail, in one transaction. */
    void saveTrail(List<BlockTrail.Mark> marks);

    /**
     * Records a newly seen deal, its tasks (all PENDING), and the new cursor, in one transaction (the scheduler
     * does it with {@link #commit} and {@link Changes#deal}).
     * Returns false, changing nothing but the cursor, if the deal was already recorded: a deal is
     * never processed twice.
     */
    boolean addDeal(DealView deal, List<Task> tasks, long nextCursor);

    /** Advances the cursor when a scanned range held no new deal: a {@link #commit} of {@link Changes#cursor}. */
    default void setCursor(long nextCursor) {
        commit(Changes.cursor(nextCursor));
    }

    /**
     * One atomic set of changes: tasks and replicates upserted by id, workers upserted by address, new deals
     * inserted (a deal already recorded is left as it is, and so are the tasks of that change), the cursor moved
     * when not null, and spot-check outcomes added to the workers' records.
     */
    record Changes(Collection<Task> tasks, Collection<Replicate> replicates, Collection<Worker> workers,
            Collection<DealView> deals, Long cursor, Map<String, SpotCheckRecord> spotChecks) {
        public Changes(Collection<Task> tasks, Collection<Replicate> replicates, Collection<Worker> workers) {
            this(tasks, replicates, workers, List.of(), null, Map.of());
        }

        public static Changes of(Collection<Task> tasks, Collection<Replicate> replicates) {
            return new Changes(tasks, replicates, List.of());
        }

        /** A newly seen deal with its tasks (all PENDING), and the next block to scan. */
        public static Changes deal(DealView deal, List<Task> tasks, long nextCursor) {
            return new Changes(tasks, List.of(), List.of(), List.of(deal), nextCursor, Map.of());
        }

        /** The next block to scan, after a range without new deals. */
        public static Changes cursor(long nextCursor) {
            return new Changes(List.of(), List.of(), List.of(), List.of(), nextCursor, Map.of());
        }

        /** Outcomes to add to workers' spot-check records. */
        public static Changes spotChecks(Map<String, SpotCheckRecord> outcomes) {
            return new Changes(List.of(), List.of(), List.of(), List.of(), null, outcomes);
        }

        public boolean isEmpty() {
            return tasks.isEmpty() && replicates.isEmpty() && workers.isEmpty() && deals.isEmpty() && cursor == null
                    && spotChecks.isEmpty();
        }
    }

    void commit(Changes changes);

    Optional<DealView> deal(String dealId);

    List<DealView> deals();

    /** Tasks not yet in a terminal status (FINALIZED or FAILED), and so still the scheduler's to move on. */
    List<Task> liveTasks();

    Optional<Task> task(String taskId);

    List<Task> tasksOf(String dealId);

    /** Replicates of live tasks, whatever their own status. */
    List<Replicate> liveReplicates();

    Optional<Replicate> replicate(String replicateId);

    List<Worker> workers();

    Optional<Worker> worker(String address);

    /** Adds outcomes to workers' spot-check records (created at zero): a {@link #commit} of {@link Changes#spotChecks}. */
    default void recordSpotChecks(Map<String, SpotCheckRecord> outcomes) {
        commit(Changes.spotChecks(outcomes));
    }

    /** Every worker's spot-check record. */
    Map<String, SpotCheckRecord> spotChecks();

    @Override
    void close();
}
