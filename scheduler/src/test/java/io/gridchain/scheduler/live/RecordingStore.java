package io.gridchain.scheduler.live;

import io.gridchain.protocol.chain.BlockTrail;
import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.SpotCheckRecord;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import io.gridchain.scheduler.state.StateStore;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link StateStore} in memory that records every set of changes it is given, for the rooms' harness tests.
 * Only {@link #commit} (which the store's other writes are made of) and the reads the scheduler makes are served;
 * {@link #addDeal}, the one write with its own answer, is refused, so a test fails if deal intake bypasses the group
 * commit.
 */
public final class RecordingStore implements StateStore {
    public final List<Changes> commits = new ArrayList<>();
    private final Map<String, DealView> deals = new LinkedHashMap<>();
    private final Map<String, Task> tasks = new LinkedHashMap<>();
    private final Map<String, Replicate> replicates = new LinkedHashMap<>();
    private final Map<String, Worker> workers = new LinkedHashMap<>();
    private final Map<String, SpotCheckRecord> spotChecks = new HashMap<>();
    private long cursor;
    private List<BlockTrail.Mark> trail = List.of();

    @Override
    public synchronized List<BlockTrail.Mark> trail() {
        return trail;
    }

    @Override
    public synchronized void saveTrail(List<BlockTrail.Mark> marks) {
        trail = List.copyOf(marks);
    }

    @Override
    public synchronized void commit(Changes changes) {
        commits.add(changes);
        for (DealView d : changes.deals()) deals.putIfAbsent(d.dealId(), d);
        for (Task t : changes.tasks()) tasks.put(t.taskId(), t);
        for (Replicate r : changes.replicates()) replicates.put(r.id(), r);
        for (Worker w : changes.workers()) workers.put(w.address(), w);
        changes.spotChecks().forEach((w, o) -> spotChecks.merge(w.toLowerCase(), o, SpotCheckRecord::plus));
        if (changes.cursor() != null) cursor = changes.cursor();
    }

    /** Every saved version of the task, in the order they were saved. */
    public synchronized List<Task> history(String taskId) {
        List<Task> out = new ArrayList<>();
        for (Changes c : commits) {
            for (Task t : c.tasks()) {
                if (t.taskId().equals(taskId)) out.add(t);
            }
        }
        return out;
    }

    @Override
    public synchronized long cursor() {
        return cursor;
    }

    /** Refused on purpose: a test that reaches it fails, which proves the scheduler takes deals in through commit. */
    @Override
    public boolean addDeal(DealView deal, List<Task> tasks, long nextCursor) {
        throw new UnsupportedOperationException("the scheduler saves deals through commit");
    }

    @Override
    public synchronized Optional<DealView> deal(String dealId) {
        return Optional.ofNullable(deals.get(dealId));
    }

    @Override
    public synchronized List<DealView> deals() {
        return List.copyOf(deals.values());
    }

    @Override
    public synchronized List<Task> liveTasks() {
        return tasks.values().stream().filter(t -> !t.status().terminal()).toList();
    }

    @Override
    public synchronized Optional<Task> task(String taskId) {
        return Optional.ofNullable(tasks.get(taskId));
    }

    @Override
    public synchronized List<Task> tasksOf(String dealId) {
        return tasks.values().stream().filter(t -> t.dealId().equals(dealId)).toList();
    }

    @Override
    public synchronized List<Replicate> liveReplicates() {
        return replicates.values().stream().filter(r -> tasks.containsKey(r.taskId())
                && !tasks.get(r.taskId()).status().terminal()).toList();
    }

    @Override
    public synchronized Optional<Replicate> replicate(String replicateId) {
        return Optional.ofNullable(replicates.get(replicateId));
    }

    @Override
    public synchronized List<Worker> workers() {
        return List.copyOf(workers.values());
    }

    @Override
    public synchronized Optional<Worker> worker(String address) {
        return Optional.ofNullable(workers.get(address));
    }

    @Override
    public synchronized Map<String, SpotCheckRecord> spotChecks() {
        return Map.copyOf(spotChecks);
    }

    @Override
    public void close() {}
}
