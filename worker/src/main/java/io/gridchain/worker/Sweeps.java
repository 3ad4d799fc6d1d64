package io.gridchain.worker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.AppContract;
import io.gridchain.api.WorkerApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A task's own arguments and inputs in a parameter sweep ({@link WorkerApi.SweepSpec}): from the deal's inline list,
 * or from the line of a manifest fetched once (cached by checksum like any input) and kept parsed for the next tasks.
 */
final class Sweeps {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Parsed manifests kept: a worker runs one or two sweeps at a time. */
    private static final int KEPT_MANIFESTS = 4;

    /** What one task runs with. */
    record Task(List<String> args, List<WorkerApi.InputSpec> inputs) {}

    private final Fetcher fetcher;
    private final Map<String, List<String>> manifests = new LinkedHashMap<>(8, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, List<String>> eldest) {
            return size() > KEPT_MANIFESTS;
        }
    };

    Sweeps(Fetcher fetcher) {
        this.fetcher = fetcher;
    }

    Task resolve(WorkerApi.Assignment a) throws FetchFailure {
        List<String> args = a.args() == null ? List.of() : a.args();
        List<WorkerApi.InputSpec> inputs = a.inputs() == null ? List.of() : a.inputs();
        WorkerApi.SweepSpec sweep = a.sweep();
        if (sweep == null) return new Task(args, inputs);
        WorkerApi.TaskSpec own = sweep.manifest() != null ? line(sweep.manifest(), a.taskIndex())
                : a.taskIndex() < sweep.tasks().size() ? sweep.tasks().get((int) a.taskIndex()) : null;
        if (own != null && own.args() != null) args = own.args();
        if (own != null && !own.inputs().isEmpty()) {
            inputs = new ArrayList<>(inputs);
            inputs.addAll(own.inputs());
        }
        String bagSize = a.env() == null ? "1" : a.env().getOrDefault(AppContract.BAG_SIZE, "1");
        List<String> substituted = args.stream().map(arg -> arg.replace("{i}", Long.toString(a.taskIndex()))
                .replace("{n}", bagSize)).toList();
        return new Task(substituted, inputs);
    }

    private WorkerApi.TaskSpec line(WorkerApi.InputSpec manifest, long index) throws FetchFailure {
        List<String> lines;
        synchronized (manifests) {
            lines = manifests.get(manifest.checksum());
        }
        if (lines == null) {
            byte[] bytes = fetcher.fetch(manifest.url(), manifest.checksum(), "sweep manifest");
            lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
            synchronized (manifests) {
                manifests.put(manifest.checksum(), lines);
            }
        }
        if (index >= lines.size()) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED, "the sweep manifest has " + lines.size()
                    + " lines, none for task " + index);
        }
        return parse(lines.get((int) index));
    }

    /** A manifest line: a JSON object {"args": [..] | "..", "inputs": [..]}, or plain arguments. */
    static WorkerApi.TaskSpec parse(String line) throws FetchFailure {
        String text = line.strip();
        if (!text.startsWith("{")) {
            return new WorkerApi.TaskSpec(text.isEmpty() ? List.of() : Arrays.asList(text.split("\\s+")), List.of());
        }
        try {
            JsonNode node = JSON.readTree(text);
            List<String> args = null;
            JsonNode a = node.path("args");
            if (a.isArray()) {
                args = new ArrayList<>();
                for (JsonNode x : a) args.add(x.asText());
            } else if (a.isTextual()) {
                args = a.asText().isBlank() ? List.of() : Arrays.asList(a.asText().strip().split("\\s+"));
            }
            List<WorkerApi.InputSpec> inputs = new ArrayList<>();
            for (JsonNode in : node.path("inputs")) {
                String url = in.path("url").asText();
                String name = in.hasNonNull("name") ? in.get("name").asText() : url.substring(url.lastIndexOf('/') + 1);
                inputs.add(new WorkerApi.InputSpec(name, url, in.hasNonNull("checksum") ? in.get("checksum").asText()
                        : null));
            }
            return new WorkerApi.TaskSpec(args, inputs);
        } catch (java.io.IOException e) {
            throw new FetchFailure(FetchFailure.Cause.FETCH_FAILED, "a line of the sweep manifest is not JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
    }
}
