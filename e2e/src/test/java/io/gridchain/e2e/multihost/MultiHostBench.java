package io.gridchain.e2e.multihost;

import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Not a test: the latency (one task, 3 replicas) and throughput (a bag of 200 tasks) of the pipeline across
 * namespaces, each process a CLI of its own, for docs/BENCHMARKS.md beside the single-process figures. Run with
 * {@code mvn -B -o -pl e2e -am -Dtest=MultiHostBench -Dmultihost.bench=true -Dsurefire.failIfNoSpecifiedTests=false
 * verify}. Times come from the scheduler's log (deal seen to its last task certified), so the requester's JVM
 * start and the download are left out, as in `bench latency`; the requester's wall time is printed beside.
 */
@EnabledIfSystemProperty(named = "multihost.bench", matches = "true")
class MultiHostBench {
    @Test
    void latencyAndThroughputAcrossHosts() throws Exception {
        try (Lab lab = Lab.start("bench-" + ProcessHandle.current().pid(), 3)) {
            Ledger ledger = new Ledger(lab);
            ledger.assertDelivered(Ledger.finish(lab.run("1000", 1, 5), Duration.ofSeconds(120)), 1); // warm-up
            List<Long> latencies = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                long start = System.nanoTime();
                Ledger.Run run = Ledger.finish(lab.run("1000", 1, 5), Duration.ofSeconds(120));
                long wall = (System.nanoTime() - start) / 1_000_000;
                long pipeline = pipelineMillis(lab, run.deal());
                latencies.add(pipeline);
                System.out.printf("[bench] latency: deal seen -> certified %d ms (requester wall time %d ms)%n",
                        pipeline, wall);
            }
            latencies.sort(null);
            System.out.printf("[bench] latency median %d ms over %d runs%n", latencies.get(latencies.size() / 2),
                    latencies.size());
            long start = System.nanoTime();
            Ledger.Run bag = Ledger.finish(lab.run("1000", 200, 1), Duration.ofSeconds(300));
            long wall = (System.nanoTime() - start) / 1_000_000;
            long pipeline = pipelineMillis(lab, bag.deal());
            System.out.printf("[bench] throughput: 200 tasks certified in %d ms = %.1f tasks/s (requester wall time"
                    + " %d ms with 200 downloads)%n", pipeline, 200_000.0 / pipeline, wall);
            ledger.assertDelivered(bag, 200);
        }
    }

    /** From the scheduler's "deal D: …" line to its last "certified … of deal D" line. */
    private static long pipelineMillis(Lab lab, String deal) {
        LocalTime seen = null;
        LocalTime last = null;
        for (String line : lab.scheduler.output().split("\n")) {
            if (line.length() < 12 || !line.contains(deal)) continue;
            LocalTime t;
            try {
                t = LocalTime.parse(line.substring(0, 12));
            } catch (java.time.format.DateTimeParseException e) {
                continue;
            }
            if (line.contains("task(s) of app") && seen == null) seen = t;
            if (line.contains("certified ")) last = t;
        }
        if (seen == null || last == null) throw new AssertionError("deal " + deal + " not in the scheduler's log");
        return Duration.between(seen, last).toMillis();
    }
}
