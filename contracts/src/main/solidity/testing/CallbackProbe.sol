// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IGridCallback} from "../interfaces/IGridCallback.sol";

/**
 * @dev Fault-injecting callback target for tests. Depending on `mode` it records the result,
 * reverts, burns all its gas, or tries to re-enter the hub with a call prepared by the test.
 */
contract CallbackProbe is IGridCallback {
    enum Mode {
        Record,
        Revert,
        BurnGas,
        Reenter
    }

    Mode public mode;
    address public hub;
    bytes public reentryCall;
    bool public reentrySucceeded;
    bytes public reentryError;
    uint256 public received;
    bytes32 public lastTaskId;
    bytes public lastData;

    error Refused();

    constructor(Mode mode_) {
        mode = mode_;
    }

    function setReentry(address hub_, bytes calldata call_) external {
        hub = hub_;
        reentryCall = call_;
    }

    function receiveResult(bytes32 taskId, bytes calldata data) external {
        if (mode == Mode.Revert) revert Refused();
        if (mode == Mode.BurnGas) {
            while (true) {}
        }
        if (mode == Mode.Reenter) {
            (bool ok, bytes memory ret) = hub.call(reentryCall);
            reentrySucceeded = ok;
            reentryError = ret;
        }
        received += 1;
        lastTaskId = taskId;
        lastData = data;
    }
}
