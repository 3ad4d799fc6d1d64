package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.UserError;
import io.gridchain.runtime.ResultDigest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A parameter sweep from a file, one task per line (docs/APPS.md): inline in the request's params for a small bag, or
 * a manifest the workers fetch for a large one, so that the deal's gas does not grow with its size.
 */
record Sweep(int size, ObjectNode json) {
    /** Inline tasks cost calldata gas per byte: past this many, a manifest is required. */
    static final int MAX_INLINE_TASKS = 1_000;

    static Sweep read(Path file, String uri) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (IOException e) {
            throw UserError.usage("cannot read --sweep " + file + ": " + e.getMessage());
        }
        List<String> lines = new String(bytes, StandardCharsets.UTF_8).lines().toList();
        if (lines.isEmpty()) throw UserError.usage("--sweep " + file + " is empty: one task per line");
        ObjectNode sweep = Services.JSON.createObjectNode();
        if (uri != null) {
            ObjectNode manifest = sweep.putObject("manifest");
            manifest.put("name", "sweep");
            manifest.put("url", uri);
            manifest.put("checksum", "0x" + ResultDigest.sha256Hex(bytes));
            return new Sweep(lines.size(), sweep);
        }
        if (lines.size() > MAX_INLINE_TASKS) {
            throw UserError.usage("--sweep has " + lines.size() + " tasks, more than the " + MAX_INLINE_TASKS + " a"
                    + " request carries inline: put " + file + " where workers can fetch it and pass --sweep-uri URL"
                    + " (file:// for workers on this machine)");
        }
        ArrayNode tasks = sweep.putArray("tasks");
        for (int i = 0; i < lines.size(); i++) tasks.add(task(lines.get(i), file, i + 1));
        return new Sweep(lines.size(), sweep);
    }

    /** One line as a task spec: plain arguments, or JSON whose local input paths become file:// URLs with checksums. */
    private static ObjectNode task(String line, Path file, int number) {
        ObjectNode task = Services.JSON.createObjectNode();
        String text = line.strip();
        if (!text.startsWith("{")) {
            ArrayNode args = task.putArray("args");
            if (!text.isEmpty()) for (String a : text.split("\\s+")) args.add(a);
            return task;
        }
        JsonNode node;
        try {
            node = Services.JSON.readTree(text);
        } catch (IOException e) {
            throw UserError.usage("line " + number + " of " + file + " is neither arguments nor JSON: "
                    + e.getMessage().lines().findFirst().orElse(""));
        }
        JsonNode a = node.path("args");
        if (a.isArray() || a.isTextual()) {
            ArrayNode args = task.putArray("args");
            if (a.isArray()) a.forEach(x -> args.add(x.asText()));
            else if (!a.asText().isBlank()) for (String x : a.asText().strip().split("\\s+")) args.add(x);
        }
        ArrayNode inputs = task.putArray("inputs");
        for (JsonNode in : node.path("inputs")) {
            String url = in.path("url").asText();
            ObjectNode spec = inputs.addObject();
            if (url.contains("://")) {
                spec.put("name", in.hasNonNull("name") ? in.get("name").asText() : url.substring(url.lastIndexOf('/') + 1));
                spec.put("url", url);
                if (in.hasNonNull("checksum")) spec.put("checksum", in.get("checksum").asText());
            } else {
                Path local = file.toAbsolutePath().getParent().resolve(url).normalize();
                byte[] content;
                try {
                    content = Files.readAllBytes(local);
                } catch (IOException e) {
                    throw UserError.usage("line " + number + " of " + file + ": cannot read input " + local);
                }
                spec.put("name", in.hasNonNull("name") ? in.get("name").asText() : local.getFileName().toString());
                spec.put("url", local.toUri().toString());
                spec.put("checksum", "0x" + ResultDigest.sha256Hex(content));
            }
        }
        return task;
    }
}
