package io.gridchain.bench.runtime;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.apps.ExampleApps;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Limits;
import io.gridchain.runtime.WasmRuntime;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The sandbox's CPU cost: an example app's C kernel run as WebAssembly in the {@link WasmRuntime} (Chicory,
 * compiled mode) versus the same C source compiled natively with {@code -O2}. Kernels: {@code primes} (sieve of
 * Eratosthenes over a byte array: at the default size largely memory-bound) and {@code mandel} (Mandelbrot,
 * floating point in registers: pure CPU).
 *
 * <p>Just over 300 lines, most of them the command's help text and the native build (finding a compiler, building
 * the kernel in a temporary folder): the measurement itself is short and reads best beside what it compares.
 */
@Command(
        name = "runtime",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the WebAssembly runtime against native code. The example app's C",
            "source (carried in the jar) is compiled natively with -O2 (clang, else gcc,",
            "else cc) and run as a process; its wasm32-wasi module (clang -O2) is run in",
            "the sandbox (Chicory, compiled mode; module compilation excluded). Each",
            "engine gets one warm-up run, then --runs measured runs with the same",
            "argument; both must print the same result. Reports the median and min wall",
            "time of each and the ratio wasm/native (target: at most 3)."
        },
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  gridchain bench runtime",
            "  gridchain bench runtime --kernel mandel",
            "  gridchain bench runtime --n 50000000 --runs 3 --json > runtime.json"
        })
public final class BenchRuntimeCommand implements Callable<Integer> {
    /** The target of the runtime issue: wasm at most 3 times slower than native. */
    static final double TARGET_RATIO = 3.0;

    /** A CPU kernel: an example app taking one size argument. */
    enum Kernel {
        primes(200_000_000L, 3, 200_000_000L),
        mandel(1_500L, 1, 20_000L);

        final long defaultN;
        final long minN;
        final long maxN;

        Kernel(long defaultN, long minN, long maxN) {
            this.defaultN = defaultN;
            this.minN = minN;
            this.maxN = maxN;
        }
    }

    private static final List<String> COMPILERS = List.of("clang", "gcc", "cc");
    private static final String OPT = "-O2";

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Option(names = "--kernel", defaultValue = "primes",
            description = "The kernel: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    Kernel kernel;

    @Option(names = "--n", description = {
        "The kernel's size: primes counts primes below N, in [3, 200000000] (default:",
        "200000000); mandel iterates an N x N grid, in [1, 20000] (default: 1500)."})
    Long n;

    @Option(names = "--runs", defaultValue = "5",
            description = "Measured runs per engine, after one warm-up run each (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--json", description = "Print one JSON object instead of the table.")
    boolean json;

    /** One engine's measured runs. */
    record Engine(String name, List<Double> millis, String result) {
        double median() {
            double[] sorted = millis.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int mid = sorted.length / 2;
            return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
        }

        double min() {
            return millis.stream().mapToDouble(Double::doubleValue).min().orElseThrow();
        }
    }

    @Override
    public Integer call() throws Exception {
        if (n == null) {
            n = kernel.defaultN;
        }
        if (n < kernel.minN || n > kernel.maxN) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--n must be in [" + kernel.minN + ", " + kernel.maxN + "] for " + kernel + ", got " + n);
        }
        if (runs < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--runs must be >= 1, got " + runs);
        }
        Path dir = Files.createTempDirectory("gridchain-bench-runtime-");
        try {
            return bench(dir);
        } finally {
            deleteRecursively(dir);
        }
    }

