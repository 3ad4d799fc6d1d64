package io.gridchain.protocol.chain;

import java.math.BigInteger;
import java.util.Locale;
import java.util.Optional;

/**
 * The pure decisions of sending a transaction on a real chain: which fees to bid, how to bid again for a
 * transaction that does not get mined, and what a node's refusal means. No network here, so each rule is unit
 * tested on its own.
 */
public final class Fees {
    /** The tip bid when the node cannot suggest one (no {@code eth_maxPriorityFeePerGas}). */
    public static final BigInteger DEFAULT_PRIORITY_FEE = BigInteger.valueOf(1_000_000_000L);
    /** How many times a stuck or dropped transaction is re-bid before only waiting for it. */
    public static final int MAX_BUMPS = 3;

    private Fees() {}

    /**
     * The fees of a new transaction.
     *
     * @param baseFee the latest block's base fee, null on a chain without EIP-1559 (then a legacy gas price)
     * @param nodePriorityFee the node's suggested tip, null when it has no {@code eth_maxPriorityFeePerGas}
     * @param nodeGasPrice the node's gas price, used only when {@code baseFee} is null
     */
    public static FeeQuote quote(BigInteger baseFee, BigInteger nodePriorityFee, BigInteger nodeGasPrice,
            FeePolicy policy) {
        if (baseFee == null) {
            return FeeQuote.legacy(policy.maxFeePerGas() != null ? policy.maxFeePerGas() : nodeGasPrice);
        }
        BigInteger priority = policy.maxPriorityFeePerGas() != null ? policy.maxPriorityFeePerGas()
                : nodePriorityFee != null ? nodePriorityFee : DEFAULT_PRIORITY_FEE;
        // Twice the base fee keeps the transaction includable through six full blocks in a row (each raises the
        // base fee by at most 12.5 %), while the sender still pays only base fee + tip.
        BigInteger maxFee = policy.maxFeePerGas() != null ? policy.maxFeePerGas()
                : baseFee.shiftLeft(1).add(priority);
        return FeeQuote.eip1559(maxFee, priority.min(maxFee));
    }

    /**
     * The fees of a replacement of {@code sent} (same nonce): +25 % on both fields, where nodes require at least
     * +10 % on both, never above the user's max fee. Empty when the cap leaves no room for a valid replacement.
     */
    public static Optional<FeeQuote> bump(FeeQuote sent, FeePolicy policy) {
        BigInteger maxFee = plusQuarter(sent.maxFeePerGas());
        if (policy.maxFeePerGas() != null) maxFee = maxFee.min(policy.maxFeePerGas());
        BigInteger priority = sent.legacy() ? BigInteger.ZERO : plusQuarter(sent.maxPriorityFeePerGas()).min(maxFee);
        if (maxFee.compareTo(plusTenth(sent.maxFeePerGas())) < 0
                || priority.compareTo(plusTenth(sent.maxPriorityFeePerGas())) < 0) {
            return Optional.empty();
        }
        return Optional.of(new FeeQuote(sent.legacy(), maxFee, priority));
    }

    /**
     * The fees of a replacement: the {@link #bump} of what was sent, raised to today's quote where the base fee
     * climbed further meanwhile. Empty when no valid replacement fits under the user's cap.
     */
    public static Optional<FeeQuote> replacement(FeeQuote sent, FeeQuote fresh, FeePolicy policy) {
        return bump(sent, policy).map(b -> fresh == null || fresh.legacy() != b.legacy() ? b
                : new FeeQuote(b.legacy(), b.maxFeePerGas().max(fresh.maxFeePerGas()),
                        b.maxPriorityFeePerGas().max(fresh.maxPriorityFeePerGas())));
    }

    private static BigInteger plusQuarter(BigInteger v) {
        return v.add(ceilDiv(v, 4));
    }

    private static BigInteger plusTenth(BigInteger v) {
        return v.add(ceilDiv(v, 10));
    }

    private static BigInteger ceilDiv(BigInteger v, long d) {
        BigInteger[] qr = v.divideAndRemainder(BigInteger.valueOf(d));
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    /** What the transaction sent last became when its receipt did not come in time. */
    public enum Seen { UNKNOWN, PENDING, MINED }

    /** What to do about a transaction without receipt after the receipt timeout. */
    public enum Action {
        /** Mined but its receipt not yet served, or nothing more to try: keep polling. */
        WAIT,
        /** Send the same intent again with the same nonce and higher fees. */
        REPLACE,
        /** The node forgot it and the fees cannot go higher: send the same signed transaction again. */
        REBROADCAST
    }

    /**
     * A transaction the node no longer knows (dropped from its pool) or that waits in the pool is re-bid with the
     * same nonce, at most {@link #MAX_BUMPS} times; past that (or at the user's cap) a forgotten one is sent again
     * as it was, a pending one waited for.
     */
    public static Action onNoReceipt(Seen seen, int bumpsDone, boolean bumpPossible) {
        if (seen == Seen.MINED) return Action.WAIT;
        if (bumpsDone < MAX_BUMPS && bumpPossible) return Action.REPLACE;
        return seen == Seen.UNKNOWN ? Action.REBROADCAST : Action.WAIT;
    }

    /** What a node's refusal of a raw transaction means (geth, anvil, Hardhat, Nethermind, Besu wordings). */
    public enum Refusal {
        /** The nonce is already used by a mined transaction. */
        NONCE_TOO_LOW,
        /** This very transaction is already in the pool. */
        ALREADY_KNOWN,
        /** A transaction with this nonce is in the pool and ours does not outbid it enough. */
        UNDERPRICED,
        /** The max fee is below the current base fee: the quote is stale. */
        BELOW_BASE_FEE,
        /** The account cannot pay gas x max fee + value. */
        INSUFFICIENT_FUNDS,
        /** Anything else: reported to the user as it is. */
        OTHER
    }

    /** Whether a node's error says it has no such method (wordings differ: geth, anvil, Hardhat, proxies). */
    public static boolean isUnknownMethod(String nodeMessage) {
        String m = String.valueOf(nodeMessage).toLowerCase(Locale.ROOT);
        return m.contains("method not found") || m.contains("not supported") || m.contains("unsupported method")
                || (m.contains("method") && (m.contains("does not exist") || m.contains("not available")
                        || m.contains("not found")));
    }

    public static Refusal classify(String nodeMessage) {
        String m = String.valueOf(nodeMessage).toLowerCase(Locale.ROOT);
        if (m.contains("insufficient funds") || m.contains("insufficient balance")) return Refusal.INSUFFICIENT_FUNDS;
        if (m.contains("already known") || m.contains("already imported") || m.contains("alreadyknown")
                || m.contains("known transaction")) {
            return Refusal.ALREADY_KNOWN;
        }
        if (m.contains("less than block base fee") || m.contains("below block base fee")
                || m.contains("max fee per gas less than")) {
            return Refusal.BELOW_BASE_FEE;
        }
        if (m.contains("underpriced") || m.contains("fee too low") || m.contains("gas price too low")) {
            return Refusal.UNDERPRICED;
        }
        if (m.contains("nonce too low") || m.contains("nonce is too low") || m.contains("oldnonce")
                || m.contains("nonce has already been used")) {
            return Refusal.NONCE_TOO_LOW;
        }
        return Refusal.OTHER;
    }
}
