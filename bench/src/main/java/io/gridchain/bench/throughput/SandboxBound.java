package io.gridchain.bench.throughput;

import io.gridchain.apps.ExampleApps;
import io.gridchain.runtime.ExecutionRequest;
import io.gridchain.runtime.ExecutionResult;
import io.gridchain.runtime.Limits;
import io.gridchain.runtime.ResultDigest;
import io.gridchain.runtime.WasmRuntime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The most tasks per second this machine's sandbox could certify, whatever the scheduler, the chain and HTTP
 * cost: one thread per core runs the bag's app through one {@link WasmRuntime} back to back, as a worker's
 * replicate threads do (threads from {@link WasmRuntime#appRunningThreads}, the module compiled once and cached,
 * the output archived in memory), and the runs per second are divided by the replicas per task. Absolute rates
 * move between machines; a pool's rate as a fraction of this bound does much less.
 */
final class SandboxBound {
    /** Runs not counted first, once the module is compiled: the JIT's warm-up. */
    static final int WARM_UP_SECONDS = 2;

    /** {@code runs} completed by {@code threads} threads within a window of {@code seconds}. */
    record Result(int threads, long runs, double seconds, int replicasPerTask) {
        double tasksPerSecond() {
            return runs / seconds / replicasPerTask;
        }

        /** The share of this bound that a pool certifying {@code certifiedTasksPerSecond} reached. */
        double efficiency(double certifiedTasksPerSecond) {
            return certifiedTasksPerSecond / tasksPerSecond();
        }
    }

    private SandboxBound() {}

    /**
     * Compiles {@code app}, runs it with {@code args} on {@code threads} threads for {@link #WARM_UP_SECONDS}, then counts
     * the runs that start and end within the next {@code window}.
     */
    static Result measure(String app, List<String> args, int threads, Duration window, int replicasPerTask)
            throws Exception {
        byte[] module = ExampleApps.load(app);
        String sha = ResultDigest.sha256Hex(module);
        WasmRuntime runtime = new WasmRuntime();
        AtomicLong seeds = new AtomicLong();
        Callable<ExecutionResult> run = () -> runtime.run(ExecutionRequest.of(app, module, null).withModuleSha256(sha)
                .withArgs(args).withLimits(Limits.DEFAULT).withSeed(seeds.incrementAndGet()));
        check(app, run.call());
        long windowStart = System.nanoTime() + WARM_UP_SECONDS * 1_000_000_000L;
        long windowEnd = windowStart + window.toNanos();
        ExecutorService pool = Executors.newFixedThreadPool(threads, WasmRuntime.appRunningThreads("gridchain-bound"));
        try {
            List<Future<Long>> counts = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                counts.add(pool.submit(() -> {
                    long counted = 0;
                    for (long started = System.nanoTime(); started < windowEnd; started = System.nanoTime()) {
                        check(app, run.call());
                        if (started >= windowStart && System.nanoTime() <= windowEnd) counted++;
                    }
                    return counted;
                }));
            }
            long runs = 0;
            for (Future<Long> count : counts) runs += count.get();
            return new Result(threads, runs, window.toNanos() / 1e9, replicasPerTask);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the sandbox bound could not be measured: " + e.getCause().getMessage(),
                    e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static void check(String app, ExecutionResult result) {
        if (!result.succeeded()) throw new IllegalStateException(app + " failed in the sandbox: " + result.failure());
    }
}
