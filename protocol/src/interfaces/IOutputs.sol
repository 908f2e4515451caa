// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Output} from "../lib/Types.sol";

/// @title IOutputs
/// @notice Opening the final state of a job's valid result and publishing its output bytes
///         (docs/spec.md §2.4). Holds no ETH; reads results from Verdict.
interface IOutputs {
    /// @notice A job's final state was opened.
    event OutputOpened(
        uint256 indexed jobId,
        bytes32 indexed finalStateHash,
        uint8 status,
        uint32 exitCode,
        uint64 steps,
        bytes32 outputRoot
    );
    /// @notice The output bytes of a job, verified against the opened output root.
    event OutputData(uint256 indexed jobId, bytes32 indexed outputRoot, bytes output);

    /// @notice Opens a job's valid result through its program's verifier `openFinalState`.
    function openOutput(
        uint256 _jobId,
        bytes calldata _stateData,
        bytes32 _programSubroot,
        bytes32 _inputSubroot,
        bytes32 _outputRoot
    ) external;

    /// @notice Emits a job's output bytes after checking they hash (§1.3 layout) to the opened output root.
    function publishOutput(uint256 _jobId, bytes calldata _output) external;

    /// @notice A job's opened output; `current_` false when never opened or opened for a result no longer valid.
    function output(uint256 _jobId) external view returns (Output memory output_, bool current_);

    /// @notice The protocol contract whose results this contract opens.
    function VERDICT() external view returns (address);
}
