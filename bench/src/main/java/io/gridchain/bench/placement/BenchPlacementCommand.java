package io.gridchain.bench.placement;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.bench.pool.LocalPool;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import io.gridchain.runtime.ResultDigest;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Bytes moved and makespan of a bag that reuses large inputs, with and without data placement directives. */
@Command(
        name = "placement",
        mixinStandardHelpOptions = true,
        description = {
            "Measure what data placement directives save: a sweep whose task i reads input i mod --inputs",
            "(each --input-mib MiB) runs on --workers workers whose caches hold about one input, with the",
            "inputs served by one HTTP server over a shared uplink of --uplink-mib MiB/s. It runs once",
            "without directives and once with {\"affinity\": true} on every input (fresh inputs each time),",
            "and reports the bytes the server sent, the downloads and the makespan (request to last task",
            "certified on-chain) of each, and their ratios."
        },
        footerHeading = "%n",
        footer = {
            "Examples:",
            "  gridchain bench placement",
            "  gridchain bench placement --tasks 96 --inputs 4 --input-mib 32 --json"
        })
public final class BenchPlacementCommand implements Callable<Integer> {
    @Option(names = "--tasks", description = "Tasks in the bag (default: ${DEFAULT-VALUE}).", defaultValue = "48")
    int tasks;

    @Option(names = "--inputs", description = "Distinct large inputs the tasks read (default: ${DEFAULT-VALUE}).",
            defaultValue = "4")
    int inputs;

    @Option(names = "--input-mib", description = "Size of each input in MiB (default: ${DEFAULT-VALUE}).",
            defaultValue = "16")
    int inputMib;

    @Option(names = "--workers", description = "Workers, 1 slot each (default: ${DEFAULT-VALUE}).", defaultValue = "4")
    int workers;

    @Option(names = "--uplink-mib", description = "The data server's bandwidth, shared by all downloads, in MiB/s "
            + "(default: ${DEFAULT-VALUE}).", defaultValue = "64")
    int uplinkMib;

    @Option(names = "--args", description = "The primes app's argument: each task's compute (default: "
            + "${DEFAULT-VALUE}).", defaultValue = "2000000")
    String args;

    @Option(names = "--timeout", description = "Give up on a run after this many seconds (default: ${DEFAULT-VALUE}).",
            defaultValue = "600")
    int timeoutSeconds;

    @Option(names = "--json", description = "Print one JSON object instead of a table.")
    boolean json;

    /** One run's figures. */
    record Run(String mode, long bytes, long downloads, double seconds) {}

