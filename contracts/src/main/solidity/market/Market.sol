// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {MarketBase} from "./MarketBase.sol";
import {Orders} from "./Orders.sol";
import {Signatures} from "./Signatures.sol";
import {Deals} from "../poco/Deals.sol";
import {Consensus} from "../poco/Consensus.sol";
import {AppRegistry} from "../registry/AppRegistry.sol";
import {DatasetRegistry} from "../registry/DatasetRegistry.sol";
import {WorkerpoolRegistry} from "../registry/WorkerpoolRegistry.sol";

/**
 * @dev Where orders are matched into deals.
 *
 * An order is authorized when its signer (the asset's current owner, or the requester)
 * sent the match itself, signed it off-chain (EOA or ERC-1271), or pre-signed it on-chain.
 * Matching checks every compatibility rule and the pool's bond, consumes the same volume from
 * each order, locks the requester's payment and the scheduler's stake, and records the deal.
 */
abstract contract Market is MarketBase {
    using Orders for Orders.AppOrder;
    using Orders for Orders.DatasetOrder;
    using Orders for Orders.WorkerpoolOrder;
    using Orders for Orders.RequestOrder;

    enum OrderKind {
        App,
        Dataset,
        Workerpool,
        Request
    }

    /// @dev Signatures of the four orders; an empty one means "pre-signed or sent by the signer".
    struct MatchSignatures {
        bytes app;
        bytes dataset;
        bytes workerpool;
        bytes request;
    }

    /// @dev What a deal's parties need off-chain, published once in {DealCreated}.
    struct DealTerms {
        address app;
        address dataset;
        address workerpool;
        address beneficiary;
        bytes32 tag;
        uint256 category;
        string params;
        bytes32 appOrderHash;
        bytes32 datasetOrderHash;
        bytes32 workerpoolOrderHash;
        bytes32 requestOrderHash;
    }

    error UnknownAsset(OrderKind kind, address asset);
    error InvalidSignature(OrderKind kind, bytes32 orderHash, address signer);
    error NotOrderSigner(OrderKind kind, address signer, address caller);
    error OrderExpired(OrderKind kind, bytes32 orderHash, uint256 expiry);
    error OrderIsCancelled(OrderKind kind, bytes32 orderHash);
    error OrderFullyConsumed(OrderKind kind, bytes32 orderHash, uint256 volume);
    error AppMismatch(address requested, address offered);
    error DatasetMismatch(address requested, address offered);
    error CategoryMismatch(uint256 requested, uint256 offered);
    error TrustNotOffered(uint256 requested, uint256 offered);
    error TrustTooHigh(uint256 trust, uint256 max);
    error AppPriceTooHigh(uint256 maxPrice, uint256 price);
    error DatasetPriceTooHigh(uint256 maxPrice, uint256 price);
    error WorkerpoolPriceTooHigh(uint256 maxPrice, uint256 price);
    error TagNotOffered(bytes32 required, bytes32 offered);
    /// @dev The `order` order only accepts `allowed` as its `subject`, but got `actual`.
    error Restricted(OrderKind order, OrderKind subject, address allowed, address actual);
    /// @dev The pool's owner has `bond` bonded in its own pool (or asked to withdraw it); deals need `minimum`.
    error PoolNotBonded(address workerpool, address owner, uint256 bond, uint256 minimum);

    event DealCreated(
        bytes32 indexed dealId, address indexed scheduler, address indexed requester, Deals.Deal deal, DealTerms terms
    );
    event OrderPresigned(OrderKind indexed kind, bytes32 indexed orderHash, address signer);
    event OrderCancelled(OrderKind indexed kind, bytes32 indexed orderHash, address signer);

    constructor(AppRegistry apps_, DatasetRegistry datasets_, WorkerpoolRegistry workerpools_, uint256 minPoolBond_)
        MarketBase(apps_, datasets_, workerpools_, minPoolBond_)
    {}

    // ---------------------------------------------------------------- matching

    /**
     * @notice Matches the four orders into a deal of min(remaining volumes) tasks.
     * @dev For a request without dataset, pass a dataset order whose `dataset` is address(0).
     */
    function matchOrders(
        Orders.AppOrder calldata appOrder,
        Orders.DatasetOrder calldata datasetOrder,
        Orders.WorkerpoolOrder calldata workerpoolOrder,
        Orders.RequestOrder calldata request,
        MatchSignatures calldata sigs
    ) external returns (bytes32 dealId) {
        _checkCompatibility(appOrder, datasetOrder, workerpoolOrder, request);

        DealTerms memory terms;
        terms.app = appOrder.app;
        terms.dataset = request.dataset;
        terms.workerpool = workerpoolOrder.workerpool;
        terms.beneficiary = request.beneficiary == address(0) ? request.requester : request.beneficiary;
        terms.tag = appOrder.tag | request.tag;
        terms.category = request.category;
        terms.params = request.params;
        terms.appOrderHash = appOrder.hash();
        terms.workerpoolOrderHash = workerpoolOrder.hash();
        terms.requestOrderHash = request.hash();

        Deals.Deal memory deal;
        deal.requester = request.requester;
        deal.callback = request.callback;
        deal.trust = request.trust == 0 ? 1 : request.trust;
        deal.categoryTime = _categoryTime(request.category);
        deal.startTime = block.timestamp;
        deal.appPrice = appOrder.price;
        deal.workerpoolPrice = workerpoolOrder.price;

        deal.appOwner = _ownerOf(apps.ownerOfAsset(appOrder.app), OrderKind.App, appOrder.app);
        uint8 stakeRatio;
        address poolOwner;
        (poolOwner, stakeRatio, deal.schedulerRewardRatio) = workerpools.policyOf(workerpoolOrder.workerpool);
        deal.scheduler = _ownerOf(poolOwner, OrderKind.Workerpool, workerpoolOrder.workerpool);
        deal.workerStake = (workerpoolOrder.price * stakeRatio) / 100;
        _requirePoolBond(workerpoolOrder.workerpool, deal.scheduler);

        _authorize(OrderKind.App, terms.appOrderHash, deal.appOwner, sigs.app, appOrder.expiry);
        _authorize(OrderKind.Workerpool, terms.workerpoolOrderHash, deal.scheduler, sigs.workerpool, workerpoolOrder.expiry);
        _authorize(OrderKind.Request, terms.requestOrderHash, request.requester, sigs.request, request.expiry);

        uint256 volume = _min(
            _remaining(OrderKind.App, terms.appOrderHash, appOrder.volume),
            _min(
                _remaining(OrderKind.Workerpool, terms.workerpoolOrderHash, workerpoolOrder.volume),
                _remaining(OrderKind.Request, terms.requestOrderHash, request.volume)
            )
        );
        if (request.dataset != address(0)) {
            terms.datasetOrderHash = datasetOrder.hash();
            terms.tag |= datasetOrder.tag;
            deal.datasetPrice = datasetOrder.price;
            deal.datasetOwner = _ownerOf(datasets.ownerOfAsset(datasetOrder.dataset), OrderKind.Dataset, datasetOrder.dataset);
            _authorize(OrderKind.Dataset, terms.datasetOrderHash, deal.datasetOwner, sigs.dataset, datasetOrder.expiry);
            volume = _min(volume, _remaining(OrderKind.Dataset, terms.datasetOrderHash, datasetOrder.volume));
            _consumed[terms.datasetOrderHash] += volume;
        }
        deal.volume = volume;
        if ((terms.tag & ~workerpoolOrder.tag) != 0) revert TagNotOffered(terms.tag, workerpoolOrder.tag);

        dealId = keccak256(abi.encode(terms.requestOrderHash, _consumed[terms.requestOrderHash]));
        _consumed[terms.appOrderHash] += volume;
        _consumed[terms.workerpoolOrderHash] += volume;
        _consumed[terms.requestOrderHash] += volume;
        _deals[dealId] = keccak256(abi.encode(deal));

        _lock(deal.requester, (deal.appPrice + deal.datasetPrice + deal.workerpoolPrice) * volume, dealId);
        _lock(deal.scheduler, ((deal.workerpoolPrice * Deals.SCHEDULER_STAKE_RATIO) / 100) * volume, dealId);
        emit DealCreated(dealId, deal.scheduler, deal.requester, deal, terms);
    }

    function _checkCompatibility(
        Orders.AppOrder calldata a,
        Orders.DatasetOrder calldata d,
        Orders.WorkerpoolOrder calldata w,
        Orders.RequestOrder calldata r
    ) private pure {
        if (r.app != a.app) revert AppMismatch(r.app, a.app);
        if (r.dataset != d.dataset) revert DatasetMismatch(r.dataset, d.dataset);
        if (r.category != w.category) revert CategoryMismatch(r.category, w.category);
        // Trust 0 means 1 (a single result) on both sides.
        if (_max1(r.trust) > _max1(w.trust)) revert TrustNotOffered(r.trust, w.trust);
        if (r.trust > Consensus.MAX_TRUST) revert TrustTooHigh(r.trust, Consensus.MAX_TRUST);
        if (r.appMaxPrice < a.price) revert AppPriceTooHigh(r.appMaxPrice, a.price);
        if (r.workerpoolMaxPrice < w.price) revert WorkerpoolPriceTooHigh(r.workerpoolMaxPrice, w.price);
        if (r.workerpool != address(0) && r.workerpool != w.workerpool) {
            revert Restricted(OrderKind.Request, OrderKind.Workerpool, r.workerpool, w.workerpool);
        }
        _restrict(OrderKind.App, OrderKind.Workerpool, a.workerpoolRestrict, w.workerpool);
        _restrict(OrderKind.App, OrderKind.Request, a.requesterRestrict, r.requester);
        _restrict(OrderKind.Workerpool, OrderKind.App, w.appRestrict, a.app);
        _restrict(OrderKind.Workerpool, OrderKind.Request, w.requesterRestrict, r.requester);
        if (r.dataset != address(0)) {
            if (r.datasetMaxPrice < d.price) revert DatasetPriceTooHigh(r.datasetMaxPrice, d.price);
            _restrict(OrderKind.App, OrderKind.Dataset, a.datasetRestrict, d.dataset);
            _restrict(OrderKind.Dataset, OrderKind.App, d.appRestrict, a.app);
            _restrict(OrderKind.Dataset, OrderKind.Workerpool, d.workerpoolRestrict, w.workerpool);
            _restrict(OrderKind.Dataset, OrderKind.Request, d.requesterRestrict, r.requester);
            _restrict(OrderKind.Workerpool, OrderKind.Dataset, w.datasetRestrict, d.dataset);
        } else {
            _restrict(OrderKind.App, OrderKind.Dataset, a.datasetRestrict, address(0));
            _restrict(OrderKind.Workerpool, OrderKind.Dataset, w.datasetRestrict, address(0));
        }
    }

    /// @dev A pool serves only while its owner has bonded at least {minPoolBond} and is not leaving.
    function _requirePoolBond(address workerpool, address owner) private view {
        PoolStake memory s = _stakes[owner][owner];
        if (s.bond < minPoolBond || s.unbondAt != 0) revert PoolNotBonded(workerpool, owner, s.bond, minPoolBond);
    }

    function _restrict(OrderKind order, OrderKind subject, address allowed, address actual) private pure {
        if (allowed != address(0) && allowed != actual) revert Restricted(order, subject, allowed, actual);
    }

    function _ownerOf(address owner, OrderKind kind, address asset) private pure returns (address) {
        if (owner == address(0)) revert UnknownAsset(kind, asset);
        return owner;
    }

    function _authorize(OrderKind kind, bytes32 orderHash, address signer, bytes calldata sig, uint256 expiry)
        private
        view
    {
        if (expiry != 0 && block.timestamp > expiry) revert OrderExpired(kind, orderHash, expiry);
        // No one holds the zero address's key, and an unset pre-signature reads as zero.
        if (signer == address(0)) revert InvalidSignature(kind, orderHash, signer);
        if (msg.sender == signer) return;
        // A pre-signature counts only while its author still owns the asset.
        bool ok = sig.length == 0
            ? _presigned[orderHash] == signer
            : Signatures.isValid(signer, _hashTypedDataV4(orderHash), sig);
        if (!ok) revert InvalidSignature(kind, orderHash, signer);
    }

    function _remaining(OrderKind kind, bytes32 orderHash, uint256 volume) private view returns (uint256) {
        uint256 consumed = _consumed[orderHash];
        if (consumed == CANCELLED) revert OrderIsCancelled(kind, orderHash);
        if (consumed >= volume) revert OrderFullyConsumed(kind, orderHash, volume);
        return volume - consumed;
    }

    function _max1(uint256 trust) private pure returns (uint256) {
        return trust == 0 ? 1 : trust;
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    // ---------------------------------------------------------------- pre-signing and cancelling

    /// @notice Authorizes an app order on-chain, for signers that cannot sign off-chain.
    function presignAppOrder(Orders.AppOrder calldata order) external {
        _presign(OrderKind.App, order.hash(), apps.ownerOfAsset(order.app));
    }

    function presignDatasetOrder(Orders.DatasetOrder calldata order) external {
        _presign(OrderKind.Dataset, order.hash(), datasets.ownerOfAsset(order.dataset));
    }

    function presignWorkerpoolOrder(Orders.WorkerpoolOrder calldata order) external {
        _presign(OrderKind.Workerpool, order.hash(), workerpools.ownerOfAsset(order.workerpool));
    }

    function presignRequestOrder(Orders.RequestOrder calldata order) external {
        _presign(OrderKind.Request, order.hash(), order.requester);
    }

    /// @notice Cancels an app order for good: its remaining volume can no longer be matched.
    function cancelAppOrder(Orders.AppOrder calldata order) external {
        _cancel(OrderKind.App, order.hash(), apps.ownerOfAsset(order.app));
    }

    function cancelDatasetOrder(Orders.DatasetOrder calldata order) external {
        _cancel(OrderKind.Dataset, order.hash(), datasets.ownerOfAsset(order.dataset));
    }

    function cancelWorkerpoolOrder(Orders.WorkerpoolOrder calldata order) external {
        _cancel(OrderKind.Workerpool, order.hash(), workerpools.ownerOfAsset(order.workerpool));
    }

    function cancelRequestOrder(Orders.RequestOrder calldata order) external {
        _cancel(OrderKind.Request, order.hash(), order.requester);
    }

    function _presign(OrderKind kind, bytes32 orderHash, address signer) private {
        if (msg.sender != signer) revert NotOrderSigner(kind, signer, msg.sender);
        _presigned[orderHash] = signer;
        emit OrderPresigned(kind, orderHash, signer);
    }

    function _cancel(OrderKind kind, bytes32 orderHash, address signer) private {
        if (msg.sender != signer) revert NotOrderSigner(kind, signer, msg.sender);
        _consumed[orderHash] = CANCELLED;
        emit OrderCancelled(kind, orderHash, signer);
    }

    // ---------------------------------------------------------------- views

    /// @notice Tasks already consumed from the order with this EIP-712 struct hash (max uint = cancelled).
    function consumedOf(bytes32 orderHash) external view returns (uint256) {
        return _consumed[orderHash];
    }

    /// @notice Who pre-signed the order with this struct hash (zero if nobody).
    function presignerOf(bytes32 orderHash) external view returns (address) {
        return _presigned[orderHash];
    }

    /// @notice The stored commitment to a deal: keccak256(abi.encode(deal)), zero if unknown.
    function dealHashOf(bytes32 dealId) external view returns (bytes32) {
        return _deals[dealId];
    }

    /// @notice The EIP-712 digest a signer signs for an order with struct hash `orderHash`.
    function typedDataDigest(bytes32 structHash) external view returns (bytes32) {
        return _hashTypedDataV4(structHash);
    }
}
