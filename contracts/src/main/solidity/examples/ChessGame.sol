// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Strings} from "@openzeppelin/contracts/utils/Strings.sol";
import {GridConsumer} from "../consumer/GridConsumer.sol";
import {IGridHub} from "../interfaces/IGridHub.sol";
import {Deals} from "../poco/Deals.sol";

/**
 * @title ChessGame
 * @notice Two players play chess on-chain; the chain never runs the rules. After each move the game asks
 * gridchain (the `chess` WebAssembly app) whether the move is legal and whether the position reached is
 * checkmate, stalemate or still in play; the certified answer comes back through {receiveResult} and
 * ends the game or hands the move to the other player. An illegal move is refused and must be replayed.
 *
 * The game is safe by default ({GridConsumer}): every move is decided by the pinned chess app, on an accepted
 * workerpool, at the pinned trust and within the pinned prices, whatever offer a player passes; a player's own
 * "always checkmate" app or its own pool is refused before matching. Each player pays for the checks of its own
 * moves from its own budget ({GridConsumer-deposit}); nobody can spend or withdraw the other player's, and each
 * withdraws what is left whenever it wants, the game over or not. Positions use the encoding of {ChessRules}.
 */
contract ChessGame is GridConsumer {
    enum State {
        None,
        AwaitingMove, // the side to move may move
        AwaitingVerdict, // a move is with gridchain
        WhiteWon,
        BlackWon,
        Draw
    }

    struct Game {
        address white;
        address black;
        uint256 board;
        uint16 flags;
        uint16 pendingMove;
        uint32 moves; // plies played
        State state;
        bytes32 pendingTask; // the task deciding the pending move
    }

    uint256 public gameCount;
    mapping(uint256 gameId => Game) private _games;
    mapping(bytes32 taskId => uint256 gameId) private _gameOfTask;

    error UnknownGame(uint256 gameId);
    error NotYourTurn(uint256 gameId, address player);
    error GameNotAwaitingMove(uint256 gameId, State state);
    error InvalidMove(uint256 move);
    /// @dev The board has a nibble that is no piece, or the flags are out of range: the app would refuse it.
    error InvalidPosition(uint256 board, uint256 flags);
    error StaleVerdict(bytes32 taskId);
    /// @dev No move of the game waits for a verdict.
    error NoPendingMove(uint256 gameId, State state);
    /// @dev The pending move's task was not refunded (claimed) after its deadline: its verdict may still come.
    error VerdictStillPossible(uint256 gameId, bytes32 taskId);

    event GameStarted(uint256 indexed gameId, address indexed white, address indexed black, uint256 board, uint256 flags);
    event MoveSubmitted(uint256 indexed gameId, address indexed player, uint256 move, bytes32 taskId);
    event MovePlayed(uint256 indexed gameId, uint256 move, uint256 board, uint256 flags);
    event MoveRefused(uint256 indexed gameId, uint256 move);
    event GameOver(uint256 indexed gameId, State result);

    /**
     * @param pins_ the chess app, the category, the trust every move is decided at, the highest prices
     * @param pools_ the workerpools accepted
     * @param owner_ who may change the accepted pools (players must trust it); address(0): frozen for good
     */
    constructor(IGridHub hub_, Pins memory pins_, address[] memory pools_, address owner_)
        GridConsumer(hub_, pins_, pools_, owner_)
    {}

    /**
     * @notice Starts a game against `black` from a given position (use {ChessRules-START_BOARD} and
     * flags 30 for the standard start); the caller plays white.
     */
    function start(address black, uint256 board, uint16 flags) external returns (uint256 gameId) {
        _checkPosition(board, flags);
        gameId = ++gameCount;
        _games[gameId] = Game(msg.sender, black, board, flags, 0, 0, State.AwaitingMove, 0);
        emit GameStarted(gameId, msg.sender, black, board, flags);
    }

    /**
     * @notice Plays `move` (from | to << 6 | promotion << 12, squares 0 = a1 .. 63 = h8) and asks gridchain
     * to decide it, on the app and workerpool orders of `offer` (from the order book), which must be within the
     * pins. The mover pays for the check from its own budget.
     */
    function move(uint256 gameId, uint16 mv, Offer calldata offer) external returns (bytes32 taskId) {
        Game storage g = _games[gameId];
        if (g.state != State.AwaitingMove) {
            if (g.state == State.None) revert UnknownGame(gameId);
            revert GameNotAwaitingMove(gameId, g.state);
        }
        if (msg.sender != ((g.flags & 1) == 0 ? g.white : g.black)) revert NotYourTurn(gameId, msg.sender);
        if (mv >= 1 << 15) revert InvalidMove(mv);
        g.state = State.AwaitingVerdict;
        g.pendingMove = mv;
        taskId = _ask(gameId, g, offer);
    }

    /**
     * @notice Asks again about the pending move when its task missed its deadline and was claimed, so that a
     * game never stays stuck waiting. The refund of the claimed task goes back to whoever paid for it
     * ({GridConsumer-reclaim}); the caller pays for the new check. Anyone may call.
     */
    function resubmit(uint256 gameId, Offer calldata offer) external returns (bytes32 taskId) {
        Game storage g = _games[gameId];
        if (g.state != State.AwaitingVerdict) revert NoPendingMove(gameId, g.state);
        bytes32 pending = g.pendingTask;
        if (hub.taskStatus(pending) != 3) revert VerdictStillPossible(gameId, pending);
        if (taskState(pending) == TaskState.Pending) reclaim(pending);
        taskId = _ask(gameId, g, offer);
    }

    function _ask(uint256 gameId, Game storage g, Offer calldata offer) private returns (bytes32 taskId) {
        string memory params = string.concat(
            "move ", Strings.toHexString(g.board, 32), " ", Strings.toString(g.flags), " ", Strings.toString(g.pendingMove)
        );
        (, taskId) = _request(offer, params, minTrust);
        g.pendingTask = taskId;
        _gameOfTask[taskId] = gameId;
        emit MoveSubmitted(gameId, msg.sender, g.pendingMove, taskId);
    }

    /// @dev Refuses what the app cannot parse, so that no game waits forever for a verdict that cannot come.
    function _checkPosition(uint256 board, uint256 flags) private pure {
        if (flags >= 1 << 9 || (flags >> 5) > 8) revert InvalidPosition(board, flags);
        for (uint256 s = 0; s < 64; ++s) {
            uint256 piece = (board >> (s << 2)) & 15;
            if ((piece & 7) == 7 || piece == 8) revert InvalidPosition(board, flags);
        }
    }

    /// @notice A game's players, position, plies played and state.
    function gameOf(uint256 gameId) external view returns (Game memory) {
        return _games[gameId];
    }

    /// @dev The app's answer: abi.encode(status, board, flags); status 0 in play, 1 mate, 2 stalemate, 3 illegal.
    function _onResult(bytes32 taskId, bytes memory data) internal override {
        uint256 gameId = _gameOfTask[taskId];
        Game storage g = _games[gameId];
        if (g.state != State.AwaitingVerdict || g.pendingTask != taskId) revert StaleVerdict(taskId);
        (uint256 status, uint256 board, uint256 flags) = abi.decode(data, (uint256, uint256, uint256));
        uint256 mv = g.pendingMove;
        if (status == 3) {
            g.state = State.AwaitingMove;
            emit MoveRefused(gameId, mv);
            return;
        }
        bool whiteMoved = (g.flags & 1) == 0;
        g.board = board;
        g.flags = uint16(flags);
        g.moves += 1;
        emit MovePlayed(gameId, mv, board, flags);
        if (status == 0) {
            g.state = State.AwaitingMove;
        } else {
            g.state = status == 1 ? (whiteMoved ? State.WhiteWon : State.BlackWon) : State.Draw;
            emit GameOver(gameId, g.state);
        }
    }

    /// @dev The chess app failed on this move on every replica: the move is refused, so the game never stalls.
    function _onFailure(bytes32 taskId) internal override {
        uint256 gameId = _gameOfTask[taskId];
        Game storage g = _games[gameId];
        if (g.state != State.AwaitingVerdict || g.pendingTask != taskId) revert StaleVerdict(taskId);
        g.state = State.AwaitingMove;
        emit MoveRefused(gameId, g.pendingMove);
    }

    /// @dev The game only takes results of the moves it asked about itself.
    function _acceptDeal(bytes32, Deals.Deal calldata) internal pure override returns (bool) {
        return false;
    }
}
