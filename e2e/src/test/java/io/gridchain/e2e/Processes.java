package io.gridchain.e2e;

import io.gridchain.bench.pool.LocalPool;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Schedulers and workers as separate JVMs on this test's classpath, killed with SIGKILL when asked. */
final class Processes implements AutoCloseable {
    private final List<Process> started = new ArrayList<>();
    private final Path dir;

    Processes(Path dir) {
        this.dir = dir;
    }

    /** Starts {@code main} with key=value args and waits until its output shows {@code ready}. */
    Process start(String name, Class<?> main, String ready, String... args) {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-cp", System.getProperty("java.class.path"), main.getName()));
        command.addAll(List.of(args));
        // kept under target/ (the pool's directory is deleted), so a failed run's processes can be read after
        Path log = Path.of("target", "process-logs", dir.getFileName() + "-" + name + ".log");
        try {
            Files.createDirectories(log.getParent());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            started.add(p);
            LocalPool.await(name + " to print '" + ready + "'", Duration.ofSeconds(30), () -> {
                if (!p.isAlive()) throw new AssertionError(name + " exited early: " + read(log));
                return read(log).contains(ready);
            });
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. */
    static void kill(Process p) {
        p.destroyForcibly();
        try {
            p.waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    Path keyFile(String name, String privateKey) {
        try {
            return Files.writeString(dir.resolve(name + ".key"), privateKey);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path log) {
        try {
            return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        for (Process p : started) kill(p);
    }
}
