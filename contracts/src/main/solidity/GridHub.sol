// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Escrow} from "./escrow/Escrow.sol";
import {Market} from "./market/Market.sol";
import {BatchPath} from "./poco/BatchPath.sol";
import {AppRegistry} from "./registry/AppRegistry.sol";
import {DatasetRegistry} from "./registry/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "./registry/WorkerpoolRegistry.sol";
import {GridHubExtension} from "./GridHubExtension.sol";

/**
 * @title GridHub
 * @notice The gridchain protocol: escrow, categories, order matching, and Proof-of-Contribution
 * on two paths (per-worker commit/reveal, and scheduler-aggregated batches).
 * @dev Layout: {Escrow} holds balances, {Market} matches orders into deals, {BatchPath} certifies
 * results and {Settlement} pays, slashes and calls back. The hot paths (matching, batches) live
 * here; the rarely called rest (bonds, refunds, the per-worker path) lives in {GridHubExtension},
 * which this contract runs by DELEGATECALL on its own storage: together they exceed the
 * 24,576-byte code limit of EIP-170. Both inherit the same storage-bearing bases in the same order,
 * and only the extension declares state of its own, after them.
 */
contract GridHub is Market, BatchPath {
    /// @notice The code behind every function this contract does not define itself.
    address public immutable extension;

    constructor(
        IERC20 token_,
        AppRegistry apps_,
        DatasetRegistry datasets_,
        WorkerpoolRegistry workerpools_,
        address owner_,
        uint256 minPoolBond_,
        GridHubExtension extension_
    ) EIP712("Gridchain", "1") Escrow(token_) Market(apps_, datasets_, workerpools_, minPoolBond_) Ownable(owner_) {
        extension = address(extension_);
        _createCategory("XS", "up to 5 minutes", 300);
        _createCategory("S", "up to 20 minutes", 1_200);
        _createCategory("M", "up to 1 hour", 3_600);
        _createCategory("L", "up to 3 hours", 10_800);
        _createCategory("XL", "up to 10 hours", 36_000);
    }

    /// @dev Runs the extension's code on this contract's storage, returning or reverting as it does.
    fallback() external {
        address target = extension;
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), target, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) { revert(0, returndatasize()) }
            return(0, returndatasize())
        }
    }
}
