package io.gridchain.cli.account;

import io.gridchain.cli.UserError;
import io.gridchain.cli.config.ChainOptions;
import io.gridchain.cli.config.Context;
import io.gridchain.cli.config.Json;
import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.TxResult;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/**
 * {@code gridchain account bond|unbond|collect}: the account's standing in a pool. A worker's stake lives in a bond
 * per pool (a pool owner's own bond lets its pool serve), its rewards wait there until collected, and a bond leaves
 * only some days after it was asked back, once every deal it could back is over.
 */
final class BondCommands {
    private BondCommands() {}

    /** What the three commands share: the chain, the wallet, and the pool resolved to its owner, which keys bonds. */
    abstract static class InPool implements Callable<Integer> {
        @Mixin ChainOptions options;

        @Parameters(index = "0", paramLabel = "POOL", description = "The workerpool, or its owner's address.")
        String pool;

        @Override
        public final Integer call() {
            try (Context ctx = options.context()) {
                return run(ctx, ctx.client(), Pools.owner(ctx.protocol(), pool));
            }
        }

        abstract int run(Context ctx, GridClient me, String owner);
    }

    @Command(
            name = "bond",
            mixinStandardHelpOptions = true,
            description = {"Bond AMOUNT free tokens in POOL: the stake behind your work there.",
                "",
                "POOL is a workerpool or its owner's address. A worker takes work from a",
                "pool only as far as its bond there backs the stakes; a pool owner bonds",
                "in its own pool for the pool to serve. Bonding again cancels an unbond",
                "request."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain account bond 0xWORKERPOOL 1000",
                "  gridchain account bond 0x70997970C51812dc3A010C7d01b50e0d17dc79C8 500 --json"})
    static final class Bond extends InPool {
        @Parameters(index = "1", paramLabel = "AMOUNT", converter = Amount.class,
                description = "Free tokens to bond (base units).")
        BigInteger amount;

        @Override
        int run(Context ctx, GridClient me, String owner) {
            BigInteger free = me.balance().free();
            if (free.compareTo(amount) < 0) {
                throw UserError.failure("account " + me.address() + " has " + free + " free tokens but " + amount
                        + " are needed: gridchain account deposit " + amount.subtract(free));
            }
            AccountCommand.progress("bonding " + amount + " tokens in pool " + owner);
            TxResult tx = me.bond(owner, amount);
            return report(options, me, owner, "bonded " + amount + " tokens", tx);
        }
    }

    @Command(
            name = "unbond",
            mixinStandardHelpOptions = true,
            description = {"Ask for your bond in POOL back, then move AMOUNT of it to your free balance.",
                "",
                "Without AMOUNT: asks for the bond back; the pool gives you no new work",
                "from then on and the bond may leave after the unbond delay (longer than",
                "any deal). With AMOUNT, once that time has come: moves it back."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain account unbond 0xWORKERPOOL",
                "  gridchain account unbond 0xWORKERPOOL 1000"})
    static final class Unbond extends InPool {
        @Parameters(index = "1", arity = "0..1", paramLabel = "AMOUNT", converter = Amount.class,
                description = "Bonded tokens to move back (base units), once the unbond delay is over.")
        BigInteger amount;

        @Override
        int run(Context ctx, GridClient me, String owner) {
            PoolStake stake = me.stakeIn(owner);
            if (amount == null) {
                AccountCommand.progress("asking for the bond in pool " + owner + " back");
                TxResult tx = me.requestUnbond(owner);
                return report(options, me, owner, "unbond requested (then: gridchain account unbond " + pool
                        + " AMOUNT)", tx);
            }
            if (!stake.leaving()) {
                throw UserError.failure("the bond in pool " + owner + " was not asked back: gridchain account"
                        + " unbond " + pool + ", then again with AMOUNT after the unbond delay");
            }
            long now = ctx.protocol().chain().latestTimestamp();
            if (now < stake.unbondAt()) {
                throw UserError.failure("the bond in pool " + owner + " may leave from " + stake.unbondAt()
                        + " (unix time), in " + (stake.unbondAt() - now) + " s");
            }
            if (stake.bond().compareTo(amount) < 0) {
                throw UserError.failure("the bond in pool " + owner + " is " + stake.bond() + ", less than "
                        + amount);
            }
            AccountCommand.progress("moving " + amount + " tokens of the bond in pool " + owner + " back");
            TxResult tx = me.unbond(owner, amount);
            return report(options, me, owner, "unbonded " + amount + " tokens", tx);
        }
    }

    @Command(
            name = "collect",
            mixinStandardHelpOptions = true,
            description = {"Move what you earned in POOL to your free balance.",
                "",
                "Workers are paid into the pool where they worked; their earnings wait",
                "there until collected."},
            footerHeading = "%n",
            footer = {"Examples:", "  gridchain account collect 0xWORKERPOOL",
                "  gridchain account collect 0xWORKERPOOL --json"})
    static final class Collect extends InPool {
        @Override
        int run(Context ctx, GridClient me, String owner) {
            BigInteger earned = me.stakeIn(owner).earned();
            if (earned.signum() == 0) {
                if (options.json()) Json.print(Map.of("operation", "collect", "collected", "0"));
                else System.out.println("nothing earned to collect in pool " + owner);
                return 0;
            }
            AccountCommand.progress("collecting " + earned + " tokens earned in pool " + owner);
            TxResult tx = me.collect(owner);
            return report(options, me, owner, "collected " + earned + " tokens", tx);
        }
    }

    private static int report(ChainOptions options, GridClient me, String owner, String done, TxResult tx) {
        PoolStake stake = me.stakeIn(owner);
        BigInteger free = me.balance().free();
        if (options.json()) {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("account", me.address());
            out.put("done", done);
            out.put("tx", tx.hash());
            out.put("gas", tx.gasUsed());
            out.put("stake", Pools.json(owner, stake));
            out.put("free", free.toString());
            Json.print(out);
        } else {
            System.out.println(done + " (tx " + tx.hash() + ", gas " + tx.gasUsed() + ")");
            System.out.println(Pools.line(owner, stake));
            System.out.println("escrow : " + free + " free");
        }
        return 0;
    }
}
