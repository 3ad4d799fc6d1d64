// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AssetRegistry} from "./AssetRegistry.sol";

/**
 * @dev Registry of workerpools. The owner of a workerpool is its scheduler: it signs the
 * pool's orders, stakes on its deals and authorizes its workers' contributions. The owner also
 * publishes where its scheduler's HTTP API answers, so that requesters and workers who only know
 * the pool's address find its scheduler from the chain.
 */
contract WorkerpoolRegistry is AssetRegistry {
    struct Workerpool {
        string description;
        uint8 workerStakeRatio; // percent of the pool price each contribution stakes
        uint8 schedulerRewardRatio; // percent of the pool price the scheduler keeps
    }

    /// @dev Longest API URL accepted, in bytes: a URL, not a place to store data on-chain.
    uint256 public constant MAX_API_URL_LENGTH = 256;

    mapping(address pool => Workerpool) private _pools;
    /// @dev Kept beside {Workerpool} rather than in it, so {workerpoolOf}'s layout stays as callers know it.
    mapping(address pool => string url) private _apiUrls;
    /// @dev Pools that declare they run only the workers their owner allowlisted.
    mapping(address pool => bool) private _allowlistOnly;
    mapping(address pool => mapping(address worker => bool)) private _allowed;

    /// @dev A ratio is a percentage: at most 100.
    error RatioAbove100(uint256 ratio);
    /// @dev Only the pool's owner may change its policy.
    error NotPoolOwner(address pool, address caller);
    /// @dev An API URL is at most {MAX_API_URL_LENGTH} bytes.
    error ApiUrlTooLong(uint256 length, uint256 max);

    /// @dev Emitted when `pool` is registered to `owner`.
    event WorkerpoolCreated(address indexed pool, address indexed owner, string description);
    /// @dev Emitted whenever a pool's ratios are set, at creation too.
    event WorkerpoolPolicyUpdated(address indexed pool, uint8 workerStakeRatio, uint8 schedulerRewardRatio);
    /// @dev Emitted when the owner of `pool` publishes (or, with an empty `url`, withdraws) its scheduler's API URL.
    event WorkerpoolApiUrlSet(address indexed pool, string url);
    /// @dev Emitted when the owner of `pool` declares (or stops declaring) that it runs only allowlisted workers.
    event WorkerpoolAllowlistOnlySet(address indexed pool, bool only);
    /// @dev Emitted when the owner of `pool` adds `worker` to its allowlist (`allowed`) or removes it.
    event WorkerAllowlisted(address indexed pool, address indexed worker, bool allowed);

    constructor() AssetRegistry("Gridchain Workerpool", "GPOOL") {}

    /// @notice Registers a workerpool owned by `owner` with default ratios (30 % stake, 1 % reward).
    function createWorkerpool(address owner, string calldata description) external returns (address pool) {
        pool = _register(owner);
        _pools[pool] = Workerpool(description, 30, 1);
        emit WorkerpoolCreated(pool, owner, description);
        emit WorkerpoolPolicyUpdated(pool, 30, 1);
    }

    /// @notice Sets the pool's worker stake ratio and scheduler reward ratio; deals already made keep theirs.
    function setPolicy(address pool, uint8 workerStakeRatio, uint8 schedulerRewardRatio) external {
        if (ownerOfAsset(pool) != msg.sender) revert NotPoolOwner(pool, msg.sender);
        if (workerStakeRatio > 100) revert RatioAbove100(workerStakeRatio);
        if (schedulerRewardRatio > 100) revert RatioAbove100(schedulerRewardRatio);
        _pools[pool].workerStakeRatio = workerStakeRatio;
        _pools[pool].schedulerRewardRatio = schedulerRewardRatio;
        emit WorkerpoolPolicyUpdated(pool, workerStakeRatio, schedulerRewardRatio);
    }

    /// @notice The registration of `pool`; reverts if it does not exist.
    function workerpoolOf(address pool) external view returns (Workerpool memory) {
        _requireAsset(pool);
        return _pools[pool];
    }

    /// @notice Owner and ratios in one call, as the hub needs them at matching; owner is zero if unknown.
    function policyOf(address pool) external view returns (address owner, uint8 workerStakeRatio, uint8 schedulerRewardRatio) {
        Workerpool storage p = _pools[pool];
        return (ownerOfAsset(pool), p.workerStakeRatio, p.schedulerRewardRatio);
    }

    /**
     * @notice Publishes `url` as the HTTP API of the scheduler of `pool` (only its owner); an empty `url`
     * withdraws it. The chain does not check that anything answers there: clients do.
     */
    function setApiUrl(address pool, string calldata url) external {
        if (ownerOfAsset(pool) != msg.sender) revert NotPoolOwner(pool, msg.sender);
        if (bytes(url).length > MAX_API_URL_LENGTH) revert ApiUrlTooLong(bytes(url).length, MAX_API_URL_LENGTH);
        _apiUrls[pool] = url;
        emit WorkerpoolApiUrlSet(pool, url);
    }

    /// @notice The API URL the owner of `pool` published, or the empty string if none (or unknown pool).
    function apiUrlOf(address pool) external view returns (string memory) {
        return _apiUrls[pool];
    }

    /**
     * @notice Declares that `pool` runs only the workers on its allowlist (only its owner). Its scheduler refuses
     * other workers, and a secret management service can refuse them a dataset's key: anyone can check the
     * allowlist here, which is what makes the declaration worth something to a data owner.
     */
    function setAllowlistOnly(address pool, bool only) external {
        if (ownerOfAsset(pool) != msg.sender) revert NotPoolOwner(pool, msg.sender);
        _allowlistOnly[pool] = only;
        emit WorkerpoolAllowlistOnlySet(pool, only);
    }

    /// @notice Adds `worker` to the allowlist of `pool` or removes it (only the pool's owner).
    function setWorkerAllowed(address pool, address worker, bool allowed) external {
        if (ownerOfAsset(pool) != msg.sender) revert NotPoolOwner(pool, msg.sender);
        _allowed[pool][worker] = allowed;
        emit WorkerAllowlisted(pool, worker, allowed);
    }

    /// @notice Whether `pool` declared that it runs only allowlisted workers.
    function allowlistOnly(address pool) external view returns (bool) {
        return _allowlistOnly[pool];
    }

    /// @notice Whether `worker` is on the allowlist of `pool`.
    function isWorkerAllowed(address pool, address worker) external view returns (bool) {
        return _allowed[pool][worker];
    }
}
