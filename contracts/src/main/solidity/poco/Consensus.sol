// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @dev The credibility-based consensus rule (Sarmenta), shared by both contribution paths
 * and mirrored bit for bit by the Java scheduler.
 *
 * A worker's weight is the odds that it is honest, derived from its reputation score in the
 * deal's pool. A group of workers agreeing on a result has weight equal to the product of their
 * weights; the result's credibility is `group / (1 + sum of all groups)`, where the 1 stands for
 * "some result nobody submitted". A result is certified when its credibility exceeds
 * `1 - 1/trust`, that is `group * trust > (1 + total) * (trust - 1)`, and when its group outweighs
 * all the others together (implied at trust >= 2; at trust 1 it stops one listed result from
 * winning against an equal or heavier dissent).
 *
 * Products saturate at SATURATION. A saturated winning group is understated, which can only
 * delay consensus. A saturated losing group is understated too, but then the winner's
 * product cannot exceed it, so at trust >= 2 no result wins: saturation never fakes consensus.
 */
library Consensus {
    uint256 internal constant SATURATION = 1 << 128;
    /// @dev Trust values above this are refused at matching so that the products cannot overflow.
    uint256 internal constant MAX_TRUST = 1 << 64;

    /**
     * @dev Odds a consensus win adds to a worker's weight. A score counts consecutive wins on replicated tasks
     * (a loss resets it, which is blacklisting for this purpose), so it is Sarmenta's k: a saboteur lying at
     * rate s survives k wins with probability (1-s)^k, and whatever s, its odds of being honest on a result
     * are at least (1-f) k e / f. At f = 0.2 saboteurs that is 10.9 k; 10 keeps the rule on the safe side.
     * A lone worker thus needs 1,000 wins to certify at trust 10,000, two agreeing workers 10 each.
     */
    uint256 internal constant WEIGHT_PER_WIN = 10;

    /**
     * @notice The score that counts in a deal staking `stake` per contribution: each win counts only
     * while one more stake is bonded behind it, and nothing counts on a deal that stakes nothing.
     * So the weight that certifies a lie alone at trust T needs (T - 2) / 10 stakes bonded in the pool.
     */
    function effectiveScore(uint256 score, uint256 bond, uint256 stake) internal pure returns (uint256) {
        if (stake == 0) return 0;
        uint256 backed = bond / stake;
        return score < backed ? score : backed;
    }

    /// @notice Weight (honesty odds) of a worker with effective reputation `score`: a fresh worker counts 2.
    function weight(uint256 score) internal pure returns (uint256) {
        return score * WEIGHT_PER_WIN + 2;
    }

    /// @notice Weight of a group after one more worker of weight `w` joins it (group 0 = empty).
    function join(uint256 group, uint256 w) internal pure returns (uint256) {
        if (group == 0) return w;
        unchecked {
            // group <= 2^128 and w <= 10 * 2^32 + 2 (a uint32 score), so the product cannot overflow
            uint256 product = group * w;
            return product > SATURATION ? SATURATION : product;
        }
    }

    /// @notice Whether a group of weight `group` wins among groups summing to `total` at `trust`.
    function reached(uint256 group, uint256 total, uint256 trust) internal pure returns (bool) {
        return group * 2 > total && group * trust > (total + 1) * (trust - 1);
    }
}
