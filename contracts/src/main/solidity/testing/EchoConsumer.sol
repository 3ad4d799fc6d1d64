// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GridConsumer} from "../consumer/GridConsumer.sol";
import {IGridHub} from "../interfaces/IGridHub.sol";
import {Orders} from "../market/Orders.sol";

/**
 * @dev The smallest GridConsumer, for tests: requests on anyone's behalf, records what it receives,
 * and can be told to fail in {_onResult} (to exercise the pull path {settle}).
 */
contract EchoConsumer is GridConsumer {
    bool public failing;
    uint256 public received;
    bytes32 public lastTaskId;
    bytes public lastData;

    error Failing();

    constructor(IGridHub hub_) GridConsumer(hub_) {}

    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function request(Offer calldata offer, string calldata params, uint256 category, uint256 trust, uint256 budget)
        external
        returns (bytes32 dealId, bytes32 taskId)
    {
        return _request(offer, params, category, trust, budget);
    }

    function approveRequest(Orders.RequestOrder calldata order) external returns (bytes32) {
        return _approveRequest(order);
    }

    function _onResult(bytes32 taskId, bytes memory data) internal override {
        if (failing) revert Failing();
        received += 1;
        lastTaskId = taskId;
        lastData = data;
    }
}
