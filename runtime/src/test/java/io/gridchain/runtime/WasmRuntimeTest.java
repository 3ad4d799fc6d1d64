package io.gridchain.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.gridchain.apps.ExampleApps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WasmRuntimeTest {

    /** Shared so each app compiles once for the whole class. */
    private static WasmRuntime runtime;

    @TempDir
    Path tmp;

    private int dirs;

    @BeforeAll
    static void setUp() {
        runtime = new WasmRuntime();
    }

    private Path newOut() {
        return tmp.resolve("out" + (dirs++));
    }

    private ExecutionRequest request(String app, String... args) {
        return ExecutionRequest.of(app, ExampleApps.load(app), newOut()).withArgs(args);
    }

    private static String read(Path file) throws IOException {
        return Files.readString(file, StandardCharsets.UTF_8);
    }

    @Test
    void primesCountsPrimesBelowN() throws IOException {
        ExecutionRequest req = request("primes", "100000");
        ExecutionResult result = runtime.run(req);

        assertThat(result.failure()).isNull();
        assertThat(result.status()).isEqualTo(ExecutionResult.Status.SUCCEEDED);
        assertThat(result.exitCode()).isZero();
        assertThat(result.stdoutText()).isEqualTo("primes below 100000: 9592\n");
        assertThat(read(req.outputDir().resolve("result.txt"))).isEqualTo("primes below 100000: 9592\n");
        assertThat(result.outputBytes()).isEqualTo("primes below 100000: 9592\n".length());
    }

    @Test
    void primesDigestIsIdenticalAcrossRunsAndRuntimes() {
        byte[] module = ExampleApps.load("primes");
        ExecutionRequest first = ExecutionRequest.of("primes", module, newOut()).withArgs("50000");
        ExecutionRequest second = first.withOutputDir(newOut());
        ExecutionRequest third = first.withOutputDir(newOut());

        assertThat(runtime.run(first).succeeded()).isTrue();
        assertThat(runtime.run(second).succeeded()).isTrue();
        assertThat(new WasmRuntime().run(third).succeeded()).isTrue();

        String digest = ResultDigest.of(first.outputDir());
        assertThat(digest).matches("0x[0-9a-f]{64}");
        assertThat(ResultDigest.of(second.outputDir())).isEqualTo(digest);
        assertThat(ResultDigest.of(third.outputDir())).isEqualTo(digest);
    }

    @Test
    void wordfreqWritesTopWordsOfEveryInputFile() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("words"));
        Files.writeString(in.resolve("a.txt"), "The cat and the dog.\nThe END, the end!\n");
        Files.writeString(in.resolve("b.txt"), "dog DOG cat bird and\n");
        Files.createDirectories(in.resolve("ignored-subdir"));
        ExecutionRequest req = request("wordfreq").withInputDir(in);

        ExecutionResult result = runtime.run(req);

        assertThat(result.failure()).isNull();
        assertThat(read(req.outputDir().resolve("result.txt")))
                .isEqualTo("the 4\ndog 3\nand 2\ncat 2\nend 2\nbird 1\n");
        assertThat(result.stdoutText()).isEqualTo("words: 14 distinct: 6\n");
    }

    @Test
    void wordfreqKeepsOnlyTheTop20() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("many"));
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 30; i++) {
            for (int j = 0; j <= i; j++) {
                text.append("w").append(i).append(' ');
            }
        }
        Files.writeString(in.resolve("data.txt"), text);
        ExecutionRequest req = request("wordfreq").withInputDir(in);

        assertThat(runtime.run(req).succeeded()).isTrue();
        List<String> lines = Files.readAllLines(req.outputDir().resolve("result.txt"));
        assertThat(lines).hasSize(20);
        assertThat(lines.get(0)).isEqualTo("w29 30");
        assertThat(lines.get(19)).isEqualTo("w10 11");
    }

    @Test
    void clockAndRandomAreDeterministicPerSeed() {
        ExecutionRequest base = request("clockrand").withSeed(42);
        ExecutionResult a = runtime.run(base);
        ExecutionRequest replica = base.withOutputDir(newOut());
        ExecutionResult b = new WasmRuntime().run(replica);
        ExecutionResult c = runtime.run(base.withOutputDir(newOut()).withSeed(43));

        assertThat(a.succeeded()).isTrue();
        assertThat(a.stdoutText()).contains("time: 1704067200\n").contains("realtime: 1704067200.");
        assertThat(b.stdoutText()).isEqualTo(a.stdoutText());
        assertThat(ResultDigest.of(replica.outputDir())).isEqualTo(ResultDigest.of(base.outputDir()));
        assertThat(c.succeeded()).isTrue();
        assertThat(c.stdoutText()).isNotEqualTo(a.stdoutText());
        // only the random lines differ with another seed; the virtual clock is the same
        assertThat(lines(c, "time")).isEqualTo(lines(a, "time"));
        assertThat(lines(c, "monotonic")).isEqualTo(lines(a, "monotonic"));
        assertThat(lines(c, "entropy")).isNotEqualTo(lines(a, "entropy"));
    }

    private static List<String> lines(ExecutionResult r, String prefix) {
        return r.stdoutText().lines().filter(l -> l.startsWith(prefix + ":")).toList();
    }

    @Test
    void trapOutOfBoundsIsATrap() {
        ExecutionResult result = runtime.run(request("trap"));

        assertThat(result.status()).isEqualTo(ExecutionResult.Status.FAILED);
        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.TRAP);
        assertThat(result.failure().message()).startsWith("app trapped: ").contains("out of bounds");
        assertThat(result.stdoutText()).isEqualTo("trap: about to fault\n");
        assertThat(result.exitCode()).isEqualTo(-1);
    }

    @Test
    void trapUnreachableIsATrap() {
        ExecutionResult result = runtime.run(request("trap", "unreachable"));

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.TRAP);
        assertThat(result.failure().message()).contains("unreachable");
    }

    @Test
    void spinIsStoppedAtItsWallTime() {
        ExecutionRequest req = request("spin").withLimits(Limits.DEFAULT.withWallTime(Duration.ofSeconds(2)));

        ExecutionResult result = runtime.run(req);

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.TIMEOUT);
        assertThat(result.failure().message()).isEqualTo("app exceeded its wall time of 2 s");
        assertThat(result.stdoutText()).isEqualTo("spin: starting\n");
    }

    @Test
    void hogHitsItsMemoryLimit() {
        ExecutionRequest req = request("hog").withLimits(Limits.DEFAULT.withMaxMemoryPages(256));

        ExecutionResult result = runtime.run(req);

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.MEMORY_LIMIT);
        assertThat(result.failure().message()).startsWith("app exceeded its memory limit of 256 pages (16 MiB)");
        assertThat(result.stderrText()).startsWith("hog: malloc failed after ");
    }

    @Test
    void moduleNeedingMoreThanTheLimitAtStartIsAMemoryLimit() {
        ExecutionRequest req = request("primes", "10").withLimits(Limits.DEFAULT.withMaxMemoryPages(1));

        ExecutionResult result = runtime.run(req);

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.MEMORY_LIMIT);
        assertThat(result.failure().message()).contains("limit of 1 pages (64 KiB)");
    }

    @Test
    void withoutAnOutputDirectoryTheOutputComesBackAsTheArchiveOfWhatACopyOutWrites() {
        ExecutionRequest onDisk = request("primes", "50000");
        ExecutionRequest inMemory = onDisk.withOutputDir(null);

        ExecutionResult disk = runtime.run(onDisk);
        ExecutionResult memory = runtime.run(inMemory);

        assertThat(disk.output()).isNull();
        assertThat(memory.succeeded()).isTrue();
        assertThat(memory.output()).isEqualTo(ResultArchive.encode(onDisk.outputDir()));
        assertThat(ResultArchive.digest(memory.output())).isEqualTo(ResultDigest.of(onDisk.outputDir()));
    }

    @Test
    void withoutAnOutputDirectoryAFloodKeepsTheSameCappedPartialOutput() {
        long limit = 1 << 20;
        ExecutionRequest onDisk = request("flood").withLimits(Limits.DEFAULT.withMaxOutputBytes(limit));

        runtime.run(onDisk);
        ExecutionResult memory = runtime.run(onDisk.withOutputDir(null));

        assertThat(memory.failure().cause()).isEqualTo(Failure.Cause.OUTPUT_LIMIT);
        List<ResultArchive.ArchivedFile> files = ResultArchive.read(memory.output());
        assertThat(files).extracting(ResultArchive.ArchivedFile::path).containsExactly("big.bin");
        assertThat(files.get(0).content()).hasSize((int) limit);
        assertThat(memory.output()).isEqualTo(ResultArchive.encode(onDisk.outputDir()));
    }

    @Test
    void floodIsStoppedAtTheOutputLimitAndKeepsPartialOutput() throws IOException {
        long limit = 1 << 20;
        ExecutionRequest req = request("flood").withLimits(Limits.DEFAULT.withMaxOutputBytes(limit));

        ExecutionResult result = runtime.run(req);

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.OUTPUT_LIMIT);
        assertThat(result.failure().message()).startsWith("app wrote more than 1048576 bytes of output (")
                .contains(result.outputBytes() + " bytes under /out");
        assertThat(result.outputBytes()).isGreaterThan(limit).isLessThan(limit + (1 << 20));
        assertThat(Files.size(req.outputDir().resolve("big.bin"))).isEqualTo(limit);
        assertThat(result.stdoutText()).isEqualTo("flood: writing forever\n");
    }

    @Test
    void randomBytesAreAnInvalidModule() {
        byte[] junk = new byte[1024];
        new Random(7).nextBytes(junk);
        long before = runtime.compilations();

        ExecutionResult result = runtime.run(ExecutionRequest.of("junk", junk, newOut()));

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.INVALID_MODULE);
        assertThat(result.failure().message()).startsWith("invalid WebAssembly module: ");
        assertThat(runtime.compilations()).isEqualTo(before);
    }

    @Test
    void checksumMismatchIsAnInvalidModule() {
        ExecutionRequest req = request("primes", "10").withModuleSha256("0x" + "00".repeat(32));

        ExecutionResult result = runtime.run(req);

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.INVALID_MODULE);
        assertThat(result.failure().message()).contains("checksum mismatch");
    }

    @Test
    void matchingChecksumIsAccepted() {
        byte[] module = ExampleApps.load("primes");
        ExecutionRequest req = request("primes", "10").withModuleSha256("0x" + ResultDigest.sha256Hex(module));

        assertThat(runtime.run(req).stdoutText()).isEqualTo("primes below 10: 4\n");
    }

    @Test
    void changedModuleBytesAreCheckedAgainAfterCaching() {
        WasmRuntime fresh = new WasmRuntime();
        byte[] primes = ExampleApps.load("primes");
        byte[] module = primes.clone();
        String sha = "0x" + ResultDigest.sha256Hex(primes);
        assertThat(fresh.run(ExecutionRequest.of("primes", module, newOut()).withArgs("10").withModuleSha256(sha))
                .succeeded()).isTrue();

        new Random(7).nextBytes(module); // the caller reuses its array: same instance and length, other bytes
        ExecutionResult withSha = fresh.run(ExecutionRequest.of("primes", module, newOut()).withModuleSha256(sha));
        ExecutionResult withoutSha = fresh.run(ExecutionRequest.of("primes", module, newOut()));

        assertThat(withSha.failure().cause()).isEqualTo(Failure.Cause.INVALID_MODULE);
        assertThat(withSha.failure().message()).contains("checksum mismatch");
        assertThat(withoutSha.failure().cause()).isEqualTo(Failure.Cause.INVALID_MODULE);
        assertThat(withoutSha.failure().message()).startsWith("invalid WebAssembly module: ");

        System.arraycopy(primes, 0, module, 0, primes.length);
        assertThat(fresh.run(ExecutionRequest.of("primes", module, newOut()).withArgs("10").withModuleSha256(sha))
                .stdoutText()).isEqualTo("primes below 10: 4\n");
        assertThat(fresh.compilations()).isEqualTo(1);
    }

    @Test
    void appThreadsAreReusedWithoutTheInterruptOfATimedOutRun() {
        ExecutionResult spin =
                runtime.run(request("spin").withLimits(Limits.DEFAULT.withWallTime(Duration.ofMillis(200))));
        assertThat(spin.failure().cause()).isEqualTo(Failure.Cause.TIMEOUT);

        int before = AppThreads.threadsCreated();
        for (int i = 0; i < 20; i++) {
            // the thread that ran spin is back in the pool: a leftover interrupt would stop one of these
            ExecutionResult result = runtime.run(request("primes", "1000"));
            assertThat(result.failure()).isNull();
            assertThat(result.stdoutText()).isEqualTo("primes below 1000: 168\n");
        }
        // a thread is reused when it is back waiting before the next run starts, nearly always
        assertThat(AppThreads.threadsCreated() - before).isLessThan(10);
    }

    @Test
    void anAppRunningThreadRunsAppsItselfStopsThemAtTheirWallTimeAndKeepsNoInterrupt() throws Exception {
        List<Object> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.ExecutorService caller =
                java.util.concurrent.Executors.newSingleThreadExecutor(WasmRuntime.appRunningThreads("caller"));
        try {
            caller.submit(() -> {
                int before = AppThreads.threadsCreated();
                ExecutionResult spin =
                        runtime.run(request("spin").withLimits(Limits.DEFAULT.withWallTime(Duration.ofMillis(200))));
                seen.add(spin.failure().cause());
                seen.add(Thread.currentThread().isInterrupted());
                ExecutionResult primes = runtime.run(request("primes", "1000"));
                seen.add(primes.stdoutText());
                seen.add(AppThreads.threadsCreated() - before);
            }).get(60, java.util.concurrent.TimeUnit.SECONDS);
        } finally {
            caller.shutdownNow();
        }
        // timed out, its interrupt cleared, the next run unaffected, and no pooled app thread was started
        assertThat(seen).containsExactly(Failure.Cause.TIMEOUT, false, "primes below 1000: 168\n", 0);
    }

    @Test
    void nonZeroExitIsReportedWithItsCode() {
        ExecutionResult result = runtime.run(request("primes", "not-a-number"));

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.EXIT_NONZERO);
        assertThat(result.failure().message()).isEqualTo("app exited with code 2");
        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.stderrText()).contains("N must be an integer");
    }

    @Test
    void inputDirectoryIsReadOnly() throws IOException {
        Path in = Files.createDirectories(tmp.resolve("ro"));
        Files.writeString(in.resolve("data.txt"), "precious\n");
        ExecutionRequest req = request("writein").withInputDir(in);

        ExecutionResult result = runtime.run(req);

        assertThat(result.stdoutText()).doesNotContain(": ok");
        assertThat(result.stdoutText().lines()).hasSize(8).allMatch(l -> l.contains(": denied ("));
        assertThat(result.failure()).isNull();
        assertThat(read(in.resolve("data.txt"))).isEqualTo("precious\n");
        try (var files = Files.list(req.outputDir())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("report.txt");
        }
    }

    @Test
    void compiledModuleIsCachedBySha256() {
        WasmRuntime fresh = new WasmRuntime();
        assertThat(fresh.compilations()).isZero();

        assertThat(fresh.run(request("primes", "1000")).succeeded()).isTrue();
        assertThat(fresh.compilations()).isEqualTo(1);
        assertThat(fresh.run(request("primes", "2000")).succeeded()).isTrue();
        assertThat(fresh.compilations()).isEqualTo(1);
        assertThat(fresh.cachedModules()).isEqualTo(1);

        assertThat(fresh.run(request("clockrand")).succeeded()).isTrue();
        assertThat(fresh.compilations()).isEqualTo(2);
    }

    @Test
    void concurrentRunsOfOneModuleCompileItOnce() throws Exception {
        WasmRuntime fresh = new WasmRuntime();
        byte[] module = ExampleApps.load("primes");
        List<ExecutionRequest> requests = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            requests.add(ExecutionRequest.of("primes", module, newOut()).withArgs(String.valueOf(1000 * (i + 1))));
        }
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = requests.stream().map(r -> pool.submit(() -> fresh.run(r))).toList();
            for (int i = 0; i < futures.size(); i++) {
                assertThat(futures.get(i).get().succeeded()).isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(fresh.compilations()).isEqualTo(1);
        assertThat(read(requests.get(3).outputDir().resolve("result.txt"))).isEqualTo("primes below 4000: 550\n");
    }

    @Test
    void argsAndEnvironmentReachTheApp() {
        ExecutionResult result = runtime.run(request("primes", "30").withEnv(Map.of("LANG", "C")));
        assertThat(result.stdoutText()).isEqualTo("primes below 30: 10\n");
    }

    @Test
    void nonEmptyOutputDirectoryIsRefused() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("dirty"));
        Files.writeString(out.resolve("stale.txt"), "old");

        ExecutionResult result = runtime.run(request("primes", "10").withOutputDir(out));

        assertThat(result.failure().cause()).isEqualTo(Failure.Cause.HOST_ERROR);
        assertThat(result.failure().message()).contains("not empty");
    }
}
