package io.gridchain.explorer.views;

import io.gridchain.explorer.remote.PoolApi;
import io.gridchain.protocol.GridClient.TaskStatus;
import java.util.Optional;

/**
 * A task's status as the explorer shows it. The chain has the last word on what is final (certified, refunded); before
 * that, the pool's scheduler says how far the task is (its word is not trusted for anything else, and a pool that
 * does not answer leaves the task "pending").
 */
public final class TaskStates {
    public static final String PENDING = "pending";
    public static final String CERTIFIED = "certified";
    public static final String REFUNDED = "refunded";

    private TaskStates() {}

    public static String of(TaskStatus chain, Optional<PoolApi.TaskState> scheduler) {
        if (chain == TaskStatus.FINALIZED) return CERTIFIED;
        if (chain == TaskStatus.CLAIMED) return REFUNDED;
        String fallback = chain == TaskStatus.IN_PROGRESS ? "running" : PENDING;
        return scheduler.map(s -> switch (s.status()) {
            case "RUNNING" -> "running";
            case "CONSENSUS" -> "consensus";
            case "FINALIZING", "FINALIZED" -> "finalizing";
            case "FAILED" -> "failed";
            default -> fallback;
        }).orElse(fallback);
    }

    /** Whether nothing more will happen to a task in this status. */
    public static boolean isFinal(String status) {
        return CERTIFIED.equals(status) || REFUNDED.equals(status);
    }
}
