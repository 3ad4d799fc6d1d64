// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AssetRegistry} from "./AssetRegistry.sol";

/// @dev Registry of datasets: inputs that apps read, with where to fetch them and how to check them.
contract DatasetRegistry is AssetRegistry {
    struct Dataset {
        string name;
        string uri;
        bytes32 checksum; // sha256 of the dataset bytes
    }

    mapping(address dataset => Dataset) private _datasets;

    /// @dev Emitted when `dataset` is registered to `owner`.
    event DatasetCreated(address indexed dataset, address indexed owner, string name, string uri, bytes32 checksum);

    constructor() AssetRegistry("Gridchain Dataset", "GDATA") {}

    /// @notice Registers a dataset owned by `owner` and returns its address.
    function createDataset(address owner, string calldata name, string calldata uri, bytes32 checksum)
        external
        returns (address dataset)
    {
        dataset = _register(owner);
        _datasets[dataset] = Dataset(name, uri, checksum);
        emit DatasetCreated(dataset, owner, name, uri, checksum);
    }

    /// @notice The registration of `dataset`; reverts if it does not exist.
    function datasetOf(address dataset) external view returns (Dataset memory) {
        _requireAsset(dataset);
        return _datasets[dataset];
    }
}
