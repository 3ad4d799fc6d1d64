// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {MarketBase} from "../market/MarketBase.sol";
import {Deals} from "./Deals.sol";
import {IGridCallback} from "../interfaces/IGridCallback.sol";

/**
 * @dev Where a task's outcome is settled: results recorded, everyone paid or slashed,
 * reputation moved, callbacks delivered, and missed deadlines refunded.
 *
 * Each task owns exactly one storage slot, `_results[taskId]`:
 *   0            never touched (a batch may finalize it, or a claim refund it)
 *   CLAIMED      refunded after its deadline
 *   IN_PROGRESS  being run on the per-worker path ({ClassicPath})
 *   any other    the certified result digest
 * so a task is finalized or refunded at most once by construction.
 *
 * Payments of a whole batch are tallied in memory and written once per account. Workers are
 * paid into their earnings in the deal's pool and staked from their bond there ({Escrow-PoolStake}).
 *
 * Who gains from a failure never decides it: a lost stake is burned, never paid to the winners
 * the scheduler listed nor to the requester who might have made the task fail.
 */
abstract contract Settlement is MarketBase {
    enum TaskStatus {
        Unset,
        InProgress,
        Finalized,
        Claimed
    }

    /// @dev Gas forwarded to a callback; a callback that needs more fails without blocking finalization.
    uint256 public constant CALLBACK_GAS = 200_000;
    /// @dev What the CALL to a callback costs before it forwards anything: a cold account access (EIP-2929).
    uint256 internal constant CALL_OVERHEAD = 2_600;

    bytes32 internal constant CLAIMED = bytes32(uint256(1));
    bytes32 internal constant IN_PROGRESS = bytes32(uint256(2));

    /// @dev Payments, penalties and reputation moves of the tasks settled in one transaction.
    struct Tally {
        address[] workers;
        uint256[] rewards; // per worker: token payments
        uint256[] contributions; // per worker: contributions, each backed by one stake
        uint256[] lost; // per worker: wrong contributions, each losing its stake
        uint256[] replicatedWins; // per worker: winning contributions on replicated tasks
        uint256 tasks;
        uint256 schedulerGain;
        // per-task constants of the deal, read from calldata once
        uint256 workersShare; // part of the workerpool price shared by the winners
        uint256 schedulerShare; // part of the workerpool price kept by the scheduler
        uint256 stake; // stake per contribution
        bool scoring; // whether wins raise reputation: only on deals with a price and a stake at risk
        bool strict; // whether a bond short of its contributions reverts (the batch path) or is seized whole
    }

    mapping(bytes32 taskId => bytes32) internal _results;
    mapping(bytes32 taskId => bytes) private _callbackData;

    error NotScheduler(address scheduler, address caller);
    error TaskIndexOutOfRange(uint256 index, uint256 volume);
    error TaskAlreadyFinalized(bytes32 taskId);
    error TaskAlreadyClaimed(bytes32 taskId);
    error TaskOnClassicPath(bytes32 taskId);
    error DeadlinePassed(bytes32 dealId, uint256 deadline);
    error DeadlineNotReached(bytes32 dealId, uint256 deadline);
    error InvalidDigest(bytes32 digest);
    error CallbackDataMismatch(bytes32 taskId, bytes32 digest, bytes32 dataHash);
    error InsufficientStake(address worker, uint256 needed, uint256 available);
    /// @dev `worker`'s bond may leave at `unbondAt`, before the deal's `deadline`: it backs nothing in this deal.
    error BondLeavesBeforeDeadline(address worker, uint256 unbondAt, uint256 deadline);
    error InsufficientGasForCallback(uint256 available, uint256 needed);

    event TaskFinalized(bytes32 indexed taskId, bytes32 digest);
    /**
     * @dev A worker's settlement in a deal's batch or task: its reward (credited to its earnings in the pool), the
     * stake it lost (burned) and its new score in the pool. One event instead of three keeps a batch cheap.
     */
    event WorkerSettled(bytes32 indexed dealId, address indexed worker, uint256 reward, uint256 seized, uint256 score);
    /// @dev The scheduler got `stake` back and gained `gain` for a deal's batch or task; its reputation is now `score`.
    event SchedulerSettled(bytes32 indexed dealId, address indexed scheduler, uint256 stake, uint256 gain, uint256 score);
    event TaskClaimed(bytes32 indexed taskId, bytes32 indexed dealId);
    event CallbackDelivered(bytes32 indexed taskId, address indexed callback, bool success);

    // ---------------------------------------------------------------- tally

    /// @dev Prices are below 2^112 (they were locked in uint112 balances), so the arithmetic cannot overflow.
    function _newTally(Deals.Deal calldata deal, address[] memory workers) internal pure returns (Tally memory t) {
        uint256 n = workers.length;
        t.workers = workers;
        t.rewards = new uint256[](n);
        t.contributions = new uint256[](n);
        t.lost = new uint256[](n);
        t.replicatedWins = new uint256[](n);
        t.workersShare = (deal.workerpoolPrice * (100 - deal.schedulerRewardRatio)) / 100;
        t.schedulerShare = deal.workerpoolPrice - t.workersShare;
        t.stake = deal.workerStake;
        t.scoring = deal.workerStake != 0 && deal.workerpoolPrice != 0;
    }

    /**
     * @dev Adds one certified task: `winners` and `losers` are bit masks over `t.workers`.
     * Winners share the workers' part of the pool price; the losers' stakes are burned in
     * {_applyTally}; the scheduler keeps its reward ratio and any rounding dust.
     */
    function _tallyTask(Tally memory t, uint256 winners, uint256 losers) internal pure {
        unchecked {
            uint256 nWinners = _popcount(winners);
            uint256 nLosers = _popcount(losers);
            uint256 each = t.workersShare / nWinners;
            t.schedulerGain += t.schedulerShare + (t.workersShare - each * nWinners);
            bool replicated = nWinners + nLosers > 1;
            uint256[] memory contributions = t.contributions;
            uint256[] memory rewards = t.rewards;
            uint256[] memory wins = t.replicatedWins;
            uint256[] memory lost = t.lost;
            uint256 all = winners | losers;
            for (uint256 j = 0; all != 0; ++j) {
                if (all & 1 != 0) {
                    _inc(contributions, j, 1);
                    if ((winners >> j) & 1 != 0) {
                        _inc(rewards, j, each);
                        if (replicated) _inc(wins, j, 1);
                    } else {
                        _inc(lost, j, 1);
                    }
                }
                all >>= 1;
            }
            t.tasks += 1;
        }
    }

    /**
     * @dev Writes a tally: one storage write per worker (its stake in the deal's pool) and per other
     * party. Every contribution must be backed by one bonded stake; a bond cannot leave before
     * {UNBOND_DELAY}, longer than any deadline, so a liar cannot withdraw ahead of its batch.
     */
    function _applyTally(bytes32 dealId, Deals.Deal calldata deal, Tally memory t) internal {
        mapping(address worker => PoolStake) storage pool = _stakes[deal.scheduler];
        uint256 burned;
        uint256 deadline = Deals.deadline(deal);
        for (uint256 j = 0; j < t.workers.length; ++j) {
            address worker = t.workers[j];
            PoolStake storage s = pool[worker];
            PoolStake memory m = s;
            uint256 staked = t.contributions[j] * t.stake;
            if (t.strict) {
                if (m.bond < staked) revert InsufficientStake(worker, staked, m.bond);
                // A bond asked back before the deal's deadline could leave before this batch lands.
                if (m.unbondAt != 0 && m.unbondAt <= deadline) revert BondLeavesBeforeDeadline(worker, m.unbondAt, deadline);
            }
            uint256 seized = t.lost[j] * t.stake;
            if (seized > m.bond) seized = m.bond;
            uint256 newScore = t.lost[j] != 0 ? 0 : (t.scoring ? _min32(m.score + t.replicatedWins[j]) : m.score);
            m.bond -= uint96(seized);
            m.earned = SafeCast.toUint96(m.earned + t.rewards[j]);
            m.score = uint32(newScore);
            pool[worker] = m;
            burned += seized;
            emit WorkerSettled(dealId, worker, t.rewards[j], seized, newScore);
        }
        _burn(burned);
        _charge(deal.requester, Deals.taskPrice(deal) * t.tasks, dealId);
        _settleScheduler(deal, t, dealId);
        _reward(deal.appOwner, deal.appPrice * t.tasks, dealId);
        if (deal.datasetOwner != address(0)) _reward(deal.datasetOwner, deal.datasetPrice * t.tasks, dealId);
    }

    /// @dev The scheduler's stake back, its gain and its reputation, in one write to its account.
    function _settleScheduler(Deals.Deal calldata deal, Tally memory t, bytes32 dealId) private {
        Account storage acc = _accounts[deal.scheduler];
        uint256 stake = Deals.schedulerStake(deal) * t.tasks;
        uint256 score = t.scoring ? _min32(acc.score + t.tasks) : acc.score;
        acc.locked -= SafeCast.toUint112(stake);
        acc.free += SafeCast.toUint112(stake + t.schedulerGain);
        acc.score = uint32(score);
        emit SchedulerSettled(dealId, deal.scheduler, stake, t.schedulerGain, score);
    }

    // ---------------------------------------------------------------- results

    /// @dev Records a certified result; callback deals also keep the callback data for {resultFor}.
    function _recordResult(bytes32 taskId, Deals.Deal calldata deal, bytes32 digest, bytes calldata callbackData)
        internal
    {
        if (uint256(digest) <= uint256(IN_PROGRESS)) revert InvalidDigest(digest);
        if (deal.callback != address(0)) {
            bytes32 dataHash = keccak256(callbackData);
            if (dataHash != digest) revert CallbackDataMismatch(taskId, digest, dataHash);
            _callbackData[taskId] = callbackData;
        }
        _results[taskId] = digest;
        emit TaskFinalized(taskId, digest);
    }

    /**
     * @dev Calls the deal's callback. Runs after every state change (checks-effects-interactions)
     * and under the reentrancy guard. The caller must leave enough gas for the full budget, so a
     * scheduler cannot make a callback fail on purpose by starving it.
     */
    function _deliver(bytes32 taskId, address callback) internal {
        bytes memory payload = abi.encodeCall(IGridCallback.receiveResult, (taskId, _callbackData[taskId]));
        // Checked after the payload is built, right before the call, so that whatever the data size
        // the callback receives its full budget (a call forwards at most 63/64 of what is left).
        // The CALL itself pays for touching a cold callback address before it forwards 63/64 of the rest.
        uint256 needed = (CALLBACK_GAS * 64) / 63 + CALL_OVERHEAD + 2_000;
        if (gasleft() < needed) revert InsufficientGasForCallback(gasleft(), needed);
        bool success;
        uint256 gasBudget = CALLBACK_GAS;
        assembly ("memory-safe") {
            // Return data is ignored, and not copied, so a callback cannot grief with a huge return.
            success := call(gasBudget, callback, 0, add(payload, 0x20), mload(payload), 0, 0)
        }
        emit CallbackDelivered(taskId, callback, success);
    }

    // ---------------------------------------------------------------- views

    /// @notice Status of the task `taskId`.
    function taskStatus(bytes32 taskId) public view returns (TaskStatus) {
        bytes32 state = _results[taskId];
        if (state == 0) return TaskStatus.Unset;
        if (state == CLAIMED) return TaskStatus.Claimed;
        if (state == IN_PROGRESS) return TaskStatus.InProgress;
        return TaskStatus.Finalized;
    }

    /// @notice The certified digest of a finalized task, zero otherwise.
    function resultDigestOf(bytes32 taskId) external view returns (bytes32) {
        return taskStatus(taskId) == TaskStatus.Finalized ? _results[taskId] : bytes32(0);
    }

    /// @notice The certified callback data of a finalized callback task: the pull alternative to the callback.
    function resultFor(bytes32 taskId) external view returns (bytes memory) {
        return _callbackData[taskId];
    }

    /// @notice The id of task `index` of deal `dealId`.
    function taskIdOf(bytes32 dealId, uint256 index) external pure returns (bytes32) {
        return Deals.taskId(dealId, index);
    }

    // ---------------------------------------------------------------- helpers

    function _onlyScheduler(Deals.Deal calldata deal) internal view {
        if (msg.sender != deal.scheduler) revert NotScheduler(deal.scheduler, msg.sender);
    }

    function _beforeDeadline(bytes32 dealId, Deals.Deal calldata deal) internal view {
        uint256 deadline = Deals.deadline(deal);
        if (block.timestamp >= deadline) revert DeadlinePassed(dealId, deadline);
    }

    function _taskIdIn(bytes32 dealId, Deals.Deal calldata deal, uint256 index) internal pure returns (bytes32) {
        if (index >= deal.volume) revert TaskIndexOutOfRange(index, deal.volume);
        return Deals.taskId(dealId, index);
    }

    /// @dev Deals.taskId computed in scratch memory, for hot loops.
    function _taskIdScratch(bytes32 dealId, uint256 index) internal pure returns (bytes32 taskId) {
        assembly ("memory-safe") {
            mstore(0x00, dealId)
            mstore(0x20, index)
            taskId := keccak256(0x00, 0x40)
        }
    }

    /// @dev a[j] += v without a bounds check: callers index only workers' positions, all < a.length.
    function _inc(uint256[] memory a, uint256 j, uint256 v) internal pure {
        assembly ("memory-safe") {
            let slot := add(add(a, 0x20), shl(5, j))
            mstore(slot, add(mload(slot), v))
        }
    }

    function _popcount(uint256 x) internal pure returns (uint256 n) {
        unchecked {
            for (; x != 0; x &= x - 1) ++n;
        }
    }

    function _min32(uint256 x) private pure returns (uint256) {
        return x > type(uint32).max ? type(uint32).max : x;
    }
}
