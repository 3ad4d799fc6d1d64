package io.gridchain.cli.deploy;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.cli.config.Profile;
import io.gridchain.cli.config.Settings;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.ChainBinding;
import io.gridchain.protocol.chain.ChainClient;
import io.gridchain.protocol.deploy.Deployer;
import io.gridchain.protocol.deploy.Journal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code gridchain deploy}: gridchain's contracts on any EVM chain, once, with a profile to use them. */
@Command(
        name = "deploy",
        mixinStandardHelpOptions = true,
        description = {"Deploy gridchain's contracts on the chain at --rpc with the wallet's key (it becomes the hub's",
            "owner), each confirmed and its code verified, and write profile NAME for them (made current).",
            "A journal per chain (<config dir>/deployments/) makes a second run resume an interrupted",
            "deployment or print the finished one, never a second set unless --new."},
        footerHeading = "%n",
        footer = {"Examples:",
            "  gridchain deploy --rpc http://10.0.0.2:8545 --dev-token --name lab",
            "  gridchain deploy --rpc https://rpc.example.org --token 0xERC20 --confirmations 3 --wallet owner.json",
            "  gridchain deploy --rpc http://127.0.0.1:8545 --dev-token --new --json"})
public final class DeployCommand implements Callable<Integer> {
    @Mixin ChainOptions options;

    @ArgGroup(exclusive = true, multiplicity = "1")
    Currency currency;

    /** The currency: an existing ERC-20, or a DevToken deployed with the contracts. */
    static final class Currency {
        @Option(names = "--token", paramLabel = "ADDRESS", required = true,
                description = "An existing ERC-20 token as the currency.")
        String token;

        @Option(names = "--dev-token", required = true,
                description = "Deploy a mintable development token as the currency (test chains).")
        boolean devToken;
    }

    @Option(names = "--name", paramLabel = "NAME", description = "Profile to write (default: chain-<chainId>).")
    String name;

    @Option(names = "--confirmations", paramLabel = "N",
            description = "Blocks to wait for on top of each deployment, and the profile's confirmations (default: 0 on"
                    + " chain ids 31337 and 1337, else 2).")
    Long confirmations;

    @Option(names = "--new", description = "Deploy another set even though this chain's journal has one.")
    boolean fresh;

    @Override
    public Integer call() {
        if (options.flags().rpc() == null) {
            throw UserError.usage("--rpc URL is required: the JSON-RPC URL of the chain to deploy on");
        }
        String token = currency.devToken ? null : address("--token", currency.token);
        if (confirmations != null && (confirmations < 0 || confirmations > 1000)) {
            throw UserError.usage("--confirmations must be between 0 and 1000, got " + confirmations);
        }
        Settings settings = options.settings();
        try (Context ctx = new Context(settings)) {
            var credentials = ctx.credentials();
            ChainClient chain = ctx.chain();
            long chainId = chain.chainId();
            String profileName = name != null ? name : "chain-" + chainId;
            Config config = Config.load(settings.configFile());
            long depth = confirmations != null ? confirmations
                    : config.profile(profileName).orElse(Profile.empty()).confirmations(chainId);
            if (!profileName.matches("[A-Za-z0-9._-]{1,64}")) {
                throw UserError.usage("--name must be 1 to 64 letters, digits, '.', '_' or '-', got '" + profileName + "'");
            }
            String genesis = ChainBinding.read(chain, Words.ZERO_ADDRESS).genesis();
            Path dir = settings.dataDir().resolve("deployments");
            Path file = Journal.file(dir, chainId, genesis);
            Journal journal = startingJournal(file, chainId, genesis, credentials.getAddress(), token);
            refuseOtherDeploymentUnderName(config, profileName, journal);

            Deployer deployer = new Deployer(chain, credentials, depth, (step, address, what) ->
                    System.err.println("[deploy] " + step + (address == null ? "" : " " + address) + ": " + what));
            if (token != null) {
                try {
                    deployer.requireErc20(token);
                } catch (IllegalArgumentException e) {
                    throw UserError.failure(e.getMessage());
                }
            }
            Deployer.Result result;
            try {
                result = deployer.deploy(journal, file, token);
            } catch (Deployer.TamperedException e) {
                throw UserError.failure(e.getMessage());
            }
            if (result.sentNothing()) {
                System.err.println("[deploy] already deployed on chain " + chainId + ": hub "
                        + result.addresses().hub() + " (profile " + profileName + "); --new deploys another set");
            }
            Profile profile = config.profile(profileName).orElse(Profile.empty());
            Profile written = Profile.of(chain.rpcUrl(), chainId, result.addresses());
            written = new Profile(written.rpc(), written.chainId(), written.hub(), written.token(), written.apps(),
                    written.datasets(), written.workerpools(), profile.market(), profile.scheduler(), profile.extra());
            if (confirmations != null) written = written.with(Profile.CONFIRMATIONS, Long.toString(confirmations));
            config.withProfile(profileName, written).withCurrentProfile(profileName).save(settings.configFile());
            print(profileName, chainId, depth, result);
            return 0;
        }
    }

