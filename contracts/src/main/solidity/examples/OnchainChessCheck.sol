// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ChessRules} from "./ChessRules.sol";

/**
 * @title OnchainChessCheck
 * @notice The chess example's baseline: decides a move entirely on-chain (legal-move generation in the EVM).
 * Used only to measure its gas next to asking gridchain ({ChessGame}); nothing else depends on it.
 */
contract OnchainChessCheck {
    /// @notice `move` was decided on-chain in (board, flags): `status` of the position reached.
    event Checked(uint256 indexed board, uint256 move, uint256 status, uint256 newBoard, uint256 newFlags);

    /// @notice The same answer as the chess app's `move` command: status, and the position reached.
    function check(uint256 board, uint256 flags, uint256 move)
        public
        pure
        returns (uint256 status, uint256 newBoard, uint256 newFlags)
    {
        return ChessRules.check(board, flags, move);
    }

    /// @notice {check} in a transaction, so that its cost is what a contract deciding on-chain pays.
    function checkAndRecord(uint256 board, uint256 flags, uint256 move) external {
        (uint256 status, uint256 newBoard, uint256 newFlags) = ChessRules.check(board, flags, move);
        emit Checked(board, move, status, newBoard, newFlags);
    }
}
