// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

/**
 * @dev Token escrow. Every account's balance is split into free and locked parts; a worker's
 * stake lives apart, in one bond per pool (see {PoolStake}).
 *
 * Invariant: the sum of all free and locked balances, bonds and unpaid earnings equals the
 * hub's token balance. Seized stakes are credited to {BURN}, an account nobody controls, so
 * that no party (least of all the one deciding who loses) profits from a penalty.
 */
abstract contract Escrow is ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    struct Account {
        uint112 free;
        uint112 locked;
        // A pool owner's reputation: tasks its pool certified with a price, minus 10 per task refunded
        // after a missed deadline. Workers' reputation is per pool, in {PoolStake}.
        uint32 score;
    }

    /**
     * @dev A worker's standing in one pool (keyed by the pool's owner, the deal's scheduler): the
     * stake that backs its contributions there, the rewards it earned there, its reputation there,
     * and when its bond may leave. One slot, read and written once per worker per batch, so that
     * per-pool reputation and bonded stakes cost no more gas than one global balance did.
     * A pool owner's own bond (`_stakes[owner][owner]`) is the pool's bond, which it needs to serve.
     */
    struct PoolStake {
        uint96 bond;
        uint96 earned;
        uint32 score;
        uint32 unbondAt; // 0 = no withdrawal requested
    }

    /**
     * @dev A bond may leave this long after its owner asks. It exceeds the longest deadline a
     * contribution can back (10 category times of at most {MAX_CATEGORY_TIME}), so every
     * contribution made before the request is settled, and slashable, before the bond can leave.
     */
    uint256 public constant UNBOND_DELAY = 11 days;

    /// @dev Where seized stakes go: an address without a key, so penalties reward nobody.
    address public constant BURN = address(0xdEaD);

    /// @notice The currency of every price, stake and reward.
    IERC20 public immutable token;

    mapping(address account => Account) internal _accounts;
    mapping(address scheduler => mapping(address worker => PoolStake)) internal _stakes;

    /// @dev `account` has `available` free tokens, fewer than the `needed` ones.
    error InsufficientFreeBalance(address account, uint256 needed, uint256 available);
    /// @dev Deposits, withdrawals and bonds of zero tokens are refused.
    error ZeroAmount();
    /// @dev `worker` has `available` bonded in the pool of `scheduler`, fewer than the `needed` ones.
    error InsufficientBond(address scheduler, address worker, uint256 needed, uint256 available);
    /// @dev The bond may leave only from `unbondAt` on (0: no withdrawal was requested).
    error BondStillLocked(address scheduler, address worker, uint256 unbondAt);

    event Deposit(address indexed account, address indexed from, uint256 amount);
    event Withdraw(address indexed account, address indexed to, uint256 amount);
    /// @dev Free tokens became locked (a requester's payment or a scheduler's stake).
    event Lock(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Locked tokens became free again.
    event Unlock(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Tokens were taken from an account or a bond as a penalty, and burned.
    event Seize(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Locked tokens were spent as the payment for tasks.
    event Charge(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Tokens were credited to an account's free balance or a worker's earnings.
    event Reward(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev A pool owner's reputation score changed.
    event ScoreUpdated(address indexed account, uint256 score);
    /// @dev A worker's reputation score in the pool of `scheduler` changed.
    event PoolScoreUpdated(address indexed scheduler, address indexed worker, uint256 score);
    event Bonded(address indexed scheduler, address indexed worker, address from, uint256 amount);
    event UnbondRequested(address indexed scheduler, address indexed worker, uint256 unbondAt);
    event Unbonded(address indexed scheduler, address indexed worker, uint256 amount);
    event EarningsCollected(address indexed scheduler, address indexed worker, uint256 amount);

    constructor(IERC20 token_) {
        token = token_;
    }

    // ---------------------------------------------------------------- free balance

    /// @notice Moves `amount` tokens from the caller into `account`'s free balance.
    /// @dev Credits what actually arrived, so fee-on-transfer tokens keep the invariant; guarded
    /// because a token with transfer hooks could otherwise re-enter between the two balance reads.
    function depositFor(address account, uint256 amount) public nonReentrant {
        if (amount == 0) revert ZeroAmount();
        uint256 before = token.balanceOf(address(this));
        token.safeTransferFrom(msg.sender, address(this), amount);
        uint256 received = token.balanceOf(address(this)) - before;
        _accounts[account].free += SafeCast.toUint112(received);
        emit Deposit(account, msg.sender, received);
    }

    /// @notice Moves `amount` tokens from the caller into the caller's free balance.
    function deposit(uint256 amount) external {
        depositFor(msg.sender, amount);
    }

    /// @notice Sends `amount` of the caller's free tokens to `to`.
    function withdraw(uint256 amount, address to) external nonReentrant {
        if (amount == 0) revert ZeroAmount();
        Account storage acc = _accounts[msg.sender];
        if (acc.free < amount) revert InsufficientFreeBalance(msg.sender, amount, acc.free);
        acc.free -= uint112(amount);
        emit Withdraw(msg.sender, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @notice Free balance, locked balance and reputation score (as a pool owner) of `account`.
    function accountOf(address account) external view returns (uint256 free, uint256 locked, uint256 score) {
        Account memory acc = _accounts[account];
        return (acc.free, acc.locked, acc.score);
    }

    // ---------------------------------------------------------------- internal moves

    function _lock(address account, uint256 amount, bytes32 ref) internal {
        Account storage acc = _accounts[account];
        if (acc.free < amount) revert InsufficientFreeBalance(account, amount, acc.free);
        acc.free -= uint112(amount);
        acc.locked += uint112(amount);
        emit Lock(account, amount, ref);
    }

    function _unlock(address account, uint256 amount, bytes32 ref) internal {
        Account storage acc = _accounts[account];
        acc.locked -= SafeCast.toUint112(amount);
        acc.free += uint112(amount);
        emit Unlock(account, amount, ref);
    }

    /// @dev Spends locked tokens; the caller credits them to their recipients.
    function _charge(address account, uint256 amount, bytes32 ref) internal {
        _accounts[account].locked -= SafeCast.toUint112(amount);
        emit Charge(account, amount, ref);
    }

    /// @dev Takes locked tokens as a penalty and burns them.
    function _seizeLocked(address account, uint256 amount, bytes32 ref) internal {
        if (amount == 0) return;
        _accounts[account].locked -= SafeCast.toUint112(amount);
        emit Seize(account, amount, ref);
        _burn(amount);
    }

    /// @dev Credits seized tokens to {BURN}; the caller emitted the Seize events.
    function _burn(uint256 amount) internal {
        if (amount == 0) return;
        _accounts[BURN].free += SafeCast.toUint112(amount);
    }

    function _reward(address account, uint256 amount, bytes32 ref) internal {
        if (amount == 0) return;
        _accounts[account].free += SafeCast.toUint112(amount);
        emit Reward(account, amount, ref);
    }
}