    /** This chain's journal, or a new one; with --new an existing journal is kept aside, never deleted. */
    private Journal startingJournal(Path file, long chainId, String genesis, String deployer, String token) {
        Journal fresh = Journal.start(chainId, genesis, deployer, token == null);
        var existing = Journal.read(file);
        if (existing.isEmpty()) return fresh;
        if (this.fresh) {
            try {
                Files.move(file, file.resolveSibling(file.getFileName() + "." + System.currentTimeMillis() + ".old"));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot move " + file + " aside: " + e.getMessage(), e);
            }
            return fresh;
        }
        Journal j = existing.get();
        if (j.devToken() != (token == null)) {
            throw UserError.usage("this chain's deployment (" + file + ") uses " + (j.devToken() ? "a dev token"
                    : "an existing token") + ": deploy with the same currency to resume it, or --new for another set");
        }
        String recorded = j.entry("token").map(Journal.Entry::address).orElse(null);
        if (token != null && recorded != null && !recorded.equalsIgnoreCase(token)) {
            throw UserError.usage("this chain's deployment (" + file + ") uses the token " + recorded + ", not " + token
                    + ": deploy with --token " + recorded + " to resume or show it, or --new for another set");
        }
        // a set half made by another key would end with a hub owned by one account and a dev token by another
        if (!j.complete() && !j.deployer().equalsIgnoreCase(deployer)) {
            throw UserError.usage("this chain's unfinished deployment (" + file + ") was started by " + j.deployer()
                    + ", not by the wallet " + deployer + ": resume it with that wallet (--wallet), or --new for"
                    + " another set");
        }
        return j;
    }

    /** A profile that names another deployment is not overwritten by mistake. */
    private void refuseOtherDeploymentUnderName(Config config, String profileName, Journal journal) {
        var profile = config.profile(profileName);
        if (fresh || profile.isEmpty() || profile.get().hub() == null) return;
        String hub = journal.entry("hub").map(Journal.Entry::address).orElse(null);
        if (hub == null || !hub.equalsIgnoreCase(profile.get().hub())) {
            throw UserError.usage("profile '" + profileName + "' already names the deployment at hub "
                    + profile.get().hub() + ": choose another --name, or --new to deploy and replace it");
        }
    }

    private void print(String profileName, long chainId, long depth, Deployer.Result r) {
        Protocol.Addresses a = r.addresses();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("profile", profileName);
        out.put("chainId", chainId);
        out.put("hub", a.hub());
        out.put("token", a.token());
        out.put("apps", a.apps());
        out.put("datasets", a.datasets());
        out.put("workerpools", a.workerpools());
        out.put("confirmations", depth);
        out.put("gasUsed", r.journal().gasUsed());
        out.put("ethSpent", eth(r.journal().weiSpent()));
        out.put("resumed", r.resumed() && !r.sentNothing());
        out.put("alreadyDeployed", r.sentNothing());
        if (options.json()) {
            Json.print(out);
            return;
        }
        for (String k : new String[] {"hub", "token", "apps", "datasets", "workerpools"}) {
            System.out.printf("%-12s %s%n", k, out.get(k));
        }
        System.out.printf("%-12s %,d gas, %s ETH%n", "cost", r.journal().gasUsed(), out.get("ethSpent"));
        System.out.println("profile '" + profileName + "' written and selected (chain " + chainId + ", "
                + depth + " confirmation(s)): next `gridchain pool create`");
    }

    private static String eth(BigInteger wei) {
        return new BigDecimal(wei).movePointLeft(18).stripTrailingZeros().toPlainString();
    }

    private static String address(String flag, String value) {
        try {
            return Words.canonical(value);
        } catch (IllegalArgumentException e) {
            throw UserError.usage(flag + " must be an address (0x and 40 hex digits), got '" + value + "'");
        }
    }
}
