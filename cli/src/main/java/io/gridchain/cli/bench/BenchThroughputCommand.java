package io.gridchain.cli.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.SchedulerService;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Certified tasks per second for a bag of no-op tasks with 3 replicas each, and the scheduler's heap. */
@Command(
        name = "throughput",
        mixinStandardHelpOptions = true,
        description = {
            "Measure how many tasks per second the embedded network certifies: a bag of no-op tasks,",
            "3 replicas each, run by several workers; then the scheduler's heap with a large deal in flight."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench throughput", "  gridchain bench throughput --tasks 1000 --json"})
public final class BenchThroughputCommand implements Callable<Integer> {
    @Option(names = "--tasks", description = "Tasks in the bag (default: ${DEFAULT-VALUE}).", defaultValue = "10000")
    int tasks;

    @Option(names = "--workers", description = "Workers (default: ${DEFAULT-VALUE}).", defaultValue = "8")
    int workers;

    @Option(names = "--slots", description = "Slots per worker (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int slots;

    @Option(names = "--heap-tasks", description = "Tasks of the deal held in flight for the heap figure "
            + "(default: ${DEFAULT-VALUE}; 0 skips it).", defaultValue = "100000")
    int heapTasks;

    @Option(names = "--timeout", description = "Give up after this many seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "600")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (tasks < 1 || workers < 3 || slots < 1) {
            System.err.println("error: --tasks must be >= 1, --workers >= 3 (3 replicas), --slots >= 1");
            return 2;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        SchedulerService.Options options = SchedulerService.Options.DEFAULT.withPollMillis(5).withMaxBatch(500).withMinReplicas(3);
        progress("starting anvil, the contracts, a scheduler and " + workers + " workers");
        try (LocalPool pool = new LocalPool(workers, slots, options, Duration.ofMillis(5))) {
            long t0 = System.nanoTime();
            DealRecord deal = LocalPool.deal(pool.submit("10", tasks, 5));
            long done = 0;
            long lastReport = 0;
            while (done < tasks) {
                Thread.sleep(200);
                done = certified(pool, deal, done);
                long elapsed = (System.nanoTime() - t0) / 1_000_000;
                if (elapsed - lastReport >= 2_000) {
                    progress(done + "/" + tasks + " certified after " + elapsed / 1000 + " s");
                    lastReport = elapsed;
                }
                if (elapsed > timeoutSeconds * 1000L) {
                    progress("stopping at the " + timeoutSeconds + " s timeout");
                    break;
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.put("certified_tasks_per_s", Math.round(done / seconds * 10) / 10.0);
            out.put("certified_tasks", done);
            out.put("tasks", tasks);
            out.put("seconds", Math.round(seconds * 10) / 10.0);
            out.put("replicas_per_task", 3);
            out.put("workers", workers);
            out.put("slots_per_worker", slots);
        }
        if (heapTasks > 0) out.put("scheduler_heap_mb", schedulerHeapMb());
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            for (var e : out.entrySet()) System.out.printf("%-24s %12s%n", e.getKey(), e.getValue());
            System.out.println("targets: >= 1,000 certified tasks/s; scheduler heap <= 512 MB with 100,000 tasks in flight");
        }
        return 0;
    }

    /** Counts certified tasks from the first not yet known to be certified (tasks finish roughly in order). */
    private static long certified(LocalPool pool, DealRecord deal, long known) {
        long volume = deal.deal().volume().longValueExact();
        long n = known;
        while (n < volume && pool.requester.taskStatus(deal.taskId(n)) == GridClient.TaskStatus.FINALIZED) n++;
        return n;
    }

    /**
     * Heap growth of a scheduler holding a deal of {@code heapTasks} tasks, none started (no worker):
     * measured after garbage collection, before and after the deal is taken in.
     */
    private long schedulerHeapMb() throws InterruptedException {
        progress("measuring the scheduler's heap with a " + heapTasks + "-task deal in flight");
        SchedulerService.Options options = SchedulerService.Options.DEFAULT.withPollMillis(5).withMaxBatch(500).withMinReplicas(3);
        try (LocalPool pool = new LocalPool(0, 1, options, Duration.ofMillis(50))) {
            long before = usedHeap();
            DealRecord deal = LocalPool.deal(pool.submit("10", heapTasks, 5));
            String last = deal.taskId(heapTasks - 1);
            long deadline = System.currentTimeMillis() + 120_000;
            while (pool.scheduler.service().task(last).isEmpty() && System.currentTimeMillis() < deadline) {
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
