package io.gridchain.e2e.multihost;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Processes started inside the hosts of a {@link Netns}, each logging to its own file under
 * {@code target/multihost-logs/RUN/}, so a failed run can be read afterwards. Killed with SIGKILL when asked
 * and all at {@link #close()}.
 */
final class HostProcesses implements AutoCloseable {
    /** A started process and the log it writes. */
    record Proc(String name, Netns.Host host, Process process, Path log, Path outFile) {
        /** Everything it printed (stdout and stderr, or stderr alone when stdout has a file of its own). */
        String output() {
            return read(log);
        }

        /** Its standard output. */
        String stdout() {
            return read(outFile);
        }

        /** How many times {@code text} occurs in the log so far. */
        int count(String text) {
            String out = output();
            int n = 0;
            for (int i = out.indexOf(text); i >= 0; i = out.indexOf(text, i + text.length())) n++;
            return n;
        }
    }

    private final Netns net;
    private final Path logs;
    private final List<Proc> started = new ArrayList<>();
    private int sequence;

    HostProcesses(Netns net, String run) {
        this.net = net;
        this.logs = Path.of("target", "multihost-logs", run).toAbsolutePath();
    }

    Path logs() {
        return logs;
    }

    /** Starts {@code command} in {@code host} with {@code env} added to this JVM's environment. */
    Proc start(String name, Netns.Host host, Map<String, String> env, List<String> command) {
        return start(name, host, env, command, false);
    }

    /** The same; with {@code ownStdout}, standard output goes to a {@code .out} file of its own (for --json). */
    synchronized Proc start(String name, Netns.Host host, Map<String, String> env, List<String> command,
            boolean ownStdout) {
        String base = String.format("%03d-%s-%s", ++sequence, host.name(), name);
        Path log = logs.resolve(base + ".log");
        Path out = ownStdout ? logs.resolve(base + ".out") : log;
        try {
            Files.createDirectories(logs);
            ProcessBuilder pb = new ProcessBuilder(net.inside(host, command)).redirectOutput(out.toFile());
            if (ownStdout) pb.redirectError(log.toFile());
            else pb.redirectErrorStream(true);
            pb.environment().putAll(env);
            Proc p = new Proc(name, host, pb.start(), log, out);
            p.process().getOutputStream().close();
            started.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits until {@code p}'s log holds {@code text}; fails with the log if it exits first or takes longer. */
    static void await(Proc p, String text, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!p.output().contains(text)) {
            if (!p.process().isAlive() && !p.output().contains(text)) {
                throw new AssertionError(p.name() + " exited (" + p.process().exitValue() + ") before printing '" + text
                        + "':\n" + tail(p.output()));
            }
            if (System.nanoTime() > end) {
                throw new AssertionError(p.name() + " did not print '" + text + "' within " + timeout + ":\n"
                        + tail(p.output()));
            }
            sleep(50);
        }
    }

    /** Waits for {@code p} to end; its exit code, or a failure with its log after {@code timeout}. */
    static int waitFor(Proc p, Duration timeout) {
        try {
            if (!p.process().waitFor(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS)) {
                throw new AssertionError(p.name() + " still running after " + timeout + ":\n" + tail(p.output()));
            }
            return p.process().exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** kill -9: no shutdown hook, no flush, no goodbye. {@code ip netns exec} execs the command, so this is it. */
    static void kill(Proc p) {
        p.process().destroyForcibly();
        try {
            p.process().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static String tail(String out) {
        return out.length() <= 4000 ? out : "…" + out.substring(out.length() - 4000);
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    @Override
    public synchronized void close() {
        for (Proc p : started) kill(p);
    }
}
