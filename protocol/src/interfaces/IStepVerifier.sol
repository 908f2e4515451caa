// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStepVerifier
/// @notice The only view a dispute game has of the machine: execute one instruction from a
///         proven pre-state. A machine version is one deployed verifier; governance can retire
///         a version for new programs and register a new one (docs/spec.md §1.6, §2.1).
interface IStepVerifier {
    /// @notice Executes one step of the machine.
    /// @param _stateData The packed pre-state (173 bytes, docs/spec.md §1.1).
    /// @param _proof The fetch proof followed by the data proof, if the instruction needs one (§1.6).
    /// @return postStateHash_ keccak256 of the packed post-state.
    function step(bytes calldata _stateData, bytes calldata _proof) external view returns (bytes32 postStateHash_);

    /// @notice The hash of a job's initial state (§1.7): memRoot = H(programRoot, H(inputRoot, Z25)),
    ///         pc = entry, all registers zero, step 0, RUNNING, exitCode 0.
    function initialStateHash(bytes32 _programRoot, uint32 _entry, bytes32 _inputRoot)
        external
        view
        returns (bytes32 stateHash_);

    /// @notice The input root (§1.3) of `_input`: height-25 root of header(le64 length) ‖ input.
    function inputRoot(bytes calldata _input) external view returns (bytes32 root_);

    /// @notice Opens a packed state: checks it hashes to `_stateHash`, checks that its memory root is
    ///         H(_programSubroot, H(_inputSubroot, outputRoot_)) and returns status, exit code and
    ///         output root. `_programSubroot` and `_inputSubroot` are the two sibling hashes of the
    ///         memory map in that final state.
    function openFinalState(
        bytes32 _stateHash,
        bytes calldata _stateData,
        bytes32 _programSubroot,
        bytes32 _inputSubroot,
        bytes32 _outputRoot
    ) external view returns (uint8 status_, uint32 exitCode_, uint64 steps_);

    /// @notice Machine version implemented by this verifier (docs/spec.md §1: version 1).
    function machineVersion() external view returns (uint256 version_);
}
