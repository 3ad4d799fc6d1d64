package io.gridchain.scheduler.live;

import io.gridchain.protocol.PoolStake;
import io.gridchain.scheduler.lifecycle.Lifecycle;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.planning.DataPlacement;
import io.gridchain.scheduler.planning.Snapshot;
import io.gridchain.scheduler.state.StateStore.Changes;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The scheduler's state in memory: the deals, the tasks not ended yet and their replicates, the workers, and
 * incremental indexes over them, so that a tick or a claim costs O(changed), not O(all tasks). {@link #apply}
 * is the only way it changes; the {@link Applier} calls it under its lock, together with queuing the same changes
 * to the store. Everything else here is read under that lock, except the concurrent maps noted below.
 *
 * <p>A little over 300 lines: the indexes and the planner's view over them are one unit (the view reads the
 * indexes' private structures, and both must change together when an index does).
 */
public final class LiveState {
    private static final Comparator<Task> TASK_ORDER =
            Comparator.comparing(Task::dealId).thenComparingLong(Task::index);

    private final Map<String, DealView> deals = new HashMap<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Replicate> replicates = new HashMap<>();
    /** Concurrent, so that authenticating a request (registered, seen) needs no lock. */
    private final Map<String, Worker> workers = new ConcurrentHashMap<>();
    /** Concurrent: the chain follower refreshes them and requests read them without the lock. */
    private final Map<String, PoolStake> stakes = new ConcurrentHashMap<>();
    private final Map<String, SpotCheckRecord> spotChecks = new ConcurrentHashMap<>();
    private long cursor;

    private final Map<String, List<Replicate>> byTask = new HashMap<>();
    private final Map<String, Replicate> holdingSlot = new LinkedHashMap<>();
    private final Map<String, Integer> busy = new HashMap<>();
    private final Map<String, BigInteger> staked = new HashMap<>();
    private final TreeSet<Task> runningOpen = new TreeSet<>(TASK_ORDER);
    private final TreeSet<Task> pendingOpen = new TreeSet<>(TASK_ORDER);
    private final Map<String, Integer> openByDeal = new HashMap<>();
    private final Set<String> consensusTasks = new LinkedHashSet<>();
    /** Tasks whose decision may have changed since the last tick. */
    private final Set<String> dirty = new LinkedHashSet<>();
    private final Set<String> expiredDeals = new HashSet<>();
    private final CacheReports caches = new CacheReports();
    private volatile boolean scoresChanged;
    private volatile boolean liarCaught;

    /** Takes in what the store kept; a terminal task (which a store should not return as live) is left out. */
    void load(Collection<DealView> storedDeals, Collection<Task> liveTasks, Collection<Replicate> liveReplicates,
            Collection<Worker> storedWorkers, Map<String, SpotCheckRecord> records, long storedCursor) {
        for (DealView d : storedDeals) deals.put(d.dealId(), d);
        for (Task t : liveTasks) {
            if (t.status().terminal()) continue;
            tasks.put(t.taskId(), t);
            indexTask(t);
        }
        for (Replicate r : liveReplicates) {
            if (!tasks.containsKey(r.taskId())) continue;
            replicates.put(r.id(), r);
            byTask.computeIfAbsent(r.taskId(), k -> new ArrayList<>()).add(r);
            indexReplicate(r, +1);
        }
        for (Worker w : storedWorkers) workers.put(w.address(), w);
        spotChecks.putAll(records);
        cursor = storedCursor;
    }

    /** Makes the changes in memory. A task that ended leaves memory, and its replicates with it. */
    void apply(Changes changes) {
        for (DealView d : changes.deals()) deals.put(d.dealId(), d);
        if (changes.cursor() != null) cursor = changes.cursor();
        for (Task t : changes.tasks()) {
            Task old = tasks.get(t.taskId());
            if (old != null) unindexTask(old);
            if (t.status().terminal()) {
                tasks.remove(t.taskId());
                List<Replicate> gone = byTask.remove(t.taskId());
                if (gone != null) {
                    for (Replicate r : gone) {
                        replicates.remove(r.id());
                        indexReplicate(r, -1);
                    }
                }
                dirty.remove(t.taskId());
            } else {
                tasks.put(t.taskId(), t);
                indexTask(t);
            }
        }
        for (Replicate r : changes.replicates()) {
            if (!tasks.containsKey(r.taskId())) continue;
            Replicate old = replicates.put(r.id(), r);
            List<Replicate> list = byTask.computeIfAbsent(r.taskId(), k -> new ArrayList<>(3));
            if (old != null) {
                indexReplicate(old, -1);
                list.replaceAll(x -> x.id().equals(r.id()) ? r : x);
            } else {
                list.add(r);
                if (r.status() == ReplicateStatus.ASSIGNED) caches.given(r.worker(), placedKeys(r), r.since());
            }
            indexReplicate(r, +1);
            dirty.add(r.taskId());
        }
        for (Worker w : changes.workers()) workers.put(w.address(), w);
        changes.spotChecks().forEach((w, o) -> {
            spotChecks.merge(w, o, SpotCheckRecord::plus);
            // a worker caught lying weighs less in every running task's consensus, and its results not yet in a
            // batch are backtracked
            if (o.caught()) {
                scoresChanged = true;
                liarCaught = true;
            }
        });
    }

    /**
     * The tasks the tick must decide: those changed since the last tick, those with a replicate past its timeout
     * or of a lost worker, every open or CONSENSUS task of a deal whose deadline just passed, every
     * running task when scores changed, and every CONSENSUS task when a worker was caught lying (backtracking). Clears the marks.
     */
    public List<Task> toDecide(long now, long chainNow, Lifecycle lifecycle) {
        for (Replicate r : holdingSlot.values()) {
            Worker w = workers.get(r.worker());
            DealView d = deals.get(r.dealId());
            boolean lost = w == null || now - w.lastSeen() > lifecycle.workerLostAfter();
            long timeout = d == null ? Long.MAX_VALUE : lifecycle.replicateTimeout(r.status(), d.wallTimeMillis());
            if (lost || now - r.since() > timeout) dirty.add(r.taskId());
        }
        for (DealView d : deals.values()) {
            if (chainNow >= d.deadline() && expiredDeals.add(d.dealId())) {
                for (Task t : tasks.values()) {
                    if (t.dealId().equals(d.dealId()) && (t.status().open() || t.status() == TaskStatus.CONSENSUS)) {
                        dirty.add(t.taskId());
                    }
                }
            }
        }
        if (scoresChanged) {
            scoresChanged = false;
            for (Task t : runningOpen) dirty.add(t.taskId());
        }
        if (liarCaught) {
            liarCaught = false;
            dirty.addAll(consensusTasks);
        }
        List<Task> out = new ArrayList<>(dirty.size());
        for (String id : dirty) {
            Task t = tasks.get(id);
            if (t != null) out.add(t);
        }
        dirty.clear();
        return out;
    }

    /** Tasks to decide again at the next tick (the tick that took them failed). */
    public void redecide(Collection<Task> again) {
        for (Task t : again) dirty.add(t.taskId());
    }

    /**
     * Records a worker's standing in the pool read from the chain; a new score or bond (the bond caps the score
     * that counts) has running tasks decided again.
     */
    public void account(String worker, PoolStake stake) {
        PoolStake before = stakes.put(worker, stake);
        if (before == null || before.score() != stake.score() || !before.bond().equals(stake.bond())) {
            scoresChanged = true;
        }
    }

    /** The planner's view, valid while the lock is held; {@code batching} are the tasks already in a batch. */
    public Snapshot snapshot(Collection<Task> toDecide, Set<String> batching) {
        return new View(toDecide, batching);
    }

    public Map<String, DealView> deals() {
        return deals;
    }

    /** The tasks in memory (not ended), in the order they came. */
    public Collection<Task> tasks() {
        return tasks.values();
    }

    public Task task(String taskId) {
        return tasks.get(taskId);
    }

    public Replicate replicate(String replicateId) {
        return replicates.get(replicateId);
    }

    public Collection<Replicate> replicates() {
        return replicates.values();
    }

    public List<Replicate> replicatesOf(String taskId) {
        return byTask.getOrDefault(taskId, List.of());
    }

    /** A worker's heartbeat listed the placed inputs {@code reported} in its cache. */
    public void cacheReported(String worker, List<String> reported, long now) {
        List<String> holding = new ArrayList<>();
        for (Replicate r : holdingSlotOf(worker)) holding.addAll(placedKeys(r));
        caches.reported(worker, reported, holding, now);
    }

    private List<String> placedKeys(Replicate r) {
        DealView d = deals.get(r.dealId());
        Task t = tasks.get(r.taskId());
        if (d == null || t == null) return List.of();
        List<String> keys = new ArrayList<>();
        for (var p : DataPlacement.placedInputs(d, t.index())) keys.add(p.key());
        return keys;
    }

    /** The replicates holding a slot of {@code worker} (ASSIGNED or COMMITTED). */
    public List<Replicate> holdingSlotOf(String worker) {
        List<Replicate> out = new ArrayList<>();
        for (Replicate r : holdingSlot.values()) {
            if (r.worker().equals(worker)) out.add(r);
        }
        return out;
    }

    public Map<String, Worker> workers() {
        return workers;
    }

    /**
     * How many replicates hold a slot of {@code worker} ({@link #holdingSlotOf}'s size), from the index rather than
     * a scan: a public read counts every worker's under the lock.
     */
    public int busy(String worker) {
        return busy.getOrDefault(worker, 0);
    }

    public SpotCheckRecord spotChecks(String worker) {
        return spotChecks.getOrDefault(worker, SpotCheckRecord.NONE);
    }

    /** A worker's bond, score and unbond request in this pool, as last read from the chain. */
    public PoolStake stakeOf(String worker) {
        return stakes.getOrDefault(worker, PoolStake.NONE);
    }

    /** Stakes a worker's unfinished contributions must be backed by (its bond in the pool backs them). */
    public BigInteger stakedBy(String worker) {
        return staked.getOrDefault(worker, BigInteger.ZERO);
    }

    /** The next chain block to scan for deals. */
    public long cursor() {
        return cursor;
    }

    private void indexTask(Task t) {
        switch (t.status()) {
            case PENDING -> pendingOpen.add(t);
            case RUNNING -> runningOpen.add(t);
            case CONSENSUS -> consensusTasks.add(t.taskId());
            default -> { }
        }
        if (t.status().open()) openByDeal.merge(t.dealId(), 1, Integer::sum);
        dirty.add(t.taskId());
    }

    private void unindexTask(Task t) {
        switch (t.status()) {
            case PENDING -> pendingOpen.remove(t);
            case RUNNING -> runningOpen.remove(t);
            case CONSENSUS -> consensusTasks.remove(t.taskId());
            default -> { }
        }
        if (t.status().open()) openByDeal.merge(t.dealId(), -1, Integer::sum);
    }

    /** Adds ({@code sign} +1) or removes (-1) a replicate's share of the slot and stake indexes. */
    private void indexReplicate(Replicate r, int sign) {
        if (r.status().holdsSlot()) {
            if (sign > 0) holdingSlot.put(r.id(), r);
            else holdingSlot.remove(r.id());
            busy.merge(r.worker(), sign, Integer::sum);
        }
        if (r.status().holdsSlot() || r.status() == ReplicateStatus.REVEALED) {
            DealView d = deals.get(r.dealId());
            if (d != null) {
                BigInteger stake = d.record().deal().workerStake();
                staked.merge(r.worker(), sign > 0 ? stake : stake.negate(), BigInteger::add);
            }
        }
    }

    /** The planner's view over the indexes. */
    private final class View implements Snapshot {
        private final Collection<Task> toDecide;
        private final Set<String> batching;

        View(Collection<Task> toDecide, Set<String> batching) {
            this.toDecide = toDecide;
            this.batching = batching;
        }

        @Override
        public Map<String, DealView> deals() {
            return deals;
        }

        @Override
        public Map<String, Worker> workers() {
            return workers;
        }

        @Override
        public Set<String> cached(String worker) {
            return caches.of(worker);
        }

        @Override
        public long placedAt(String key) {
            return caches.activity(key);
        }

        @Override
        public PoolStake stake(String worker) {
            return stakeOf(worker);
        }

        @Override
        public SpotCheckRecord spotChecks(String worker) {
            return LiveState.this.spotChecks(worker);
        }

        @Override
        public List<Replicate> replicatesOf(String taskId) {
            return LiveState.this.replicatesOf(taskId);
        }

        @Override
        public Set<String> batching() {
            return batching;
        }

        @Override
        public Collection<Task> toDecide() {
            return toDecide;
        }

        @Override
        public Iterable<Task> candidates() {
            return () -> Stream.concat(runningOpen.stream(), pendingOpen.stream()).iterator();
        }

        @Override
        public int busy(String worker) {
            return LiveState.this.busy(worker);
        }

        @Override
        public Map<String, List<Task>> consensus() {
            Map<String, List<Task>> out = new LinkedHashMap<>();
            for (String id : consensusTasks) {
                if (batching.contains(id)) continue;
                Task t = tasks.get(id);
                out.computeIfAbsent(t.dealId(), k -> new ArrayList<>()).add(t);
            }
            return out;
        }

        @Override
        public int openTasks(String dealId) {
            return openByDeal.getOrDefault(dealId, 0);
        }
    }
}
