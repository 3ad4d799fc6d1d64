// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {Escrow} from "./escrow/Escrow.sol";
import {Bonds} from "./escrow/Bonds.sol";
import {MarketBase} from "./market/MarketBase.sol";
import {ClassicPath} from "./poco/ClassicPath.sol";
import {SmsDirectory} from "./secrets/SmsDirectory.sol";
import {AppRegistry} from "./registry/AppRegistry.sol";
import {DatasetRegistry} from "./registry/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "./registry/WorkerpoolRegistry.sol";

/**
 * @title GridHubExtension
 * @notice The rarely called half of the hub: bonds ({Bonds}), refunds ({Claims}), the
 * per-worker commit/reveal path ({ClassicPath}) and the directory of secret services ({SmsDirectory}).
 * Call these functions on the hub's address; {GridHub} runs this code by DELEGATECALL on its own storage.
 * @dev Constructed with the hub's arguments so that its immutables (token, registries, the EIP-712
 * name and version, the pool bond minimum) read the same; the EIP-712 domain is rebuilt from
 * `address(this)`, which is the hub's address under DELEGATECALL. Called directly, it only sees
 * its own empty storage, where no deal exists.
 */
contract GridHubExtension is Bonds, ClassicPath, SmsDirectory {
    constructor(
        IERC20 token_,
        AppRegistry apps_,
        DatasetRegistry datasets_,
        WorkerpoolRegistry workerpools_,
        address owner_,
        uint256 minPoolBond_
    ) EIP712("Gridchain", "1") Escrow(token_) MarketBase(apps_, datasets_, workerpools_, minPoolBond_) Ownable(owner_) {}
}
