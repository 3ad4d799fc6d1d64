// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Orders} from "../market/Orders.sol";
import {Market} from "../market/Market.sol";

/**
 * @dev The part of the hub a consumer contract talks to: matching its requests, its escrow,
 * and the certified results. Declared separately so consumers do not compile the hub in.
 */
interface IGridHub {
    function matchOrders(
        Orders.AppOrder calldata appOrder,
        Orders.DatasetOrder calldata datasetOrder,
        Orders.WorkerpoolOrder calldata workerpoolOrder,
        Orders.RequestOrder calldata request,
        Market.MatchSignatures calldata sigs
    ) external returns (bytes32 dealId);

    function accountOf(address account) external view returns (uint256 free, uint256 locked, uint256 score);

    function withdraw(uint256 amount, address to) external;

    function dealHashOf(bytes32 dealId) external view returns (bytes32);

    function typedDataDigest(bytes32 structHash) external view returns (bytes32);

    /// @return status 0 unset, 1 in progress, 2 finalized, 3 claimed
    function taskStatus(bytes32 taskId) external view returns (uint8 status);

    function resultFor(bytes32 taskId) external view returns (bytes memory);

    /// @notice The currency of every price, stake and reward (an ERC-20).
    function token() external view returns (address);

    /// @notice The workerpool registry (an {IGridAssets}).
    function workerpools() external view returns (address);

    function depositFor(address account, uint256 amount) external;

    /// @notice Tasks already consumed from the order with this EIP-712 struct hash (max uint = cancelled).
    function consumedOf(bytes32 orderHash) external view returns (uint256);

    function cancelRequestOrder(Orders.RequestOrder calldata order) external;
}

/// @dev The part of an asset registry a consumer reads: who owns (runs) an asset.
interface IGridAssets {
    /// @notice Owner of `asset`, or the zero address if no such asset exists.
    function ownerOfAsset(address asset) external view returns (address);
}
