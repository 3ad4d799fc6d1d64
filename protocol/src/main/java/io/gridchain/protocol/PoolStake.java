package io.gridchain.protocol;

import java.math.BigInteger;

/**
 * A worker's standing in one pool (the hub keys it by the pool's owner): the bond backing its contributions
 * there, the rewards it earned there and has not collected, its reputation there, and the time from which its
 * bond may leave (0 when no withdrawal was requested). A pool owner's own entry is its pool's bond.
 */
public record PoolStake(BigInteger bond, BigInteger earned, long score, long unbondAt) {
    public static final PoolStake NONE = new PoolStake(BigInteger.ZERO, BigInteger.ZERO, 0, 0);

    /** Whether its owner asked for the bond back: it backs nothing new from then on. */
    public boolean leaving() {
        return unbondAt != 0;
    }
}
