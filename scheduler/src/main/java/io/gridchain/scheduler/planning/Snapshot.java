package io.gridchain.scheduler.planning;

import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.poco.ConsensusRule;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the planner decides from: the live deals, tasks and replicates, the workers, each worker's
 * on-chain standing in the pool (bond and reputation score), and the tasks in CONSENSUS already placed in a batch that is being
 * signed ({@link #batching()}: they are not batched again).
 *
 * <p>It is a read-only view. {@link #of} builds a complete one from collections (every task is
 * decided again); the scheduler keeps incremental indexes and hands the planner only the tasks whose
 * decision may have changed ({@link #toDecide()}), so a tick and a claim cost O(changed), not
 * O(all tasks).
 */
public interface Snapshot {
    Map<String, DealView> deals();

    Map<String, Worker> workers();

    /** The worker's bond and score in this pool, as last read from the chain ({@link PoolStake#NONE} if unknown). */
    PoolStake stake(String worker);

    /**
     * The worker's weight on {@code deal}, as the hub computes it: its score in the pool capped by the stakes its
     * bond there backs, and no score at all on a deal without a stake; so the planner's consensus is the chain's.
     */
    default BigInteger weight(String worker, DealView deal) {
        PoolStake stake = stake(worker);
        return ConsensusRule.weight(ConsensusRule.effectiveScore(stake.score(), stake.bond(),
                deal.record().deal().workerStake()));
    }

    /** The worker's reputation in this pool, uncapped: what the pool's own policy reads. */
    default long score(String worker) {
        return stake(worker).score();
    }

    /** What the pool itself verified about the worker (known-answer checks, lies caught). */
    default SpotCheckRecord spotChecks(String worker) {
        return SpotCheckRecord.NONE;
    }

    List<Replicate> replicatesOf(String taskId);

    /**
     * The inputs with placement directives {@code worker} caches, as sha256 keys ({@link DataPlacement#key}): what its
     * last heartbeat reported, and what the tasks it holds since make it fetch.
     */
    default Set<String> cached(String worker) {
        return Set.of();
    }

    /**
     * When a task reading the input {@code key} was last given out, or a worker first reported holding it (scheduler
     * time, ms; 0 if never): a worker without the input waits for its holders only a while after that.
     */
    default long placedAt(String key) {
        return 0;
    }

    /** Tasks in CONSENSUS already in a batch being signed or sent. */
    Set<String> batching();

    /**
     * The tasks whose decision may have changed since the last tick: changed themselves, or one of
     * their replicates changed, timed out or lost its worker, or their deal's deadline passed, or
     * scores changed. A complete snapshot lists every live task.
     */
    Collection<Task> toDecide();

    /** Open tasks (PENDING or RUNNING) in assignment order: running first, then pending, by deal then index. */
    Iterable<Task> candidates();

    /** How many replicates {@code worker} holds a slot for. */
    int busy(String worker);

    /** CONSENSUS tasks not in {@link #batching()}, per deal, in task order. */
    Map<String, List<Task>> consensus();

    /** How many tasks of the deal are still open (PENDING or RUNNING). */
    int openTasks(String dealId);

    /** The order tasks get replicas in: running before pending, then by deal and index. */
    Comparator<Task> ASSIGNMENT_ORDER = Comparator.comparing((Task t) -> t.status() == TaskStatus.PENDING)
            .thenComparing(Task::dealId).thenComparingLong(Task::index);

    static Snapshot of(Collection<DealView> deals, Collection<Task> tasks, Collection<Replicate> replicates,
            Collection<Worker> workers, Map<String, PoolStake> stakes) {
        return of(deals, tasks, replicates, workers, stakes, Set.of());
    }

    /** A complete snapshot: every task is to be decided. */
    static Snapshot of(Collection<DealView> deals, Collection<Task> tasks, Collection<Replicate> replicates,
            Collection<Worker> workers, Map<String, PoolStake> stakes, Set<String> batching) {
        return of(deals, tasks, replicates, workers, stakes, batching, Map.of());
    }

    /** A complete snapshot with the pool's spot-check records. */
    static Snapshot of(Collection<DealView> deals, Collection<Task> tasks, Collection<Replicate> replicates,
            Collection<Worker> workers, Map<String, PoolStake> stakes, Set<String> batching,
            Map<String, SpotCheckRecord> spotChecks) {
        return of(deals, tasks, replicates, workers, stakes, batching, spotChecks, Map.of(), Map.of());
    }

    /** A complete snapshot with the pool's spot-check records, what each worker caches and when each input moved. */
    static Snapshot of(Collection<DealView> deals, Collection<Task> tasks, Collection<Replicate> replicates,
            Collection<Worker> workers, Map<String, PoolStake> stakes, Set<String> batching,
            Map<String, SpotCheckRecord> spotChecks, Map<String, Set<String>> cached, Map<String, Long> placedAt) {
        Map<String, DealView> d = new HashMap<>();
        for (DealView v : deals) d.put(v.dealId(), v);
        Map<String, List<Replicate>> r = new HashMap<>();
        Map<String, Integer> busy = new HashMap<>();
        for (Replicate x : replicates) {
            r.computeIfAbsent(x.taskId(), k -> new ArrayList<>()).add(x);
            if (x.status().holdsSlot()) busy.merge(x.worker(), 1, Integer::sum);
        }
        Map<String, Worker> w = new HashMap<>();
        for (Worker x : workers) w.put(x.address(), x);
        List<Task> all = List.copyOf(tasks);
        Map<String, List<Task>> consensus = new LinkedHashMap<>();
        Map<String, Integer> open = new HashMap<>();
        for (Task t : all) {
            if (t.status() == TaskStatus.CONSENSUS && !batching.contains(t.taskId())) {
                consensus.computeIfAbsent(t.dealId(), k -> new ArrayList<>()).add(t);
            }
            if (t.status().open()) open.merge(t.dealId(), 1, Integer::sum);
        }
        List<Task> candidates = all.stream().filter(t -> t.status().open()).sorted(ASSIGNMENT_ORDER).toList();
        return new Full(d, all, r, w, Map.copyOf(stakes), Set.copyOf(batching), candidates, busy, consensus, open,
                Map.copyOf(spotChecks), Map.copyOf(cached), Map.copyOf(placedAt));
    }

    /** A snapshot built from collections. */
    record Full(Map<String, DealView> deals, List<Task> tasks, Map<String, List<Replicate>> replicatesByTask,
            Map<String, Worker> workers, Map<String, PoolStake> stakes, Set<String> batching, List<Task> candidates,
            Map<String, Integer> busyByWorker, Map<String, List<Task>> consensus, Map<String, Integer> open,
            Map<String, SpotCheckRecord> spotCheckRecords, Map<String, Set<String>> cachedByWorker,
            Map<String, Long> placedAtByKey) implements Snapshot {
        @Override
        public Set<String> cached(String worker) {
            return cachedByWorker.getOrDefault(worker, Set.of());
        }

        @Override
        public long placedAt(String key) {
            return placedAtByKey.getOrDefault(key, 0L);
        }

        @Override
        public SpotCheckRecord spotChecks(String worker) {
            return spotCheckRecords.getOrDefault(worker, SpotCheckRecord.NONE);
        }

        @Override
        public PoolStake stake(String worker) {
            return stakes.getOrDefault(worker, PoolStake.NONE);
        }

        @Override
        public List<Replicate> replicatesOf(String taskId) {
            return replicatesByTask.getOrDefault(taskId, List.of());
        }

        @Override
        public Collection<Task> toDecide() {
            return tasks;
        }

        @Override
        public int busy(String worker) {
            return busyByWorker.getOrDefault(worker, 0);
        }

        @Override
        public int openTasks(String dealId) {
            return open.getOrDefault(dealId, 0);
        }
    }
}
