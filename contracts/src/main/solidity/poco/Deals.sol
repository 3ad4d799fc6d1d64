// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @dev A deal is the agreement created by matching orders: a bag of `volume` tasks.
 *
 * The hub stores only `keccak256(abi.encode(deal))` under the deal id; callers pass the
 * deal itself (from the DealCreated event) to every later call, and the hub checks it
 * against the stored hash. One storage slot per deal instead of a dozen is most of why
 * matching is cheap. Everything a task needs later is frozen here at matching time:
 * payees, prices, stake and reward ratios, trust and deadline.
 */
library Deals {
    struct Deal {
        address requester;
        address appOwner;
        address datasetOwner; // address(0) when there is no dataset
        address scheduler; // the workerpool's owner at matching time
        address callback; // address(0) when there is no callback
        uint256 appPrice;
        uint256 datasetPrice;
        uint256 workerpoolPrice;
        uint256 volume;
        uint256 trust;
        uint256 categoryTime; // the category's reference execution time T, in seconds
        uint256 startTime;
        uint256 workerStake; // staked per contribution
        uint256 schedulerRewardRatio; // percent of the workerpool price kept by the scheduler
    }

    /// @dev Tasks must be finalized within this many category times after the deal starts.
    uint256 internal constant FINAL_DEADLINE_RATIO = 10;
    /// @dev On the per-worker path, winners have this many category times to reveal.
    uint256 internal constant REVEAL_DEADLINE_RATIO = 2;
    /// @dev The scheduler stakes this percent of the workerpool price per task.
    uint256 internal constant SCHEDULER_STAKE_RATIO = 30;

    function hash(Deal calldata deal) internal pure returns (bytes32) {
        return keccak256(abi.encode(deal));
    }

    function deadline(Deal calldata deal) internal pure returns (uint256) {
        return deal.startTime + FINAL_DEADLINE_RATIO * deal.categoryTime;
    }

    function taskPrice(Deal calldata deal) internal pure returns (uint256) {
        return deal.appPrice + deal.datasetPrice + deal.workerpoolPrice;
    }

    function schedulerStake(Deal calldata deal) internal pure returns (uint256) {
        return (deal.workerpoolPrice * SCHEDULER_STAKE_RATIO) / 100;
    }

    function taskId(bytes32 dealId, uint256 index) internal pure returns (bytes32) {
        return keccak256(abi.encode(dealId, index));
    }
}
