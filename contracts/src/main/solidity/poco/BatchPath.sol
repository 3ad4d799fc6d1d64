// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Settlement} from "./Settlement.sol";
import {Deals} from "./Deals.sol";
import {Consensus} from "./Consensus.sol";
import {Signatures} from "../market/Signatures.sol";

/**
 * @dev The aggregated path: the scheduler submits its workers' signed contributions for one
 * task or a batch of tasks in a single transaction. Workers pay no gas and need no ETH.
 *
 * Each worker signs one EIP-712 `Contribution(bytes32 commitment)` where the commitment chains
 * every (task, digest) it contributed in the batch, in batch order:
 *
 *   c0 = bytes32(uint256(uint160(worker)))
 *   ci = keccak256(abi.encode(c(i-1), taskId_i, digest_i))
 *
 * The signature is the commit: it hides the digests, binds them to the worker (a copied
 * commitment fails for anyone else), and cannot be forged by the scheduler. The calldata is
 * the reveal: the hub recomputes each worker's chain from the submitted digests and checks the
 * signature. A worker signs a one-task chain when it finishes a task; for a multi-task batch
 * the scheduler asks it to sign the batch's chain, which it checks against its own results.
 *
 * For each task the scheduler lists the distinct digests received and, per digest, the bit mask
 * of workers (positions in `workers`) who submitted it (see {Votes}); the first digest is the claimed winner
 * and must reach the deal's trust under {Consensus}, which also makes it outweigh all the other
 * results together. Everyone else listed on the task loses a stake, which is burned.
 * Each worker's bond in the deal's pool must cover one stake per contribution in the batch; a
 * bond cannot leave before a delay longer than any deadline, so it is still there to be seized.
 */
