package io.gridchain.cli.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.UserError;
import io.gridchain.protocol.Protocol;
import java.net.URI;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A named chain profile: where the node is, which chain it is, where the contracts live and the
 * off-chain services (market, scheduler). Every field may be null; unknown keys read from the file
 * are kept in {@link #extra()} and written back.
 *
 * <pre>{@code
 * Profile devnet = Profile.of("http://127.0.0.1:8545", 31337, protocol.addresses())
 *         .with("market", "http://127.0.0.1:8081");
 * }</pre>
 */
public record Profile(String rpc, Long chainId, String hub, String token, String apps, String datasets,
        String workerpools, String market, String scheduler, Map<String, JsonNode> extra) {

    /** The least bond a pool's owner must hold in its own pool for {@code run} to choose the pool. */
    public static final String MIN_POOL_BOND = "minPoolBond";
    /** The least reputation a pool's owner must have for {@code run} to choose the pool. */
    public static final String MIN_POOL_REPUTATION = "minPoolReputation";
    /**
     * How many blocks must follow a block before services and clients act on what it holds (deals, cancellations,
     * finalizations). Absent: {@link #defaultConfirmations(long)}.
     */
    public static final String CONFIRMATIONS = "confirmations";

    /** The keys {@code gridchain config set} accepts for a profile. */
    public static final List<String> KEYS = List.of("rpc", "chainId", "hub", "token", "apps", "datasets",
            "workerpools", "market", "scheduler", MIN_POOL_BOND, MIN_POOL_REPUTATION, CONFIRMATIONS);

    /** Keys kept in {@link #extra()}: the requester's choices rather than facts about the chain. */
    private static final List<String> POLICY = List.of(MIN_POOL_BOND, MIN_POOL_REPUTATION, CONFIRMATIONS);

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");

    public Profile {
        extra = extra == null ? Map.of() : Map.copyOf(extra);
    }

    public Profile(String rpc, Long chainId, String hub, String token, String apps, String datasets,
            String workerpools, String market, String scheduler) {
        this(rpc, chainId, hub, token, apps, datasets, workerpools, market, scheduler, Map.of());
    }

    public static Profile empty() {
        return new Profile(null, null, null, null, null, null, null, null, null);
    }

    /** A profile for a deployment: node URL, chain id and the five contract addresses. */
    public static Profile of(String rpc, long chainId, Protocol.Addresses a) {
        return new Profile(rpc, chainId, a.hub(), a.token(), a.apps(), a.datasets(), a.workerpools(), null, null);
    }

    /** The five contract addresses, when all are known. */
    public Optional<Protocol.Addresses> addresses() {
        if (hub == null || token == null || apps == null || datasets == null || workerpools == null) {
            return Optional.empty();
        }
        return Optional.of(new Protocol.Addresses(token, hub, apps, datasets, workerpools));
    }

    /** The value of {@code key} as text, or null. */
    public String get(String key) {
        return switch (key) {
            case "rpc" -> rpc;
            case "chainId" -> chainId == null ? null : chainId.toString();
            case "hub" -> hub;
            case "token" -> token;
            case "apps" -> apps;
            case "datasets" -> datasets;
            case "workerpools" -> workerpools;
            case "market" -> market;
            case "scheduler" -> scheduler;
            case MIN_POOL_BOND, MIN_POOL_REPUTATION, CONFIRMATIONS -> extra.containsKey(key) ? extra.get(key).asText() : null;
            default -> throw unknownKey(key);
        };
    }

    /** A copy with {@code key} set to {@code value} (validated); an empty value unsets it. */
    public Profile with(String key, String value) {
        String v = value == null || value.isBlank() ? null : value.strip();
        return switch (key) {
            case "rpc" -> new Profile(url(key, v), chainId, hub, token, apps, datasets, workerpools, market, scheduler, extra);
            case "chainId" -> new Profile(rpc, chainId(v), hub, token, apps, datasets, workerpools, market, scheduler, extra);
            case "hub" -> new Profile(rpc, chainId, address(key, v), token, apps, datasets, workerpools, market, scheduler, extra);
            case "token" -> new Profile(rpc, chainId, hub, address(key, v), apps, datasets, workerpools, market, scheduler, extra);
            case "apps" -> new Profile(rpc, chainId, hub, token, address(key, v), datasets, workerpools, market, scheduler, extra);
            case "datasets" -> new Profile(rpc, chainId, hub, token, apps, address(key, v), workerpools, market, scheduler, extra);
            case "workerpools" -> new Profile(rpc, chainId, hub, token, apps, datasets, address(key, v), market, scheduler, extra);
            case "market" -> new Profile(rpc, chainId, hub, token, apps, datasets, workerpools, url(key, v), scheduler, extra);
            case "scheduler" -> new Profile(rpc, chainId, hub, token, apps, datasets, workerpools, market, url(key, v), extra);
            case MIN_POOL_BOND, MIN_POOL_REPUTATION -> new Profile(rpc, chainId, hub, token, apps, datasets, workerpools,
                    market, scheduler, withExtra(key, whole(key, v)));
            case CONFIRMATIONS -> new Profile(rpc, chainId, hub, token, apps, datasets, workerpools, market, scheduler,
                    withExtra(key, confirmations(v)));
            default -> throw unknownKey(key);
        };
    }

    private Map<String, JsonNode> withExtra(String key, String v) {
        Map<String, JsonNode> m = new LinkedHashMap<>(extra);
        if (v == null) m.remove(key);
        else m.put(key, JsonNodeFactory.instance.textNode(v));
        return m;
    }

    /**
     * Blocks to wait for when a profile does not say: none on the embedded development chains (ids 31337 and 1337),
     * whose blocks are mined on demand and never reorganised unless a test asks; 2 elsewhere.
     */
    public static long defaultConfirmations(long chainId) {
        return chainId == 31337 || chainId == 1337 ? 0 : 2;
    }

    /** The profile's confirmations, or the default for {@code chainId}. */
    public long confirmations(long chainId) {
        String v = get(CONFIRMATIONS);
        return v == null ? defaultConfirmations(chainId) : Long.parseLong(v);
    }

    static String confirmations(String v) {
        if (v != null && (!v.matches("[0-9]{1,4}") || Long.parseLong(v) > 1000)) {
            throw UserError.usage("confirmations must be a whole number from 0 to 1000, got '" + v + "'");
        }
        return v;
    }

    private static String whole(String key, String v) {
        if (v != null && (!v.matches("[0-9]{1,30}") || (key.equals(MIN_POOL_REPUTATION) && v.length() > 18))) {
            throw UserError.usage(key + " must be a whole number of at least 0, got '" + v + "'");
        }
        return v;
    }

    static UserError unknownKey(String key) {
        return UserError.usage("unknown key '" + key + "': expected one of profile, wallet, " + String.join(", ", KEYS));
    }

    static String address(String key, String v) {
        if (v != null && !ADDRESS.matcher(v).matches()) {
            throw UserError.usage(key + " must be an address (0x followed by 40 hex digits), got '" + v + "'");
        }
        return v;
    }

    static String url(String key, String v) {
        if (v == null) return null;
        try {
            URI u = URI.create(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            if (!List.of("http", "https", "ws", "wss").contains(scheme) || u.getHost() == null) {
                throw new IllegalArgumentException("not an http(s) URL");
            }
        } catch (IllegalArgumentException e) {
            throw UserError.usage(key + " must be an http(s) URL such as http://127.0.0.1:8545, got '" + v + "'");
        }
        return v;
    }

    private static Long chainId(String v) {
        if (v == null) return null;
        try {
            long id = Long.parseLong(v);
            if (id <= 0) throw new NumberFormatException();
            return id;
        } catch (NumberFormatException e) {
            throw UserError.usage("chainId must be a positive whole number, got '" + v + "'");
        }
    }

    ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        for (String key : KEYS) {
            if (POLICY.contains(key)) continue; // written with the extra keys
            if (key.equals("chainId")) {
                if (chainId != null) o.put(key, chainId);
            } else if (get(key) != null) {
                o.put(key, get(key));
            }
        }
        extra.forEach(o::set);
        return o;
    }

    static Profile fromJson(String name, JsonNode node) {
        if (!node.isObject()) throw UserError.usage("profile '" + name + "' must be a JSON object");
        Profile p = empty();
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KEYS.contains(e.getKey()) || POLICY.contains(e.getKey())) {
                extra.put(e.getKey(), e.getValue());
            } else if (!e.getValue().isNull()) {
                try {
                    p = p.with(e.getKey(), e.getValue().asText());
                } catch (UserError bad) {
                    throw UserError.usage("profile '" + name + "': " + bad.getMessage());
                }
            }
        }
        return new Profile(p.rpc, p.chainId, p.hub, p.token, p.apps, p.datasets, p.workerpools, p.market,
                p.scheduler, extra);
    }
}
