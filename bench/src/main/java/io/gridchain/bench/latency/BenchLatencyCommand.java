package io.gridchain.bench.latency;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.scheduler.SchedulerService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Submission-to-certified-result latency of one task with 3 replicas on the embedded network. */
@Command(
        name = "latency",
        mixinStandardHelpOptions = true,
        description = {
            "Measure the time from submitting a one-task request (matchOrders) to its result being certified",
            "on-chain, with 3 replicas, on the embedded local network (scheduler and 3 workers in process)."
        },
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain bench latency", "  gridchain bench latency --runs 50 --json"})
public final class BenchLatencyCommand implements Callable<Integer> {
    @Option(names = "--runs", description = "Measured requests (default: ${DEFAULT-VALUE}).", defaultValue = "20")
    int runs;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        if (runs < 1) {
            System.err.println("error: --runs must be at least 1");
            return 2;
        }
        SchedulerService.Options options = SchedulerService.Options.DEFAULT.withPollMillis(5).withMinReplicas(3);
        progress("starting anvil, the contracts, a scheduler and 3 workers");
        List<Long> samples = new ArrayList<>();
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(3).withSlots(1).withWorkerPoll(Duration.ofMillis(5))
                .withScheduler(options))) {
            String primes = pool.publish("primes");
            for (int i = -2; i < runs; i++) { // two warm-up requests compile the app and warm the JIT
                long t0 = System.nanoTime();
                DealRecord deal = pool.request(primes, "1000", 1, 5);
                String taskId = deal.taskId(0);
                while (pool.requester().taskStatus(taskId) != GridClient.TaskStatus.FINALIZED) {
                    Thread.sleep(2);
                    if (System.nanoTime() - t0 > 60_000_000_000L) {
                        System.err.println("error: a task was not certified within 60 s");
                        return 1;
                    }
                }
                long ms = (System.nanoTime() - t0) / 1_000_000;
                if (i >= 0) {
                    samples.add(ms);
                    progress("request " + (i + 1) + "/" + runs + ": " + ms + " ms");
                }
            }
        }
        Collections.sort(samples);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("median_ms", samples.get(samples.size() / 2));
        out.put("p90_ms", samples.get(Math.min(samples.size() - 1, (int) Math.ceil(samples.size() * 0.9) - 1)));
        out.put("min_ms", samples.get(0));
        out.put("max_ms", samples.get(samples.size() - 1));
        out.put("runs", runs);
        out.put("replicas_per_task", 3);
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            System.out.printf("%-34s %8s%n", "one task, 3 replicas", "ms");
            for (var e : out.entrySet()) System.out.printf("%-34s %8s%n", e.getKey(), e.getValue());
            System.out.println("target: median <= 1,000 ms (Bacalhau: 1,320 ms for one no-op job)");
        }
        return 0;
    }

    private static void progress(String message) {
        System.err.println("[bench latency] " + message);
    }
}
