// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Settlement} from "./Settlement.sol";
import {Deals} from "./Deals.sol";
import {Consensus} from "./Consensus.sol";
import {Signatures} from "../market/Signatures.sol";

/**
 * @dev The per-worker path: each worker commits and reveals in its own transactions.
 *
 * Lifecycle of a task on this path (all transitions before the deal's deadline):
 *
 *   initialize (scheduler) ──> Active ──contribute*──> Revealing ──reveal*──> finalize (scheduler)
 *
 * `contribute` carries the scheduler's EIP-712 authorization for (worker, task) and commits to
 * `resultHash = keccak256(abi.encode(taskId, digest))` (the vote, equal for agreeing workers)
 * and `seal = keccak256(abi.encode(worker, taskId, digest))` (proof this worker knew the digest,
 * so copying another's vote does not pay). The task moves to Revealing as soon as one result's
 * credibility reaches the deal's trust; later contributions are refused, so no late replica
 * wastes gas. Winners then have REVEAL_DEADLINE_RATIO category times to reveal; the scheduler
 * finalizes once all winners revealed, or after the reveal deadline if at least one did.
 * Winners who did not reveal are slashed like losers. A task left unfinished is claimable.
 */
abstract contract ClassicPath is Settlement {
    enum Phase {
        None,
        Active,
        Revealing,
        Done
    }

    struct ClassicTask {
        Phase phase;
        uint40 revealDeadline;
        uint8 reveals;
        bytes32 consensusHash;
        bytes32 digest;
        uint256 totalWeight;
        address[] workers;
    }

    struct Contribution {
        bytes32 resultHash;
        bytes32 seal;
        bool revealed;
    }

    /// @dev Bounds every loop over a task's contributors.
    uint256 public constant MAX_CONTRIBUTORS = 32;

    bytes32 internal constant AUTHORIZATION_TYPEHASH = keccak256("Authorization(address worker,bytes32 taskId)");

    mapping(bytes32 taskId => ClassicTask) private _tasks;
    mapping(bytes32 taskId => mapping(address worker => Contribution)) private _contributions;
    mapping(bytes32 taskId => mapping(bytes32 resultHash => uint256)) private _groupWeights;

    error WrongPhase(bytes32 taskId, Phase expected, Phase actual);
    error WorkerNotAuthorized(address worker, bytes32 taskId);
    error AlreadyContributed(address worker, bytes32 taskId);
    error TooManyContributors(bytes32 taskId);
    error EmptyContribution();
    error NotInConsensus(address worker, bytes32 taskId);
    error AlreadyRevealed(address worker, bytes32 taskId);
    error RevealMismatch(address worker, bytes32 taskId);
    error RevealDeadlinePassed(bytes32 taskId, uint256 revealDeadline);
    error RevealsPending(bytes32 taskId, uint256 revealed, uint256 winners);

    event TaskInitialized(bytes32 indexed taskId, bytes32 indexed dealId, uint256 index);
    event TaskContributed(bytes32 indexed taskId, address indexed worker, bytes32 resultHash);
    event TaskConsensus(bytes32 indexed taskId, bytes32 resultHash, uint256 revealDeadline);
    event TaskRevealed(bytes32 indexed taskId, address indexed worker, bytes32 digest);

    /// @notice Creates task `index` of a deal on the per-worker path. Only the deal's scheduler may.
    function initialize(bytes32 dealId, Deals.Deal calldata deal, uint256 index) external returns (bytes32 taskId) {
        _requireDeal(dealId, deal);
        _onlyScheduler(deal);
        _beforeDeadline(dealId, deal);
        taskId = _taskIdIn(dealId, deal, index);
        bytes32 state = _results[taskId];
        if (state == IN_PROGRESS) revert WrongPhase(taskId, Phase.None, _tasks[taskId].phase);
        if (state == CLAIMED) revert TaskAlreadyClaimed(taskId);
        if (state != 0) revert TaskAlreadyFinalized(taskId);
        _results[taskId] = IN_PROGRESS;
        _tasks[taskId].phase = Phase.Active;
        emit TaskInitialized(taskId, dealId, index);
    }

    /**
     * @notice Commits the caller's result to a task, staking `deal.workerStake`.
     * @param authorization the scheduler's EIP-712 signature of Authorization(worker, taskId)
     */
    function contribute(
        bytes32 dealId,
        Deals.Deal calldata deal,
        uint256 index,
        bytes32 resultHash,
        bytes32 seal,
        bytes calldata authorization
    ) external nonReentrant {
        _requireDeal(dealId, deal);
        _beforeDeadline(dealId, deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _tasks[taskId];
        if (task.phase != Phase.Active) revert WrongPhase(taskId, Phase.Active, task.phase);
        if (resultHash == 0 || seal == 0) revert EmptyContribution();
        bytes32 auth = _hashTypedDataV4(keccak256(abi.encode(AUTHORIZATION_TYPEHASH, msg.sender, taskId)));
        if (!Signatures.isValid(deal.scheduler, auth, authorization)) revert WorkerNotAuthorized(msg.sender, taskId);
        Contribution storage c = _contributions[taskId][msg.sender];
        if (c.resultHash != 0) revert AlreadyContributed(msg.sender, taskId);
        if (task.workers.length >= MAX_CONTRIBUTORS) revert TooManyContributors(taskId);

        _lock(msg.sender, deal.workerStake, taskId);
        c.resultHash = resultHash;
        c.seal = seal;
        task.workers.push(msg.sender);
        emit TaskContributed(taskId, msg.sender, resultHash);

        uint256 group = _groupWeights[taskId][resultHash];
        uint256 joined = Consensus.join(group, Consensus.weight(_accounts[msg.sender].score));
        _groupWeights[taskId][resultHash] = joined;
        uint256 total = task.totalWeight + joined - group;
        task.totalWeight = total;
        if (Consensus.reached(joined, total, deal.trust)) {
            // Reveals must land before the deal's final deadline, so the window never extends past it.
            uint256 revealDeadline = block.timestamp + Deals.REVEAL_DEADLINE_RATIO * deal.categoryTime;
            uint256 finalDeadline = Deals.deadline(deal);
            if (revealDeadline > finalDeadline) revealDeadline = finalDeadline;
            task.phase = Phase.Revealing;
            task.consensusHash = resultHash;
            task.revealDeadline = uint40(revealDeadline);
            emit TaskConsensus(taskId, resultHash, revealDeadline);
        }
    }

    /// @notice Reveals the digest behind the caller's winning contribution.
    function reveal(bytes32 dealId, Deals.Deal calldata deal, uint256 index, bytes32 digest) external {
        _requireDeal(dealId, deal);
        _beforeDeadline(dealId, deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _tasks[taskId];
        if (task.phase != Phase.Revealing) revert WrongPhase(taskId, Phase.Revealing, task.phase);
        if (block.timestamp > task.revealDeadline) revert RevealDeadlinePassed(taskId, task.revealDeadline);
        Contribution storage c = _contributions[taskId][msg.sender];
        if (c.resultHash == 0 || c.resultHash != task.consensusHash) revert NotInConsensus(msg.sender, taskId);
        if (c.revealed) revert AlreadyRevealed(msg.sender, taskId);
        if (
            keccak256(abi.encode(taskId, digest)) != c.resultHash
                || keccak256(abi.encode(msg.sender, taskId, digest)) != c.seal
        ) revert RevealMismatch(msg.sender, taskId);
        if (uint256(digest) <= uint256(IN_PROGRESS)) revert InvalidDigest(digest);
        c.revealed = true;
        task.reveals += 1;
        task.digest = digest;
        emit TaskRevealed(taskId, msg.sender, digest);
    }

    /**
     * @notice Certifies the revealed result, pays winners, slashes losers and silent winners,
     * and calls the deal's callback with `callbackData` (which must hash to the digest).
     */
    function finalize(bytes32 dealId, Deals.Deal calldata deal, uint256 index, bytes calldata callbackData)
        external
        nonReentrant
    {
        _requireDeal(dealId, deal);
        _onlyScheduler(deal);
        _beforeDeadline(dealId, deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _tasks[taskId];
        if (task.phase != Phase.Revealing) revert WrongPhase(taskId, Phase.Revealing, task.phase);

        address[] memory workers = task.workers;
        uint256 winners;
        uint256 losers;
        uint256 inConsensus;
        for (uint256 j = 0; j < workers.length; ++j) {
            Contribution storage c = _contributions[taskId][workers[j]];
            if (c.resultHash == task.consensusHash) ++inConsensus;
            if (c.revealed) winners |= 1 << j;
            else losers |= 1 << j;
        }
        if (task.reveals == 0 || (task.reveals < inConsensus && block.timestamp <= task.revealDeadline)) {
            revert RevealsPending(taskId, task.reveals, inConsensus);
        }
        task.phase = Phase.Done;
        _recordResult(taskId, deal, task.digest, callbackData);

        for (uint256 j = 0; j < workers.length; ++j) {
            _unlock(workers[j], deal.workerStake, taskId);
        }
        Tally memory t = _newTally(deal, workers);
        _tallyTask(t, winners, losers);
        _applyTally(dealId, deal, t);
        if (deal.callback != address(0)) _deliver(taskId, deal.callback);
    }

    function _releaseClassicStakes(bytes32 taskId, uint256 stake) internal override {
        ClassicTask storage task = _tasks[taskId];
        task.phase = Phase.Done;
        address[] memory workers = task.workers;
        for (uint256 j = 0; j < workers.length; ++j) {
            _unlock(workers[j], stake, taskId);
        }
    }

    /// @notice Per-worker path state of a task.
    function classicTaskOf(bytes32 taskId) external view returns (ClassicTask memory) {
        return _tasks[taskId];
    }

    /// @notice The contribution of `worker` to `taskId` on the per-worker path.
    function contributionOf(bytes32 taskId, address worker) external view returns (Contribution memory) {
        return _contributions[taskId][worker];
    }
}
