package io.gridchain.cli.order;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.Config;
import io.gridchain.market.OrderJson;
import io.gridchain.market.Rejected;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.Salts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * An order file: the order book's wire format {@code {"kind": "app", "order": {...}, "signature": "0x..."}}
 * (docs/API.md). Without a signature the wallet signs it, and a missing {@code salt} (and a request's
 * missing {@code requester}) are filled in first. Anything malformed is one line naming the file and
 * the field, exit code 1.
 */
record OrderFile(Order order, String signature) {

    boolean signed() {
        return signature != null && !signature.isBlank() && !signature.equals("0x");
    }

    /**
     * Reads {@code path}. {@code forSigning}: fill a random salt and the requester (from {@code wallet},
     * asked only then) when absent and unsigned; a file to cancel must name the exact order instead.
     */
    static OrderFile read(String path, boolean forSigning, Supplier<String> wallet) {
        Path file = Config.expandHome(path).toAbsolutePath().normalize();
        JsonNode root;
        try {
            root = BookClient.JSON.readTree(Files.readString(file));
        } catch (NoSuchFileException e) {
            throw UserError.usage("no such order file: " + file);
        } catch (JsonProcessingException e) {
            throw UserError.failure(file + " is not valid JSON: " + e.getOriginalMessage().lines().findFirst().orElse("")
                    + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column "
                            + e.getLocation().getColumnNr() + ")"));
        } catch (IOException e) {
            throw UserError.usage("cannot read order file " + file + ": " + e.getMessage());
        }
        try {
            if (root == null || !root.isObject()) {
                throw Rejected.badRequest("expected a JSON object {\"kind\": ..., \"order\": {...}}");
            }
            Order.Kind kind = OrderJson.kind(root.path("kind").isTextual() ? root.get("kind").asText() : null);
            JsonNode sig = root.get("signature");
            if (sig != null && !sig.isNull() && !sig.isTextual()) {
                throw Rejected.badRequest("\"signature\" must be a 0x hex string");
            }
            String signature = sig == null || sig.isNull() ? null : sig.asText();
            JsonNode order = root.get("order");
            boolean unsigned = signature == null || signature.isBlank() || signature.equals("0x");
            if (forSigning && unsigned && order instanceof ObjectNode o) {
                if (!o.hasNonNull("salt")) o.put("salt", Salts.random());
                if (kind == Order.Kind.REQUEST && !o.hasNonNull("requester")) o.put("requester", wallet.get());
            }
            return new OrderFile(OrderJson.read(kind, order), signature);
        } catch (Rejected e) {
            throw UserError.failure(file + ": " + e.getMessage());
        }
    }
}
