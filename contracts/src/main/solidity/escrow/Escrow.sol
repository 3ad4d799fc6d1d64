// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";

/**
 * @dev Token escrow: every account's balance is split into free and locked parts.
 *
 * Invariant: the sum of all free and locked balances equals the hub's token balance
 * (the hub keeps no fees). Each account also carries its worker reputation score in the
 * same storage slot, so paying a worker and updating its reputation is a single write.
 */
abstract contract Escrow {
    using SafeERC20 for IERC20;

    struct Account {
        uint112 free;
        uint112 locked;
        uint32 score;
    }

    /// @notice The currency of every price, stake and reward.
    IERC20 public immutable token;

    mapping(address account => Account) internal _accounts;

    /// @dev `account` has `available` free tokens, fewer than the `needed` ones.
    error InsufficientFreeBalance(address account, uint256 needed, uint256 available);
    /// @dev Deposits and withdrawals of zero tokens are refused.
    error ZeroAmount();

    event Deposit(address indexed account, address indexed from, uint256 amount);
    event Withdraw(address indexed account, address indexed to, uint256 amount);
    /// @dev Free tokens became locked (a requester's payment or a scheduler's or worker's stake).
    event Lock(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Locked tokens became free again.
    event Unlock(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Tokens were taken from an account as a penalty (a lost stake).
    event Seize(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Locked tokens were spent as the payment for tasks.
    event Charge(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev Tokens were credited to an account's free balance (a payment, reward or refund).
    event Reward(address indexed account, uint256 amount, bytes32 indexed ref);
    /// @dev A worker's reputation score changed.
    event ScoreUpdated(address indexed worker, uint256 score);

    constructor(IERC20 token_) {
        token = token_;
    }

    /// @notice Moves `amount` tokens from the caller into `account`'s free balance.
    /// @dev Credits what actually arrived, so fee-on-transfer tokens keep the invariant.
    function depositFor(address account, uint256 amount) public {
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
    function withdraw(uint256 amount, address to) external {
        if (amount == 0) revert ZeroAmount();
        Account storage acc = _accounts[msg.sender];
        if (acc.free < amount) revert InsufficientFreeBalance(msg.sender, amount, acc.free);
        acc.free -= uint112(amount);
        emit Withdraw(msg.sender, to, amount);
        token.safeTransfer(to, amount);
    }

    /// @notice Free balance, locked balance and reputation score of `account`.
    function accountOf(address account) external view returns (uint256 free, uint256 locked, uint256 score) {
        Account memory acc = _accounts[account];
        return (acc.free, acc.locked, acc.score);
    }

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

    /// @dev Takes locked tokens as a penalty; the caller credits them to their recipients.
    function _seizeLocked(address account, uint256 amount, bytes32 ref) internal {
        _accounts[account].locked -= SafeCast.toUint112(amount);
        emit Seize(account, amount, ref);
    }

    function _reward(address account, uint256 amount, bytes32 ref) internal {
        if (amount == 0) return;
        _accounts[account].free += SafeCast.toUint112(amount);
        emit Reward(account, amount, ref);
    }
}
