package io.gridchain.protocol.chain;

import java.io.IOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthMaxPriorityFeePerGas;
import org.web3j.utils.Numeric;

/**
 * The fee quote of one chain, read from the node at most once a second: the throughput benchmark sends hundreds of
 * transactions a second and each would otherwise pay two more calls (latest block, priority fee) before its own.
 * Within a second the base fee moves by a few blocks at most, which the max fee's margin (twice the base fee) absorbs.
 */
final class FeeOracle {
    private static final long TTL_NANOS = 1_000_000_000L;

    private record Cached(FeeQuote quote, FeePolicy policy, long at) {}

    private final Web3j web3j;
    private volatile Cached cached;
    private volatile boolean nodeHasPriorityFee = true;

    FeeOracle(Web3j web3j) {
        this.web3j = web3j;
    }

    FeeQuote quote(FeePolicy policy) throws IOException {
        Cached c = cached;
        if (fresh(c, policy)) return c.quote();
        synchronized (this) {
            c = cached;
            if (fresh(c, policy)) return c.quote();
            FeeQuote q = read(policy);
            cached = new Cached(q, policy, System.nanoTime());
            return q;
        }
    }

    /** Forgets the quote, after the node refused a fee as below the base fee. */
    void invalidate() {
        cached = null;
    }

    private static boolean fresh(Cached c, FeePolicy policy) {
        return c != null && c.policy().equals(policy) && System.nanoTime() - c.at() < TTL_NANOS;
    }

    private FeeQuote read(FeePolicy policy) throws IOException {
        var block = web3j.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send().getBlock();
        String raw = block == null ? null : block.getBaseFeePerGasRaw();
        BigInteger baseFee = raw == null ? null : Numeric.decodeQuantity(raw);
        if (baseFee == null) {
            BigInteger gasPrice = policy.maxFeePerGas() != null ? null : web3j.ethGasPrice().send().getGasPrice();
            return Fees.quote(null, null, gasPrice, policy);
        }
        BigInteger priority = null;
        if (policy.maxPriorityFeePerGas() == null && nodeHasPriorityFee) {
            EthMaxPriorityFeePerGas answer = web3j.ethMaxPriorityFeePerGas().send();
            if (answer.hasError() || answer.getResult() == null) {
                nodeHasPriorityFee = false; // an older node: the default tip from now on
            } else {
                priority = answer.getMaxPriorityFeePerGas();
            }
        }
        return Fees.quote(baseFee, priority, null, policy);
    }
}
