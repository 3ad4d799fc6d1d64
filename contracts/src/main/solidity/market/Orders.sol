// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @dev The four EIP-712 orders of the marketplace and their struct hashes.
 *
 * Prices are in the hub's token units per task. `volume` is how many tasks the order
 * may be consumed for. `tag` bits are features (bit i set = feature i required or offered).
 * A restriction of address(0) means "anyone". `expiry` is a unix time after which the order
 * cannot be matched (0 = no expiry). `salt` makes otherwise equal orders distinct.
 */
library Orders {
    struct AppOrder {
        address app;
        uint256 price;
        uint256 volume;
        bytes32 tag;
        address datasetRestrict;
        address workerpoolRestrict;
        address requesterRestrict;
        uint256 expiry;
        bytes32 salt;
    }

    struct DatasetOrder {
        address dataset;
        uint256 price;
        uint256 volume;
        bytes32 tag;
        address appRestrict;
        address workerpoolRestrict;
        address requesterRestrict;
        uint256 expiry;
        bytes32 salt;
    }

    struct WorkerpoolOrder {
        address workerpool;
        uint256 price;
        uint256 volume;
        bytes32 tag;
        uint256 category;
        uint256 trust; // the highest trust the pool accepts to serve
        address appRestrict;
        address datasetRestrict;
        address requesterRestrict;
        uint256 expiry;
        bytes32 salt;
    }

    struct RequestOrder {
        address app;
        uint256 appMaxPrice;
        address dataset; // address(0) when the app takes no dataset
        uint256 datasetMaxPrice;
        address workerpool; // address(0) = any pool
        uint256 workerpoolMaxPrice;
        address requester;
        uint256 volume;
        bytes32 tag;
        uint256 category;
        uint256 trust;
        address beneficiary;
        address callback;
        string params;
        uint256 expiry;
        bytes32 salt;
    }

    bytes32 internal constant APP_ORDER_TYPEHASH = keccak256(
        "AppOrder(address app,uint256 price,uint256 volume,bytes32 tag,address datasetRestrict,address workerpoolRestrict,address requesterRestrict,uint256 expiry,bytes32 salt)"
    );
    bytes32 internal constant DATASET_ORDER_TYPEHASH = keccak256(
        "DatasetOrder(address dataset,uint256 price,uint256 volume,bytes32 tag,address appRestrict,address workerpoolRestrict,address requesterRestrict,uint256 expiry,bytes32 salt)"
    );
    bytes32 internal constant WORKERPOOL_ORDER_TYPEHASH = keccak256(
        "WorkerpoolOrder(address workerpool,uint256 price,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address appRestrict,address datasetRestrict,address requesterRestrict,uint256 expiry,bytes32 salt)"
    );
    bytes32 internal constant REQUEST_ORDER_TYPEHASH = keccak256(
        "RequestOrder(address app,uint256 appMaxPrice,address dataset,uint256 datasetMaxPrice,address workerpool,uint256 workerpoolMaxPrice,address requester,uint256 volume,bytes32 tag,uint256 category,uint256 trust,address beneficiary,address callback,string params,uint256 expiry,bytes32 salt)"
    );

    function hash(AppOrder calldata o) internal pure returns (bytes32) {
        return keccak256(abi.encode(APP_ORDER_TYPEHASH, o));
    }

    function hash(DatasetOrder calldata o) internal pure returns (bytes32) {
        return keccak256(abi.encode(DATASET_ORDER_TYPEHASH, o));
    }

    function hash(WorkerpoolOrder calldata o) internal pure returns (bytes32) {
        return keccak256(abi.encode(WORKERPOOL_ORDER_TYPEHASH, o));
    }

    function hash(RequestOrder calldata o) internal pure returns (bytes32) {
        return keccak256(
            abi.encode(
                REQUEST_ORDER_TYPEHASH,
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
}
