package io.gridchain.scheduler.requester;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.WorkerApi;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the app printed in each replica of a task, kept for the deal's requester: one small file per replicate under
 * {@code <dir>/<taskId>/}, written only when there is something to keep (an app that prints nothing costs nothing).
 * Each stream is capped at {@link #MAX_TAIL_CHARS}, and a task has a bounded number of replicates, so a task's logs
 * are bounded too. Logs are not state: a lost file loses a log, never a task or a payment.
 */
public final class TaskLogs {
    private static final Logger log = LoggerFactory.getLogger(TaskLogs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Longest tail kept per stream: the worker sends 4 KiB, a hostile one is cut here. */
    public static final int MAX_TAIL_CHARS = 8_192;

    /** One replicate's log as stored: whose deal it is, and what the requester reads. */
    record Stored(String requester, WorkerApi.ReplicaLog log) {}

    /** A task's logs and the requester who may read them. */
    public record Logs(String requester, List<WorkerApi.ReplicaLog> replicas) {}

    private final Path dir;

    public TaskLogs(Path dir) {
        this.dir = dir;
    }

    /** Keeps a replicate's log (nothing when both streams are empty and it succeeded). */
    public void keep(String taskId, String requester, WorkerApi.ReplicaLog entry) {
        boolean empty = isEmpty(entry.stdout()) && isEmpty(entry.stderr());
        if (empty && "COMMITTED".equals(entry.outcome())) return;
        WorkerApi.ReplicaLog capped = new WorkerApi.ReplicaLog(entry.replicateId(), entry.worker(), entry.outcome(),
                entry.message(), cap(entry.stdout()), cap(entry.stderr()), entry.time());
        try {
            Path taskDir = dir.resolve(name(taskId));
            Files.createDirectories(taskDir);
            Path tmp = Files.createTempFile(taskDir, "log", ".part");
            Files.write(tmp, JSON.writeValueAsBytes(new Stored(requester.toLowerCase(), capped)));
            Files.move(tmp, taskDir.resolve(name(entry.replicateId()) + ".json"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException | IllegalArgumentException e) {
            log.warn("cannot keep the log of replicate {} of task {}: {}", entry.replicateId(), taskId, e.getMessage());
        }
    }

    /** The task's logs, oldest first; empty when none were kept. */
    public Optional<Logs> of(String taskId) {
        Path taskDir = dir.resolve(name(taskId));
        if (!Files.isDirectory(taskDir)) return Optional.empty();
        List<Stored> stored = new ArrayList<>();
        try (Stream<Path> files = Files.list(taskDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                stored.add(JSON.readValue(f.toFile(), Stored.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the logs of task " + taskId, e);
        }
        if (stored.isEmpty()) return Optional.empty();
        stored.sort(Comparator.comparingLong((Stored s) -> s.log().time()).thenComparing(s -> s.log().replicateId()));
        return Optional.of(new Logs(stored.get(0).requester(), stored.stream().map(Stored::log).toList()));
    }

    private static String cap(String s) {
        if (s == null) return "";
        return s.length() <= MAX_TAIL_CHARS ? s : s.substring(s.length() - MAX_TAIL_CHARS);
    }

    private static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    /** A task or replicate id as a file name: hex, dashes and digits only (no path tricks). */
    private static String name(String id) {
        String n = id.toLowerCase();
        if (!n.matches("[0-9a-fx-]{1,100}")) throw new IllegalArgumentException("not an id: " + id);
        return n;
    }
}
