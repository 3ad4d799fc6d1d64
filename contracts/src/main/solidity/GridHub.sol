// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Escrow} from "./escrow/Escrow.sol";
import {Market} from "./market/Market.sol";
import {ClassicPath} from "./poco/ClassicPath.sol";
import {BatchPath} from "./poco/BatchPath.sol";
import {AppRegistry} from "./registry/AppRegistry.sol";
import {DatasetRegistry} from "./registry/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "./registry/WorkerpoolRegistry.sol";

/**
 * @title GridHub
 * @notice The gridchain protocol: escrow, categories, order matching, and Proof-of-Contribution
 * on two paths (per-worker commit/reveal, and scheduler-aggregated batches).
 * @dev Layout: {Escrow} holds balances, {Market} matches orders into deals, {ClassicPath} and
 * {BatchPath} certify results, {Settlement} pays, slashes, refunds and calls back.
 */
contract GridHub is ClassicPath, BatchPath {
    constructor(
        IERC20 token_,
        AppRegistry apps_,
        DatasetRegistry datasets_,
        WorkerpoolRegistry workerpools_,
        address owner_
    ) EIP712("Gridchain", "1") Escrow(token_) Market(apps_, datasets_, workerpools_) Ownable(owner_) {
        _createCategory("XS", "up to 5 minutes", 300);
        _createCategory("S", "up to 20 minutes", 1_200);
        _createCategory("M", "up to 1 hour", 3_600);
        _createCategory("L", "up to 3 hours", 10_800);
        _createCategory("XL", "up to 10 hours", 36_000);
    }
}
