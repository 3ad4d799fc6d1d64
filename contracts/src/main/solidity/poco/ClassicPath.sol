// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Claims} from "./Claims.sol";
import {Deals} from "./Deals.sol";
import {Consensus} from "./Consensus.sol";
import {Signatures} from "../market/Signatures.sol";

/**
 * @dev The per-worker path: each worker commits and reveals in its own transactions.
 *
 * Lifecycle of a task on this path, with every window inside the deal's deadline D
 * (T is the category time):
 *
 *   initialize ──> Active ──contribute*──> close ──> Revealing ──reveal*──> finalize
 *   (scheduler)    until D - 3T            (scheduler, or    until close + 2T   (scheduler once all
 *                                           D - 3T passing)   <= D - T           revealed; anyone after)
 *
 * `contribute` carries the scheduler's EIP-712 authorization for (worker, task) and commits only
 * `seal = keccak256(abi.encode(worker, taskId, digest, salt))` with a secret salt: nothing about
 * the result is public before the commit window closes, so a lazy worker can neither copy a vote
 * nor brute-force a low-entropy result from it. Votes are counted as they are revealed; the
 * heaviest revealed result wins if it reaches the deal's trust under {Consensus}. Whoever
 * committed and did not reveal is slashed (the one misbehaviour the chain can prove), both at
 * finalization and when the task is claimed after the deadline; so is whoever revealed another
 * result. Finalization cannot be blocked: after the reveal window anyone may finalize, and the
 * window ends a category time before the deadline.
 */
