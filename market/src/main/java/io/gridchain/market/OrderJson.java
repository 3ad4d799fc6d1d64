package io.gridchain.market;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.orders.AppOrder;
import io.gridchain.protocol.orders.DatasetOrder;
import io.gridchain.protocol.orders.Order;
import io.gridchain.protocol.orders.RequestOrder;
import io.gridchain.protocol.orders.WorkerpoolOrder;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JSON mapping of the four order records, field names as in the Java records. On input, integers may
 * be JSON numbers, decimal strings or 0x hex strings; addresses and bytes32 values are 0x hex (bytes32
 * values shorter than 32 bytes are left-padded, like {@code "0x1"} for tag bit 0). On output integers
 * are decimal strings and addresses lower-case. Every failure is a {@link Rejected} 400 naming the field.
 */
public final class OrderJson {
    public static final ObjectMapper MAPPER = new ObjectMapper();

    private enum Type { ADDRESS, UINT, BYTES32, STRING }

    private record Field(String name, Type type, String defaultValue) {
        boolean required() {
            return defaultValue == null;
        }
    }

    private static final String ZA = Words.ZERO_ADDRESS;
    private static final String ZB = Words.ZERO_BYTES32;

    private static final Map<Order.Kind, List<Field>> FIELDS = Map.of(
            Order.Kind.APP, List.of(f("app", Type.ADDRESS, null), f("price", Type.UINT, null),
                    f("volume", Type.UINT, null), f("tag", Type.BYTES32, ZB), f("datasetRestrict", Type.ADDRESS, ZA),
                    f("workerpoolRestrict", Type.ADDRESS, ZA), f("requesterRestrict", Type.ADDRESS, ZA),
                    f("expiry", Type.UINT, "0"), f("salt", Type.BYTES32, null)),
            Order.Kind.DATASET, List.of(f("dataset", Type.ADDRESS, null), f("price", Type.UINT, null),
                    f("volume", Type.UINT, null), f("tag", Type.BYTES32, ZB), f("appRestrict", Type.ADDRESS, ZA),
                    f("workerpoolRestrict", Type.ADDRESS, ZA), f("requesterRestrict", Type.ADDRESS, ZA),
                    f("expiry", Type.UINT, "0"), f("salt", Type.BYTES32, null)),
            Order.Kind.WORKERPOOL, List.of(f("workerpool", Type.ADDRESS, null), f("price", Type.UINT, null),
                    f("volume", Type.UINT, null), f("tag", Type.BYTES32, ZB), f("category", Type.UINT, null),
                    f("trust", Type.UINT, "0"), f("appRestrict", Type.ADDRESS, ZA),
                    f("datasetRestrict", Type.ADDRESS, ZA), f("requesterRestrict", Type.ADDRESS, ZA),
                    f("expiry", Type.UINT, "0"), f("salt", Type.BYTES32, null)),
            Order.Kind.REQUEST, List.of(f("app", Type.ADDRESS, null), f("appMaxPrice", Type.UINT, null),
                    f("dataset", Type.ADDRESS, ZA), f("datasetMaxPrice", Type.UINT, "0"),
                    f("workerpool", Type.ADDRESS, ZA), f("workerpoolMaxPrice", Type.UINT, null),
                    f("requester", Type.ADDRESS, null), f("volume", Type.UINT, null), f("tag", Type.BYTES32, ZB),
                    f("category", Type.UINT, null), f("trust", Type.UINT, "0"),
                    f("beneficiary", Type.ADDRESS, ZA), f("callback", Type.ADDRESS, ZA),
                    f("params", Type.STRING, ""), f("expiry", Type.UINT, "0"), f("salt", Type.BYTES32, null)));

    private static Field f(String name, Type type, String def) {
        return new Field(name, type, def);
    }

    /** "app", "dataset", "workerpool" or "request" (case-insensitive). */
    public static Order.Kind kind(String label) {
        if (label == null || label.isBlank()) {
            throw Rejected.badRequest("missing \"kind\": use app, dataset, workerpool or request");
        }
        for (Order.Kind k : Order.Kind.values()) {
            if (k.label().equals(label.trim().toLowerCase(Locale.ROOT))) return k;
        }
        throw Rejected.badRequest("unknown order kind '" + label + "': use app, dataset, workerpool or request");
    }

