package io.gridchain.cli.config;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain config show|set|use}: the configuration file and the effective settings. */
@Command(
        name = "config",
        mixinStandardHelpOptions = true,
        description = {
            "Show and edit the configuration: chain profiles and the default wallet.",
            "",
            "One file, ~/.gridchain/config.json ($GRIDCHAIN_CONFIG or --config to use",
            "another), holds named chain profiles (rpc, chainId, hub, token, apps,",
            "datasets, workerpools, market, scheduler), the current profile and the",
            "default wallet. Precedence: file < environment < flags.",
            "  environment: GRIDCHAIN_PROFILE, GRIDCHAIN_RPC, GRIDCHAIN_HUB,",
            "               GRIDCHAIN_MARKET, GRIDCHAIN_SCHEDULER, GRIDCHAIN_WALLET,",
            "               GRIDCHAIN_PASSWORD_FILE, GRIDCHAIN_PASSWORD",
            "  flags:       --profile, --rpc, --wallet, --password-file"
        },
        subcommands = {ConfigCommand.Show.class, ConfigCommand.Set.class, ConfigCommand.Use.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain config show",
            "  gridchain config set rpc https://rpc.sepolia.org --profile sepolia",
            "  gridchain config use sepolia"})
public final class ConfigCommand extends GroupCommand {

    /** --config and --profile, for the commands that edit the file. */
    static final class FileOptions {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Config file (default ~/.gridchain/config.json, or $GRIDCHAIN_CONFIG).")
        Path config;

        @Option(names = "--profile", paramLabel = "NAME",
                description = "Profile to act on (default: $GRIDCHAIN_PROFILE, else the file's current profile).")
        String profile;

        Settings settings() {
            return Settings.resolve(new Settings.Flags(config, profile, null, null, null));
        }
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {"Print the effective settings and where each comes from.",
                "Then the profiles of the config file, the current one marked '*'."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain config show", "  gridchain config show --profile sepolia --json"})
    public static final class Show implements Callable<Integer> {
        @CommandLine.Mixin ChainOptions options;

        @Override
        public Integer call() {
            Settings s = options.settings();
            Map<String, Settings.Value> effective = s.effective();
            if (options.json()) {
                Map<String, Object> out = new LinkedHashMap<>();
                Map<String, Object> eff = new LinkedHashMap<>();
                effective.forEach((k, v) -> {
                    if (v != null) eff.put(k, Map.of("value", v.value(), "source", v.source()));
                });
                out.put("effective", eff);
                out.put("file", s.config().toJson());
                Json.print(out);
                return 0;
            }
            int width = effective.keySet().stream().mapToInt(String::length).max().orElse(0);
            effective.forEach((k, v) -> System.out.println(String.format("%-" + width + "s : %s", k,
                    v == null ? "-" : v.value() + "  (" + v.source() + ")")));
            System.out.println();
            if (s.config().profiles().isEmpty()) {
                System.out.println("no profiles in " + s.configFile()
                        + ": run `gridchain devnet up` or `gridchain config set rpc URL`");
            } else {
                System.out.println("profiles in " + s.configFile() + ":");
                s.config().profiles().forEach((name, p) -> System.out.println(
                        (name.equals(s.config().profile()) ? "* " : "  ") + name + "  " + p.toJson()));
            }
            if (s.profileName() != null && s.profile() == null) {
                System.err.println("warning: profile '" + s.profileName().value() + "' (" + s.profileName().source()
                        + ") is not in " + s.configFile());
            }
            return 0;
        }
    }

    @Command(
            name = "set",
            mixinStandardHelpOptions = true,
            description = {
                "Set KEY to VALUE in the config file.",
                "",
                "Profile keys (rpc, chainId, hub, token, apps, datasets, workerpools,",
                "market, scheduler, minPoolBond, minPoolReputation, confirmations) go into the current",
                "profile, or into --profile NAME (created if needed). 'wallet' sets the",
                "default wallet file, 'profile' the current profile. An empty VALUE",
                "removes a profile key. Of the contracts only the hub is needed: the",
                "others are read from the hub. minPoolBond and minPoolReputation are",
                "`gridchain run`'s defaults for --min-pool-bond and --min-pool-reputation.",
                "confirmations: blocks on top of a block before the services and `run --watch`",
                "act on it (default 0 on chain ids 31337 and 1337, else 2)."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain config set rpc http://127.0.0.1:8545",
                "  gridchain config set hub 0x5FbDB2315678afecb367f032d93F642f64180aa3",
                "  gridchain config set chainId 11155111 --profile sepolia",
                "  gridchain config set wallet ~/keys/provider.json",
                "  gridchain config set minPoolBond 50000",
                "  gridchain config set confirmations 3 --profile sepolia"})
    public static final class Set implements Callable<Integer> {
        @CommandLine.Mixin FileOptions file;

        @Parameters(index = "0", paramLabel = "KEY",
                description = "profile, wallet, rpc, chainId, hub, token, apps, datasets, workerpools, market, scheduler, "
                        + "minPoolBond, minPoolReputation or confirmations.")
        String key;

        @Parameters(index = "1", paramLabel = "VALUE", description = "The value.")
        String value;

        @Override
        public Integer call() {
            Settings s = file.settings();
            Config config = s.config();
            String change;
            if (key.equals("wallet")) {
                config = config.withWallet(value.isBlank() ? null : value.strip());
                change = "wallet = " + value;
            } else if (key.equals("profile")) {
                if (value.isBlank()) throw UserError.usage("profile must not be empty");
                config = config.withCurrentProfile(value.strip());
                change = "profile = " + value.strip();
            } else if (Profile.KEYS.contains(key)) {
                String name = s.profileName() != null ? s.profileName().value() : "default";
                Profile p = config.profile(name).orElse(Profile.empty()).with(key, value);
                config = config.withProfile(name, p);
                change = "profile " + name + ": " + key + " = " + value;
            } else {
                throw Profile.unknownKey(key);
            }
            config.save(s.configFile());
            System.out.println(change + "  (" + s.configFile() + ")");
            return 0;
        }
    }

    @Command(
            name = "use",
            mixinStandardHelpOptions = true,
            description = "Make PROFILE the current profile.",
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain config use devnet", "  gridchain config use sepolia"})
    public static final class Use implements Callable<Integer> {
        @Option(names = "--config", paramLabel = "FILE",
                description = "Config file (default ~/.gridchain/config.json, or $GRIDCHAIN_CONFIG).")
        Path config;

        @Parameters(index = "0", paramLabel = "PROFILE", description = "A profile of the config file.")
        String profile;

        @Override
        public Integer call() {
            Settings s = Settings.resolve(new Settings.Flags(config, null, null, null, null));
            Config c = s.config();
            if (c.profile(profile).isEmpty()) {
                throw UserError.usage("no profile '" + profile + "' in " + s.configFile() + (c.profiles().isEmpty()
                        ? ": run `gridchain devnet up` or `gridchain config set rpc URL --profile " + profile + "`"
                        : " (profiles: " + String.join(", ", c.profiles().keySet()) + ")"));
            }
            c.withCurrentProfile(profile).save(s.configFile());
            System.out.println("current profile: " + profile + "  (" + s.configFile() + ")");
            return 0;
        }
    }
}
