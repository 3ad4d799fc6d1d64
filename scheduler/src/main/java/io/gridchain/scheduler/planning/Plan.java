package io.gridchain.scheduler.planning;

import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import java.util.List;

/**
 * The planner's decisions: new or changed tasks and replicates to persist, and batches of tasks in
 * CONSENSUS to certify on-chain (each batch holds tasks of one deal).
 */
public record Plan(List<Task> tasks, List<Replicate> replicates, List<BatchPlan> batches) {
    public record BatchPlan(String dealId, List<Task> tasks) {}

    public boolean isEmpty() {
        return tasks.isEmpty() && replicates.isEmpty() && batches.isEmpty();
    }
}
