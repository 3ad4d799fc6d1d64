// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {Escrow} from "./Escrow.sol";

/**
 * @dev Bonds: the stake a worker keeps in one pool to back its contributions there, and the
 * bond a pool's owner keeps in its own pool to serve. A bond leaves only {Escrow-UNBOND_DELAY}
 * after its owner asks, so it is still there when any contribution it backed is settled.
 */
abstract contract Bonds is Escrow {
    /**
     * @notice Bonds `amount` of the caller's free tokens for `worker` in the pool of `scheduler`
     * (`worker == scheduler` bonds the pool itself). A worker bonding for itself cancels its pending
     * withdrawal request: the whole bond backs new contributions again. Anyone else's bond only adds
     * to it, so that nobody can keep a worker or a pool from leaving.
     */
    function bondFor(address scheduler, address worker, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Account storage acc = _accounts[msg.sender];
        if (acc.free < amount) revert InsufficientFreeBalance(msg.sender, amount, acc.free);
        acc.free -= uint112(amount);
        PoolStake storage s = _stakes[scheduler][worker];
        s.bond += SafeCast.toUint96(amount);
        if (msg.sender == worker) s.unbondAt = 0;
        emit Bonded(scheduler, worker, msg.sender, amount);
    }

    /// @notice Starts the {UNBOND_DELAY} after which the caller's bond in the pool of `scheduler` may leave.
    function requestUnbond(address scheduler) external {
        uint256 unbondAt = block.timestamp + UNBOND_DELAY;
        _stakes[scheduler][msg.sender].unbondAt = uint32(unbondAt);
        emit UnbondRequested(scheduler, msg.sender, unbondAt);
    }

    /// @notice Moves `amount` of the caller's bond in the pool of `scheduler` to its free balance, once the delay passed.
    function unbond(address scheduler, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        PoolStake storage s = _stakes[scheduler][msg.sender];
        uint256 unbondAt = s.unbondAt;
        if (unbondAt == 0 || block.timestamp < unbondAt) revert BondStillLocked(scheduler, msg.sender, unbondAt);
        if (s.bond < amount) revert InsufficientBond(scheduler, msg.sender, amount, s.bond);
        s.bond -= uint96(amount);
        _accounts[msg.sender].free += uint112(amount);
        emit Unbonded(scheduler, msg.sender, amount);
    }

    /// @notice Moves the caller's earnings in the pool of `scheduler` to its free balance.
    function collect(address scheduler) external returns (uint256 amount) {
        PoolStake storage s = _stakes[scheduler][msg.sender];
        amount = s.earned;
        if (amount == 0) revert ZeroAmount();
        s.earned = 0;
        _accounts[msg.sender].free += uint112(amount);
        emit EarningsCollected(scheduler, msg.sender, amount);
    }

    /// @notice `worker`'s bond, unpaid earnings, reputation score and withdrawal time in the pool of `scheduler`.
    function stakeOf(address scheduler, address worker)
        external
        view
        returns (uint256 bond, uint256 earned, uint256 score, uint256 unbondAt)
    {
        PoolStake memory s = _stakes[scheduler][worker];
        return (s.bond, s.earned, s.score, s.unbondAt);
    }

}
