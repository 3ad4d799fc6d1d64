package io.gridchain.cli.config;

import io.gridchain.cli.UserError;
import io.gridchain.protocol.chain.FeePolicy;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The effective settings of one command run, each with where it came from. Precedence:
 * config file &lt; environment &lt; flags.
 *
 * <table>
 *   <tr><th>setting</th><th>flag</th><th>environment</th><th>file</th></tr>
 *   <tr><td>config file</td><td>--config</td><td>GRIDCHAIN_CONFIG</td><td>~/.gridchain/config.json</td></tr>
 *   <tr><td>profile</td><td>--profile</td><td>GRIDCHAIN_PROFILE</td><td>"profile"</td></tr>
 *   <tr><td>rpc</td><td>--rpc</td><td>GRIDCHAIN_RPC</td><td>profile "rpc"</td></tr>
 *   <tr><td>hub</td><td></td><td>GRIDCHAIN_HUB</td><td>profile "hub"</td></tr>
 *   <tr><td>market / scheduler</td><td></td><td>GRIDCHAIN_MARKET / GRIDCHAIN_SCHEDULER</td><td>profile</td></tr>
 *   <tr><td>wallet</td><td>--wallet</td><td>GRIDCHAIN_WALLET</td><td>"wallet"</td></tr>
 *   <tr><td>password</td><td>--password-file</td><td>GRIDCHAIN_PASSWORD_FILE, GRIDCHAIN_PASSWORD</td><td>(console)</td></tr>
 *   <tr><td>max fee</td><td>--max-fee-gwei</td><td>GRIDCHAIN_MAX_FEE_GWEI</td><td>(from the node)</td></tr>
 *   <tr><td>priority fee</td><td>--priority-fee-gwei</td><td>GRIDCHAIN_PRIORITY_FEE_GWEI</td><td>(from the node)</td></tr>
 * </table>
 */
public final class Settings {
    /** A value and its origin: "flag --rpc", "env GRIDCHAIN_RPC", "profile devnet", "config file", "default". */
    public record Value(String value, String source) {
        static Value of(String value, String source) {
            return value == null ? null : new Value(value, source);
        }
    }

    private final Path configFile;
    private final String configSource;
    private final Config config;
    private final Value profileName;
    private final Profile profile;
    private final Value rpc;
    private final Value hub;
    private final Value market;
    private final Value scheduler;
    private final Value wallet;
    private final Value passwordFile;
    private final String password;
    private final Value maxFeeGwei;
    private final Value priorityFeeGwei;

    private Settings(Path configFile, String configSource, Config config, Value profileName, Profile profile,
            Value rpc, Value hub, Value market, Value scheduler, Value wallet, Value passwordFile, String password,
            Value maxFeeGwei, Value priorityFeeGwei) {
        this.configFile = configFile;
        this.configSource = configSource;
        this.config = config;
        this.profileName = profileName;
        this.profile = profile;
        this.rpc = rpc;
        this.hub = hub;
        this.market = market;
        this.scheduler = scheduler;
        this.wallet = wallet;
        this.passwordFile = passwordFile;
        this.password = password;
        this.maxFeeGwei = maxFeeGwei;
        this.priorityFeeGwei = priorityFeeGwei;
    }

    /** Flags given on the command line, each null when absent. */
    public record Flags(Path config, String profile, String rpc, String wallet, Path passwordFile, String maxFeeGwei,
            String priorityFeeGwei) {
        public static final Flags NONE = new Flags(null, null, null, null, null);

        /** Without fee flags: commands that send nothing. */
        public Flags(Path config, String profile, String rpc, String wallet, Path passwordFile) {
            this(config, profile, rpc, wallet, passwordFile, null, null);
        }
    }

    public static Settings resolve(Flags flags) {
        return resolve(flags, System.getenv());
    }

    public static Settings resolve(Flags flags, Map<String, String> env) {
        Path file;
        String fileSource;
        if (flags.config() != null) {
            file = flags.config();
            fileSource = "flag --config";
        } else if (present(env, Config.FILE_ENV)) {
            file = Config.expandHome(env.get(Config.FILE_ENV));
            fileSource = "env " + Config.FILE_ENV;
        } else {
            file = Config.defaultPath(Map.of());
            fileSource = "default";
        }
        file = file.toAbsolutePath();
        Config config = Config.load(file);

        Value profileName = first(
                Value.of(flags.profile(), "flag --profile"),
                env(env, "GRIDCHAIN_PROFILE"),
                Value.of(config.profile(), "config file"));
        Profile profile = profileName == null ? null : config.profile(profileName.value()).orElse(null);
        String from = profileName == null ? null : "profile " + profileName.value();
        Profile p = profile == null ? Profile.empty() : profile;

        Value rpc = first(Value.of(flags.rpc(), "flag --rpc"), env(env, "GRIDCHAIN_RPC"), Value.of(p.rpc(), from));
        Value hub = first(env(env, "GRIDCHAIN_HUB"), Value.of(p.hub(), from));
        Value market = first(env(env, "GRIDCHAIN_MARKET"), Value.of(p.market(), from));
        Value scheduler = first(env(env, "GRIDCHAIN_SCHEDULER"), Value.of(p.scheduler(), from));
        Value wallet = first(Value.of(flags.wallet(), "flag --wallet"), env(env, "GRIDCHAIN_WALLET"),
                Value.of(config.wallet(), "config file"));
        Value passwordFile = first(
                Value.of(flags.passwordFile() == null ? null : flags.passwordFile().toString(), "flag --password-file"),
                env(env, "GRIDCHAIN_PASSWORD_FILE"));
        String password = env.get("GRIDCHAIN_PASSWORD");
        Value maxFee = first(Value.of(flags.maxFeeGwei(), "flag --max-fee-gwei"), env(env, FeePolicy.MAX_FEE_ENV));
        Value priorityFee = first(Value.of(flags.priorityFeeGwei(), "flag --priority-fee-gwei"),
                env(env, FeePolicy.PRIORITY_FEE_ENV));
        return new Settings(file, fileSource, config, profileName, profile, rpc, hub, market, scheduler, wallet,
                passwordFile, password, maxFee, priorityFee);
    }

