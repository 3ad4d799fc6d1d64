// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {GridConsumer} from "../consumer/GridConsumer.sol";
import {IGridHub} from "../interfaces/IGridHub.sol";
import {Orders} from "../market/Orders.sol";
import {Deals} from "../poco/Deals.sol";

/**
 * @dev The smallest GridConsumer, for tests: requests on anyone's behalf (paid from the caller's budget),
 * records what it receives, can be told to fail in {_onResult} (to exercise the pull path {settle}) and,
 * by its owner, to accept deals someone else requested.
 */
contract EchoConsumer is GridConsumer {
    bool public failing;
    bool public acceptForeignDeals;
    uint256 public received;
    bytes32 public lastTaskId;
    bytes public lastData;

    error Failing();

    constructor(IGridHub hub_, Pins memory pins_, address[] memory pools_, address owner_)
        GridConsumer(hub_, pins_, pools_, owner_)
    {}

    function setFailing(bool failing_) external {
        failing = failing_;
    }

    function setAcceptForeignDeals(bool accept) external onlyOwner {
        acceptForeignDeals = accept;
    }

    function request(Offer calldata offer, string calldata params, uint256 trust)
        external
        returns (bytes32 dealId, bytes32 taskId)
    {
        return _request(offer, params, trust);
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

    function _acceptDeal(bytes32 dealId, Deals.Deal calldata deal) internal view override returns (bool) {
        return acceptForeignDeals || super._acceptDeal(dealId, deal);
    }
}
