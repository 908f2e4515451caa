// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStepVerifier} from "../../../src/interfaces/IStepVerifier.sol";

/// @title StepBatch
/// @notice Test-only: runs many verifier steps in one eth_call so the TypeScript replay of the
///         differential vectors (shared/src/vectors) pays one RPC round trip per batch.
contract StepBatch {
    /// @return posts_ Post-state hash per case (zero when the step reverted).
    /// @return reverted_ Whether each step reverted.
    /// @return selectors_ The revert selector per case (zero when none or shorter than 4 bytes).
    function run(IStepVerifier _verifier, bytes[] calldata _states, bytes[] calldata _proofs)
        external
        view
        returns (bytes32[] memory posts_, bool[] memory reverted_, bytes4[] memory selectors_)
    {
        uint256 n = _states.length;
        posts_ = new bytes32[](n);
        reverted_ = new bool[](n);
        selectors_ = new bytes4[](n);
        for (uint256 k = 0; k < n; k++) {
            try _verifier.step(_states[k], _proofs[k]) returns (bytes32 post) {
                posts_[k] = post;
            } catch (bytes memory reason) {
                reverted_[k] = true;
                // forge-lint: disable-next-line(unsafe-typecast)
                if (reason.length >= 4) selectors_[k] = bytes4(reason); // the selector is the first 4 bytes
            }
        }
    }
}
