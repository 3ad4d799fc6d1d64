// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IGridCallback} from "../interfaces/IGridCallback.sol";
import {IGridHub} from "../interfaces/IGridHub.sol";
import {Orders} from "../market/Orders.sol";
import {Market} from "../market/Market.sol";
import {Deals} from "../poco/Deals.sol";

/**
 * @title GridConsumer
 * @notice Base for contracts that ask gridchain for a computation and are called back with the
 * certified result: asynchronous RPC. A consumer gets work done in one of two ways:
 *
 * 1. It is the requester. It holds escrow in the hub (anyone may `depositFor` it) and
 *    {_request}s a computation against an app order and a workerpool order taken from the order
 *    book: it builds its own request order (callback = itself), authorizes it and matches the
 *    deal, so it knows the task id at once. Request orders it published for others to match are
 *    authorized through ERC-1271 ({isValidSignature}, see {_approveRequest}).
 * 2. It is named as the callback of someone else's request order; the requester then
 *    {registerDeal}s the deal so the consumer expects its tasks.
 *
 * The hub calls {receiveResult} once per finalized task with a bounded gas budget. Only the hub
 * may call it, and only for tasks this consumer expects. If the callback failed (ran out of gas,
 * reverted), the result stays readable through {resultOf} and anyone may apply it with {settle}.
 */
