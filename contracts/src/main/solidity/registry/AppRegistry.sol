// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {AssetRegistry} from "./AssetRegistry.sol";

/// @dev Registry of applications: what workers run, where to fetch it and how to check it.
contract AppRegistry is AssetRegistry {
    struct App {
        string name;
        string kind; // runtime kind, e.g. "wasm"
        string uri; // where the module can be downloaded
        bytes32 checksum; // sha256 of the module bytes
    }

    mapping(address app => App) private _apps;

    /// @dev Emitted when `app` is registered to `owner`.
    event AppCreated(address indexed app, address indexed owner, string name, string kind, string uri, bytes32 checksum);

    constructor() AssetRegistry("Gridchain App", "GAPP") {}

    /// @notice Registers an app owned by `owner` and returns its address.
    function createApp(address owner, string calldata name, string calldata kind, string calldata uri, bytes32 checksum)
        external
        returns (address app)
    {
        app = _register(owner);
        _apps[app] = App(name, kind, uri, checksum);
        emit AppCreated(app, owner, name, kind, uri, checksum);
    }

    /// @notice The registration of `app`; reverts if it does not exist.
    function appOf(address app) external view returns (App memory) {
        _requireAsset(app);
        return _apps[app];
    }
}
