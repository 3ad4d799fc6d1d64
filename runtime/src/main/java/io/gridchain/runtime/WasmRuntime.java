package io.gridchain.runtime;

import com.dylibso.chicory.compiler.InterpreterFallback;
import com.dylibso.chicory.compiler.MachineFactoryCompiler;
import com.dylibso.chicory.log.SystemLogger;
import com.dylibso.chicory.runtime.ByteArrayMemory;
import com.dylibso.chicory.runtime.ChicoryInterruptedException;
import com.dylibso.chicory.runtime.ImportValues;
import com.dylibso.chicory.runtime.Instance;
import com.dylibso.chicory.runtime.Machine;
import com.dylibso.chicory.runtime.TrapException;
import com.dylibso.chicory.runtime.WasmRuntimeException;
import com.dylibso.chicory.wasi.WasiExitException;
import com.dylibso.chicory.wasi.WasiOptions;
import com.dylibso.chicory.wasi.WasiPreview1;
import com.dylibso.chicory.wasm.ChicoryException;
import com.dylibso.chicory.wasm.MalformedException;
import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.UnlinkableException;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import com.dylibso.chicory.wasm.types.MemoryLimits;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs wasm32-wasi command modules with Chicory in compiled mode (wasm to JVM bytecode), deterministically and
 * within limits.
 *
 * <h2>Sandbox</h2>
 * <ul>
 *   <li>WASI preview 1; argv = [appName, args...]; the request's environment in key order; empty stdin.</li>
 *   <li>Files: a fresh in-memory file system per run with {@code /in} (a read-only copy of the input files) and
 *       {@code /out} (read-write, copied to the request's output directory after the run, also on failure). No host
 *       path is reachable. See {@link Sandbox} and {@link WasiGuard}.</li>
 *   <li>Determinism: realtime and monotonic clocks are virtual ({@link VirtualClock}: start 2024-01-01T00:00:00Z,
 *       +1 µs per reading), random_get comes from {@code java.util.Random(seed)}, file times are fixed.</li>
 * </ul>
 *
 * <h2>Limits</h2>
 * <ul>
 *   <li>Wall time: the app runs on its own thread (a pooled one, see {@link AppThreads}); at the deadline the
 *       thread is interrupted. Chicory's compiled code checks the interrupt flag on every backward branch and every
 *       call, so even a tight loop stops ({@code ChicoryInterruptedException}); if the thread still runs after
 *       {@link #STOP_GRACE} (stuck in host code), it is abandoned as a daemon thread and the result is reported
 *       anyway.</li>
 *   <li>Memory: the module's memory maximum is lowered to the limit; a refused memory.grow is recorded, and an app
 *       that then traps or exits non-zero fails with MEMORY_LIMIT.</li>
 *   <li>Output: measured during the run (WASI write calls trigger a size check of {@code /out}) and after it; the
 *       in-memory file system is capped too. stdout/stderr keep the first {@link #CONSOLE_CAPTURE_BYTES} bytes and
 *       stop the app past the output limit.</li>
 * </ul>
 *
 * <p>Compiled modules are cached by sha256 (compiled once, instantiated per run); {@link #compilations()} counts
 * compilations. Each cache entry keeps a private copy of the module's bytes: a request whose module equals a cached
 * copy byte for byte is known to have that copy's sha256 without hashing it again (comparing is far cheaper than
 * SHA-256), and whatever the caller later does to its array, what runs is the copy that was hashed. The copies cost
 * at most {@code maxCachedModules} module sizes of memory. Thread-safe: runs may proceed concurrently.
 *
 * <p>About 530 lines: one run's pipeline (the compile cache, assembling the sandbox, the app's thread and the
 * classification of how the run ended) shares the limits and the cache; the sandbox's own parts already live beside
 * it ({@link Sandbox}, {@link WasiGuard}, {@link VirtualClock}, {@link AppThreads}, {@link GuardedMemory}).
 */
public final class WasmRuntime implements Runtime {

    private static final Logger log = LoggerFactory.getLogger(WasmRuntime.class);

    /** How many bytes of stdout and of stderr a result keeps. */
    public static final int CONSOLE_CAPTURE_BYTES = 1 << 20;

    /** How long a timed-out app gets to notice its interrupt before it is abandoned. */
    public static final Duration STOP_GRACE = Duration.ofSeconds(5);

    /** The descriptor of the /in preopen: 0-2 are stdio, then preopens in order (/in, /out). */
    private static final int IN_PREOPEN_FD = 3;

    /**
     * The logger Chicory's WASI picks by default off Android. Passing it explicitly skips the builder's Android
     * probe (a failing Class.forName, i.e. a class path scan, on every run); it is stateless, so one serves all runs.
     */
    private static final com.dylibso.chicory.log.Logger WASI_LOGGER = new SystemLogger();

    private final Map<String, CompletableFuture<CompiledApp>> cache = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<String> cacheOrder = new ConcurrentLinkedQueue<>();
    private final int maxCachedModules;
    private final AtomicLong compilations = new AtomicLong();

    public WasmRuntime() {
        this(64);
    }

    /** @param maxCachedModules how many compiled modules to keep (oldest evicted first) */
    public WasmRuntime(int maxCachedModules) {
        if (maxCachedModules < 1) {
            throw new IllegalArgumentException("maxCachedModules must be >= 1");
        }
        this.maxCachedModules = maxCachedModules;
    }

    /** How many modules this runtime compiled (cache misses). */
    public long compilations() {
        return compilations.get();
    }

    /** How many compiled modules are cached now. */
    public int cachedModules() {
        return cache.size();
    }

    /** @param bytes the module's bytes it was compiled from, a private copy whose sha256 is its cache key */
    private record CompiledApp(byte[] bytes, WasmModule module, Function<Instance, Machine> machineFactory) {}

    private static final class InvalidModule extends Exception {
        InvalidModule(String message, Throwable cause) {
            super(message, cause, false, false);
        }
    }

    @Override
    public ExecutionResult run(ExecutionRequest request) {
        long started = System.nanoTime();
        String expected = null;
        if (request.moduleSha256() != null) {
            expected = request.moduleSha256().toLowerCase(Locale.ROOT);
            expected = expected.startsWith("0x") ? expected.substring(2) : expected;
        }
        CompiledApp app = cachedWithBytes(expected, request.module());
        byte[] snapshot = null;
        String sha = null;
        if (app == null) {
            // hash and compile one snapshot: the caller may change its array meanwhile
            snapshot = request.module().clone();
            sha = ResultDigest.sha256Hex(snapshot);
            if (expected != null && !expected.equals(sha)) {
                return failed(new Failure(Failure.Cause.INVALID_MODULE,
                        "module checksum mismatch: expected sha256 " + expected + " but the module's is " + sha),
                        -1, new byte[0], new byte[0], 0, started);
            }
        }
        try {
            if (request.outputDir() != null) {
                prepareOutputDir(request.outputDir());
            }
        } catch (IOException e) {
            return failed(new Failure(Failure.Cause.HOST_ERROR, "cannot use output directory "
                    + request.outputDir() + ": " + e.getMessage()), -1, new byte[0], new byte[0], 0, started);
        }
        if (app == null) {
            try {
                app = compiled(sha, snapshot);
            } catch (InvalidModule e) {
                return failed(new Failure(Failure.Cause.INVALID_MODULE, e.getMessage()),
                        -1, new byte[0], new byte[0], 0, started);
            }
        }
        started = System.nanoTime(); // elapsed excludes compilation
        Limits limits = request.limits();

        MemoryLimits memoryLimits = null;
        var memorySection = app.module().memorySection();
        if (memorySection.isPresent() && memorySection.get().memoryCount() > 0) {
            MemoryLimits declared = memorySection.get().getMemory(0).limits();
            int max = Math.min(declared.maximumPages(), limits.maxMemoryPages());
            if (declared.initialPages() > max) {
                return failed(new Failure(Failure.Cause.MEMORY_LIMIT, memoryMessage(limits)
                        + ": the module needs " + declared.initialPages() + " pages at start"),
                        -1, new byte[0], new byte[0], 0, started);
            }
            memoryLimits = new MemoryLimits(declared.initialPages(), max, declared.shared());
        }

        Sandbox sandbox;
        try {
            sandbox = Sandbox.create(request.inputDir(), limits.maxOutputBytes());
        } catch (IOException | RuntimeException e) {
            return failed(new Failure(Failure.Cause.HOST_ERROR, "cannot prepare the app's input: " + e.getMessage()),
                    -1, new byte[0], new byte[0], 0, started);
        }
        try (sandbox) {
            return execute(request, app, memoryLimits, sandbox, started);
        } catch (IOException e) {
            return failed(new Failure(Failure.Cause.HOST_ERROR, "sandbox I/O error: " + e.getMessage()),
                    -1, new byte[0], new byte[0], 0, started);
        }
    }

    private ExecutionResult execute(
            ExecutionRequest request, CompiledApp app, MemoryLimits memoryLimits, Sandbox sandbox, long started)
            throws IOException {
        Limits limits = request.limits();
        BoundedCapture stdout = new BoundedCapture("stdout", CONSOLE_CAPTURE_BYTES, limits.maxOutputBytes());
        BoundedCapture stderr = new BoundedCapture("stderr", CONSOLE_CAPTURE_BYTES, limits.maxOutputBytes());
        VirtualClock clock = new VirtualClock();
        List<String> argv = new ArrayList<>();
        argv.add(request.appName());
        argv.addAll(request.args());
        WasiOptions.Builder options = WasiOptions.builder()
                .withArguments(argv)
                .withStdin(new ByteArrayInputStream(new byte[0]), false)
                .withStdout(stdout, false)
                .withStderr(stderr, false)
                .withClock(clock)
                .withRandom(new Random(request.seed()))
                .withThrowOnExit0(true)
                .withDirectory("/in", sandbox.in)
                .withDirectory("/out", sandbox.out);
        request.sortedEnv().forEach(options::withEnvironment);

        AppRun appRun;
        try (WasiPreview1 wasi = WasiPreview1.builder().withLogger(WASI_LOGGER).withOptions(options.build()).build()) {
            WasiGuard guard = new WasiGuard(wasi, IN_PREOPEN_FD, clock, sandbox, limits.maxOutputBytes());
            appRun = new AppRun(app, guard, memoryLimits);
            if (AppThreads.onCallerThread()) {
                AppRun run = appRun;
                AppThreads.runHere(run, limits.wallTime(), () -> run.timedOut = true);
            } else {
                runOnAppThread(request, appRun, limits);
            }
        }

        long outputBytes = sandbox.outputBytes();
        Failure failure = classify(appRun, limits, outputBytes);
        byte[] output = null;
        try {
            if (request.outputDir() != null) {
                sandbox.copyOut(request.outputDir(), limits.maxOutputBytes());
            } else {
                output = sandbox.archiveOut(outputBytes, limits.maxOutputBytes());
            }
        } catch (IOException | UncheckedIOException e) {
            if (failure == null) {
                failure = new Failure(Failure.Cause.HOST_ERROR, "cannot copy the app's output"
                        + (request.outputDir() == null ? "" : " to " + request.outputDir()) + ": " + e.getMessage());
            }
        }
        int exitCode = appRun.exitCode == null ? -1 : appRun.exitCode;
        Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
        ExecutionResult result = failure == null
                ? new ExecutionResult(ExecutionResult.Status.SUCCEEDED, exitCode, stdout.bytes(), stderr.bytes(),
                        null, outputBytes, elapsed, output)
                : new ExecutionResult(ExecutionResult.Status.FAILED, exitCode, stdout.bytes(), stderr.bytes(),
                        failure, outputBytes, elapsed, output);
        log.debug("{} {} -> {}", request.appName(), request.args(), result);
        return result;
    }

    /** Runs the app on a pooled app thread and waits, abandoning the thread if it ignores its deadline. */
    private static void runOnAppThread(ExecutionRequest request, AppRun appRun, Limits limits) {
        AppThreads.AppTask task = AppThreads.start("gridchain-app-" + request.appName(), appRun);
        boolean timedOut = !task.await(limits.wallTime());
        if (timedOut) {
            appRun.timedOut = true;
            task.interrupt();
            if (!task.await(STOP_GRACE)) {
                log.warn("app {} did not stop within {} ms of its interrupt; abandoning its thread",
                        request.appName(), STOP_GRACE.toMillis());
            }
        }
    }

    /**
     * Threads for a caller that runs one app at a time per thread (a worker's replicate threads): {@link #run} called
     * on one of them runs the app on it, under a deadline watchdog, instead of handing it to a pooled app thread.
     */
    public static ThreadFactory appRunningThreads(String prefix) {
        return AppThreads.callerThreads(prefix);
    }

    private static Failure classify(AppRun run, Limits limits, long outputBytes) {
        Throwable t = run.thrown;
        if (run.timedOut) {
            return new Failure(Failure.Cause.TIMEOUT, "app exceeded its wall time of " + format(limits.wallTime()));
        }
        OutputLimitExceeded over = find(t, OutputLimitExceeded.class);
        if (over != null || outputBytes > limits.maxOutputBytes()) {
            String message = over != null ? over.getMessage()
                    : "app wrote more than " + limits.maxOutputBytes() + " bytes of output";
            return new Failure(Failure.Cause.OUTPUT_LIMIT, message + " (" + outputBytes
                    + " bytes under /out when it was stopped; the first " + Math.min(outputBytes, limits.maxOutputBytes())
                    + " bytes are kept)");
        }
        boolean memoryExhausted = run.memory != null && run.memory.growRefused();
        if (t != null) {
            if (find(t, UnlinkableException.class) != null || find(t, MalformedException.class) != null) {
                return new Failure(Failure.Cause.INVALID_MODULE, "module cannot be instantiated: " + message(t));
            }
            if (memoryExhausted) {
                return new Failure(Failure.Cause.MEMORY_LIMIT, memoryMessage(limits) + " (then: " + message(t) + ")");
            }
            if (t instanceof StackOverflowError) {
                return new Failure(Failure.Cause.TRAP, "app trapped: call stack exhausted");
            }
            if (t instanceof ChicoryInterruptedException) {
                return new Failure(Failure.Cause.HOST_ERROR, "app was interrupted by the host: " + message(t));
            }
            if (t instanceof WasmRuntimeException && message(t).contains("don't yet support")) {
                // Chicory's WASI says so for the few preview 1 calls it does not implement
                return new Failure(Failure.Cause.HOST_ERROR, "unsupported WASI call: " + message(t));
            }
            if (t instanceof TrapException || t instanceof ChicoryException) {
                // TrapException (unreachable, divide by zero, ...), WasmRuntimeException (out of bounds memory
                // access), InvalidException at run time (indirect call type mismatch), call stack exhausted
                return new Failure(Failure.Cause.TRAP, "app trapped: " + message(t));
            }
            if (t instanceof OutOfMemoryError) {
                return new Failure(Failure.Cause.HOST_ERROR, "the host ran out of memory running the app");
            }
            return new Failure(Failure.Cause.HOST_ERROR, "runtime error: " + t);
        }
        if (run.exitCode == null) {
            return new Failure(Failure.Cause.HOST_ERROR, "app thread ended without a result");
        }
        if (run.exitCode != 0) {
            if (memoryExhausted) {
                return new Failure(Failure.Cause.MEMORY_LIMIT,
                        memoryMessage(limits) + " (then exited with code " + run.exitCode + ")");
            }
            return new Failure(Failure.Cause.EXIT_NONZERO, "app exited with code " + run.exitCode);
        }
        return null;
    }

    /** The app's thread: instantiate, run _start, record how it ended. */
    private static final class AppRun implements Runnable {
        private final CompiledApp app;
        private final WasiGuard guard;
        private final MemoryLimits memoryLimits;
        volatile boolean timedOut;
        volatile Integer exitCode;
        volatile Throwable thrown;
        volatile GuardedMemory memory;

        AppRun(CompiledApp app, WasiGuard guard, MemoryLimits memoryLimits) {
            this.app = app;
            this.guard = guard;
            this.memoryLimits = memoryLimits;
        }

        @Override
        public void run() {
            try {
                Instance.Builder builder = Instance.builder(app.module())
                        .withMachineFactory(app.machineFactory())
                        .withImportValues(ImportValues.builder().addFunction(guard.functions()).build())
                        .withMemoryFactory(limits -> {
                            GuardedMemory m = new GuardedMemory(new ByteArrayMemory(limits));
                            if (memory == null) {
                                memory = m;
                            }
                            return m;
                        })
                        .withStart(false);
                if (memoryLimits != null) {
                    builder.withMemoryLimits(memoryLimits);
                }
                Instance instance = builder.build();
                instance.export("_start").apply();
                exitCode = 0;
            } catch (Throwable t) {
                WasiExitException exit = find(t, WasiExitException.class);
                if (exit != null) {
                    exitCode = exit.exitCode();
                } else {
                    thrown = t;
                }
            }
        }
    }

    /**
     * The cached app compiled from exactly {@code bytes}, or null: under {@code expectedSha} if the request names
     * one, else any cached app. Equal bytes have the sha256 the copy was cached under, so a hit also passes the
     * checksum check.
     */
    private CompiledApp cachedWithBytes(String expectedSha, byte[] bytes) {
        if (expectedSha != null) {
            return withBytes(cache.get(expectedSha), bytes);
        }
        for (CompletableFuture<CompiledApp> entry : cache.values()) {
            CompiledApp app = withBytes(entry, bytes);
            if (app != null) {
                return app;
            }
        }
        return null;
    }

    private static CompiledApp withBytes(CompletableFuture<CompiledApp> entry, byte[] bytes) {
        if (entry == null || !entry.isDone() || entry.isCompletedExceptionally()) {
            return null;
        }
        CompiledApp app = entry.join();
        return Arrays.equals(app.bytes(), bytes) ? app : null;
    }

    /** @param bytes the module, owned by the runtime from now on (cached with the compiled app) */
    private CompiledApp compiled(String sha, byte[] bytes) throws InvalidModule {
        CompletableFuture<CompiledApp> mine = new CompletableFuture<>();
        CompletableFuture<CompiledApp> existing = cache.putIfAbsent(sha, mine);
        if (existing == null) {
            try {
                mine.complete(compile(bytes));
                cacheOrder.add(sha);
                evict();
            } catch (InvalidModule | RuntimeException | Error e) {
                cache.remove(sha, mine);
                mine.completeExceptionally(e);
            }
            existing = mine;
        }
        try {
            return existing.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InvalidModule("interrupted while waiting for the module to compile", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidModule) {
                throw (InvalidModule) e.getCause();
            }
            throw new InvalidModule("cannot compile module: " + message(e.getCause()), e.getCause());
        }
    }

    private void evict() {
        while (cache.size() > maxCachedModules) {
            String oldest = cacheOrder.poll();
            if (oldest == null) {
                return;
            }
            cache.remove(oldest);
        }
    }

    private CompiledApp compile(byte[] bytes) throws InvalidModule {
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (RuntimeException e) {
            throw new InvalidModule("invalid WebAssembly module: " + message(e), e);
        }
        boolean hasStart = false;
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export export = module.exportSection().getExport(i);
            if (export.name().equals("_start") && export.exportType() == ExternalType.FUNCTION) {
                hasStart = true;
            }
        }
        if (!hasStart) {
            throw new InvalidModule("not a WASI command module: it exports no _start function", null);
        }
        long t0 = System.nanoTime();
        Function<Instance, Machine> factory;
        try {
            factory = MachineFactoryCompiler.builder(module)
                    .withInterpreterFallback(InterpreterFallback.SILENT)
                    .compile();
        } catch (RuntimeException e) {
            throw new InvalidModule("invalid WebAssembly module: " + message(e), e);
        }
        compilations.incrementAndGet();
        log.debug("compiled module in {} ms", (System.nanoTime() - t0) / 1_000_000);
        return new CompiledApp(bytes, module, factory);
    }

    private static void prepareOutputDir(Path dir) throws IOException {
        try {
            Files.createDirectory(dir);
            return; // the common case, an absent directory with an existing parent, in one system call
        } catch (IOException e) {
            // exists, or no parent, or worse: the checks below tell which
        }
        if (Files.exists(dir)) {
            if (!Files.isDirectory(dir)) {
                throw new IOException("not a directory");
            }
            try (Stream<Path> entries = Files.list(dir)) {
                if (entries.findAny().isPresent()) {
                    throw new IOException("not empty");
                }
            }
        } else {
            Files.createDirectories(dir);
        }
    }

    private static ExecutionResult failed(
            Failure failure, int exitCode, byte[] out, byte[] err, long outputBytes, long started) {
        return new ExecutionResult(ExecutionResult.Status.FAILED, exitCode, out, err, failure, outputBytes,
                Duration.ofNanos(System.nanoTime() - started), null);
    }

    static String memoryMessage(Limits limits) {
        long bytes = limits.maxMemoryBytes();
        String size = bytes % (1 << 20) == 0 ? (bytes >> 20) + " MiB" : (bytes >> 10) + " KiB";
        return "app exceeded its memory limit of " + limits.maxMemoryPages() + " pages (" + size + ")";
    }

    static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static String message(Throwable t) {
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static <T extends Throwable> T find(Throwable t, Class<T> type) {
        for (int depth = 0; t != null && depth < 16; depth++, t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        return null;
    }
}
