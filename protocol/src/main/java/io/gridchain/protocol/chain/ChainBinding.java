package io.gridchain.protocol.chain;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.methods.response.EthBlock;

/**
 * Which chain and contracts a service's saved state belongs to: the chain id, the hash of the chain's genesis block
 * and the hub's address. A service records it with its state and compares it with the node at start, so state
 * saved on one chain is never resumed on another that merely looks the same.
 *
 * <p>The chain id alone is not enough: every development chain is 31337 or 1337, and a restarted anvil deploys the
 * contracts at the same addresses again. Its genesis hash differs per start, though: anvil stamps the genesis block
 * with the second it starts, and the hash covers the timestamp (measured with anvil 1.7.1). On a public chain the
 * genesis is fixed and the hub's address tells deployments apart.
 *
 * @param genesis the genesis block's hash, 0x and 64 hex digits, lower case
 * @param hub the hub's address, 0x and 40 hex digits, lower case
 */
public record ChainBinding(long chainId, String genesis, String hub) {
    public ChainBinding {
        if (genesis == null || hub == null) throw new IllegalArgumentException("a chain binding needs a genesis and a hub");
        genesis = genesis.toLowerCase(Locale.ROOT);
        hub = hub.toLowerCase(Locale.ROOT);
    }

    /** The binding of the chain {@code chain} is connected to, with the hub at {@code hub}. */
    public static ChainBinding read(ChainClient chain, String hub) {
        try {
            EthBlock.Block genesis = chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(
                    java.math.BigInteger.ZERO), false).send().getBlock();
            if (genesis == null || genesis.getHash() == null) {
                throw new IllegalStateException("the node at " + chain.rpcUrl() + " returned no genesis block");
            }
            return new ChainBinding(chain.chainId(), genesis.getHash(), hub);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the genesis block from " + chain.rpcUrl() + ": "
                    + e.getMessage(), e);
        }
    }

    /** For messages: {@code chain 31337 genesis 0x… hub 0x…}. */
    public String describe() {
        return "chain " + chainId + " genesis " + genesis + " hub " + hub;
    }

    /** How saved state relates to the chain a service is started on. */
    public enum Verdict {
        /** The state was saved on this chain with this hub: resume it. */
        MATCH,
        /** No binding is stored yet: bind the state to this chain. */
        FRESH,
        /** The state belongs to another chain or hub: never resume it. */
        MISMATCH
    }

    /**
     * The comparison of a stored binding with the node's.
     *
     * @param stored the binding saved with the state; null when {@link Verdict#FRESH}
     * @param differing the fields that differ, in the order chain id, genesis, hub ("chain id", "genesis", "hub")
     */
    public record Check(Verdict verdict, ChainBinding stored, ChainBinding node, List<String> differing) {
        public Check {
            differing = List.copyOf(differing);
        }

        /**
         * The one-line refusal for a {@link Verdict#MISMATCH}: "{@code owner} belongs to chain … genesis … hub …, but
         * the node at {@code nodeUrl} is genesis …: {@code remedy}".
         *
         * @param owner whose state and where, e.g. "the scheduler's state in /data/sched"
         */
        public String message(String owner, String nodeUrl, String remedy) {
            if (verdict != Verdict.MISMATCH) throw new IllegalStateException("no mismatch to describe: " + verdict);
            List<String> nodeSide = new ArrayList<>();
            if (differing.contains("chain id")) nodeSide.add("chain " + node.chainId());
            if (differing.contains("genesis")) nodeSide.add("genesis " + node.genesis());
            List<String> parts = new ArrayList<>();
            if (!nodeSide.isEmpty()) parts.add("the node at " + nodeUrl + " is " + String.join(" ", nodeSide));
            if (differing.contains("hub")) parts.add("the hub given is " + node.hub());
            return owner + " belongs to " + stored.describe() + ", but " + String.join(" and ", parts) + ": " + remedy;
        }
    }

    /** Compares the binding stored with some state (empty if none was stored) with {@code node}'s. Pure. */
    public static Check check(Optional<ChainBinding> stored, ChainBinding node) {
        if (stored.isEmpty()) return new Check(Verdict.FRESH, null, node, List.of());
        ChainBinding s = stored.get();
        List<String> differing = new ArrayList<>();
        if (s.chainId() != node.chainId()) differing.add("chain id");
        if (!s.genesis().equals(node.genesis())) differing.add("genesis");
        if (!s.hub().equals(node.hub())) differing.add("hub");
        return new Check(differing.isEmpty() ? Verdict.MATCH : Verdict.MISMATCH, s, node, differing);
    }

    /** A service refused to resume state that belongs to another chain; the message is one line for the user. */
    public static final class MismatchException extends RuntimeException {
        public MismatchException(String message) {
            super(message);
        }
    }
}
