package io.gridchain.scheduler.requester;

import io.gridchain.scheduler.SchedulerService.TaskView;
import io.gridchain.scheduler.delivery.Deliveries;
import io.gridchain.scheduler.delivery.TaskDelivery;
import io.gridchain.scheduler.lifecycle.ReplicateStatus;
import io.gridchain.scheduler.lifecycle.TaskStatus;
import io.gridchain.scheduler.live.Applier;
import io.gridchain.scheduler.model.Replicate;
import io.gridchain.scheduler.model.Task;
import java.util.List;
import java.util.Optional;

/** What the requester sees of a task: its status, and its result or its typed failure. */
public final class TaskViews {
    private final Applier applier;
    private final Deliveries deliveries;

    public TaskViews(Applier applier) {
        this(applier, null);
    }

    /** @param deliveries how results' deliveries to the requesters' storage stand; null when there are none */
    public TaskViews(Applier applier, Deliveries deliveries) {
        this.applier = applier;
        this.deliveries = deliveries;
    }

    public Optional<TaskView> task(String taskId) {
        Task t;
        Integer replicas = null;
        Integer contributed = null;
        synchronized (applier.lock()) {
            t = applier.live().task(taskId);
            if (t != null) {
                // counts only: which workers hold a task's replicas stays private, or colluders could find each other
                List<Replicate> rs = applier.live().replicatesOf(taskId);
                replicas = rs.size();
                contributed = (int) rs.stream().filter(r -> r.status() == ReplicateStatus.COMMITTED
                        || r.status() == ReplicateStatus.REVEALED).count();
            }
        }
        // an ended task left memory; the store has it once its end is saved
        if (t == null) t = applier.savedTask(taskId).orElse(null);
        if (t == null) return Optional.empty();
        TaskDelivery d = deliveries == null ? null : deliveries.status(t.dealId(), t.taskId()).orElse(null);
        return Optional.of(new TaskView(t.taskId(), t.dealId(), t.index(), t.status().name(), t.digest(),
                t.cause() == null ? null : t.cause().name(), t.message(),
                t.status() == TaskStatus.FINALIZED ? t.batch() : null, d == null ? null : d.status().name(),
                d == null ? null : d.cause(), replicas, contributed));
    }
}
