// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

/**
 * @dev Where each account keeps its secrets: the URL of the secret management service (SMS) that holds the keys of
 * its datasets, the secrets of its apps, or its secrets as a requester. A scheduler reads it to tell its workers which
 * service to ask; the service itself decides, against the chain, whether to release anything. An account names one
 * service: the service may be its own, its pool's, or a third party's it trusts.
 */
abstract contract SmsDirectory {
    /// @dev Longest URL accepted, in bytes.
    uint256 public constant MAX_SMS_URL_LENGTH = 256;

    mapping(address account => string url) private _smsUrls;

    /// @dev An SMS URL is at most {MAX_SMS_URL_LENGTH} bytes.
    error SmsUrlTooLong(uint256 length, uint256 max);

    /// @dev Emitted when `account` names (or, with an empty `url`, withdraws) the service that holds its secrets.
    event SmsUrlSet(address indexed account, string url);

    /// @notice Names the secret management service that holds the caller's secrets; an empty `url` withdraws it.
    function setSmsUrl(string calldata url) external {
        if (bytes(url).length > MAX_SMS_URL_LENGTH) revert SmsUrlTooLong(bytes(url).length, MAX_SMS_URL_LENGTH);
        _smsUrls[msg.sender] = url;
        emit SmsUrlSet(msg.sender, url);
    }

    /// @notice The secret management service `account` named, or the empty string.
    function smsUrlOf(address account) external view returns (string memory) {
        return _smsUrls[account];
    }
}
