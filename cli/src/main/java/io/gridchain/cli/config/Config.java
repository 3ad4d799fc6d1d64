package io.gridchain.cli.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gridchain.cli.UserError;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The CLI's one configuration file, {@code ~/.gridchain/config.json} (env {@code GRIDCHAIN_CONFIG}
 * or flag {@code --config} elsewhere): the current profile, the named chain profiles and the
 * default wallet. Immutable; {@code with…} return copies, {@link #save} writes atomically.
 *
 * <pre>{@code
 * Path file = Config.defaultPath();
 * Config.load(file).withProfile("devnet", Profile.of(rpc, 31337, addresses)).withCurrentProfile("devnet").save(file);
 * }</pre>
 *
 * <pre>{@code
 * {"profile": "devnet",
 *  "profiles": {"devnet": {"rpc": "http://127.0.0.1:8545", "chainId": 31337, "hub": "0x…", "token": "0x…",
 *                          "apps": "0x…", "datasets": "0x…", "workerpools": "0x…",
 *                          "market": "http://…", "scheduler": "http://…"}},
 *  "wallet": "~/.gridchain/wallets/0x….json"}
 * }</pre>
 */
public final class Config {
    /** Env var overriding the config file's path. */
    public static final String FILE_ENV = "GRIDCHAIN_CONFIG";

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private final String profile;
    private final Map<String, Profile> profiles;
    private final String wallet;
    private final Map<String, JsonNode> extra;

    private Config(String profile, Map<String, Profile> profiles, String wallet, Map<String, JsonNode> extra) {
        this.profile = profile;
        this.profiles = Collections.unmodifiableMap(new LinkedHashMap<>(profiles));
        this.wallet = wallet;
        this.extra = Collections.unmodifiableMap(new LinkedHashMap<>(extra));
    }

    public static Config empty() {
        return new Config(null, Map.of(), null, Map.of());
    }

    /** {@code $GRIDCHAIN_CONFIG}, else {@code ~/.gridchain/config.json}. */
    public static Path defaultPath() {
        return defaultPath(System.getenv());
    }

    static Path defaultPath(Map<String, String> env) {
        String override = env.get(FILE_ENV);
        if (override != null && !override.isBlank()) return expandHome(override);
        return home().resolve(".gridchain").resolve("config.json");
    }

    /** The directory wallets are created in: {@code wallets/} next to the config file. */
    public static Path walletsDir(Path configFile) {
        Path parent = configFile.toAbsolutePath().getParent();
        return parent.resolve("wallets");
    }

    /** Reads {@code file}; a missing file is an empty configuration. */
    public static Config load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return empty();
        } catch (IOException e) {
            throw UserError.usage("cannot read config file " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) return empty();
        JsonNode root;
        try {
            root = JSON.readTree(text);
        } catch (JsonProcessingException e) {
            throw UserError.usage("malformed config file " + file + ": " + e.getOriginalMessage()
                    + " (line " + (e.getLocation() == null ? "?" : e.getLocation().getLineNr()) + ")");
        }
        if (!root.isObject()) throw UserError.usage("malformed config file " + file + ": expected a JSON object");
        String profile = null;
        String wallet = null;
        Map<String, Profile> profiles = new LinkedHashMap<>();
        Map<String, JsonNode> extra = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            switch (e.getKey()) {
                case "profile" -> profile = e.getValue().isNull() ? null : e.getValue().asText();
                case "wallet" -> wallet = e.getValue().isNull() ? null : e.getValue().asText();
                case "profiles" -> {
                    if (!e.getValue().isObject()) {
                        throw UserError.usage("malformed config file " + file + ": \"profiles\" must be an object");
                    }
                    for (Iterator<Map.Entry<String, JsonNode>> ps = e.getValue().fields(); ps.hasNext(); ) {
                        Map.Entry<String, JsonNode> p = ps.next();
                        try {
                            profiles.put(p.getKey(), Profile.fromJson(p.getKey(), p.getValue()));
                        } catch (UserError bad) {
                            throw UserError.usage("malformed config file " + file + ": " + bad.getMessage());
                        }
                    }
                }
                default -> extra.put(e.getKey(), e.getValue());
            }
        }
        return new Config(profile, profiles, wallet, extra);
    }

    /** Writes the file atomically (temporary file and rename), readable by its owner only. */
    public void save(Path file) {
        Path target = file.toAbsolutePath();
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".config-", ".json.tmp");
            try {
                Files.writeString(tmp, toJsonText() + System.lineSeparator(), StandardCharsets.UTF_8);
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write config file " + target + ": " + e.getMessage(), e);
        }
    }

    /** The name of the current profile, or null. */
    public String profile() {
        return profile;
    }

    public Optional<Profile> profile(String name) {
        return Optional.ofNullable(profiles.get(name));
    }

    public Map<String, Profile> profiles() {
        return profiles;
    }

    /** Path of the default wallet as written ({@code ~} not expanded), or null. */
    public String wallet() {
        return wallet;
    }

    /** Adds or replaces profile {@code name}; it becomes the current profile if there was none. */
    public Config withProfile(String name, Profile p) {
        if (name == null || name.isBlank()) throw UserError.usage("a profile needs a name");
        Map<String, Profile> copy = new LinkedHashMap<>(profiles);
        copy.put(name, p);
        return new Config(profile == null ? name : profile, copy, wallet, extra);
    }

    /** Makes {@code name} the current profile (it need not exist yet). */
    public Config withCurrentProfile(String name) {
        return new Config(name, profiles, wallet, extra);
    }

    /** Sets the default wallet file. */
    public Config withWallet(String walletPath) {
        return new Config(profile, profiles, walletPath, extra);
    }

    public ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (profile != null) root.put("profile", profile);
        ObjectNode ps = root.putObject("profiles");
        profiles.forEach((name, p) -> ps.set(name, p.toJson()));
        if (wallet != null) root.put("wallet", wallet);
        extra.forEach(root::set);
        return root;
    }

    String toJsonText() {
        try {
            return JSON.writeValueAsString(toJson());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static Path home() {
        return Path.of(System.getProperty("user.home"));
    }

    /** {@code ~} and {@code ~/x} relative to the user's home directory. */
    public static Path expandHome(String path) {
        if (path.equals("~")) return home();
        if (path.startsWith("~/")) return home().resolve(path.substring(2));
        return Path.of(path);
    }
}
