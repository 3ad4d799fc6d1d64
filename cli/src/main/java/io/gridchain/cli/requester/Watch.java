package io.gridchain.cli.requester;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Profile;
import io.gridchain.cli.discovery.Waiter;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.deal.DealRecord;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Follows a deal's tasks until each is certified or failed, with a live status line on stderr. */
final class Watch {
    static int tasks(Context ctx, GridClient me, DealRecord deal, Path download, boolean json, ObjectNode out)
            throws InterruptedException {
        long volume = Services.volume(deal);
        String scheduler = Services.schedulerOrNone("watch", ctx, me, deal);
        Waiter waiter = Services.waiter("watch", me, deal);
        Map<Long, String> state = new LinkedHashMap<>();
        Map<Long, String> why = new LinkedHashMap<>();
        long deadline = deal.deal().deadline();
        long confirmations = confirmations(ctx, me);
        String last = "";
        while (true) {
            // a task counts as certified once its finalization has the profile's confirmations
            long confirmed = confirmations == 0 ? -1 : me.protocol().chain().blockNumber() - confirmations;
            int certified = 0;
            int failed = 0;
            for (long i = 0; i < volume; i++) {
                String s = state.get(i);
                if ("CERTIFIED".equals(s) || "FAILED".equals(s) || "CLAIMED".equals(s)) {
                    if (!"CERTIFIED".equals(s)) failed++;
                    else certified++;
                    continue;
                }
                String taskId = deal.taskId(i);
                GridClient.TaskStatus onChain = confirmed < 0 ? me.taskStatus(taskId)
                        : me.taskStatusAt(taskId, confirmed);
                if (onChain == GridClient.TaskStatus.FINALIZED) {
                    state.put(i, "CERTIFIED");
                    certified++;
                    continue;
                }
                if (onChain == GridClient.TaskStatus.CLAIMED) {
                    state.put(i, "CLAIMED");
                    failed++;
                    continue;
                }
                JsonNode view = scheduler == null ? null : Services.get(waiter, "scheduler",
                        scheduler + "/v1/tasks/" + taskId).map(Services::json).orElse(null);
                String status = view == null ? "PENDING" : view.get("status").asText();
                if ("FAILED".equals(status)) {
                    state.put(i, "FAILED");
                    why.put(i, view.get("cause").asText() + ": " + view.get("message").asText());
                    failed++;
                } else {
                    state.put(i, status);
                }
            }
            String line = certified + "/" + volume + " certified" + (failed > 0 ? ", " + failed + " failed" : "");
            if (!line.equals(last)) {
                System.err.println("[watch] " + line);
                last = line;
            }
            if (certified + failed == volume) break;
            if (me.protocol().chain().latestTimestamp() >= deadline) {
                System.err.println("[watch] the deal's deadline passed: claim a refund with `gridchain deal claim "
                        + deal.dealId() + "`");
                break;
            }
            Thread.sleep(100);
        }
        ArrayNode results = out.putArray("results");
        int code = 0;
        for (long i = 0; i < volume; i++) {
            ObjectNode r = results.addObject();
            String taskId = deal.taskId(i);
            r.put("index", i);
            r.put("task", taskId);
            r.put("status", state.get(i));
            if ("CERTIFIED".equals(state.get(i))) {
                r.put("digest", me.resultDigest(taskId));
                if (deal.deal().hasCallback()) {
                    me.callbackOutcome(taskId).ifPresent(c -> TaskCommand.Show.callback(r, c, me.resultFor(taskId)));
                }
                if (download != null) {
                    Path dir = Results.download(ctx, me, taskId, download.resolve(Long.toString(i)), () -> deal);
                    r.put("downloaded", dir.toString());
                }
            } else {
                code = 1;
                if (why.containsKey(i)) r.put("failure", why.get(i));
            }
            if (!json) {
                System.out.println("task " + i + " " + taskId + ": " + state.get(i)
                        + (r.has("digest") ? " " + r.get("digest").asText() : "")
                        + (r.has("failure") ? " (" + r.get("failure").asText() + ")" : "")
                        + (r.has("callback") ? ", callback " + (r.get("callback").get("accepted").asBoolean()
                                ? "accepted" : "REFUSED") : "")
                        + (r.has("downloaded") ? " -> " + r.get("downloaded").asText() : ""));
            }
        }
        if (download != null && volume > 1) merge(download, results, out, json);
        return code;
    }

    /**
     * A bag's results as one table ({@code results.tsv}: index, task, status, digest, files) and one archive
     * ({@code results.zip}: the table and every task's files under {@code <index>/}), beside the per-task directories.
     */
    private static void merge(Path download, ArrayNode results, ObjectNode out, boolean json) {
        Path table = download.resolve("results.tsv");
        Path zip = download.resolve("results.zip");
        try {
            java.nio.file.Files.createDirectories(download);
            StringBuilder tsv = new StringBuilder("index\ttask\tstatus\tdigest\tfiles\n");
            try (var z = new java.util.zip.ZipOutputStream(java.nio.file.Files.newOutputStream(zip))) {
                for (JsonNode r : results) {
                    java.util.List<String> files = new java.util.ArrayList<>();
                    if (r.has("downloaded")) {
                        Path dir = Path.of(r.get("downloaded").asText());
                        try (var walk = java.nio.file.Files.walk(dir)) {
                            for (Path f : walk.filter(java.nio.file.Files::isRegularFile).sorted().toList()) {
                                String name = dir.relativize(f).toString().replace('\\', '/');
                                files.add(name);
                                z.putNextEntry(new java.util.zip.ZipEntry(r.get("index").asText() + "/" + name));
                                java.nio.file.Files.copy(f, z);
                                z.closeEntry();
                            }
                        }
                    }
                    tsv.append(r.get("index").asText()).append('\t').append(r.get("task").asText()).append('\t')
                            .append(r.get("status").asText()).append('\t').append(r.path("digest").asText(""))
                            .append('\t').append(String.join(",", files)).append('\n');
                }
                z.putNextEntry(new java.util.zip.ZipEntry("results.tsv"));
                z.write(tsv.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
                z.closeEntry();
            }
            java.nio.file.Files.writeString(table, tsv);
        } catch (java.io.IOException e) {
            throw new io.gridchain.cli.UserError("cannot write the merged results into " + download + ": "
                    + e.getMessage(), io.gridchain.cli.UserError.FAILURE);
        }
        out.put("table", table.toString());
        out.put("archive", zip.toString());
        if (!json) System.out.println("merged: " + table + ", " + zip);
    }

    private static long confirmations(Context ctx, GridClient me) {
        long chainId = me.protocol().chain().chainId();
        Profile p = ctx.settings().profile();
        return p == null ? Profile.defaultConfirmations(chainId) : p.confirmations(chainId);
    }

    private Watch() {}
}
