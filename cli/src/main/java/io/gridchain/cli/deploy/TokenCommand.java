package io.gridchain.cli.deploy;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.account.Amount;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.contracts.DevToken;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.Protocol;
import io.gridchain.protocol.TxResult;
import io.gridchain.protocol.abi.Words;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.web3j.crypto.Credentials;
import org.web3j.tx.gas.DefaultGasProvider;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code gridchain token mint}: funds accounts in the development currency of a network made with
 * {@code deploy --dev-token}. Without it, nobody but a test harness could get the tokens that deposits, bonds and deals
 * need on such a network. A real ERC-20 is bought or transferred with the holder's own wallet instead.
 */
@Command(
        name = "token",
        mixinStandardHelpOptions = true,
        description = {"The deployment's currency token.",
            "",
            "On a network deployed with `gridchain deploy --dev-token`, the deployer's wallet owns the",
            "development token and mints it to the accounts that take part (`gridchain wallet show` prints",
            "an account's address). With an existing ERC-20 (--token), get tokens the usual way."},
        subcommands = {TokenCommand.Mint.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain token mint 100000 --to 0xWORKER --to 0xREQUESTER",
            "  gridchain token mint 5000"})
public final class TokenCommand extends GroupCommand {

    @Command(
            name = "mint",
            mixinStandardHelpOptions = true,
            description = {"Mint AMOUNT development tokens to each --to account (default: the wallet itself).",
                "Only the development token's owner, the wallet that ran `deploy --dev-token`, may mint."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain token mint 100000 --to 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                "  gridchain token mint 5000 --to 0xA,0xB --json"})
    public static final class Mint implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "AMOUNT", converter = Amount.class,
                description = "Tokens (base units) for each account.")
        BigInteger amount;

        @Option(names = "--to", paramLabel = "ACCOUNT", split = ",",
                description = "An account to fund; repeat it or separate with commas (default: the wallet's own).")
        List<String> to = new ArrayList<>();

        @Override
        public Integer call() {
            List<String> accounts = new ArrayList<>();
            for (String a : to) accounts.add(account(a));
            try (Context ctx = options.context()) {
                Credentials owner = ctx.credentials();
                if (accounts.isEmpty()) accounts.add(owner.getAddress());
                Protocol protocol = ctx.protocol();
                String token = protocol.addresses().token();
                DevToken dev = DevToken.load(token, protocol.chain().web3j(), protocol.chain().sender(owner),
                        new DefaultGasProvider());
                requireOwner(dev, token, owner.getAddress());
                GridClient reader = ctx.reader();
                List<Map<String, Object>> minted = new ArrayList<>();
                for (String account : accounts) {
                    TxResult tx = TxResult.of(GridClient.call(() -> dev.mint(account, amount).send()));
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("account", account);
                    row.put("balance", reader.tokenBalanceOf(account).toString());
                    row.put("transaction", tx.hash());
                    minted.add(row);
                }
                if (options.json()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("token", token);
                    out.put("amount", amount.toString());
                    out.put("minted", minted);
                    Json.print(out);
                } else {
                    for (Map<String, Object> row : minted) {
                        System.out.println("minted " + amount + " to " + row.get("account") + " (now "
                                + row.get("balance") + ")  tx " + row.get("transaction"));
                    }
                }
                return 0;
            }
        }

        /** Refuses before sending: a token this wallet does not own (or not a DevToken at all) would only revert. */
        private static void requireOwner(DevToken dev, String token, String wallet) {
            String owner;
            try {
                owner = dev.owner().send();
            } catch (Exception e) {
                throw UserError.failure("the currency " + token + " is not a development token (it has no owner to"
                        + " mint): it is an existing ERC-20, transfer tokens with its holder's wallet instead");
            }
            if (!owner.equalsIgnoreCase(wallet)) {
                throw UserError.failure("only " + owner + ", the development token's owner (the deployer), may mint "
                        + token + ", not " + wallet + ": run it with the deployer's wallet (--wallet)");
            }
        }

        private static String account(String value) {
            try {
                return Words.canonical(value.strip());
            } catch (IllegalArgumentException e) {
                throw UserError.usage("--to must be an address (0x and 40 hex digits), got '" + value + "'");
            }
        }
    }
}
