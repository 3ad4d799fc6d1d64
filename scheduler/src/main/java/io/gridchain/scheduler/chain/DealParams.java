package io.gridchain.scheduler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.WorkerApi;
import io.gridchain.api.WorkerApi.InputSpec;
import io.gridchain.api.WorkerApi.PlacementSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The request order's {@code params}: either plain text, the app's arguments separated by spaces,
 * or JSON {@code {"args": ["a", "b"] | "a b", "inputs": [{"name": "...", "url": "...", "checksum": "0x...",
 * "placement": {...}}], "datasetPlacement": {...}, "encryptTo": "<beneficiary's secp256k1 public key, hex>",
 * "secrets": ["NAME", ...]}}. A placement ({@link PlacementSpec}: {@code affinity}, {@code replicas},
 * {@code lifetimeSeconds}) is a data placement directive for that input or the deal's dataset; one that does not
 * parse is dropped rather than turning the params into plain arguments. With {@code encryptTo}, each
 * worker seals the result to that key ({@link io.gridchain.api.ResultEncryption}) and the pool stores only sealed
 * copies; {@code secrets} names the requester's secrets the app receives from its secret management service;
 * {@code sweep} makes the bag a parameter sweep ({@link WorkerApi.SweepSpec}: tasks inline, or a manifest).
 */
public record DealParams(List<String> args, List<InputSpec> inputs, String encryptTo, List<String> secrets,
        WorkerApi.SweepSpec sweep, PlacementSpec datasetPlacement) {
    public DealParams(List<String> args, List<InputSpec> inputs, String encryptTo) {
        this(args, inputs, encryptTo, List.of(), null, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public static DealParams parse(String params) {
        String text = params == null ? "" : params.trim();
        if (!text.startsWith("{")) return new DealParams(split(text), List.of(), null);
        try {
            JsonNode root = JSON.readTree(text);
            List<String> args = new ArrayList<>();
            JsonNode a = root.path("args");
            if (a.isArray()) a.forEach(x -> args.add(x.asText()));
            else if (a.isTextual()) args.addAll(split(a.asText()));
            List<InputSpec> inputs = new ArrayList<>();
            for (JsonNode in : root.path("inputs")) {
                String url = in.path("url").asText();
                String name = in.hasNonNull("name") ? in.get("name").asText() : url.substring(url.lastIndexOf('/') + 1);
                inputs.add(new InputSpec(name, url, in.hasNonNull("checksum") ? in.get("checksum").asText() : null,
                        placement(in.get("placement"))));
            }
            String encryptTo = root.hasNonNull("encryptTo") ? root.get("encryptTo").asText() : null;
            List<String> secrets = new ArrayList<>();
            for (JsonNode name : root.path("secrets")) secrets.add(name.asText());
            return new DealParams(List.copyOf(args), List.copyOf(inputs), encryptTo, List.copyOf(secrets),
                    root.has("sweep") ? JSON.treeToValue(root.get("sweep"), WorkerApi.SweepSpec.class) : null,
                    placement(root.get("datasetPlacement")));
        } catch (Exception e) {
            return new DealParams(split(text), List.of(), null);
        }
    }

    private static PlacementSpec placement(JsonNode node) {
        if (node == null || !node.isObject()) return null;
        try {
            PlacementSpec p = JSON.treeToValue(node, PlacementSpec.class);
            return p.placed() || p.lifetimeSeconds() > 0 ? p : null;
        } catch (Exception e) {
            return null;
        }
    }

    private static List<String> split(String text) {
        return text.isEmpty() ? List.of() : List.copyOf(Arrays.asList(text.split("\\s+")));
    }
}
