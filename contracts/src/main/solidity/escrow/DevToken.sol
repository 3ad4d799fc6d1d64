// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @dev Development currency for local chains. Any ERC-20 works as the hub's currency;
 * this one only adds an owner-controlled mint so that dev accounts can be funded.
 */
contract DevToken is ERC20, Ownable {
    constructor(address initialOwner) ERC20("Gridchain Dev Token", "GRID") Ownable(initialOwner) {}

    /// @notice Mints `amount` to `to`. Only the owner (the deployer of the local network) may mint.
    function mint(address to, uint256 amount) external onlyOwner {
        _mint(to, amount);
    }
}
