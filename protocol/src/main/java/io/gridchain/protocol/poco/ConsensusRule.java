package io.gridchain.protocol.poco;

import java.math.BigInteger;

/**
 * The credibility rule of contracts' Consensus.sol, bit for bit: a worker's weight is
 * {@code 10 * score + 2}, where the score is its score in the deal's pool capped by the stakes its bond there
 * backs; a group's weight is the saturating product of its members' weights; a result wins when it outweighs
 * all the other results together and {@code group * trust > (1 + total) * (trust - 1)}.
 */
public final class ConsensusRule {
    public static final BigInteger SATURATION = BigInteger.ONE.shiftLeft(128);
    public static final BigInteger MAX_TRUST = BigInteger.ONE.shiftLeft(64);
    /** Consensus.WEIGHT_PER_WIN: the odds a consensus win adds (see Consensus.sol for the derivation). */
    public static final BigInteger WEIGHT_PER_WIN = BigInteger.TEN;

    /** The score that counts on a deal staking {@code stake} per contribution: one bonded stake per win, none without a stake. */
    public static long effectiveScore(long score, BigInteger bond, BigInteger stake) {
        if (stake.signum() == 0) return 0;
        BigInteger backed = bond.divide(stake);
        return backed.compareTo(BigInteger.valueOf(score)) < 0 ? backed.longValueExact() : score;
    }

    public static BigInteger weight(long score) {
        return BigInteger.valueOf(score).multiply(WEIGHT_PER_WIN).add(BigInteger.TWO);
    }

    public static BigInteger join(BigInteger group, BigInteger weight) {
        if (group.signum() == 0) return weight;
        BigInteger product = group.multiply(weight);
        return product.compareTo(SATURATION) > 0 ? SATURATION : product;
    }

    public static boolean reached(BigInteger group, BigInteger total, BigInteger trust) {
        return group.shiftLeft(1).compareTo(total) > 0
                && group.multiply(trust).compareTo(total.add(BigInteger.ONE).multiply(trust.subtract(BigInteger.ONE))) > 0;
    }

    /** Weight of a group of workers with the given scores. */
    public static BigInteger groupWeight(long... scores) {
        BigInteger group = BigInteger.ZERO;
        for (long s : scores) group = join(group, weight(s));
        return group;
    }

    private ConsensusRule() {}
}
