package io.gridchain.bench.throughput;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.bench.plot.PlotFile;
import io.gridchain.bench.plot.SvgCharts;
import io.gridchain.bench.plot.SvgCharts.Point;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.SchedulerService;
import io.gridchain.scheduler.chain.DealParams;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Certified tasks per second for a bag of no-op tasks with 3 replicas each, and the scheduler's heap. */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description = {
            "Measure how many tasks per second the embedded network certifies: a bag of no-op tasks",
            "(the noop app, or --app primes), 3 replicas each, run by several workers; then the scheduler's",
            "heap with a large deal in flight. Progress is counted from the hub's BatchFinalized and",
            "TaskFinalized logs; once the bag is done (or at the timeout) each task's status is read",
            "on-chain, outside the timed window, for certified_tasks. After the pool has stopped, the",
            "sandbox alone runs the same app on every core for a few seconds: those runs per second over",
            "3 replicas bound what this machine could certify (sandbox_bound_tasks_per_s), and efficiency",
            "is the pool's rate over that bound, a figure that moves less between machines than tasks/s."
        },
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  gridchain bench throughput",
            "  gridchain bench throughput --tasks 1000 --json",
            "  gridchain bench throughput --app primes --args 1000 --heap-tasks 0",
            "  gridchain bench throughput --tasks 2000 --heap-tasks 0 --plot docs/plots/throughput.svg"
        })
public final class BenchThroughputCommand implements Callable<Integer> {
    private static final int REPLICAS = 3;

    /** The example apps a bag can run, with the arguments each task gets unless --args says otherwise. */
    enum App {
        noop(""),
        primes("10");

        final String defaultArgs;

        App(String defaultArgs) {
            this.defaultArgs = defaultArgs;
        }
    }

    @Option(names = "--app", defaultValue = "noop",
            description = "The example app every task runs: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    App app;

    @Option(names = "--args", description = "The app's arguments, space-separated (default: none for noop, "
            + "10 for primes).")
    String args;

    @Option(names = "--tasks", description = "Tasks in the bag (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int tasks;

    @Option(names = "--warmup-tasks", description = "Tasks of an untimed bag run first through the same pool, so "
            + "the timed bag meets a warmed-up JVM, as a long-running scheduler does (default: ${DEFAULT-VALUE}; "
            + "0 measures a cold start).", defaultValue = "0")
    int warmupTasks;

    @Option(names = "--workers", description = "Workers (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int workers;

    @Option(names = "--slots", description = "Slots per worker (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int slots;

    @Option(names = "--heap-tasks", description = "Tasks of the deal held in flight for the heap figure "
            + "(default: ${DEFAULT-VALUE}; 0 skips it).", defaultValue = "100000")
    int heapTasks;

    @Option(names = "--sandbox-seconds", description = "Seconds the sandbox alone is timed for the bound, after a "
            + SandboxBound.WARM_UP_SECONDS + " s warm-up (default: ${DEFAULT-VALUE}; 0 skips it).", defaultValue = "3")
    int sandboxSeconds;

    @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "600")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Option(names = "--plot", paramLabel = "FILE.svg", description = "Also write an SVG chart of the timed bag's"
            + " certified tasks over time (the log counter, polled every 100 ms).")
    Path plot;

    @Override
    public Integer call() throws Exception {
        if (tasks < 1 || warmupTasks < 0 || workers < REPLICAS || slots < 1 || sandboxSeconds < 0) {
            System.err.println("error: --tasks must be >= 1, --warmup-tasks >= 0, --workers >= 3 (3 replicas), --slots >= 1,"
                    + " --sandbox-seconds >= 0");
            return 2;
        }
        String plotProblem = plot == null ? null : PlotFile.problem(plot);
        if (plotProblem != null) {
            System.err.println("error: " + plotProblem);
            return 2;
        }
        String appArgs = args == null ? app.defaultArgs : args;
        Map<String, Object> out = new LinkedHashMap<>();
        SchedulerService.Options options = SchedulerService.Options.DEFAULT.withPollMillis(5).withMaxBatch(500)
                .withMinReplicas(REPLICAS);
        double certifiedPerSecond;
        List<Point> samples;
        progress("starting anvil, the contracts, a scheduler and " + workers + " workers");
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(workers).withSlots(slots)
                .withWorkerPoll(Duration.ofMillis(5)).withScheduler(options))) {
            String bagApp = pool.publish(app.name());
            if (warmupTasks > 0) {
                progress("warming up: an untimed bag of " + warmupTasks + " tasks through the same pool");
                Bag warmup = runBag(pool, bagApp, appArgs, warmupTasks);
                out.put("warmup_tasks", warmupTasks);
                out.put("warmup_tasks_per_s", Math.round(warmup.counted() / warmup.seconds() * 10) / 10.0);
            }
            Bag bag = runBag(pool, bagApp, appArgs, tasks);
            samples = bag.samples();
            DealRecord deal = bag.deal();
            long counted = bag.counted();
            double seconds = bag.seconds();
            progress("verifying the " + tasks + " tasks' status on-chain");
            long verified = pool.certified(deal);
            // after a timeout the network keeps certifying: compare with the logs up to now
            long logged = bag.logs().poll();
            if (logged != verified) {
                System.err.println("warning: the hub's logs count " + logged + " certified tasks but " + verified
                        + " tasks are finalized on-chain");
            }
            // count and time both of the window's end: tasks certified afterwards must not inflate the rate
            certifiedPerSecond = counted / seconds;
            out.put("certified_tasks_per_s", Math.round(certifiedPerSecond * 10) / 10.0);
            out.put("certified_tasks", verified);
            out.put("tasks", tasks);
            out.put("app", app.name());
            out.put("seconds", Math.round(seconds * 10) / 10.0);
            out.put("replicas_per_task", REPLICAS);
            out.put("workers", workers);
            out.put("slots_per_worker", slots);
        }
        if (sandboxSeconds > 0) {
            int cores = Runtime.getRuntime().availableProcessors();
            progress("the sandbox alone: " + app.name() + " on " + cores + " threads for " + sandboxSeconds + " s");
            SandboxBound.Result bound = SandboxBound.measure(app.name(), DealParams.parse(appArgs).args(), cores,
                    Duration.ofSeconds(sandboxSeconds), REPLICAS);
            putBound(out, certifiedPerSecond, bound);
        }
        if (heapTasks > 0) out.put("scheduler_heap_mb", schedulerHeapMb(appArgs));
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            for (var e : out.entrySet()) System.out.printf("%-26s %12s%n", e.getKey(), e.getValue());
            System.out.println("targets: >= 1,000 certified tasks/s; scheduler heap <= 512 MB with 100,000 tasks in flight");
        }
        if (plot != null) {
            try {
                PlotFile.write(plot, SvgCharts.svg(ThroughputPlot.chart(samples, tasks, app.name(), certifiedPerSecond,
                        workers, slots, REPLICAS)));
            } catch (IOException e) {
                System.err.println("error: " + e.getMessage());
                return 1;
            }
            progress("wrote " + plot);
        }
        return 0;
    }

