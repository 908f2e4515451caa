// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Arithmetic and hashing both protocol contracts must do identically: the burn share of a forfeit
// (docs/spec.md §2.4) and the leaf hash of a result (§2.2). One copy, so Verdict and DisputeGame can
// never disagree on either.

/// @title LibMoney
library LibMoney {
    /// @notice Burn share of `_amount` at `_bps` basis points, rounded up: a nonzero forfeit always
    ///         burns at least 1 wei, so no self-challenge is free.
    function burnOf(uint256 _amount, uint256 _bps) internal pure returns (uint256) {
        return (_amount * _bps + 9_999) / 10_000;
    }

    /// @notice Leaf hash of (jobId, finalStateHash): OpenZeppelin's standard double keccak of
    ///         `abi.encode(jobId, finalStateHash)`.
    function leafHash(uint256 _jobId, bytes32 _finalStateHash) internal pure returns (bytes32 leaf_) {
        assembly ("memory-safe") {
            mstore(0x00, _jobId)
            mstore(0x20, _finalStateHash)
            mstore(0x00, keccak256(0x00, 0x40))
            leaf_ := keccak256(0x00, 0x20)
        }
    }
}
