package io.gridchain.scheduler.chain;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.gridchain.api.WorkerApi.InputSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The request order's {@code params}: either plain text, the app's arguments separated by spaces,
 * or JSON {@code {"args": ["a", "b"] | "a b", "inputs": [{"name": "...", "url": "...", "checksum": "0x..."}],
 * "encryptTo": "<beneficiary's secp256k1 public key, hex>"}}. With {@code encryptTo}, the pool stores
 * and serves the result only sealed to that key ({@link io.gridchain.api.ResultEncryption}).
 */
public record DealParams(List<String> args, List<InputSpec> inputs, String encryptTo) {
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
                inputs.add(new InputSpec(name, url, in.hasNonNull("checksum") ? in.get("checksum").asText() : null));
            }
            String encryptTo = root.hasNonNull("encryptTo") ? root.get("encryptTo").asText() : null;
            return new DealParams(List.copyOf(args), List.copyOf(inputs), encryptTo);
        } catch (Exception e) {
            return new DealParams(split(text), List.of(), null);
        }
    }

    private static List<String> split(String text) {
        return text.isEmpty() ? List.of() : List.copyOf(Arrays.asList(text.split("\\s+")));
    }
}
