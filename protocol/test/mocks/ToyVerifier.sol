// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStepVerifier} from "../../src/interfaces/IStepVerifier.sol";

/// @title ToyVerifier
/// @notice Test-only machine whose trace is computable in Solidity, so the game rules can be unit
///         tested without real step proofs. State t of a job with seed s is `abi.encode(s, t)`
///         (64 bytes); one step maps it to `abi.encode(s, t + 1)`. Anything else is rejected, so a
///         party can only step from a state whose preimage really is a toy state.
contract ToyVerifier is IStepVerifier {
    error ToyBadState();
    error ToyBadOpening();

    uint256 public immutable VERSION;

    constructor(uint256 _version) {
        VERSION = _version;
    }

    /// @notice The toy seed of a job.
    function seedOf(bytes32 _programRoot, uint32 _entry, bytes32 _inputRoot) public pure returns (bytes32) {
        return keccak256(abi.encode(_programRoot, _entry, _inputRoot));
    }

    function step(bytes calldata _stateData, bytes calldata) external pure returns (bytes32) {
        if (_stateData.length != 64) revert ToyBadState();
        (bytes32 seed, uint64 t) = abi.decode(_stateData, (bytes32, uint64));
        return keccak256(abi.encode(seed, t + 1));
    }

    function initialStateHash(bytes32 _programRoot, uint32 _entry, bytes32 _inputRoot)
        external
        pure
        returns (bytes32)
    {
        return keccak256(abi.encode(seedOf(_programRoot, _entry, _inputRoot), uint64(0)));
    }

    function inputRoot(bytes calldata _input) external pure returns (bytes32) {
        return keccak256(abi.encodePacked(uint64(_input.length), _input));
    }

    /// @dev Toy final states are `abi.encode(seed, t)`; status EXITED, exit code = low 32 bits of the
    ///      output root, steps = t. Any subroots are accepted.
    function openFinalState(
        bytes32 _stateHash,
        bytes calldata _stateData,
        bytes32,
        bytes32,
        bytes32 _outputRoot
    ) external pure returns (uint8, uint32, uint64) {
        if (_stateData.length != 64 || keccak256(_stateData) != _stateHash) revert ToyBadOpening();
        (, uint64 t) = abi.decode(_stateData, (bytes32, uint64));
        return (1, uint32(uint256(_outputRoot)), t);
    }

    function machineVersion() external view returns (uint256) {
        return VERSION;
    }
}
