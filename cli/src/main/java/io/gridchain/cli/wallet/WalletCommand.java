package io.gridchain.cli.wallet;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Config;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.cli.config.Settings;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.utils.Convert;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code gridchain wallet create|import|show}. */
@Command(
        name = "wallet",
        mixinStandardHelpOptions = true,
        description = {
            "Create, import and show the signing wallet.",
            "",
            "Wallets are standard encrypted Ethereum JSON keystores in",
            "~/.gridchain/wallets/ (wallets/ next to the config file), encrypted with",
            "LIGHT scrypt parameters (n=4096): unlocking takes milliseconds instead of",
            "seconds. Any standard keystore can be used with --wallet FILE.",
            "The password comes from --password-file, $GRIDCHAIN_PASSWORD_FILE or",
            "$GRIDCHAIN_PASSWORD, else it is asked once on the console."
        },
        subcommands = {WalletCommand.Create.class, WalletCommand.Import.class, WalletCommand.Show.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain wallet create", "  gridchain wallet import --private-key-file key.txt",
            "  gridchain wallet show"})
public final class WalletCommand extends GroupCommand {

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = {
                "Create a new key and make it the default wallet.",
                "",
                "The key is stored encrypted as ~/.gridchain/wallets/<address>.json, a",
                "standard Ethereum JSON keystore with LIGHT scrypt parameters (n=4096):",
                "fast to unlock, but weaker against brute force than geth's defaults, so",
                "use a strong password. The config file's \"wallet\" is set to it."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain wallet create",
                "  gridchain wallet create --password-file ~/.gridchain/password --json",
                "  GRIDCHAIN_PASSWORD=secret gridchain wallet create --no-default"})
    public static final class Create implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--no-default", description = "Do not make the new wallet the default one.")
        boolean noDefault;

        @Override
        public Integer call() {
            Settings settings = options.settings();
            String password = Passwords.forNewWallet(settings);
            ECKeyPair key;
            try {
                key = Keys.createEcKeyPair();
            } catch (Exception e) {
                throw new IllegalStateException("cannot generate a key: " + e.getMessage(), e);
            }
            return store(settings, key, password, !noDefault, options.json(), "created");
        }
    }

    @Command(
            name = "import",
            mixinStandardHelpOptions = true,
            description = {
                "Import a private key and make it the default wallet.",
                "",
                "The key (64 hex digits, optionally 0x-prefixed) is read from a file, or",
                "from stdin with '-', and stored encrypted like 'wallet create' does",
                "(standard JSON keystore, LIGHT scrypt parameters)."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain wallet import --private-key-file key.txt",
                "  gridchain wallet import --private-key-file - --password-file pw.txt < key",
                "  gridchain wallet import --private-key-file key.txt --no-default --json"})
    public static final class Import implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Option(names = "--private-key-file", required = true, paramLabel = "FILE",
                description = "Hex private key file, '-' for stdin.")
        String keyFile;

        @Option(names = "--no-default", description = "Do not make the imported wallet the default one.")
        boolean noDefault;

        @Override
        public Integer call() {
            Settings settings = options.settings();
            String text;
            String origin;
            try {
                if (keyFile.equals("-")) {
                    origin = "stdin";
                    text = new String(System.in.readAllBytes(), StandardCharsets.UTF_8);
                } else {
                    Path file = Config.expandHome(keyFile).toAbsolutePath();
                    origin = file.toString();
                    text = Files.readString(file, StandardCharsets.UTF_8);
                }
            } catch (NoSuchFileException e) {
                throw UserError.usage("no such file: " + Config.expandHome(keyFile).toAbsolutePath());
            } catch (java.nio.charset.MalformedInputException e) {
                throw UserError.usage("malformed private key in " + keyFile + ": not text");
            } catch (IOException e) {
                throw UserError.usage("cannot read " + keyFile + ": " + e.getMessage());
            }
            ECKeyPair key = Keystore.parsePrivateKey(text, origin); // before the password: bad input fails fast
            String password = Passwords.forNewWallet(settings);
            return store(settings, key, password, !noDefault, options.json(), "imported");
        }
    }

    static int store(Settings settings, ECKeyPair key, String password, boolean makeDefault, boolean json, String verb) {
        Path file = Keystore.write(settings.walletsDir(), key, password);
        String address = Keystore.addressOf(file);
        if (makeDefault) {
            Config.load(settings.configFile()).withWallet(file.toString()).save(settings.configFile());
        }
        if (json) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("address", address);
            out.put("file", file.toString());
            out.put("default", makeDefault);
            out.put("config", settings.configFile().toString());
            Json.print(out);
        } else {
            System.out.println(verb + " wallet " + address);
            System.out.println("keystore : " + file + " (encrypted, light scrypt)");
            System.out.println("default  : " + (makeDefault ? "yes, set in " + settings.configFile()
                    : "no (use --wallet " + file + ")"));
        }
        return 0;
    }

    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Print the wallet's address and balances.",
                "",
                "No password is needed. When a chain is configured the balances follow:",
                "ETH for gas, tokens held in the wallet, and its escrow account on the",
                "hub (free tokens, tokens locked in deals, worker score)."
            },
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain wallet show", "  gridchain wallet show --json",
                "  gridchain wallet show --profile sepolia --wallet other-key.json"})
    public static final class Show implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Override
        public Integer call() throws Exception {
            try (Context ctx = options.context()) {
                Path file = ctx.walletFile();
                String address = ctx.walletAddress();
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("address", address);
                out.put("file", file.toString());
                BigInteger wei = null;
                BigInteger tokens = null;
                Balance escrow = null;
                if (ctx.hasChain()) {
                    var chain = ctx.chain();
                    out.put("rpc", chain.rpcUrl());
                    out.put("chain_id", chain.chainId());
                    wei = chain.web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
                    out.put("eth_wei", wei.toString());
                    out.put("eth", eth(wei));
                    if (ctx.hasProtocol()) {
                        GridClient reader = ctx.reader();
                        tokens = reader.tokenBalanceOf(address);
                        escrow = reader.balanceOf(address);
                        out.put("hub", ctx.protocol().addresses().hub());
                        out.put("wallet_tokens", tokens.toString());
                        out.put("escrow", escrowJson(escrow));
                    }
                }
                if (options.json()) {
                    Json.print(out);
                    return 0;
                }
                System.out.println("address  : " + address);
                System.out.println("keystore : " + file);
                if (wei != null) {
                    System.out.println("chain    : " + out.get("chain_id") + " at " + out.get("rpc"));
                    System.out.println("ETH      : " + eth(wei) + " (for gas)");
                }
                if (escrow != null) {
                    System.out.println("tokens   : " + tokens + " in the wallet");
                    System.out.println("escrow   : " + escrow.free() + " free, " + escrow.locked() + " locked, score "
                            + escrow.score());
                }
                if (wei == null) {
                    System.err.println("note: no chain configured, balances not shown (gridchain devnet up, or --rpc URL)");
                }
                return 0;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public static String eth(BigInteger wei) {
        BigDecimal v = Convert.fromWei(new BigDecimal(wei), Convert.Unit.ETHER).stripTrailingZeros();
        return v.toPlainString();
    }

    public static Map<String, Object> escrowJson(Balance b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("free", b.free().toString());
        m.put("locked", b.locked().toString());
        m.put("score", b.score());
        return m;
    }
}
