// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {Ownable2Step} from "@openzeppelin/contracts/access/Ownable2Step.sol";
import {IERC1271} from "@openzeppelin/contracts/interfaces/IERC1271.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {IGridCallback} from "../interfaces/IGridCallback.sol";
import {IGridHub, IGridAssets} from "../interfaces/IGridHub.sol";
import {Orders} from "../market/Orders.sol";
import {Market} from "../market/Market.sol";
import {Deals} from "../poco/Deals.sol";

/**
 * @title GridConsumer
 * @notice Base for contracts that ask gridchain for a computation and are called back with the
 * certified result: asynchronous RPC. It is safe by default:
 *
 * - **Pins.** What the consumer accepts is fixed at construction and immutable: the app it runs,
 *   the category, the minimum trust and the highest app and workerpool prices. The workerpools it
 *   accepts are an explicit allowlist that only the owner may change ({setPoolAccepted}; no owner =
 *   frozen for good), checked through the overridable {_acceptPool} (where a minimum pool bond plugs
 *   in). Any offer or request order outside the pins is refused before matching, with a custom error.
 * - **Budgets.** The consumer's escrow in the hub is split into per-account budgets: an account
 *   {deposit}s its own budget, pays for the computations it asks for ({_request} charges the caller),
 *   gets a refunded task's price back ({reclaim}) and {withdraw}s what is left at any time. Nobody can
 *   spend or withdraw another account's budget. Tokens sent to the hub for the consumer outside
 *   {deposit} are a surplus that only the owner may assign ({assignSurplus}), never a budget.
 * - **Results.** Only the hub delivers results ({receiveResult}), only for tasks this consumer asked
 *   for or registered, each applied exactly once. Deals requested by someone else are refused by
 *   default ({_acceptDeal}): their app is not committed on-chain, so the consumer cannot check it.
 *
 * A consumer gets work done in one of two ways:
 *
 * 1. It is the requester. It {_request}s a computation against an app order and a workerpool order
 *    taken from the order book: it builds its own request order (callback = itself), authorizes it and
 *    matches the deal, so it knows the task id at once. Request orders it publishes for others to
 *    match are authorized through ERC-1271 ({isValidSignature}, see {_approveRequest}); their worst-case
 *    cost is reserved from the approver's budget until {revokeRequest}.
 * 2. It accepts a deal naming it as callback ({registerDeal}), if {_acceptDeal} says so.
 *
 * The hub calls {receiveResult} once per finalized task with a bounded gas budget. If the callback
 * failed (ran out of gas, reverted), the result stays readable through {resultOf} and anyone may apply
 * it with {settle}.
 */
