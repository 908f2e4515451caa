// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Outputs of finalized results (docs/spec.md §2.4): opens a job's final state through its program's
// verifier and publishes the output bytes against the opened output root. Split from Verdict so that
// each contract keeps room under the code-size limit; it holds no ETH and trusts only Verdict's
// `result` view.

import {IOutputs} from "./interfaces/IOutputs.sol";
import {IVerdict} from "./interfaces/IVerdict.sol";
import {IProgramRegistry} from "./interfaces/IProgramRegistry.sol";
import {IStepVerifier} from "./interfaces/IStepVerifier.sol";
import "./lib/Errors.sol";
import {Output} from "./lib/Types.sol";

/// @title Outputs
/// @notice Final-state openings and output publication for Verdict's results.
contract Outputs is IOutputs {
    /// @notice Semantic version of the outputs contract.
    string public constant version = "0.2.0";

    IVerdict internal immutable VERDICT_;
    IProgramRegistry internal immutable REGISTRY;

    mapping(uint256 jobId => Output) internal _outputs;

    /// @param _verdict The protocol contract whose results are opened.
    constructor(IVerdict _verdict) {
        if (address(_verdict) == address(0)) revert ZeroAddress();
        VERDICT_ = _verdict;
        REGISTRY = IProgramRegistry(_verdict.registry());
    }

    /// @inheritdoc IOutputs
    function openOutput(
        uint256 _jobId,
        bytes calldata _stateData,
        bytes32 _programSubroot,
        bytes32 _inputSubroot,
        bytes32 _outputRoot
    ) external {
        if (VERDICT_.paused()) revert ProtocolPaused();
        (bool final_, bytes32 stateHash,) = VERDICT_.result(_jobId);
        // INVARIANT: outputs are only ever opened from a valid finalized result.
        if (!final_) revert NoResult(_jobId);
        (uint8 status, uint32 exitCode, uint64 steps) = IStepVerifier(_verifierOf(_jobId))
            .openFinalState(stateHash, _stateData, _programSubroot, _inputSubroot, _outputRoot);
        _outputs[_jobId] = Output({
            stateHash: stateHash, outputRoot: _outputRoot, steps: steps, exitCode: exitCode, status: status
        });
        emit OutputOpened(_jobId, stateHash, status, exitCode, steps, _outputRoot);
    }

    /// @inheritdoc IOutputs
    function publishOutput(uint256 _jobId, bytes calldata _output) external {
        if (VERDICT_.paused()) revert ProtocolPaused();
        (Output memory out, bool current) = output(_jobId);
        if (!current) revert NoResult(_jobId);
        // Same layout and hash as the input region (§1.3), so the verifier's inputRoot computes it.
        bytes32 computed = IStepVerifier(_verifierOf(_jobId)).inputRoot(_output);
        if (computed != out.outputRoot) revert OutputMismatch(computed, out.outputRoot);
        emit OutputData(_jobId, computed, _output);
    }

    /// @inheritdoc IOutputs
    function output(uint256 _jobId) public view returns (Output memory output_, bool current_) {
        output_ = _outputs[_jobId];
        (bool final_, bytes32 stateHash,) = VERDICT_.result(_jobId);
        current_ = final_ && output_.stateHash == stateHash;
    }

    /// @inheritdoc IOutputs
    function VERDICT() external view returns (address) {
        return address(VERDICT_);
    }

    function _verifierOf(uint256 _jobId) internal view returns (address) {
        return REGISTRY.getProgram(VERDICT_.getJob(_jobId).programId).verifier;
    }
}
