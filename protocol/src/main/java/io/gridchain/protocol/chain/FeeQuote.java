package io.gridchain.protocol.chain;

import java.math.BigInteger;

/**
 * The fee fields of one transaction. An EIP-1559 transaction (type 2) has both fields; a legacy one (type 0, on
 * chains whose blocks carry no base fee) pays {@link #maxFeePerGas} as its gas price and has no priority fee.
 */
public record FeeQuote(boolean legacy, BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    public static FeeQuote eip1559(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
        return new FeeQuote(false, maxFeePerGas, maxPriorityFeePerGas);
    }

    public static FeeQuote legacy(BigInteger gasPrice) {
        return new FeeQuote(true, gasPrice, BigInteger.ZERO);
    }

    /** The most this transaction may cost: every unit of gas at the max fee, plus the value sent. */
    public BigInteger maxCost(BigInteger gasLimit, BigInteger value) {
        return gasLimit.multiply(maxFeePerGas).add(value == null ? BigInteger.ZERO : value);
    }

    @Override
    public String toString() {
        return legacy ? "gas price " + FeePolicy.gwei(maxFeePerGas) + " gwei"
                : "max fee " + FeePolicy.gwei(maxFeePerGas) + " gwei, priority fee "
                        + FeePolicy.gwei(maxPriorityFeePerGas) + " gwei";
    }
}
