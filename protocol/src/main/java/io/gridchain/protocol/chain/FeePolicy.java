package io.gridchain.protocol.chain;

import java.math.BigDecimal;
import java.math.BigInteger;

/**
 * What the user asks of transaction fees, in wei per gas; a null field means "ask the node".
 *
 * @param maxFeePerGas the highest price per gas the user accepts: with EIP-1559 the max fee, on a chain without
 *     base fee the gas price. Replacements of a stuck transaction never bid above it.
 * @param maxPriorityFeePerGas the tip per gas (0 allowed); on a chain without base fee it is ignored.
 */
public record FeePolicy(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    /** The node's figures, nothing overridden. */
    public static final FeePolicy AUTO = new FeePolicy(null, null);

    private static final BigDecimal GWEI = BigDecimal.TEN.pow(9);

    public FeePolicy {
        if (maxFeePerGas != null && maxFeePerGas.signum() <= 0) {
            throw new IllegalArgumentException("the max fee must be above 0 gwei");
        }
        if (maxPriorityFeePerGas != null && maxPriorityFeePerGas.signum() < 0) {
            throw new IllegalArgumentException("the priority fee cannot be negative");
        }
        if (maxFeePerGas != null && maxPriorityFeePerGas != null && maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw new IllegalArgumentException("the priority fee (" + gwei(maxPriorityFeePerGas) + " gwei) cannot exceed"
                    + " the max fee (" + gwei(maxFeePerGas) + " gwei)");
        }
    }

    /** From gwei amounts as the user types them ("1.5", "0"), each null when not given. */
    public static FeePolicy ofGwei(String maxFeeGwei, String priorityFeeGwei) {
        return new FeePolicy(wei(maxFeeGwei, "max fee"), wei(priorityFeeGwei, "priority fee"));
    }

    /** Environment variables naming the two fees in gwei; the CLI's flags take precedence over them. */
    public static final String MAX_FEE_ENV = "GRIDCHAIN_MAX_FEE_GWEI";
    public static final String PRIORITY_FEE_ENV = "GRIDCHAIN_PRIORITY_FEE_GWEI";

    /**
     * The policy {@link #MAX_FEE_ENV} and {@link #PRIORITY_FEE_ENV} set, {@link #AUTO} without them: services started
     * on their own (scheduler, order book, worker) bid as their operator's environment says.
     */
    public static FeePolicy fromEnv(java.util.Map<String, String> env) {
        try {
            return ofGwei(env.get(MAX_FEE_ENV), env.get(PRIORITY_FEE_ENV));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("$" + MAX_FEE_ENV + "/$" + PRIORITY_FEE_ENV + ": " + e.getMessage());
        }
    }

    public boolean isAuto() {
        return maxFeePerGas == null && maxPriorityFeePerGas == null;
    }

    /** Gwei as text ("1.5"), for messages. */
    public static String gwei(BigInteger wei) {
        return new BigDecimal(wei).divide(GWEI).stripTrailingZeros().toPlainString();
    }

    private static BigInteger wei(String gwei, String what) {
        if (gwei == null || gwei.isBlank()) return null;
        BigDecimal value;
        try {
            value = new BigDecimal(gwei.strip()).multiply(GWEI);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("the " + what + " '" + gwei + "' is not a number of gwei (e.g. 1.5)");
        }
        if (value.signum() < 0) throw new IllegalArgumentException("the " + what + " cannot be negative: " + gwei);
        if (value.stripTrailingZeros().scale() > 0) {
            throw new IllegalArgumentException("the " + what + " '" + gwei + "' has more than 9 decimals (1 wei is 0.000000001 gwei)");
        }
        return value.toBigIntegerExact();
    }
}
