package io.gridchain.cli.config;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.protocol.local.LocalProtocol;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs the CLI at the process level, the way a user does: {@code java -cp <test classpath>
 * io.gridchain.cli.Main …} in a fresh JVM, with its own home directory (so its own
 * {@code ~/.gridchain/config.json} and wallets) and no GRIDCHAIN_* variable inherited.
 */
public final class Cli {
    /** One run: exit code, stdout and stderr. */
    public record Run(int code, String out, String err) {
        /** Asserts the run failed with {@code code} and exactly one stderr line starting "error: ". */
        public String assertOneLineError(int expected) {
            List<String> lines = err.strip().lines().toList();
            assertThat(lines).as("stderr of a failed run: %s", err).hasSize(1);
            assertThat(lines.get(0)).startsWith("error: ");
            assertThat(code).as("exit code; stderr: %s", err).isEqualTo(expected);
            return lines.get(0);
        }

        public Run assertOk() {
            assertThat(code).as("exit code; stdout: %s stderr: %s", out, err).isZero();
            return this;
        }
    }

    private static LocalProtocol shared;

    private final Path home;
    private final Map<String, String> env = new HashMap<>();

    public Cli(Path home) {
        this.home = home;
    }

    /** One local network (anvil and the contracts) for every test class of the run. */
    public static synchronized LocalProtocol devnet() {
        if (shared == null) {
            shared = LocalProtocol.start();
            LocalProtocol net = shared;
            Runtime.getRuntime().addShutdownHook(new Thread(net::close));
        }
        return shared;
    }

    public Path home() {
        return home;
    }

    public Path configFile() {
        return home.resolve(".gridchain").resolve("config.json");
    }

    public Path walletsDir() {
        return home.resolve(".gridchain").resolve("wallets");
    }

    /** Sets an environment variable for every later run. */
    public Cli env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /** Writes a profile "devnet" for {@code net} into the config file, as {@code devnet up} does. */
    public Cli withDevnetProfile(LocalProtocol net) {
        Config.load(configFile())
                .withProfile("devnet", Profile.of(net.rpcUrl(), net.chain().chainId(), net.protocol().addresses()))
                .withCurrentProfile("devnet")
                .save(configFile());
        return this;
    }

    /** Writes {@code text} to a file under the home directory and returns its path. */
    public Path file(String name, String text) {
        try {
            Path f = home.resolve(name);
            Files.createDirectories(f.getParent());
            Files.writeString(f, text, StandardCharsets.UTF_8);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The --help text of a command, rendered in-process (fast): exit code must be 0. */
    public static String help(String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        picocli.CommandLine cl = io.gridchain.cli.Main.newCommandLine();
        cl.setOut(new java.io.PrintWriter(out, true));
        String[] withHelp = java.util.stream.Stream.concat(java.util.Arrays.stream(args), java.util.stream.Stream.of("--help"))
                .toArray(String[]::new);
        assertThat(cl.execute(withHelp)).as(String.join(" ", withHelp)).isZero();
        return out.toString();
    }

    public Run run(String... args) {
        return runWithInput(null, args);
    }

    public Run runWithInput(String stdin, String... args) {
        try {
            Process p = process(args).start();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(p.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            if (stdin != null) p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError("gridchain " + String.join(" ", args) + " did not finish in 60 s");
            }
            return new Run(p.exitValue(), out.join(), err.join());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** A long-running command (a service) started in the background. */
    public static final class Service implements AutoCloseable {
        private final Process process;
        private final String name;
        private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final CompletableFuture<String> err;
        private final StringBuffer errText = new StringBuffer();
        private final StringBuffer outText = new StringBuffer();
        private final Thread outReader;

        private Service(Process process, String name) {
            this.process = process;
            this.name = name;
            this.err = new CompletableFuture<>();
            Thread errReader = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getErrorStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) errText.append(line).append('\n');
                } catch (IOException e) {
                    // the process is gone: what it wrote so far is all there is
                }
                err.complete(errText.toString());
            });
            errReader.setDaemon(true);
            errReader.start();
            this.outReader = new Thread(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(process.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        outText.append(line).append('\n');
                        lines.add(line);
                    }
                } catch (IOException e) {
                    // the process is gone: awaitLine reports it
                }
            });
            outReader.setDaemon(true);
            outReader.start();
        }

        /** Waits (up to 60 s) until its stderr so far contains {@code text}; returns that stderr. */
        public String awaitErr(String text) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                String so = errText.toString();
                if (so.contains(text)) return so;
                if (!process.isAlive() && err.isDone()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + " without printing '"
                            + text + "' on stderr: " + err.join());
                }
                Thread.sleep(50);
            }
            throw new AssertionError(name + " printed no '" + text + "' on stderr in 60 s: " + errText);
        }

        /** Waits (up to {@code seconds}) for it to exit by itself; its exit code, whole stdout and stderr. */
        public Run awaitExit(long seconds) throws InterruptedException {
            if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError(name + " did not exit within " + seconds + " s: " + errText);
            }
            String e = err.join();
            outReader.join(10_000); // stdout read to its end
            return new Run(process.exitValue(), outText.toString(), e);
        }

        /** The first stdout line starting with {@code prefix}, awaited up to 60 s. */
        public String awaitLine(String prefix) throws InterruptedException {
            long deadline = System.currentTimeMillis() + 60_000;
            while (System.currentTimeMillis() < deadline) {
                String line = lines.poll(200, TimeUnit.MILLISECONDS);
                if (line != null && line.startsWith(prefix)) return line;
                if (line == null && !process.isAlive()) {
                    throw new AssertionError(name + " exited with " + process.exitValue() + ": " + err.join());
                }
            }
            throw new AssertionError(name + " printed no line starting with '" + prefix + "' in 60 s");
        }

        /** Stops it as Ctrl-C would (SIGTERM runs the same shutdown hooks as SIGINT); returns its stderr. */
        public String stop() {
            process.toHandle().destroy(); // unlike Process.destroy, leaves its output streams open to be read to the end
            try {
                if (!process.waitFor(30, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new AssertionError(name + " did not stop within 30 s");
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
            return err.join();
        }

        @Override
        public void close() {
            if (process.isAlive()) stop();
        }
    }

    /** Starts {@code gridchain args…} in the background; {@link Service#stop()} stops it. */
    public Service start(String... args) {
        try {
            return new Service(process(args).start(), "gridchain " + String.join(" ", args));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ProcessBuilder process(String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.add("-Duser.home=" + home);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("io.gridchain.cli.Main");
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().keySet().removeIf(k -> k.startsWith("GRIDCHAIN_") && !k.equals("GRIDCHAIN_ANVIL"));
        pb.environment().put("HOME", home.toString());
        pb.environment().putAll(env);
        return pb;
    }

    private static String read(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
