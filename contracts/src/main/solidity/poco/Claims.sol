// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Settlement} from "./Settlement.sol";
import {Deals} from "./Deals.sol";

/**
 * @dev Refunds of tasks that missed their deal's deadline.
 *
 * The requester gets back each task's price and nothing more: the scheduler's stake for the task
 * is burned, not paid to the requester, who may have caused the miss (an app that loops, a
 * dataset that cannot be read). A deterministic failure is not a miss: workers agree on it and
 * the scheduler certifies it like any result, so the requester pays for the work it asked for.
 */
abstract contract Claims is Settlement {
    /// @dev A refunded task costs its pool owner this much reputation; a certified one earns 1.
    uint256 internal constant POOL_SCORE_PER_MISS = 10;

    /**
     * @notice Refunds tasks of a deal that were not finalized by its deadline, including tasks
     * never started. Anyone may call. On the per-worker path, contributors who never revealed
     * lose their stake.
     */
    function claim(bytes32 dealId, Deals.Deal calldata deal, uint256[] calldata indexes) external nonReentrant {
        _requireDeal(dealId, deal);
        uint256 deadline = Deals.deadline(deal);
        if (block.timestamp < deadline) revert DeadlineNotReached(dealId, deadline);
        for (uint256 i = 0; i < indexes.length; ++i) {
            bytes32 taskId = _taskIdIn(dealId, deal, indexes[i]);
            bytes32 state = _results[taskId];
            if (state == CLAIMED) revert TaskAlreadyClaimed(taskId);
            if (state == IN_PROGRESS) _settleUnfinishedClassic(taskId, deal);
            else if (state != 0) revert TaskAlreadyFinalized(taskId);
            _results[taskId] = CLAIMED;
            emit TaskClaimed(taskId, dealId);
        }
        uint256 n = indexes.length;
        _unlock(deal.requester, Deals.taskPrice(deal) * n, dealId);
        _seizeLocked(deal.scheduler, Deals.schedulerStake(deal) * n, dealId);
        Account storage owner = _accounts[deal.scheduler];
        uint256 score = owner.score;
        uint256 penalty = POOL_SCORE_PER_MISS * n;
        uint256 newScore = score > penalty ? score - penalty : 0;
        if (newScore != score) {
            owner.score = uint32(newScore);
            emit ScoreUpdated(deal.scheduler, newScore);
        }
    }

    /// @dev Slashes the contributors of a per-worker task that missed its deadline and never revealed.
    function _settleUnfinishedClassic(bytes32 taskId, Deals.Deal calldata deal) internal virtual;
}