abstract contract GridConsumer is IGridCallback, IERC1271, Ownable2Step {
    using SafeERC20 for IERC20;

    /// @dev Tasks of one registered deal; bounds the registration loop.
    uint256 public constant MAX_TASKS_PER_DEAL = 16;

    enum TaskState {
        Unknown,
        Pending,
        Done,
        Refunded // claimed after its deadline; its price went back to whoever paid for it
    }

    /// @notice What the consumer accepts, fixed at construction.
    struct Pins {
        address app; // the only app run for this consumer (its registration, checksum included, cannot change)
        uint256 category;
        uint256 minTrust; // requests ask at least this trust (0 and 1 both mean a single result)
        uint256 maxAppPrice; // per task
        uint256 maxWorkerpoolPrice; // per task
    }

    /// @notice The what and how much of a computation; orders come from the order book.
    struct Offer {
        Orders.AppOrder app;
        Orders.WorkerpoolOrder workerpool;
        bytes appSignature;
        bytes workerpoolSignature;
    }

    /// @dev A task's state, who paid for it and what the hub gives back if it is claimed after its deadline: one slot.
    struct Task {
        TaskState state;
        address payer;
        uint88 refund;
    }

    /// @dev A request order approved for matching by anyone: who reserved its worst-case cost, and how much.
    struct Reservation {
        address payer;
        uint96 amount;
    }

    /// @notice The hub this consumer trusts for results.
    IGridHub public immutable hub;
    /// @notice The hub's token: the currency of budgets.
    IERC20 public immutable token;
    /// @notice The workerpool registry, where a pool's scheduler (owner) is read.
    IGridAssets public immutable workerpoolRegistry;
    /// @notice The only app this consumer runs.
    address public immutable app;
    /// @notice The category of every request.
    uint256 public immutable category;
    /// @notice The lowest trust a request may ask.
    uint256 public immutable minTrust;
    /// @notice The most this consumer pays the app owner per task.
    uint256 public immutable maxAppPrice;
    /// @notice The most this consumer pays the workerpool per task.
    uint256 public immutable maxWorkerpoolPrice;

    mapping(address workerpool => bool) private _pools;
    mapping(address account => uint256) private _budgets;
    /// @dev Sum of the budgets and of the open reservations: what the consumer's free escrow owes.
    uint256 private _allocated;
    mapping(bytes32 taskId => Task) private _tasks;
    mapping(bytes32 digest => Reservation) private _reservations;
    uint256 private _nonce;

    /// @dev `caller` is not the hub; only the hub delivers results.
    error NotHub(address caller);
    /// @dev A result for a task this consumer never asked for.
    error UnexpectedTask(bytes32 taskId);
    /// @dev The task's result was already applied.
    error TaskAlreadyDone(bytes32 taskId);
    /// @dev {settle} on a task the hub has not finalized yet.
    error TaskNotFinalized(bytes32 taskId);
    /// @dev The consumer's free balance in the hub cannot pay for the request (it should never happen: budgets are backed).
    error InsufficientEscrow(uint256 needed, uint256 available);
    /// @dev The deal is not known to the hub under this id, or does not name this consumer as callback.
    error NotACallbackDeal(bytes32 dealId);
    /// @dev Only the deal's requester may register it.
    error NotDealRequester(address requester, address caller);
    /// @dev The deal has more tasks than a registration covers.
    error TooManyTasks(uint256 volume, uint256 max);
    /// @dev The consumer refuses this deal ({_acceptDeal}).
    error DealRefused(bytes32 dealId);

    /// @dev The offer or order runs `offered`, not the pinned app.
    error AppNotPinned(address offered, address pinned);
    /// @dev The workerpool (run by `scheduler`) is not accepted by this consumer ({_acceptPool}).
    error PoolNotAccepted(address workerpool, address scheduler);
    /// @dev The offer or order is in category `offered`, not the pinned one.
    error CategoryNotPinned(uint256 offered, uint256 pinned);
    /// @dev The request asks trust `trust`, below the pinned minimum.
    error TrustBelowMinimum(uint256 trust, uint256 minimum);
    /// @dev The app price is above the pinned maximum.
    error AppPriceAboveMax(uint256 price, uint256 max);
    /// @dev The workerpool price is above the pinned maximum.
    error WorkerpoolPriceAboveMax(uint256 price, uint256 max);
    /// @dev The order names a dataset; the pinned app runs without one.
    error DatasetNotAccepted(address dataset);
    /// @dev A request order this consumer approves must name it as requester and callback, and one workerpool.
    error NotOwnRequest(address requester, address callback, address workerpool);
    /// @dev `account` has `available` in its budget, fewer than the `needed` tokens.
    error InsufficientBudget(address account, uint256 needed, uint256 available);
    /// @dev Deposits of zero tokens are refused.
    error ZeroDeposit();
    /// @dev The request order with this digest is already approved.
    error AlreadyApproved(bytes32 digest);
    /// @dev Only `payer`, who reserved the approved order's cost, may revoke it.
    error NotApprover(bytes32 digest, address payer, address caller);
    /// @dev {reclaim} on a task that is not pending here, or that the hub has not refunded (claimed).
    error NotRefundable(bytes32 taskId);
    /// @dev The surplus holds `available` tokens, fewer than `needed`.
    error InsufficientSurplus(uint256 needed, uint256 available);

    /// @notice A computation was requested and matched: `taskId` will be delivered to this contract.
    event ComputationRequested(bytes32 indexed dealId, bytes32 indexed taskId, uint256 price);
    /// @notice A deal naming this consumer as callback was registered; its tasks are expected.
    event DealRegistered(bytes32 indexed dealId, address indexed requester, uint256 volume);
    /// @notice A request order was approved for matching by anyone (ERC-1271); `payer` reserved `reserved`.
    event RequestApproved(bytes32 indexed digest, address indexed payer, uint256 reserved);
    /// @notice An approved request order was cancelled; `released` went back to `payer`'s budget.
    event RequestRevoked(bytes32 indexed digest, address indexed payer, uint256 released);
    /// @notice The result of `taskId` was applied, by the hub's callback or by {settle}.
    event ResultApplied(bytes32 indexed taskId, bool viaCallback);
    /// @notice The owner accepted (or no longer accepts) `workerpool`.
    event PoolAcceptanceChanged(address indexed workerpool, bool accepted);
    /// @notice `from` deposited `amount` into `account`'s budget.
    event BudgetDeposited(address indexed account, address indexed from, uint256 amount);
    /// @notice `account` withdrew `amount` of its budget to `to`.
    event BudgetWithdrawn(address indexed account, address indexed to, uint256 amount);
    /// @notice `account`'s budget paid `amount` for `ref` (a task id, or an approved order's digest).
    event BudgetCharged(address indexed account, bytes32 indexed ref, uint256 amount);
    /// @notice The hub refunded `taskId`; `amount` went back to `payer`'s budget.
    event TaskRefunded(bytes32 indexed taskId, address indexed payer, uint256 amount);
    /// @notice The owner assigned `amount` of the surplus to `account`'s budget.
    event SurplusAssigned(address indexed account, uint256 amount);

    /**
     * @param pins_ what this consumer accepts; immutable
     * @param pools_ the workerpools accepted at first
     * @param owner_ who may change the accepted pools and assign the surplus; address(0): nobody, ever
     */
    constructor(IGridHub hub_, Pins memory pins_, address[] memory pools_, address owner_)
        Ownable(owner_ == address(0) ? msg.sender : owner_)
    {
        if (pins_.app == address(0)) revert AppNotPinned(address(0), address(0));
        hub = hub_;
        token = IERC20(hub_.token());
        workerpoolRegistry = IGridAssets(hub_.workerpools());
        app = pins_.app;
        category = pins_.category;
        minTrust = pins_.minTrust;
        maxAppPrice = pins_.maxAppPrice;
        maxWorkerpoolPrice = pins_.maxWorkerpoolPrice;
        for (uint256 i = 0; i < pools_.length; ++i) {
            _pools[pools_[i]] = true;
            emit PoolAcceptanceChanged(pools_[i], true);
        }
        if (owner_ == address(0)) _transferOwnership(address(0));
    }

    // ---------------------------------------------------------------- pins

    /// @notice Accepts (or stops accepting) `workerpool`. Only the owner.
    function setPoolAccepted(address workerpool, bool accepted) external onlyOwner {
        _pools[workerpool] = accepted;
        emit PoolAcceptanceChanged(workerpool, accepted);
    }

    /// @notice Whether `workerpool` is on the allowlist (what {_acceptPool} checks by default).
    function isPoolListed(address workerpool) public view returns (bool) {
        return _pools[workerpool];
    }

    /**
     * @dev Whether the consumer runs its computations on `workerpool`, whose scheduler (owner) is
     * `scheduler`. By default: the pool is on the allowlist. Override to add a check, e.g. a minimum
     * pool bond read from the hub, keeping `super._acceptPool(...)` to keep the allowlist.
     */
    function _acceptPool(address workerpool, address scheduler) internal view virtual returns (bool) {
        return scheduler != address(0) && _pools[workerpool];
    }

    /// @dev Whether the consumer runs `app_`. By default: the pinned app only.
    function _acceptApp(address app_) internal view virtual returns (bool) {
        return app_ == app;
    }

    /// @dev Reverts unless app, pool, category, trust and prices are within the pins.
    function _checkPins(address app_, address pool, uint256 category_, uint256 trust, uint256 appPrice, uint256 poolPrice)
        internal
        view
    {
        if (!_acceptApp(app_)) revert AppNotPinned(app_, app);
        address scheduler = pool == address(0) ? address(0) : workerpoolRegistry.ownerOfAsset(pool);
        if (!_acceptPool(pool, scheduler)) revert PoolNotAccepted(pool, scheduler);
        if (category_ != category) revert CategoryNotPinned(category_, category);
        if (_atLeast1(trust) < _atLeast1(minTrust)) revert TrustBelowMinimum(trust, minTrust);
        if (appPrice > maxAppPrice) revert AppPriceAboveMax(appPrice, maxAppPrice);
        if (poolPrice > maxWorkerpoolPrice) revert WorkerpoolPriceAboveMax(poolPrice, maxWorkerpoolPrice);
    }

    function _atLeast1(uint256 trust) private pure returns (uint256) {
        return trust == 0 ? 1 : trust;
    }

    // ---------------------------------------------------------------- budgets

    /// @notice Deposits `amount` of the caller's tokens (approved to this contract) into its own budget.
    function deposit(uint256 amount) external {
        depositFor(msg.sender, amount);
    }

    /// @notice Deposits `amount` of the caller's tokens (approved to this contract) into `account`'s budget.
    function depositFor(address account, uint256 amount) public {
        if (amount == 0) revert ZeroDeposit();
        token.safeTransferFrom(msg.sender, address(this), amount);
        token.forceApprove(address(hub), amount);
        (uint256 before,,) = hub.accountOf(address(this));
        hub.depositFor(address(this), amount);
        (uint256 free,,) = hub.accountOf(address(this));
        uint256 credited = free - before;
        _budgets[account] += credited;
        _allocated += credited;
        emit BudgetDeposited(account, msg.sender, credited);
    }

    /// @notice Withdraws `amount` of the caller's budget to `to`.
    function withdraw(uint256 amount, address to) external {
        _debit(msg.sender, amount);
        _allocated -= amount;
        emit BudgetWithdrawn(msg.sender, to, amount);
        hub.withdraw(amount, to);
    }

    /// @notice What `account` may spend on computations or withdraw.
    function budgetOf(address account) external view returns (uint256) {
        return _budgets[account];
    }

    /// @notice Free escrow no budget or reservation owns (tokens deposited in the hub outside {deposit}).
    function surplus() public view returns (uint256) {
        (uint256 free,,) = hub.accountOf(address(this));
        return free > _allocated ? free - _allocated : 0;
    }

    /// @notice Assigns `amount` of the {surplus} to `account`'s budget. Only the owner.
    function assignSurplus(address account, uint256 amount) external onlyOwner {
        uint256 available = surplus();
        if (amount > available) revert InsufficientSurplus(amount, available);
        _budgets[account] += amount;
        _allocated += amount;
        emit SurplusAssigned(account, amount);
    }

    /**
     * @notice Credits the payer of `taskId` with what the hub gave back when the task was claimed after
     * its deadline (its price), never more than the {surplus}: a budget is
     * always backed by free escrow. Anyone may call.
     */
    function reclaim(bytes32 taskId) public returns (uint256 refunded) {
        Task memory p = _tasks[taskId];
        if (p.state != TaskState.Pending || hub.taskStatus(taskId) != 3) revert NotRefundable(taskId);
        _tasks[taskId].state = TaskState.Refunded;
        if (p.payer != address(0)) {
            uint256 available = surplus();
            refunded = p.refund < available ? p.refund : available;
            _budgets[p.payer] += refunded;
            _allocated += refunded;
        }
        emit TaskRefunded(taskId, p.payer, refunded);
    }

    function _debit(address account, uint256 amount) private {
        uint256 available = _budgets[account];
        if (amount > available) revert InsufficientBudget(account, amount, available);
        _budgets[account] = available - amount;
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

    /// @notice Whether `taskId` is unknown, expected, applied or refunded.
    function taskState(bytes32 taskId) public view returns (TaskState) {
        return _tasks[taskId].state;
    }

    function _apply(bytes32 taskId, bytes memory data, bool viaCallback) private {
        TaskState state = _tasks[taskId].state;
        if (state == TaskState.Unknown) revert UnexpectedTask(taskId);
        if (state != TaskState.Pending) revert TaskAlreadyDone(taskId);
        _tasks[taskId].state = TaskState.Done;
        emit ResultApplied(taskId, viaCallback);
        // Empty data is a certified failure: the app failed the same way on every replica (it exited non-zero,
        // trapped, or wrote no callback data), so the requester paid for the work and no answer will come.
        if (data.length == 0) _onFailure(taskId);
        else _onResult(taskId, data);
    }

    /**
     * @dev What the consumer does when its computation failed deterministically (empty certified data).
     * The default does nothing; a consumer that waits on the answer must leave that state here.
     */
    function _onFailure(bytes32 taskId) internal virtual {}

    /**
     * @dev What the consumer does with a certified result. Runs within the hub's callback gas budget
     * ({GridHub-CALLBACK_GAS}) when called back: keep it small; {settle} can replay a failed one.
     */
    function _onResult(bytes32 taskId, bytes memory data) internal virtual;

    // ---------------------------------------------------------------- requesting as requester

    /**
     * @dev Requests one task of `offer.app` on `offer.workerpool` at `trust`, paid from the caller's
     * budget, with the result called back here. Refuses, before matching, any offer outside the pins.
     * @param params the app's params (command line)
     */
    function _request(Offer calldata offer, string memory params, uint256 trust)
        internal
        returns (bytes32 dealId, bytes32 taskId)
    {
        _checkPins(
            offer.app.app, offer.workerpool.workerpool, offer.workerpool.category, trust, offer.app.price, offer.workerpool.price
        );
        uint256 price = offer.app.price + offer.workerpool.price;
        // Effects before the match: the caller's budget pays, whatever the hub does next (a revert undoes both).
        _debit(msg.sender, price);
        _allocated -= price;
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
        // A claim gives back the task's price only: the scheduler's stake is burned, not refunded.
        _tasks[taskId] = Task(TaskState.Pending, msg.sender, SafeCast.toUint88(price));
        emit BudgetCharged(msg.sender, taskId, price);
        emit ComputationRequested(dealId, taskId, price);
    }

    /**
     * @dev Approves a request order (requester and callback = this, one accepted workerpool, within the
     * pins) for matching by anyone, through ERC-1271: the order can then be published to the order book.
     * Its worst-case cost (volume x max prices) is reserved from the caller's budget until the caller
     * {revokeRequest}s it. Its deals must be registered ({registerDeal}) for their results to be accepted.
     */
    function _approveRequest(Orders.RequestOrder memory request) internal returns (bytes32 digest) {
        if (request.requester != address(this) || request.callback != address(this) || request.workerpool == address(0))
        {
            revert NotOwnRequest(request.requester, request.callback, request.workerpool);
        }
        if (request.dataset != address(0)) revert DatasetNotAccepted(request.dataset);
        _checkPins(
            request.app, request.workerpool, request.category, request.trust, request.appMaxPrice, request.workerpoolMaxPrice
        );
        digest = hub.typedDataDigest(requestHash(request));
        if (_reservations[digest].payer != address(0)) revert AlreadyApproved(digest);
        uint256 reserved = request.volume * (request.appMaxPrice + request.workerpoolMaxPrice);
        _debit(msg.sender, reserved);
        _reservations[digest] = Reservation(msg.sender, SafeCast.toUint96(reserved));
        emit BudgetCharged(msg.sender, digest, reserved);
        emit RequestApproved(digest, msg.sender, reserved);
    }

    /**
     * @notice Cancels an approved request order in the hub and gives its payer back the reservation of
     * the tasks not matched yet. Only the payer who approved it.
     */
    function revokeRequest(Orders.RequestOrder calldata request) external {
        bytes32 hash = requestHash(request);
        bytes32 digest = hub.typedDataDigest(hash);
        Reservation memory r = _reservations[digest];
        if (r.payer != msg.sender) revert NotApprover(digest, r.payer, msg.sender);
        uint256 consumed = hub.consumedOf(hash);
        uint256 left = consumed >= request.volume ? 0 : request.volume - consumed;
        uint256 released = left * (request.appMaxPrice + request.workerpoolMaxPrice);
        delete _reservations[digest];
        _budgets[r.payer] += released;
        _allocated -= r.amount - released;
        emit RequestRevoked(digest, r.payer, released);
        if (left > 0) hub.cancelRequestOrder(request);
    }

    /// @notice ERC-1271: valid for the EIP-712 digests of request orders this consumer approved.
    function isValidSignature(bytes32 digest, bytes calldata) external view returns (bytes4) {
        return _reservations[digest].payer != address(0) ? IERC1271.isValidSignature.selector : bytes4(0xffffffff);
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
            if (_tasks[taskId].state == TaskState.Unknown) _tasks[taskId].state = TaskState.Pending;
        }
        emit DealRegistered(dealId, deal.requester, deal.volume);
    }

    /**
     * @dev Whether the consumer takes results of a deal naming it as callback. By default only of deals it
     * requested itself (from request orders it approved within the pins, {_approveRequest}): a deal someone
     * else requested does not commit its app on-chain, so the consumer cannot check the app ran was pinned.
     * Override only for results the consumer may accept from any app.
     */
    function _acceptDeal(bytes32, Deals.Deal calldata deal) internal view virtual returns (bool) {
        return deal.requester == address(this) && _atLeast1(deal.trust) >= _atLeast1(minTrust);
    }
}
