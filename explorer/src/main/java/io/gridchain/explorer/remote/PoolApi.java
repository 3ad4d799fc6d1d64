package io.gridchain.explorer.remote;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A pool scheduler's public reads (docs/API.md §1): a task's off-chain status, and the workers alive. Nothing private
 * is asked: a task's logs and its sealed results stay with the requester, who reads them with its own key.
 */
public final class PoolApi {
    private final Fetch fetch;

    public PoolApi(Fetch fetch) {
        this.fetch = fetch;
    }

    /**
     * The scheduler's status of a task (PENDING, RUNNING, CONSENSUS, FINALIZING, FINALIZED, FAILED), its failure, and
     * how many replicas it assigned and how many contributed (null when it no longer holds the task in memory).
     */
    public record TaskState(String status, String cause, String message, Integer replicas, Integer contributed) {
        public TaskState(String status, String cause, String message) {
            this(status, cause, message, null, null);
        }
    }

    public Optional<TaskState> task(String apiUrl, String taskId) {
        try {
            JsonNode t = fetch.get(apiUrl, "/v1/tasks/" + taskId);
            return Optional.of(new TaskState(t.path("status").asText("PENDING"), text(t.get("cause")),
                    text(t.get("message")), count(t.get("replicas")), count(t.get("contributed"))));
        } catch (Fetch.Failed e) {
            return Optional.empty();
        }
    }

    /** A worker the scheduler saw lately. */
    public record WorkerAlive(String worker, int slots, int busy, long lastSeen) {}

    /** The workers alive, or the one line saying why the pool could not tell. */
    public record Workers(List<WorkerAlive> alive, String error) {}

    public Workers workers(String apiUrl) {
        try {
            List<WorkerAlive> out = new ArrayList<>();
            for (JsonNode w : fetch.get(apiUrl, "/v1/workers")) {
                out.add(new WorkerAlive(w.path("worker").asText().toLowerCase(java.util.Locale.ROOT),
                        w.path("slots").asInt(), w.path("busy").asInt(), w.path("lastSeen").asLong()));
            }
            return new Workers(out, null);
        } catch (Fetch.Failed e) {
            return new Workers(List.of(), e.getMessage());
        }
    }

    private static Integer count(JsonNode n) {
        return n == null || !n.canConvertToInt() || n.asInt() < 0 ? null : n.asInt();
    }

    private static String text(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }
}
