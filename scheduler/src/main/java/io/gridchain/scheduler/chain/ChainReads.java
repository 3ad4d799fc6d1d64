package io.gridchain.scheduler.chain;

import io.gridchain.protocol.GridClient;
import io.gridchain.protocol.PoolStake;
import io.gridchain.protocol.abi.Words;
import io.gridchain.protocol.chain.BlockHashes;
import io.gridchain.protocol.chain.ChainClient;

/** What the {@link ChainFollower} reads of the chain: the seam its tests replace with a script. */
public interface ChainReads {
    /** The latest block; {@code last} is returned as it is when no block came since. */
    ChainClient.Head head(ChainClient.Head last);

    /** The deals created for this pool from {@code fromBlock} on, up to {@code latest} at most. */
    DealWatcher.Scan scan(long fromBlock, long latest);

    /** A worker's standing in this pool: its bond, earnings, score here and unbond request. */
    PoolStake stakeOf(String worker);

    /** The hash the node now gives block {@code number}, null when it has no such block. */
    String hashAt(long number);

    /** Whether the hub knows the deal: false once a reorganisation removed the block that created it. */
    boolean dealExists(String dealId);

    /** The reads of a running scheduler, through the pool owner's client. */
    static ChainReads of(GridClient owner) {
        DealWatcher watcher = new DealWatcher(owner);
        return new ChainReads() {
            @Override
            public ChainClient.Head head(ChainClient.Head last) {
                return owner.protocol().chain().head(last);
            }

            @Override
            public DealWatcher.Scan scan(long fromBlock, long latest) {
                return watcher.scan(fromBlock, latest);
            }

            @Override
            public String hashAt(long number) {
                return BlockHashes.hashAt(owner.protocol().chain().web3j(), number);
            }

            @Override
            public boolean dealExists(String dealId) {
                byte[] hash = GridClient.call(() -> owner.hub().dealHashOf(Words.toBytes32(dealId)).send());
                return !Words.ZERO_BYTES32.equals(Words.hex(hash));
            }

            @Override
            public PoolStake stakeOf(String worker) {
                // the hub keys a pool's bonds by the pool's owner, whose key this scheduler runs with
                return owner.stakeOf(owner.address(), worker);
            }
        };
    }
}
