// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @dev Implemented by contracts that receive certified results from the hub.
 * The hub calls `receiveResult` once per finalized task with a bounded gas budget
 * (see {GridHub-CALLBACK_GAS}); a revert does not undo the finalization.
 */
interface IGridCallback {
    /// @param taskId the task whose result is delivered
    /// @param data the callback data; `keccak256(data)` is the consensus digest
    function receiveResult(bytes32 taskId, bytes calldata data) external;
}
