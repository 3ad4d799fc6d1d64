// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

/**
 * @dev Base of the three asset registries (apps, datasets, workerpools).
 *
 * An asset is an ERC-721 token whose id is the asset's address: orders and restrictions
 * name assets by address, and the token's current owner is who signs the asset's orders.
 * Addresses are derived from a hash instead of deploying one contract per asset, which is
 * what makes registration cheap (iExec deploys a contract per asset, ~550-625k gas).
 */
abstract contract AssetRegistry is ERC721 {
    uint256 private _created;

    constructor(string memory name_, string memory symbol_) ERC721(name_, symbol_) {}

    /// @notice Number of assets ever registered here.
    function assetCount() external view returns (uint256) {
        return _created;
    }

    /// @notice Owner of the asset at `asset`, or the zero address if no such asset exists.
    function ownerOfAsset(address asset) public view returns (address) {
        return _ownerOf(uint256(uint160(asset)));
    }

    /// @dev Mints a new asset token to `owner` and returns its address.
    function _register(address owner) internal returns (address asset) {
        uint256 nonce = ++_created;
        asset = address(uint160(uint256(keccak256(abi.encode(block.chainid, address(this), nonce)))));
        _safeMint(owner, uint256(uint160(asset)));
    }

    /// @dev Reverts with ERC721NonexistentToken when `asset` is not registered here.
    function _requireAsset(address asset) internal view {
        _requireOwned(uint256(uint160(asset)));
    }
}
