package io.gridchain.protocol;

import java.math.BigInteger;

/** An account in the hub's escrow: free and locked tokens, and its reputation as a pool owner. */
public record Balance(BigInteger free, BigInteger locked, long score) {
    public BigInteger total() {
        return free.add(locked);
    }
}
