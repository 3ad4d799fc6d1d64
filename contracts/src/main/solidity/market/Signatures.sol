// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";

/**
 * @dev Signature check for EOAs and ERC-1271 contract accounts.
 *
 * Unlike OpenZeppelin's SignatureChecker it tries ECDSA first and only then asks the
 * signer's code: the EXTCODESIZE it would otherwise run costs 2,600 gas per cold signer,
 * and the hot paths check several signatures per transaction. The signer's code is
 * untrusted (anyone can sign orders with a contract), so it gets at most {ERC1271_GAS} and
 * its answer is read without copying more than one word: a hostile signer cannot burn the
 * caller's gas nor grief it with a huge return. No signature is ever valid for address(0).
 */
library Signatures {
    uint256 internal constant ERC1271_GAS = 100_000;

    function isValid(address signer, bytes32 digest, bytes calldata signature) internal view returns (bool) {
        if (signer == address(0)) return false;
        if (signature.length == 65) {
            (address recovered, ECDSA.RecoverError err,) = ECDSA.tryRecover(
                digest, uint8(signature[64]), bytes32(signature[0:32]), bytes32(signature[32:64])
            );
            if (err == ECDSA.RecoverError.NoError && recovered == signer) return true;
        }
        if (signer.code.length == 0) return false;
        bytes memory query = abi.encodeCall(IERC1271.isValidSignature, (digest, signature));
        bool success;
        bytes32 answer;
        uint256 returned;
        uint256 budget = ERC1271_GAS;
        assembly ("memory-safe") {
            success := staticcall(budget, signer, add(query, 0x20), mload(query), 0, 0x20)
            returned := returndatasize()
            answer := mload(0)
        }
        return success && returned >= 32 && answer == bytes32(IERC1271.isValidSignature.selector);
    }
}