abstract contract GridConsumer is IGridCallback, IERC1271 {
    /// @dev Tasks of one registered deal; bounds the registration loop.
    uint256 public constant MAX_TASKS_PER_DEAL = 16;

    enum TaskState {
        Unknown,
        Pending,
        Done
    }

    /// @notice The what and how much of a computation; orders come from the order book.
    struct Offer {
        Orders.AppOrder app;
        Orders.WorkerpoolOrder workerpool;
        bytes appSignature;
        bytes workerpoolSignature;
    }

    /// @notice The hub this consumer trusts for results.
    IGridHub public immutable hub;

    mapping(bytes32 taskId => TaskState) private _tasks;
    mapping(bytes32 digest => bool) private _approved;
    uint256 private _nonce;

    /// @dev `caller` is not the hub; only the hub delivers results.
    error NotHub(address caller);
    /// @dev A result for a task this consumer never asked for.
    error UnexpectedTask(bytes32 taskId);
    /// @dev The task's result was already applied.
    error TaskAlreadyDone(bytes32 taskId);
    /// @dev {settle} on a task the hub has not finalized yet.
    error TaskNotFinalized(bytes32 taskId);
    /// @dev The consumer's free balance in the hub cannot pay for the request; deposit for it first.
    error InsufficientEscrow(uint256 needed, uint256 available);
    /// @dev The offer costs more per task than the consumer's budget.
    error OverBudget(uint256 price, uint256 budget);
    /// @dev The deal is not known to the hub under this id, or does not name this consumer as callback.
    error NotACallbackDeal(bytes32 dealId);
    /// @dev Only the deal's requester may register it.
    error NotDealRequester(address requester, address caller);
    /// @dev The deal has more tasks than a registration covers.
    error TooManyTasks(uint256 volume, uint256 max);
    /// @dev The consumer refuses this deal ({_acceptDeal}).
    error DealRefused(bytes32 dealId);

    /// @notice A computation was requested and matched: `taskId` will be delivered to this contract.
    event ComputationRequested(bytes32 indexed dealId, bytes32 indexed taskId, uint256 price);
    /// @notice A deal naming this consumer as callback was registered; its tasks are expected.
    event DealRegistered(bytes32 indexed dealId, address indexed requester, uint256 volume);
    /// @notice A request order was approved for matching by anyone (ERC-1271).
    event RequestApproved(bytes32 indexed digest);
    /// @notice The result of `taskId` was applied, by the hub's callback or by {settle}.
    event ResultApplied(bytes32 indexed taskId, bool viaCallback);

    constructor(IGridHub hub_) {
        hub = hub_;
    }

    // ---------------------------------------------------------------- receiving

    /// @inheritdoc IGridCallback
    function receiveResult(bytes32 taskId, bytes calldata data) external {
        if (msg.sender != address(hub)) revert NotHub(msg.sender);
        _apply(taskId, data, true);
    }

    /**
     * @notice Applies a finalized result whose callback failed (or never came), reading the
     * certified data from the hub. Anyone may call.
     */
    function settle(bytes32 taskId) external {
        if (hub.taskStatus(taskId) != 2) revert TaskNotFinalized(taskId);
        _apply(taskId, hub.resultFor(taskId), false);
    }

    /// @notice The certified callback data of `taskId` (empty until it is finalized).
    function resultOf(bytes32 taskId) external view returns (bytes memory) {
        return hub.resultFor(taskId);
    }

    /// @notice Whether `taskId` is unknown, expected, or applied.
    function taskState(bytes32 taskId) external view returns (TaskState) {
        return _tasks[taskId];
    }

    function _apply(bytes32 taskId, bytes memory data, bool viaCallback) private {
        TaskState state = _tasks[taskId];
        if (state == TaskState.Unknown) revert UnexpectedTask(taskId);
        if (state == TaskState.Done) revert TaskAlreadyDone(taskId);
        _tasks[taskId] = TaskState.Done;
        emit ResultApplied(taskId, viaCallback);
        _onResult(taskId, data);
    }

    /**
     * @dev What the consumer does with a certified result. Runs within the hub's callback gas budget
     * ({GridHub-CALLBACK_GAS}) when called back: keep it small; {settle} can replay a failed one.
     */
    function _onResult(bytes32 taskId, bytes memory data) internal virtual;

    // ---------------------------------------------------------------- requesting as requester

    /**
     * @dev Requests one task of `offer.app` on `offer.workerpool`, paid from this consumer's free
     * balance in the hub, with the result called back here.
     * @param params the app's params (command line)
     * @param budget the most the consumer pays for the task (app + workerpool price)
     */
    function _request(Offer calldata offer, string memory params, uint256 category, uint256 trust, uint256 budget)
        internal
        returns (bytes32 dealId, bytes32 taskId)
    {
        uint256 price = offer.app.price + offer.workerpool.price;
        if (price > budget) revert OverBudget(price, budget);
        (uint256 free,,) = hub.accountOf(address(this));
        if (free < price) revert InsufficientEscrow(price, free);

        Orders.RequestOrder memory request;
        request.app = offer.app.app;
        request.appMaxPrice = offer.app.price;
        request.workerpool = offer.workerpool.workerpool;
        request.workerpoolMaxPrice = offer.workerpool.price;
        request.requester = address(this);
        request.volume = 1;
        request.category = category;
        request.trust = trust;
        request.beneficiary = address(this);
        request.callback = address(this);
        request.params = params;
        request.salt = bytes32(++_nonce);

        Orders.DatasetOrder memory noDataset;
        Market.MatchSignatures memory sigs =
            Market.MatchSignatures(offer.appSignature, "", offer.workerpoolSignature, "");
        // The consumer sends the match itself, which authorizes its own request order.
        dealId = hub.matchOrders(offer.app, noDataset, offer.workerpool, request, sigs);
        taskId = Deals.taskId(dealId, 0);
        _tasks[taskId] = TaskState.Pending;
        emit ComputationRequested(dealId, taskId, price);
    }

    /**
     * @dev Approves a request order (requester = this) for matching by anyone, through ERC-1271:
     * the order can then be published to the order book. Its deal must be registered
     * ({registerDeal}) for its results to be accepted.
     */
    function _approveRequest(Orders.RequestOrder memory request) internal returns (bytes32 digest) {
        digest = hub.typedDataDigest(requestHash(request));
        _approved[digest] = true;
        emit RequestApproved(digest);
    }

    /// @notice ERC-1271: valid for the EIP-712 digests of request orders this consumer approved.
    function isValidSignature(bytes32 digest, bytes calldata) external view returns (bytes4) {
        return _approved[digest] ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
    }

    /// @notice The EIP-712 struct hash of a request order, as {Orders-hash} computes it (which reads calldata).
    function requestHash(Orders.RequestOrder memory o) public pure returns (bytes32) {
        return keccak256(
            abi.encode(
                Orders.REQUEST_ORDER_TYPEHASH,
                o.app,
                o.appMaxPrice,
                o.dataset,
                o.datasetMaxPrice,
                o.workerpool,
                o.workerpoolMaxPrice,
                o.requester,
                o.volume,
                o.tag,
                o.category,
                o.trust,
                o.beneficiary,
                o.callback,
                keccak256(bytes(o.params)),
                o.expiry,
                o.salt
            )
        );
    }

    // ---------------------------------------------------------------- named as callback

    /**
     * @notice Registers a deal whose request names this consumer as callback, so that its tasks'
     * results are accepted. Callable by the deal's requester (anyone, for deals this consumer pays).
     * @param deal the deal as published in the hub's DealCreated event
     */
    function registerDeal(bytes32 dealId, Deals.Deal calldata deal) external {
        if (deal.callback != address(this) || hub.dealHashOf(dealId) != keccak256(abi.encode(deal))) {
            revert NotACallbackDeal(dealId);
        }
        if (deal.requester != address(this) && msg.sender != deal.requester) {
            revert NotDealRequester(deal.requester, msg.sender);
        }
        if (deal.volume > MAX_TASKS_PER_DEAL) revert TooManyTasks(deal.volume, MAX_TASKS_PER_DEAL);
        if (!_acceptDeal(dealId, deal)) revert DealRefused(dealId);
        for (uint256 i = 0; i < deal.volume; ++i) {
            bytes32 taskId = Deals.taskId(dealId, i);
            if (_tasks[taskId] == TaskState.Unknown) _tasks[taskId] = TaskState.Pending;
        }
        emit DealRegistered(dealId, deal.requester, deal.volume);
    }

    /// @dev Whether the consumer takes results of a deal someone else requested; yes by default.
    function _acceptDeal(bytes32, Deals.Deal calldata) internal view virtual returns (bool) {
        return true;
    }

    /// @dev Sends `amount` of this consumer's free balance in the hub to `to`.
    function _withdraw(uint256 amount, address to) internal {
        hub.withdraw(amount, to);
    }
}
