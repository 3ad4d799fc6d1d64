package io.gridchain.worker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Work directories (for staging input files), kept empty for reuse: creating a directory per replicate costs the
 * file system more.
 *
 * <p>A work directory serves only the replicate running in it: nothing in it is read back after a restart (the
 * worker's replicates live in memory and in the scheduler's state), so what a killed worker left here is garbage,
 * whichever chain it came from, and {@link #clearLeftovers} deletes it at start. This is why the worker binds no state
 * to a chain: the rest of its disk is the cache by sha256, which is the same on every chain.
 */
final class WorkDirs {

    private static final Logger log = LoggerFactory.getLogger(WorkerAgent.class); // the agent's log category

    private final Path root;
    private final int maxSpare;
    private final Queue<Path> spare = new ConcurrentLinkedQueue<>();
    private volatile boolean closed;

    WorkDirs(Path root, int maxSpare) {
        this.root = root;
        this.maxSpare = maxSpare;
    }

    Path root() {
        return root;
    }

    /**
     * Deletes what a previous run under the same root left (a worker killed mid-replicate). Call before any
     * replicate runs: the root must be this worker's alone.
     */
    void clearLeftovers() {
        if (!Files.isDirectory(root)) {
            return;
        }
        try (Stream<Path> entries = Files.list(root)) {
            for (Path entry : entries.toList()) {
                deleteTree(entry);
            }
        } catch (IOException | UncheckedIOException e) {
            log.debug("cannot clear the leftovers in {}: {}", root, e.getMessage());
        }
    }

    Path take() throws IOException {
        Path dir = spare.poll();
        if (dir != null) {
            return dir;
        }
        Files.createDirectories(root);
        return Files.createTempDirectory(root, "r-");
    }

    /** Empties a work directory (keeping its in/ and out/ folders) for the next replicate, or deletes it. */
    void recycle(Path workDir) {
        if (workDir == null) {
            return;
        }
        if (closed || spare.size() >= maxSpare) {
            deleteTree(workDir);
            return;
        }
        try (Stream<Path> top = Files.list(workDir)) {
            for (Path entry : top.toList()) {
                String name = entry.getFileName().toString();
                if ((name.equals("in") || name.equals("out")) && Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS)) {
                    try (Stream<Path> inner = Files.list(entry)) {
                        for (Path child : inner.toList()) {
                            deleteTree(child);
                        }
                    }
                } else {
                    deleteTree(entry);
                }
            }
            try (Stream<Path> check = Files.walk(workDir)) {
                if (check.anyMatch(Files::isRegularFile)) {
                    deleteTree(workDir); // something could not be removed: do not reuse it
                    return;
                }
            }
            spare.add(workDir);
        } catch (IOException | UncheckedIOException e) {
            deleteTree(workDir);
        }
    }

    /** Deletes the spare directories; directories recycled later are deleted too. */
    void close() {
        closed = true;
        for (Path dir; (dir = spare.poll()) != null; ) {
            deleteTree(dir);
        }
    }

    private static void deleteTree(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("cannot delete {}: {}", dir, e.getMessage());
        }
    }
}
