// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Consensus} from "../poco/Consensus.sol";

/// @dev Exposes the on-chain consensus rule so that tests can compare it with the Java one.
contract ConsensusHarness {
    /**
     * @notice Whether a group of workers with `winners` scores wins against the other groups, given
     * flattened: `otherScores` holds their members' scores, group after group, `otherSizes` each group's size.
     */
    function wins(
        uint256[] calldata winners,
        uint256[] calldata otherScores,
        uint256[] calldata otherSizes,
        uint256 trust
    ) external pure returns (bool reached, uint256 group, uint256 total) {
        group = _group(winners, 0, winners.length);
        total = group;
        uint256 start;
        for (uint256 i = 0; i < otherSizes.length; ++i) {
            total += _group(otherScores, start, start + otherSizes[i]);
            start += otherSizes[i];
        }
        reached = Consensus.reached(group, total, trust);
    }

    /// @notice The score that counts for a worker of `score` with `bond` in a deal staking `stake` per contribution.
    function effectiveScore(uint256 score, uint256 bond, uint256 stake) external pure returns (uint256) {
        return Consensus.effectiveScore(score, bond, stake);
    }

    function _group(uint256[] calldata scores, uint256 from, uint256 to) private pure returns (uint256 group) {
        for (uint256 j = from; j < to; ++j) {
            group = Consensus.join(group, Consensus.weight(scores[j]));
        }
    }
}
