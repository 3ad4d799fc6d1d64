// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IGridCallback} from "../interfaces/IGridCallback.sol";

/**
 * @dev Callback target for attack tests: it accepts a result only when it is called with at least
 * `needed` gas, and otherwise burns everything it was given (so a starved call shows as a failed
 * delivery). It records the gas it saw on entry, so tests can check that a delivered callback got
 * its whole budget.
 */
contract GasHungryCallback is IGridCallback {
    /// @notice The least gas this callback needs on entry to accept a result.
    uint256 public immutable needed;
    /// @notice Results accepted so far.
    uint256 public received;
    /// @notice The gas left on entry of the last accepted call.
    uint256 public lastEntryGas;

    constructor(uint256 needed_) {
        needed = needed_;
    }

    /// @inheritdoc IGridCallback
    function receiveResult(bytes32, bytes calldata) external {
        uint256 entry = gasleft();
        if (entry < needed) {
            // Starved: fail the way an out-of-gas callback fails, by using up what it was given.
            while (true) {}
        }
        received += 1;
        lastEntryGas = entry;
    }
}