    /** The bound and the pool's share of it, next to the pool's figures. */
    static void putBound(Map<String, Object> out, double certifiedPerSecond, SandboxBound.Result bound) {
        out.put("sandbox_bound_tasks_per_s", Math.round(bound.tasksPerSecond() * 10) / 10.0);
        out.put("efficiency", Math.round(bound.efficiency(certifiedPerSecond) * 1000) / 1000.0);
    }

    /**
     * A bag that ran: its deal, its log counter, the tasks the logs counted as certified, the seconds it took, and
     * (seconds, certified) at each poll.
     */
    private record Bag(DealRecord deal, CertifiedLogs logs, long counted, double seconds, List<Point> samples) {}

    /** Submits a bag of {@code n} tasks and waits, reporting progress, until the logs count all certified. */
    private Bag runBag(LocalPool pool, String bagApp, String appArgs, int n) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        DealRecord deal = pool.request(bagApp, appArgs, n, 5);
        CertifiedLogs logs = new CertifiedLogs(pool, deal);
        long counted = 0;
        long lastReport = 0;
        List<Point> samples = new ArrayList<>();
        samples.add(new Point(0, 0));
        while (counted < n) {
            Thread.sleep(100);
            counted = logs.poll();
            long elapsed = (System.nanoTime() - t0) / 1_000_000;
            samples.add(new Point(elapsed / 1000.0, counted));
            if (elapsed - lastReport >= 2_000) {
                progress(counted + "/" + n + " certified after " + elapsed / 1000 + " s");
                lastReport = elapsed;
            }
            if (elapsed > timeoutSeconds * 1000L) {
                progress("stopping at the " + timeoutSeconds + " s timeout");
                break;
            }
        }
        return new Bag(deal, logs, counted, (System.nanoTime() - t0) / 1e9, samples);
    }

    /**
     * Heap growth of a scheduler holding a deal of {@code heapTasks} tasks, none started (no worker):
     * measured after garbage collection, before and after the deal is taken in.
     */
    private long schedulerHeapMb(String appArgs) throws InterruptedException {
        progress("measuring the scheduler's heap with a " + heapTasks + "-task deal in flight");
        SchedulerService.Options options = SchedulerService.Options.DEFAULT.withPollMillis(5).withMaxBatch(500)
                .withMinReplicas(REPLICAS);
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(0).withScheduler(options))) {
            String heapApp = pool.publish(app.name());
            long before = usedHeap();
            DealRecord deal = pool.request(heapApp, appArgs, heapTasks, 5);
            String last = deal.taskId(heapTasks - 1);
            long deadline = System.currentTimeMillis() + 120_000;
            while (pool.scheduler().service().task(last).isEmpty() && System.currentTimeMillis() < deadline) {
                Thread.sleep(100);
            }
            return Math.max(0, (usedHeap() - before) >> 20);
        }
    }

    private static long usedHeap() throws InterruptedException {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    private static void progress(String message) {
        System.err.println("[bench throughput] " + message);
    }
}
