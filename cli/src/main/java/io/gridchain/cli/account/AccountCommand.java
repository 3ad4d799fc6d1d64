package io.gridchain.cli.account;

import io.gridchain.cli.GroupCommand;
import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.cli.wallet.WalletCommand;
import io.gridchain.protocol.Balance;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.TxResult;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code gridchain account deposit|withdraw|balance|bond|unbond|collect}: the wallet's escrow account on the hub. */
@Command(
        name = "account",
        mixinStandardHelpOptions = true,
        description = {
            "Deposit, withdraw and show tokens in the escrow account on the hub, and",
            "bond them in pools.",
            "",
            "Tokens deposited there pay for requests. Free tokens can be withdrawn;",
            "locked tokens are held by running deals. A worker's stake is its bond in",
            "a pool, where its earnings wait to be collected. Amounts are whole token",
            "base units."
        },
        subcommands = {AccountCommand.Deposit.class, AccountCommand.Withdraw.class, AccountCommand.BalanceCmd.class,
            BondCommands.Bond.class, BondCommands.Unbond.class, BondCommands.Collect.class},
        footerHeading = "%n",
        footer = {"Examples:", "  gridchain account deposit 1000", "  gridchain account withdraw 250",
            "  gridchain account balance",
            "  gridchain account balance 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 --pool 0xWORKERPOOL",
            "  gridchain account bond 0xWORKERPOOL 1000", "  gridchain account collect 0xWORKERPOOL"})
public final class AccountCommand extends GroupCommand {

    @Command(
            name = "deposit",
            mixinStandardHelpOptions = true,
            description = {"Move AMOUNT tokens from the wallet into its escrow account.",
                "",
                "Two transactions: approve and deposit. Nothing is sent when the wallet",
                "holds fewer tokens."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain account deposit 1000", "  gridchain account deposit 1_000_000 --json",
                "  gridchain account deposit 50 --wallet other-key.json --password-file pw",
                "  gridchain account deposit 50 --max-fee-gwei 30 --priority-fee-gwei 1.5   (fees per gas on a busy chain)"})
    public static final class Deposit implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "AMOUNT", converter = Amount.class,
                description = "Tokens to deposit (base units).")
        BigInteger amount;

        @Override
        public Integer call() {
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                BigInteger held = me.tokenBalanceOf(me.address());
                if (held.compareTo(amount) < 0) {
                    throw UserError.failure("wallet " + me.address() + " holds " + held + " tokens but " + amount
                            + " are needed: get tokens first");
                }
                progress("depositing " + amount + " tokens into the escrow account of " + me.address());
                TxResult tx = me.deposit(amount);
                return report(options, me, "deposit", amount, tx);
            }
        }
    }

    @Command(
            name = "withdraw",
            mixinStandardHelpOptions = true,
            description = {"Move AMOUNT free tokens from the escrow account back to the wallet.",
                "",
                "Refused, with nothing sent, when the account has fewer free tokens."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain account withdraw 250", "  gridchain account withdraw 250 --json"})
    public static final class Withdraw implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "AMOUNT", converter = Amount.class,
                description = "Tokens to withdraw (base units).")
        BigInteger amount;

        @Override
        public Integer call() {
            try (Context ctx = options.context()) {
                GridClient me = ctx.client();
                progress("withdrawing " + amount + " tokens from the escrow account of " + me.address());
                TxResult tx = me.withdraw(amount);
                return report(options, me, "withdraw", amount, tx);
            }
        }
    }

    @Command(
            name = "balance",
            mixinStandardHelpOptions = true,
            description = {"Print an escrow account and the tokens held in the wallet.",
                "",
                "Free tokens, tokens locked in deals, score as a pool owner, wallet",
                "tokens, and with --pool the bond, earnings and score in each pool: of",
                "the default wallet unless ADDRESS is given. No password is needed."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain account balance",
                "  gridchain account balance 0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
                "  gridchain account balance --pool 0xWORKERPOOL --json"})
    public static final class BalanceCmd implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", arity = "0..1", paramLabel = "ADDRESS",
                description = "Account to show (default: the wallet's address).")
        String address;

        @Option(names = "--pool", paramLabel = "POOL", description = "Also show the standing in this pool"
                + " (a workerpool or its owner's address); repeatable.")
        List<String> pools = new ArrayList<>();

        @Override
        public Integer call() {
            if (address != null && !address.matches("0x[0-9a-fA-F]{40}")) {
                throw UserError.usage("'" + address + "' is not an address (0x followed by 40 hex digits)");
            }
            try (Context ctx = options.context()) {
                String account = address != null ? address : ctx.walletAddress();
                GridClient reader = ctx.reader();
                Balance b = reader.balanceOf(account);
                BigInteger tokens = reader.tokenBalanceOf(account);
                Map<String, PoolStake> stakes = new LinkedHashMap<>();
                for (String pool : pools) {
                    String owner = Pools.owner(ctx.protocol(), pool);
                    stakes.put(owner, reader.stakeOf(owner, account));
                }
                if (options.json()) {
                    Map<String, Object> out = new LinkedHashMap<>();
                    out.put("account", account);
                    out.putAll(WalletCommand.escrowJson(b));
                    out.put("wallet_tokens", tokens.toString());
                    List<Map<String, Object>> inPools = new ArrayList<>();
                    stakes.forEach((owner, s) -> inPools.add(Pools.json(owner, s)));
                    if (!inPools.isEmpty()) out.put("pools", inPools);
                    Json.print(out);
                } else {
                    System.out.println("account : " + account);
                    System.out.println("free    : " + b.free());
                    System.out.println("locked  : " + b.locked());
                    System.out.println("score   : " + b.score());
                    System.out.println("wallet  : " + tokens + " tokens");
                    stakes.forEach((owner, s) -> System.out.println(Pools.line(owner, s)));
                }
                return 0;
            }
        }
    }

    private static int report(ChainOptions options, GridClient me, String operation, BigInteger amount, TxResult tx) {
        Balance b = me.balance();
        BigInteger tokens = me.tokenBalanceOf(me.address());
        if (options.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("operation", operation);
            out.put("account", me.address());
            out.put("amount", amount.toString());
            out.put("tx", tx.hash());
            out.put("gas", tx.gasUsed());
            out.put("balance", WalletCommand.escrowJson(b));
            out.put("wallet_tokens", tokens.toString());
            Json.print(out);
        } else {
            System.out.println((operation.equals("deposit") ? "deposited " : "withdrew ") + amount + " tokens (tx "
                    + tx.hash() + ", gas " + tx.gasUsed() + ")");
            System.out.println("escrow : " + b.free() + " free, " + b.locked() + " locked, score " + b.score());
            System.out.println("wallet : " + tokens + " tokens");
        }
        return 0;
    }

    /** Progress on stderr, only for a person at a terminal: errors stay one line for scripts. */
    static void progress(String message) {
        if (System.console() != null) System.err.println("[account] " + message);
    }
}
