package io.gridchain.scheduler.delivery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.Delivery;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Deals' delivery targets and their tasks' delivery status, as files under the scheduler's data dir, each written
 * atomically (a crash leaves the old file or the new one): {@code <dir>/<dealId>/target.json}, readable by the
 * scheduler's user only since it holds the bucket's credentials, and {@code <dir>/<dealId>/tasks/<taskId>.json}.
 * Not in the state database: a delivery is the requester's extra, and its files never touch a task or a payment.
 */
public final class DeliveryStore {
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    /** A deal's target, who named it and when (ms). */
    public record Registration(String requester, DeliveryTarget target, long since) {}

    /** The stored form of a {@link Registration}. */
    record StoredTarget(String requester, Delivery.Target target, long since) {}

    private final Path dir;

    public DeliveryStore(Path dir) {
        this.dir = dir;
        try {
            Files.createDirectories(dir);
            if (POSIX) Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the delivery store at " + dir, e);
        }
    }

    public void saveTarget(String dealId, Registration r) {
        write(deal(dealId), "target.json", new StoredTarget(r.requester().toLowerCase(), r.target().wire(), r.since()));
    }

    public Optional<Registration> target(String dealId) {
        Path f = deal(dealId).resolve("target.json");
        if (!Files.exists(f)) return Optional.empty();
        StoredTarget s = read(f, StoredTarget.class);
        return Optional.of(new Registration(s.requester(), DeliveryTarget.of(s.target()), s.since()));
    }

    /** The deals that have a target. */
    public List<String> deals() {
        try (Stream<Path> deals = Files.list(dir)) {
            return deals.filter(d -> Files.exists(d.resolve("target.json"))).map(d -> d.getFileName().toString())
                    .sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public void save(TaskDelivery d) {
        write(deal(d.dealId()).resolve("tasks"), id(d.taskId()) + ".json", d);
    }

    public Optional<TaskDelivery> delivery(String dealId, String taskId) {
        Path f = deal(dealId).resolve("tasks").resolve(id(taskId) + ".json");
        return Files.exists(f) ? Optional.of(read(f, TaskDelivery.class)) : Optional.empty();
    }

    /** The deal's deliveries, by task index. */
    public List<TaskDelivery> deliveries(String dealId) {
        Path tasks = deal(dealId).resolve("tasks");
        if (!Files.isDirectory(tasks)) return List.of();
        List<TaskDelivery> out = new ArrayList<>();
        try (Stream<Path> files = Files.list(tasks)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                out.add(read(f, TaskDelivery.class));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + tasks, e);
        }
        out.sort(Comparator.comparingLong(TaskDelivery::index));
        return out;
    }

    private Path deal(String dealId) {
        return dir.resolve(id(dealId));
    }

    /** A deal or task id as a file name: 0x and 64 hex digits, nothing else (no path tricks). */
    static String id(String value) {
        String v = value == null ? "" : value.toLowerCase();
        if (!v.matches("0x[0-9a-f]{64}")) throw new IllegalArgumentException("not a deal or task id: " + value);
        return v;
    }

    private static void write(Path where, String name, Object value) {
        try {
            Files.createDirectories(where);
            Path tmp = POSIX ? Files.createTempFile(where, name, ".part",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                    : Files.createTempFile(where, name, ".part");
            Files.write(tmp, JSON.writeValueAsBytes(value));
            try {
                Files.move(tmp, where.resolve(name), StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, where.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + where.resolve(name), e);
        }
    }

    private static <T> T read(Path f, Class<T> type) {
        try {
            return JSON.readValue(f.toFile(), type);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }
}
