// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Escrow} from "../escrow/Escrow.sol";
import {Categories} from "./Categories.sol";
import {Deals} from "../poco/Deals.sol";
import {AppRegistry} from "../registry/AppRegistry.sol";
import {DatasetRegistry} from "../registry/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "../registry/WorkerpoolRegistry.sol";

/**
 * @dev The market's state, without the matching code: the orders' consumption, pre-signatures and
 * the deals. Settlement and the hub's extension need this state but not {Market}'s code, which
 * would not fit twice under the EIP-170 code limit.
 */
abstract contract MarketBase is EIP712, Escrow, Categories {
    uint256 internal constant CANCELLED = type(uint256).max;

    /// @notice The least a pool's owner must keep bonded in its own pool (`stakeOf(owner, owner)`) to make deals.
    uint256 public immutable minPoolBond;

    AppRegistry public immutable apps;
    DatasetRegistry public immutable datasets;
    WorkerpoolRegistry public immutable workerpools;

    mapping(bytes32 orderHash => uint256) internal _consumed;
    mapping(bytes32 orderHash => address signer) internal _presigned;
    mapping(bytes32 dealId => bytes32) internal _deals;

    error UnknownDeal(bytes32 dealId);

    constructor(AppRegistry apps_, DatasetRegistry datasets_, WorkerpoolRegistry workerpools_, uint256 minPoolBond_) {
        minPoolBond = minPoolBond_ == 0 ? 1 : minPoolBond_;
        apps = apps_;
        datasets = datasets_;
        workerpools = workerpools_;
    }

    function _requireDeal(bytes32 dealId, Deals.Deal calldata deal) internal view {
        bytes32 stored = _deals[dealId];
        if (stored == 0 || stored != Deals.hash(deal)) revert UnknownDeal(dealId);
    }
}