    @Override
    public Integer call() throws Exception {
        if (tasks < 1 || inputs < 1 || inputMib < 1 || workers < 1 || uplinkMib < 1) {
            System.err.println("error: --tasks, --inputs, --input-mib, --workers and --uplink-mib must be at least 1");
            return 2;
        }
        long inputBytes = (long) inputMib << 20;
        // a cache that holds one input and the app, not two inputs: without placement a worker thrashes
        long cache = inputBytes + inputBytes / 2;
        progress("starting anvil, the contracts, a scheduler and " + workers + " workers (cache " + (cache >> 20)
                + " MiB each), and a data server at " + uplinkMib + " MiB/s");
        Map<String, Object> out = new LinkedHashMap<>();
        try (LocalPool pool = new LocalPool(LocalPool.Setup.of(workers).withSlots(1).withCacheMaxBytes(cache));
                ThrottledServer data = new ThrottledServer((long) uplinkMib << 20)) {
            String app = pool.publish("primes");
            Run without = run(pool, app, data, "without", null, (byte) 0);
            Run with = run(pool, app, data, "affinity", "{\"affinity\": true}", (byte) 100);
            out.put("tasks", tasks);
            out.put("inputs", inputs);
            out.put("input_mib", inputMib);
            out.put("workers", workers);
            out.put("uplink_mib_per_s", uplinkMib);
            ArrayNode runs = new ObjectMapper().createArrayNode();
            for (Run r : new Run[] {without, with}) {
                ObjectNode o = runs.addObject();
                o.put("mode", r.mode());
                o.put("mib_moved", Math.round(r.bytes() / 1048576.0 * 10) / 10.0);
                o.put("downloads", r.downloads());
                o.put("makespan_s", Math.round(r.seconds() * 100) / 100.0);
            }
            out.put("runs", runs);
            out.put("bytes_ratio", Math.round((double) with.bytes() / without.bytes() * 1000) / 1000.0);
            out.put("makespan_ratio", Math.round(with.seconds() / without.seconds() * 1000) / 1000.0);
        }
        if (json) {
            System.out.println(new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(out));
        } else {
            System.out.printf("%-10s %12s %10s %12s%n", "mode", "MiB moved", "downloads", "makespan s");
            for (var r : (ArrayNode) out.get("runs")) {
                System.out.printf("%-10s %12s %10s %12s%n", r.get("mode").asText(), r.get("mib_moved").asText(),
                        r.get("downloads").asText(), r.get("makespan_s").asText());
            }
            System.out.println("bytes ratio (affinity / without): " + out.get("bytes_ratio")
                    + "; makespan ratio: " + out.get("makespan_ratio"));
        }
        return 0;
    }

    /** A sweep whose task i reads input i mod {@link #inputs}, each input filled with {@code fill + k}. */
    private Run run(LocalPool pool, String app, ThrottledServer data, String mode, String placement, byte fill) {
        StringBuilder sweep = new StringBuilder();
        String[] specs = new String[inputs];
        for (int k = 0; k < inputs; k++) {
            byte[] body = new byte[inputMib << 20];
            java.util.Arrays.fill(body, (byte) (fill + k));
            String name = mode + "-" + k + ".bin";
            data.serve(name, body);
            specs[k] = "{\"name\": \"data.bin\", \"url\": \"" + data.url(name) + "\", \"checksum\": \"0x"
                    + ResultDigest.sha256Hex(body) + "\"" + (placement == null ? "" : ", \"placement\": " + placement)
                    + "}";
        }
        for (int i = 0; i < tasks; i++) {
            if (i > 0) sweep.append(", ");
            sweep.append("{\"inputs\": [").append(specs[i % inputs]).append("]}");
        }
        String params = "{\"args\": \"" + args + "\", \"sweep\": {\"tasks\": [" + sweep + "]}}";
        long bytes0 = data.bytesSent();
        long downloads0 = data.downloads();
        progress(mode + ": " + tasks + " tasks over " + inputs + " inputs of " + inputMib + " MiB");
        long t0 = System.nanoTime();
        DealRecord deal = pool.request(app, params, tasks, 1);
        long done = 0;
        long lastReport = t0;
        while (done < tasks) {
            done = 0;
            for (int i = 0; i < tasks; i++) {
                if (pool.requester().taskStatus(deal.taskId(i)) == GridClient.TaskStatus.FINALIZED) done++;
            }
            long now = System.nanoTime();
            if (now - lastReport > 2_000_000_000L) {
                progress(mode + ": " + done + "/" + tasks + " certified, " + ((data.bytesSent() - bytes0) >> 20)
                        + " MiB moved");
                lastReport = now;
            }
            if (Duration.ofNanos(now - t0).toSeconds() > timeoutSeconds) {
                throw new IllegalStateException(mode + ": only " + done + " of " + tasks + " tasks certified after "
                        + timeoutSeconds + " s");
            }
            if (done < tasks) sleep();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        return new Run(mode, data.bytesSent() - bytes0, data.downloads() - downloads0, seconds);
    }

    private static void sleep() {
        try {
            Thread.sleep(100);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted");
        }
    }

    private static void progress(String line) {
        System.err.println("[placement] " + line);
    }
}