    private int bench(Path dir) throws Exception {
        String arg = Long.toString(n);
        Compiler compiler = compileNative(dir);

        Engine nativeEngine = measure("native (" + compiler.name() + " " + OPT + ")",
                run -> runNative(compiler.binary(), dir.resolve("native-" + run), arg));

        WasmRuntime runtime = new WasmRuntime();
        byte[] module = ExampleApps.load(kernel.name());
        Limits limits = Limits.DEFAULT.withWallTime(Duration.ofMinutes(10)).withMaxMemoryPages(Limits.MAX_PAGES);
        progress("wasm: compiling the module (" + module.length + " bytes) to JVM bytecode");
        Engine wasmEngine = measure("wasm (Chicory compiled)",
                run -> runWasm(runtime, kernel.name(), module, limits, dir.resolve("wasm-" + run), arg));

        if (!nativeEngine.result().equals(wasmEngine.result())) {
            throw new IllegalStateException("the engines disagree: native printed '" + nativeEngine.result()
                    + "' but wasm printed '" + wasmEngine.result() + "'");
        }
        double ratio = wasmEngine.median() / nativeEngine.median();

        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("wasm_to_native_ratio", round(ratio, 3));
            out.put("wasm_median_ms", round(wasmEngine.median(), 1));
            out.put("native_median_ms", round(nativeEngine.median(), 1));
            out.put("wasm_min_ms", round(wasmEngine.min(), 1));
            out.put("native_min_ms", round(nativeEngine.min(), 1));
            out.put("n", n);
            out.put("runs", runs);
            out.put("compiler", compiler.name() + " " + OPT);
            out.put("compiler_version", compiler.version());
            out.put("kernel", kernel.name());
            out.put("result", wasmEngine.result());
            out.put("target_ratio", TARGET_RATIO);
            out.put("target_met", ratio <= TARGET_RATIO);
            out.put("cpus", Runtime.getRuntime().availableProcessors());
            out.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
            return 0;
        }
        System.out.printf("%-26s %12s %12s  %s%n", "engine", "median ms", "min ms", "result");
        for (Engine e : List.of(nativeEngine, wasmEngine)) {
            System.out.printf("%-26s %,12.1f %,12.1f  %s%n", e.name(), e.median(), e.min(), e.result());
        }
        System.out.println();
        System.out.printf("wasm/native ratio (median): %.2f (target: at most %.0f, %s)%n", ratio, TARGET_RATIO,
                ratio <= TARGET_RATIO ? "met" : "NOT met");
        System.out.printf("kernel %s, n=%d, %d run(s) per engine after a warm-up, %d CPU(s), %s%n", kernel, n,
                runs, Runtime.getRuntime().availableProcessors(), compiler.version());
        return 0;
    }

    @FunctionalInterface
    private interface Run {
        /** Runs once; returns the result line. */
        Timed run(String label) throws Exception;
    }

    private record Timed(double millis, String result) {}

    private Engine measure(String engine, Run run) throws Exception {
        progress(engine + ": warm-up run");
        String expected = run.run("warmup").result();
        List<Double> millis = new ArrayList<>();
        for (int i = 1; i <= runs; i++) {
            Timed t = run.run(Integer.toString(i));
            if (!t.result().equals(expected)) {
                throw new IllegalStateException(engine + " printed '" + t.result() + "' in run " + i
                        + " but '" + expected + "' in its warm-up run");
            }
            millis.add(t.millis());
            progress(String.format("%s: run %d/%d %.1f ms", engine, i, runs, t.millis()));
        }
        return new Engine(engine, List.copyOf(millis), expected);
    }

    private record Compiler(String name, String version, Path binary) {}

    /**
     * Writes the app's C source with its sandbox paths made relative ({@code /out/} becomes {@code out/}, so the
     * process writes into its working directory) and compiles it with the first C compiler that works.
     */
    private Compiler compileNative(Path dir) throws Exception {
        String app = kernel.name();
        String source = ExampleApps.source(app);
        if (!source.contains("\"/out/")) {
            throw new IllegalStateException("the source of '" + app + "' does not write under /out/ as expected");
        }
        Path c = dir.resolve(app + ".c");
        Files.writeString(c, source.replace("\"/out/", "\"out/"), StandardCharsets.UTF_8);
        Path binary = dir.resolve(app + "-native");
        List<String> failures = new ArrayList<>();
        for (String cc : COMPILERS) {
            String version;
            try {
                version = exec(dir, List.of(cc, "--version")).lines().findFirst().orElse(cc).trim();
            } catch (IOException notFound) {
                continue;
            }
            progress("native: compiling " + app + ".c with " + cc + " " + OPT + " (" + version + ")");
            Process p = new ProcessBuilder(cc, OPT, "-o", binary.toString(), c.toString())
                    .directory(dir.toFile()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() == 0) {
                return new Compiler(cc, version, binary);
            }
            failures.add(cc + ": " + log.lines().findFirst().orElse("exit code " + p.exitValue()));
        }
        if (failures.isEmpty()) {
            throw new IllegalStateException("no C compiler found: apt-get install clang");
        }
        throw new IllegalStateException("cannot compile " + app + ".c natively: " + String.join("; ", failures));
    }

    private static String exec(Path dir, List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return out;
    }

    private static Timed runNative(Path binary, Path runDir, String arg) throws Exception {
        Files.createDirectories(runDir.resolve("out"));
        Path stdout = runDir.resolve("stdout.txt");
        Path stderr = runDir.resolve("stderr.txt");
        ProcessBuilder pb = new ProcessBuilder(binary.toString(), arg).directory(runDir.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        long t0 = System.nanoTime();
        Process p = pb.start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new IllegalStateException("the native run did not end within 10 minutes");
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        if (p.exitValue() != 0) {
            throw new IllegalStateException("the native run exited with code " + p.exitValue() + ": "
                    + Files.readString(stderr).trim());
        }
        return new Timed(millis, resultOf("native", Files.readString(stdout), runDir.resolve("out/result.txt")));
    }

    private static Timed runWasm(WasmRuntime runtime, String app, byte[] module, Limits limits, Path outDir,
            String arg) throws Exception {
        ExecutionRequest request = ExecutionRequest.of(app, module, outDir).withArgs(arg).withLimits(limits);
        long t0 = System.nanoTime();
        ExecutionResult result = runtime.run(request);
        double millis = (System.nanoTime() - t0) / 1e6;
        if (!result.succeeded()) {
            throw new IllegalStateException("the wasm run failed: " + result.failure() + " "
                    + result.stderrText().trim());
        }
        return new Timed(millis, resultOf("wasm", result.stdoutText(), outDir.resolve("result.txt")));
    }

    /** The app's result line, checked to be the same on stdout and in /out/result.txt. */
    private static String resultOf(String engine, String stdout, Path resultFile) throws IOException {
        String line = stdout.strip();
        String file = Files.isRegularFile(resultFile) ? Files.readString(resultFile).strip() : "(no result.txt)";
        if (!line.equals(file)) {
            throw new IllegalStateException(engine + " printed '" + line + "' but wrote '" + file + "'");
        }
        return line;
    }

    private static double round(double value, int digits) {
        double scale = Math.pow(10, digits);
        return Math.round(value * scale) / scale;
    }

    private static void progress(String step) {
        System.err.println("[bench runtime] " + step);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            progress("cannot delete " + dir + ": " + e.getMessage());
        }
    }
}
