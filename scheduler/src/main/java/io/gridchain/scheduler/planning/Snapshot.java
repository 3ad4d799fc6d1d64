package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.model.DealView;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import io.gridchain.scheduler.model.Worker;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the planner decides from: the live deals, tasks and replicates, the workers, and each
 * worker's on-chain reputation score.
 */
public record Snapshot(Map<String, DealView> deals, List<Task> tasks, Map<String, List<Replicate>> replicatesByTask,
        Map<String, Worker> workers, Map<String, Long> scores) {

    public static Snapshot of(Collection<DealView> deals, Collection<Task> tasks, Collection<Replicate> replicates,
            Collection<Worker> workers, Map<String, Long> scores) {
        Map<String, DealView> d = new HashMap<>();
        for (DealView v : deals) d.put(v.dealId(), v);
        Map<String, List<Replicate>> r = new HashMap<>();
        for (Replicate x : replicates) r.computeIfAbsent(x.taskId(), k -> new ArrayList<>()).add(x);
        Map<String, Worker> w = new HashMap<>();
        for (Worker x : workers) w.put(x.address(), x);
        return new Snapshot(d, List.copyOf(tasks), r, w, Map.copyOf(scores));
    }

    public List<Replicate> replicatesOf(String taskId) {
        return replicatesByTask.getOrDefault(taskId, List.of());
    }

    public long score(String worker) {
        return scores.getOrDefault(worker, 0L);
    }
}
