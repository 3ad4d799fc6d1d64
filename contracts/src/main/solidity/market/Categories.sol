// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";

/**
 * @dev Named execution-time classes. A deal's deadlines derive from its category's reference
 * time T (see {Deals}). Categories are append-only so that a category id never changes meaning.
 */
abstract contract Categories is Ownable {
    struct Category {
        string name;
        string description;
        uint256 workClockTimeRef; // T, in seconds
    }

    Category[] private _categories;

    /// @dev No category has id `category`.
    error UnknownCategory(uint256 category);
    /// @dev The longest reference time a category may have. It bounds every deadline, and so the
    /// delay after which a bond may leave ({Escrow-UNBOND_DELAY}).
    uint256 public constant MAX_CATEGORY_TIME = 1 days;

    /// @dev A category's reference time must be positive.
    error ZeroCategoryTime();
    /// @dev A category's reference time must be at most {MAX_CATEGORY_TIME}.
    error CategoryTimeTooLong(uint256 workClockTimeRef, uint256 max);

    event CategoryCreated(uint256 indexed category, string name, string description, uint256 workClockTimeRef);

    /// @notice Adds a category; only the hub's owner may.
    function createCategory(string calldata name, string calldata description, uint256 workClockTimeRef)
        external
        onlyOwner
        returns (uint256)
    {
        return _createCategory(name, description, workClockTimeRef);
    }

    /// @notice The category `category`; reverts if it does not exist.
    function categoryOf(uint256 category) external view returns (Category memory) {
        if (category >= _categories.length) revert UnknownCategory(category);
        return _categories[category];
    }

    /// @notice How many categories exist; ids are 0 to count - 1.
    function categoryCount() external view returns (uint256) {
        return _categories.length;
    }

    function _createCategory(string memory name, string memory description, uint256 workClockTimeRef)
        internal
        returns (uint256 id)
    {
        if (workClockTimeRef == 0) revert ZeroCategoryTime();
        if (workClockTimeRef > MAX_CATEGORY_TIME) revert CategoryTimeTooLong(workClockTimeRef, MAX_CATEGORY_TIME);
        id = _categories.length;
        _categories.push(Category(name, description, workClockTimeRef));
        emit CategoryCreated(id, name, description, workClockTimeRef);
    }

    function _categoryTime(uint256 category) internal view returns (uint256) {
        if (category >= _categories.length) revert UnknownCategory(category);
        return _categories[category].workClockTimeRef;
    }
}