abstract contract ClassicPath is Claims {
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
        bytes32 bestDigest;
        uint256 bestWeight;
        uint256 totalWeight;
        address[] workers;
    }

    struct Contribution {
        bytes32 seal;
        bytes32 digest; // zero until revealed
    }

    /// @dev Bounds every loop over a task's contributors.
    uint256 public constant MAX_CONTRIBUTORS = 32;
    /// @dev Contributions close this many category times before the deadline: 2 to reveal, 1 to finalize.
    uint256 internal constant CLOSE_BEFORE_DEADLINE_RATIO = 3;

    bytes32 internal constant AUTHORIZATION_TYPEHASH = keccak256("Authorization(address worker,bytes32 taskId)");

    mapping(bytes32 taskId => ClassicTask) private _tasks;
    mapping(bytes32 taskId => mapping(address worker => Contribution)) private _contributions;
    mapping(bytes32 taskId => mapping(bytes32 digest => uint256)) private _groupWeights;
    /// @dev Stakes a worker's open contributions on this path hold against its bond in a pool, so that one bond
    /// cannot back more open contributions than it can pay for.
    mapping(address scheduler => mapping(address worker => uint256)) private _committed;

    error WrongPhase(bytes32 taskId, Phase expected, Phase actual);
    error WorkerNotAuthorized(address worker, bytes32 taskId);
    error AlreadyContributed(address worker, bytes32 taskId);
    error TooManyContributors(bytes32 taskId);
    error EmptyContribution();
    error NoContributions(bytes32 taskId);
    error ContributionsClosed(bytes32 taskId, uint256 closedAt);
    error NotContributor(address worker, bytes32 taskId);
    error AlreadyRevealed(address worker, bytes32 taskId);
    error RevealMismatch(address worker, bytes32 taskId);
    error RevealDeadlinePassed(bytes32 taskId, uint256 revealDeadline);
    error RevealsPending(bytes32 taskId, uint256 revealed, uint256 contributors);
    error NoConsensusReached(bytes32 taskId, bytes32 bestDigest);

    event TaskInitialized(bytes32 indexed taskId, bytes32 indexed dealId, uint256 index);
    event TaskContributed(bytes32 indexed taskId, address indexed worker, bytes32 seal);
    event ContributionsClosedAt(bytes32 indexed taskId, uint256 revealDeadline);
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
     * @notice Commits the caller's result to a task; its bond in the deal's pool backs one stake.
     * @param seal keccak256(abi.encode(worker, taskId, digest, salt)) with a salt the worker keeps secret
     * @param authorization the scheduler's EIP-712 signature of Authorization(worker, taskId)
     */
    function contribute(bytes32 dealId, Deals.Deal calldata deal, uint256 index, bytes32 seal, bytes calldata authorization)
        external
        nonReentrant
    {
        _requireDeal(dealId, deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _tasks[taskId];
        if (task.phase != Phase.Active) revert WrongPhase(taskId, Phase.Active, task.phase);
        uint256 closesAt = _closesAt(deal);
        if (block.timestamp >= closesAt) revert ContributionsClosed(taskId, closesAt);
        if (seal == 0) revert EmptyContribution();
        bytes32 auth = _hashTypedDataV4(keccak256(abi.encode(AUTHORIZATION_TYPEHASH, msg.sender, taskId)));
        if (!Signatures.isValid(deal.scheduler, auth, authorization)) revert WorkerNotAuthorized(msg.sender, taskId);
        Contribution storage c = _contributions[taskId][msg.sender];
        if (c.seal != 0) revert AlreadyContributed(msg.sender, taskId);
        if (task.workers.length >= MAX_CONTRIBUTORS) revert TooManyContributors(taskId);
        PoolStake memory s = _stakes[deal.scheduler][msg.sender];
        uint256 committed = _committed[deal.scheduler][msg.sender] + deal.workerStake;
        if (s.bond < committed) revert InsufficientBond(deal.scheduler, msg.sender, committed, s.bond);
        uint256 deadline = Deals.deadline(deal);
        if (s.unbondAt != 0 && s.unbondAt <= deadline) revert BondLeavesBeforeDeadline(msg.sender, s.unbondAt, deadline);

        _committed[deal.scheduler][msg.sender] = committed;
        c.seal = seal;
        task.workers.push(msg.sender);
        emit TaskContributed(taskId, msg.sender, seal);
    }

    /// @notice Closes contributions and opens the reveal window. Only the deal's scheduler may; after D - 3T they close by themselves.
    function close(bytes32 dealId, Deals.Deal calldata deal, uint256 index) external {
        _requireDeal(dealId, deal);
        _onlyScheduler(deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _tasks[taskId];
        if (task.phase != Phase.Active) revert WrongPhase(taskId, Phase.Active, task.phase);
        if (task.workers.length == 0) revert NoContributions(taskId);
        uint256 closesAt = _closesAt(deal);
        if (block.timestamp >= closesAt) revert ContributionsClosed(taskId, closesAt);
        _openReveals(taskId, task, block.timestamp, deal);
    }

    /// @notice Reveals the digest and salt behind the caller's seal; the vote counts with the caller's weight in the pool.
    function reveal(bytes32 dealId, Deals.Deal calldata deal, uint256 index, bytes32 digest, bytes32 salt) external {
        _requireDeal(dealId, deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _revealing(taskId, deal);
        if (block.timestamp > task.revealDeadline) revert RevealDeadlinePassed(taskId, task.revealDeadline);
        Contribution storage c = _contributions[taskId][msg.sender];
        if (c.seal == 0) revert NotContributor(msg.sender, taskId);
        if (c.digest != 0) revert AlreadyRevealed(msg.sender, taskId);
        if (keccak256(abi.encode(msg.sender, taskId, digest, salt)) != c.seal) revert RevealMismatch(msg.sender, taskId);
        if (uint256(digest) <= uint256(IN_PROGRESS)) revert InvalidDigest(digest);
        c.digest = digest;
        task.reveals += 1;

        PoolStake memory s = _stakes[deal.scheduler][msg.sender];
        uint256 w = Consensus.weight(Consensus.effectiveScore(s.score, s.bond, deal.workerStake));
        uint256 group = _groupWeights[taskId][digest];
        uint256 joined = Consensus.join(group, w);
        _groupWeights[taskId][digest] = joined;
        task.totalWeight = task.totalWeight + joined - group;
        if (joined > task.bestWeight) {
            task.bestWeight = joined;
            task.bestDigest = digest;
        }
        emit TaskRevealed(taskId, msg.sender, digest);
    }

    /**
     * @notice Certifies the heaviest revealed result if it reaches the deal's trust, pays its
     * voters, slashes the others and the silent, and calls the deal's callback with
     * `callbackData` (which must hash to the digest). The scheduler may finalize once everyone
     * revealed; anyone may after the reveal window.
     */
    function finalize(bytes32 dealId, Deals.Deal calldata deal, uint256 index, bytes calldata callbackData)
        external
        nonReentrant
    {
        _requireDeal(dealId, deal);
        _beforeDeadline(dealId, deal);
        bytes32 taskId = _taskIdIn(dealId, deal, index);
        ClassicTask storage task = _revealing(taskId, deal);
        address[] memory workers = task.workers;
        if (block.timestamp <= task.revealDeadline) {
            _onlyScheduler(deal);
            if (task.reveals < workers.length) revert RevealsPending(taskId, task.reveals, workers.length);
        }
        bytes32 best = task.bestDigest;
        if (best == 0 || !Consensus.reached(task.bestWeight, task.totalWeight, deal.trust)) {
            revert NoConsensusReached(taskId, best);
        }
        task.phase = Phase.Done;
        _recordResult(taskId, deal, best, callbackData);

        uint256 winners;
        uint256 losers;
        for (uint256 j = 0; j < workers.length; ++j) {
            if (_contributions[taskId][workers[j]].digest == best) winners |= 1 << j;
            else losers |= 1 << j;
        }
        _release(deal, workers);
        Tally memory t = _newTally(deal, workers);
        _tallyTask(t, winners, losers);
        _applyTally(dealId, deal, t);
        if (deal.callback != address(0)) _deliver(taskId, deal.callback);
    }

    function _settleUnfinishedClassic(bytes32 taskId, Deals.Deal calldata deal) internal override {
        ClassicTask storage task = _tasks[taskId];
        task.phase = Phase.Done;
        address[] memory workers = task.workers;
        _release(deal, workers);
        mapping(address worker => PoolStake) storage pool = _stakes[deal.scheduler];
        uint256 burned;
        for (uint256 j = 0; j < workers.length; ++j) {
            if (_contributions[taskId][workers[j]].digest != 0) continue;
            PoolStake storage s = pool[workers[j]];
            uint256 seized = s.bond < deal.workerStake ? s.bond : deal.workerStake;
            s.bond -= uint96(seized);
            s.score = 0;
            burned += seized;
            emit Seize(workers[j], seized, taskId);
            emit PoolScoreUpdated(deal.scheduler, workers[j], 0);
        }
        _burn(burned);
    }

    /// @dev The task is settled: its contributions no longer hold their stakes against the bonds.
    function _release(Deals.Deal calldata deal, address[] memory workers) private {
        mapping(address worker => uint256) storage committed = _committed[deal.scheduler];
        for (uint256 j = 0; j < workers.length; ++j) {
            committed[workers[j]] -= deal.workerStake;
        }
    }

    /// @notice The stakes `worker`'s open per-worker contributions hold against its bond in the pool of `scheduler`.
    function committedOf(address scheduler, address worker) external view returns (uint256) {
        return _committed[scheduler][worker];
    }

    /// @dev The task in its reveal phase, opening it first if contributions closed by time.
    function _revealing(bytes32 taskId, Deals.Deal calldata deal) private returns (ClassicTask storage task) {
        task = _tasks[taskId];
        if (task.phase == Phase.Active && block.timestamp >= _closesAt(deal) && task.workers.length != 0) {
            _openReveals(taskId, task, _closesAt(deal), deal);
        }
        if (task.phase != Phase.Revealing) revert WrongPhase(taskId, Phase.Revealing, task.phase);
    }

    function _openReveals(bytes32 taskId, ClassicTask storage task, uint256 closedAt, Deals.Deal calldata deal) private {
        uint256 revealDeadline = closedAt + Deals.REVEAL_DEADLINE_RATIO * deal.categoryTime;
        task.phase = Phase.Revealing;
        task.revealDeadline = uint40(revealDeadline);
        emit ContributionsClosedAt(taskId, revealDeadline);
    }

    function _closesAt(Deals.Deal calldata deal) private pure returns (uint256) {
        return Deals.deadline(deal) - CLOSE_BEFORE_DEADLINE_RATIO * deal.categoryTime;
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
