// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @dev A hostile ERC-1271 signer for attack tests: `isValidSignature` loops until it runs out of
 * gas, to try to make whoever checks its orders (the hub, and whoever sends the match) pay for
 * everything the transaction was given.
 */
contract GasBurningSigner is IERC1271 {
    /// @notice Never returns: burns all the gas it is given.
    function isValidSignature(bytes32, bytes calldata) external pure returns (bytes4) {
        while (true) {}
        return this.isValidSignature.selector;
    }
}