    private static boolean present(Map<String, String> env, String name) {
        String v = env.get(name);
        return v != null && !v.isBlank();
    }

    private static Value env(Map<String, String> env, String name) {
        return present(env, name) ? new Value(env.get(name).strip(), "env " + name) : null;
    }

    private static Value first(Value... values) {
        for (Value v : values) if (v != null) return v;
        return null;
    }

    public Path configFile() {
        return configFile;
    }

    public String configSource() {
        return configSource;
    }

    public Config config() {
        return config;
    }

    /** The selected profile's name, or null. */
    public Value profileName() {
        return profileName;
    }

    /** The selected profile as stored in the file, or null when absent. */
    public Profile profile() {
        return profile;
    }

    public Value rpc() {
        return rpc;
    }

    /** True when the hub comes from the selected profile itself (so its other addresses belong with it). */
    public boolean hubFromProfile() {
        return hub != null && profile != null && hub.value().equals(profile.hub())
                && hub.source().startsWith("profile ");
    }

    public Value hub() {
        return hub;
    }

    public Value market() {
        return market;
    }

    public Value scheduler() {
        return scheduler;
    }

    /** The order book's URL without a trailing slash, or null when none is configured. */
    public String marketUrl() {
        return market == null ? null : market.value().replaceAll("/+$", "");
    }

    /** The scheduler's URL without a trailing slash, or null when none is configured. */
    public String schedulerUrl() {
        return scheduler == null ? null : scheduler.value().replaceAll("/+$", "");
    }

    /** The directory holding the config file, where services keep their data by default. */
    public Path dataDir() {
        return configFile.getParent();
    }

    public Value wallet() {
        return wallet;
    }

    /** The wallet file, {@code ~} expanded, or null. */
    public Path walletFile() {
        return wallet == null ? null : Config.expandHome(wallet.value()).toAbsolutePath();
    }

    public Value passwordFile() {
        return passwordFile;
    }

    /** $GRIDCHAIN_PASSWORD, or null. */
    public String password() {
        return password;
    }

    public Value maxFeeGwei() {
        return maxFeeGwei;
    }

    public Value priorityFeeGwei() {
        return priorityFeeGwei;
    }

    /** What transactions bid: the fee flags, else their environment variables, else the node's figures. */
    public FeePolicy feePolicy() {
        FeePolicy max = feePolicy(maxFeeGwei, null);
        FeePolicy priority = feePolicy(null, priorityFeeGwei);
        try {
            return new FeePolicy(max.maxFeePerGas(), priority.maxPriorityFeePerGas());
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage() + " (" + maxFeeGwei.source() + ", " + priorityFeeGwei.source() + ")");
        }
    }

    /** One fee parsed alone, so that a bad value is reported with where it came from. */
    private static FeePolicy feePolicy(Value maxFee, Value priorityFee) {
        try {
            return FeePolicy.ofGwei(maxFee == null ? null : maxFee.value(),
                    priorityFee == null ? null : priorityFee.value());
        } catch (IllegalArgumentException e) {
            throw UserError.usage(e.getMessage() + " (" + (maxFee != null ? maxFee : priorityFee).source() + ")");
        }
    }

    public Path walletsDir() {
        return Config.walletsDir(configFile);
    }

    /** The effective values with their sources, for {@code config show}; never the password. */
    public Map<String, Value> effective() {
        Map<String, Value> out = new LinkedHashMap<>();
        out.put("config", new Value(configFile.toString(), configSource));
        out.put("profile", profileName);
        out.put("rpc", rpc);
        Profile p = profile == null ? Profile.empty() : profile;
        String from = profileName == null ? null : "profile " + profileName.value();
        out.put("chainId", Value.of(p.get("chainId"), from));
        out.put("hub", hub);
        for (String k : new String[] {"token", "apps", "datasets", "workerpools"}) {
            out.put(k, hubFromProfile() ? Value.of(p.get(k), from) : null);
        }
        out.put("market", market);
        out.put("scheduler", scheduler);
        out.put("wallet", wallet);
        out.put("password-file", passwordFile);
        out.put("max-fee-gwei", maxFeeGwei);
        out.put("priority-fee-gwei", priorityFeeGwei);
        out.put("password", password == null || password.isEmpty() ? null : new Value("(set)", "env GRIDCHAIN_PASSWORD"));
        return out;
    }
}
