package io.gridchain.protocol.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;

/** The node's answers a {@link BlockTrail} needs: the hash it now gives a block number. */
public final class BlockHashes {
    private BlockHashes() {}

    /** The hash of block {@code number} on the node's canonical chain, or null when the node has no such block. */
    public static String hashAt(Web3j web3j, long number) {
        if (number < 0) return null;
        try {
            EthBlock r = web3j.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                    .send();
            if (r.hasError()) throw new IllegalStateException("eth_getBlockByNumber failed: " + r.getError().getMessage());
            return r.getBlock() == null ? null : r.getBlock().getHash();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read block " + number + " from the chain: " + e.getMessage(), e);
        }
    }
}