    /** Reads an order of {@code kind} from its JSON object. */
    public static Order read(Order.Kind kind, JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            throw Rejected.badRequest("missing \"order\": give the " + kind.label() + " order's fields as a JSON object");
        }
        if (!node.isObject()) throw Rejected.badRequest("\"order\" must be a JSON object, got " + node.getNodeType());
        List<Field> fields = FIELDS.get(kind);
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (fields.stream().noneMatch(f -> f.name().equals(name))) {
                throw Rejected.badRequest("unknown field order." + name + " for a " + kind.label() + " order (fields: "
                        + String.join(", ", fields.stream().map(Field::name).toList()) + ")");
            }
        }
        Map<String, Object> v = new LinkedHashMap<>();
        for (Field f : fields) v.put(f.name(), value(f, node.get(f.name())));
        return switch (kind) {
            case APP -> new AppOrder(s(v, "app"), n(v, "price"), n(v, "volume"), s(v, "tag"), s(v, "datasetRestrict"),
                    s(v, "workerpoolRestrict"), s(v, "requesterRestrict"), n(v, "expiry"), s(v, "salt"));
            case DATASET -> new DatasetOrder(s(v, "dataset"), n(v, "price"), n(v, "volume"), s(v, "tag"),
                    s(v, "appRestrict"), s(v, "workerpoolRestrict"), s(v, "requesterRestrict"), n(v, "expiry"),
                    s(v, "salt"));
            case WORKERPOOL -> new WorkerpoolOrder(s(v, "workerpool"), n(v, "price"), n(v, "volume"), s(v, "tag"),
                    n(v, "category"), n(v, "trust"), s(v, "appRestrict"), s(v, "datasetRestrict"),
                    s(v, "requesterRestrict"), n(v, "expiry"), s(v, "salt"));
            case REQUEST -> new RequestOrder(s(v, "app"), n(v, "appMaxPrice"), s(v, "dataset"),
                    n(v, "datasetMaxPrice"), s(v, "workerpool"), n(v, "workerpoolMaxPrice"), s(v, "requester"),
                    n(v, "volume"), s(v, "tag"), n(v, "category"), n(v, "trust"), s(v, "beneficiary"),
                    s(v, "callback"), s(v, "params"), n(v, "expiry"), s(v, "salt"));
        };
    }

    /** The order as a JSON object: integers as decimal strings, addresses lower-case, bytes32 as 0x + 64 hex. */
    public static ObjectNode write(Order order) {
        ObjectNode out = MAPPER.createObjectNode();
        Object[] values = components(order);
        List<Field> fields = FIELDS.get(order.kind());
        for (int i = 0; i < fields.size(); i++) {
            Object value = values[i];
            out.put(fields.get(i).name(), value instanceof BigInteger b ? b.toString() : String.valueOf(value));
        }
        return out;
    }

    private static Object[] components(Order order) {
        var rc = order.getClass().getRecordComponents();
        Object[] values = new Object[rc.length];
        try {
            for (int i = 0; i < rc.length; i++) values[i] = rc[i].getAccessor().invoke(order);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return values;
    }

    private static Object value(Field f, JsonNode node) {
        String path = "order." + f.name();
        if (node == null || node.isNull()) {
            if (f.required()) throw Rejected.badRequest("missing " + path + " (" + describe(f.type()) + ")");
            return f.type() == Type.UINT ? new BigInteger(f.defaultValue()) : f.defaultValue();
        }
        return switch (f.type()) {
            case UINT -> uint(path, node);
            case ADDRESS -> address(path, text(path, node));
            case BYTES32 -> bytes32(path, text(path, node));
            case STRING -> text(path, node);
        };
    }

    private static String describe(Type t) {
        return switch (t) {
            case ADDRESS -> "a 0x address";
            case UINT -> "a non-negative integer";
            case BYTES32 -> "a 0x bytes32";
            case STRING -> "a string";
        };
    }

    private static String text(String path, JsonNode node) {
        if (!node.isTextual()) throw Rejected.badRequest(path + " must be a string, got " + node);
        return node.asText();
    }

    /** A uint256 from a JSON integer, a decimal string or a 0x hex string. */
    public static BigInteger uint(String path, JsonNode node) {
        BigInteger v;
        if (node.isIntegralNumber()) {
            v = node.bigIntegerValue();
        } else if (node.isTextual()) {
            v = uint(path, node.asText());
        } else {
            throw Rejected.badRequest(path + " must be a non-negative integer (number or string), got " + node);
        }
        return checkUint(path, v);
    }

    public static BigInteger uint(String path, String text) {
        String t = text.trim();
        try {
            BigInteger v = t.startsWith("0x") || t.startsWith("0X") ? new BigInteger(t.substring(2), 16) : new BigInteger(t);
            return checkUint(path, v);
        } catch (NumberFormatException e) {
            throw Rejected.badRequest(path + " must be a non-negative integer, got '" + text + "'");
        }
    }

    private static BigInteger checkUint(String path, BigInteger v) {
        if (v.signum() < 0 || v.bitLength() > 256) {
            throw Rejected.badRequest(path + " must be a uint256 (0 to 2^256-1), got " + v);
        }
        return v;
    }

    public static String address(String path, String text) {
        String t = text.trim();
        if (!t.matches("0[xX][0-9a-fA-F]{40}")) {
            throw Rejected.badRequest(path + " must be a 0x-prefixed 20-byte address, got '" + text + "'");
        }
        return Words.canonical(t);
    }

    public static String bytes32(String path, String text) {
        String t = text.trim();
        if (!t.matches("0[xX][0-9a-fA-F]{1,64}")) {
            throw Rejected.badRequest(path + " must be 0x-prefixed hex of at most 32 bytes, got '" + text + "'");
        }
        return "0x" + "0".repeat(66 - t.length()) + t.substring(2).toLowerCase(Locale.ROOT);
    }

    /** Lists the JSON entries of orders with their remaining volume. */
    public static ObjectNode entry(SignedOrder o, BigInteger remaining) {
        ObjectNode n = MAPPER.createObjectNode();
        n.put("kind", o.kind().label());
        n.put("hash", o.hash());
        n.set("order", write(o.order()));
        n.put("signature", o.signature());
        n.put("signer", o.signer());
        n.put("remaining", remaining);
        n.put("publishedAt", o.publishedAt());
        return n;
    }

    static List<String> names(Order.Kind kind) {
        return new ArrayList<>(FIELDS.get(kind).stream().map(Field::name).toList());
    }

    private static String s(Map<String, Object> v, String k) {
        return (String) v.get(k);
    }

    private static BigInteger n(Map<String, Object> v, String k) {
        return (BigInteger) v.get(k);
    }

    private OrderJson() {}
}
