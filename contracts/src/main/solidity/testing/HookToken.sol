// SPDX-License-Identifier: Apache-2.0
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/**
 * @dev A hostile ERC-20 for attack tests: after every `transfer` and `transferFrom` has moved the
 * tokens, it calls a target prepared by the test (e.g. the hub's `depositFor` or `withdraw`)
 * from its own address, to re-enter whoever moved the tokens while that caller is between its
 * balance reads. The outcome of the re-entrant call is recorded, not bubbled up, so the outer
 * transfer completes and the test can check what the re-entry achieved.
 */
contract HookToken is ERC20 {
    /// @notice Where the hook calls, and with what calldata; no hook while `target` is zero.
    address public target;
    bytes public hookCall;
    /// @notice How many hooks ran, and how the last one went.
    uint256 public hooks;
    bool public lastHookSucceeded;
    bytes public lastHookError;

    bool private _inHook;

    constructor() ERC20("Hook Token", "HOOK") {}

    /// @notice Mints `amount` to `to`: anyone may, it is a test token.
    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /**
     * @notice Arms the hook: after each transfer, call `target_` with `call_`, from this contract,
     * which approves `target_` to pull `allowance` of its own tokens (for re-entrant deposits).
     */
    function arm(address target_, bytes calldata call_, uint256 allowance) external {
        target = target_;
        hookCall = call_;
        _approve(address(this), target_, allowance);
    }

    /// @notice Disarms the hook.
    function disarm() external {
        target = address(0);
    }

    function transfer(address to, uint256 value) public override returns (bool) {
        bool ok = super.transfer(to, value);
        _hook();
        return ok;
    }

    function transferFrom(address from, address to, uint256 value) public override returns (bool) {
        bool ok = super.transferFrom(from, to, value);
        _hook();
        return ok;
    }

    /// @dev Calls the target once per outer transfer (the re-entrant call's own transfers run no hook).
    function _hook() private {
        if (target == address(0) || _inHook) return;
        _inHook = true;
        (bool ok, bytes memory ret) = target.call(hookCall);
        _inHook = false;
        hooks += 1;
        lastHookSucceeded = ok;
        lastHookError = ret;
    }
}
