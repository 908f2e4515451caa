// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title GasProbe
/// @notice Test/bench-only: measures the gas a warm STATICCALL to a contract consumes, so the gas
///         bench (bench/gas-verifier) can report the execution gas of RV32IM.step apart from the
///         transaction's intrinsic and calldata costs.
contract GasProbe {
    /// @param _target Contract to call (warmed first, so no cold-access surcharge is measured).
    /// @param _call Calldata for the call.
    /// @return gas_ Gas from just before to just after the STATICCALL: the callee's execution plus
    ///         the 100-gas warm access charge.
    /// @return ok_ Whether the call succeeded.
    /// @return ret_ The first return word.
    function measure(address _target, bytes calldata _call)
        external
        view
        returns (uint256 gas_, bool ok_, bytes32 ret_)
    {
        assembly {
            pop(staticcall(gas(), _target, 0, 0, 0, 0))
            let p := mload(0x40)
            calldatacopy(p, _call.offset, _call.length)
            let g := gas()
            ok_ := staticcall(gas(), _target, p, _call.length, 0, 32)
            gas_ := sub(g, gas())
            ret_ := mload(0)
        }
    }
}