abstract contract BatchPath is Settlement {
    /// @dev Bounds the distinct results listed per task.
    uint256 public constant MAX_RESULTS_PER_TASK = 16;

    bytes32 internal constant CONTRIBUTION_TYPEHASH = keccak256("Contribution(bytes32 commitment)");

    /// @dev Calldata of one batch, flattened so the common case costs few bytes per task.
    struct Votes {
        uint256[] tasks; // per task: index | (number of distinct results << 128)
        bytes32[] digests; // all tasks' distinct results in order, each task's winner first
        uint256[] voters; // one mask over `workers` per digest: who submitted it
        bytes[] callbackData; // callback deals: one per task, hashing to its winner; otherwise empty
    }

    error EmptyBatch();
    error TooManyWorkers(uint256 count);
    error SignatureCountMismatch(uint256 workers, uint256 signatures);
    error WorkersNotSorted(uint256 position);
    error MalformedTask(uint256 index);
    /// @dev The batch's arrays do not fit together (lengths, or digests left over after the last task).
    error MalformedBatch();
    error DuplicateResult(uint256 index, bytes32 digest);
    error VoterOutOfRange(uint256 index, uint256 mask);
    error DoubleVote(uint256 index, uint256 mask);
    error NoConsensus(bytes32 taskId, bytes32 digest);
    error WorkerWithoutContribution(address worker);
    error InvalidContribution(address worker, bytes32 commitment);

    /// @dev `tasks` tasks of `dealId` were certified; their digests are in {resultDigestOf}.
    event BatchFinalized(bytes32 indexed dealId, uint256 tasks);

    /**
     * @notice Certifies a batch of tasks of one deal from signed contributions.
     * @param votes the tasks, their distinct results and who submitted each (see {Votes})
     * @param workers every worker contributing to the batch, in strictly increasing address order
     * @param signatures each worker's signature of its Contribution commitment, same order
     */
    function finalizeBatch(
        bytes32 dealId,
        Deals.Deal calldata deal,
        Votes calldata votes,
        address[] calldata workers,
        bytes[] calldata signatures
    ) external nonReentrant {
        _requireDeal(dealId, deal);
        _onlyScheduler(deal);
        _beforeDeadline(dealId, deal);
        uint256 n = workers.length;
        uint256 count = votes.tasks.length;
        if (count == 0) revert EmptyBatch();
        if (n > 256) revert TooManyWorkers(n);
        if (signatures.length != n) revert SignatureCountMismatch(n, signatures.length);
        if (votes.voters.length != votes.digests.length) revert MalformedBatch();
        bool withCallback = deal.callback != address(0);
        if (withCallback && votes.callbackData.length != count) revert MalformedBatch();

        bytes32[] memory chains = new bytes32[](n);
        uint256[] memory weights = new uint256[](n);
        mapping(address worker => PoolStake) storage pool = _stakes[deal.scheduler];
        for (uint256 j = 0; j < n; ++j) {
            if (j > 0 && workers[j] <= workers[j - 1]) revert WorkersNotSorted(j);
            chains[j] = bytes32(uint256(uint160(workers[j])));
            PoolStake memory s = pool[workers[j]];
            weights[j] = Consensus.weight(Consensus.effectiveScore(s.score, s.bond, deal.workerStake));
        }

        Tally memory t = _newTally(deal, workers);
        t.strict = true;
        _certifyAll(dealId, deal, votes, chains, weights, t);

        for (uint256 j = 0; j < n; ++j) {
            if (t.contributions[j] == 0) revert WorkerWithoutContribution(workers[j]);
            bytes32 digest = _hashTypedDataV4(keccak256(abi.encode(CONTRIBUTION_TYPEHASH, chains[j])));
            if (!Signatures.isValid(workers[j], digest, signatures[j])) {
                revert InvalidContribution(workers[j], chains[j]);
            }
        }

        _applyTally(dealId, deal, t);
        emit BatchFinalized(dealId, count);
        if (withCallback) {
            for (uint256 i = 0; i < count; ++i) {
                _deliver(Deals.taskId(dealId, uint128(votes.tasks[i])), deal.callback);
            }
        }
    }

    /// @dev Checks and records every task of the batch, extending the voters' chains and the tally.
    function _certifyAll(
        bytes32 dealId,
        Deals.Deal calldata deal,
        Votes calldata votes,
        bytes32[] memory chains,
        uint256[] memory weights,
        Tally memory t
    ) private {
        uint256[] calldata tasks = votes.tasks;
        bytes32[] calldata digests = votes.digests;
        uint256[] calldata voters = votes.voters;
        uint256 volume = deal.volume;
        uint256 trust = deal.trust;
        bool withCallback = deal.callback != address(0);
        uint256 cursor;
        for (uint256 i = 0; i < tasks.length; ++i) {
            uint256 packed = tasks[i];
            uint256 index = uint128(packed);
            uint256 results = packed >> 128;
            if (index >= volume) revert TaskIndexOutOfRange(index, volume);
            bytes32 taskId = _taskIdScratch(dealId, index);
            bytes32 state = _results[taskId];
            if (state != 0) _revertTaken(taskId, state);
            if (results == 0 || results > MAX_RESULTS_PER_TASK || cursor + results > digests.length) {
                revert MalformedTask(index);
            }
            bytes32 winner = digests[cursor];
            uint256 winners = voters[cursor];
            uint256 voted;
            if (results == 1) {
                // The common case, all voters agree: no duplicates to look for, no losers.
                voted = winners;
                _vote(winner, winners, index, taskId, chains, weights, trust, 0);
            } else {
                voted = _countVotes(digests[cursor:cursor + results], voters[cursor:cursor + results], index,
                    taskId, chains, weights, trust);
            }
            if (withCallback) {
                _recordResult(taskId, deal, winner, votes.callbackData[i]);
            } else {
                // One BatchFinalized event per batch replaces a TaskFinalized per task (1.4k gas each).
                if (uint256(winner) <= uint256(IN_PROGRESS)) revert InvalidDigest(winner);
                _results[taskId] = winner;
            }
            _tallyTask(t, winners, voted & ~winners);
            unchecked {
                cursor += results;
            }
        }
        if (cursor != digests.length) revert MalformedBatch();
    }

    /// @dev Checks one task's votes, extends the voters' chains, and returns the mask of all voters.
    function _countVotes(
        bytes32[] calldata digests,
        uint256[] calldata voters,
        uint256 index,
        bytes32 taskId,
        bytes32[] memory chains,
        uint256[] memory weights,
        uint256 trust
    ) private pure returns (uint256 voted) {
        uint256 total;
        for (uint256 k = 1; k < digests.length; ++k) {
            bytes32 digest = digests[k];
            for (uint256 m = 0; m < k; ++m) {
                if (digests[m] == digest) revert DuplicateResult(index, digest);
            }
            uint256 mask = voters[k];
            if (mask & (voted | voters[0]) != 0) revert DoubleVote(index, mask);
            voted |= mask;
            total += _groupWeight(digest, mask, index, taskId, chains, weights);
        }
        _vote(digests[0], voters[0], index, taskId, chains, weights, trust, total);
        voted |= voters[0];
    }

    /// @dev Checks that the winner, voted by `mask`, reaches `trust` against `others` (the losing groups' weight).
    function _vote(
        bytes32 digest,
        uint256 mask,
        uint256 index,
        bytes32 taskId,
        bytes32[] memory chains,
        uint256[] memory weights,
        uint256 trust,
        uint256 others
    ) private pure {
        uint256 group = _groupWeight(digest, mask, index, taskId, chains, weights);
        if (!Consensus.reached(group, group + others, trust)) revert NoConsensus(taskId, digest);
    }

    /// @dev Weight of the group `mask` voting `digest`; extends each member's commitment chain.
    function _groupWeight(
        bytes32 digest,
        uint256 mask,
        uint256 index,
        bytes32 taskId,
        bytes32[] memory chains,
        uint256[] memory weights
    ) private pure returns (uint256 group) {
        uint256 n = chains.length;
        if (mask == 0 || (n < 256 && mask >> n != 0)) revert VoterOutOfRange(index, mask);
        unchecked {
            for (uint256 j = 0; mask != 0; ++j) {
                if (mask & 1 != 0) {
                    // j < n = chains.length = weights.length: the mask was checked against n above
                    group = Consensus.join(group, _at(weights, j));
                    _chainAt(chains, j, taskId, digest);
                }
                mask >>= 1;
            }
        }
    }

    /// @dev a[j] without a bounds check.
    function _at(uint256[] memory a, uint256 j) private pure returns (uint256 v) {
        assembly ("memory-safe") {
            v := mload(add(add(a, 0x20), shl(5, j)))
        }
    }

    /// @dev chains[j] = keccak256(abi.encode(chains[j], taskId, digest)), in scratch memory and unchecked.
    function _chainAt(bytes32[] memory chains, uint256 j, bytes32 taskId, bytes32 digest) private pure {
        assembly ("memory-safe") {
            let slot := add(add(chains, 0x20), shl(5, j))
            let ptr := mload(0x40)
            mstore(ptr, mload(slot))
            mstore(add(ptr, 0x20), taskId)
            mstore(add(ptr, 0x40), digest)
            mstore(slot, keccak256(ptr, 0x60))
        }
    }

    function _revertTaken(bytes32 taskId, bytes32 state) private pure {
        if (state == CLAIMED) revert TaskAlreadyClaimed(taskId);
        if (state == IN_PROGRESS) revert TaskOnClassicPath(taskId);
        revert TaskAlreadyFinalized(taskId);
    }
}
