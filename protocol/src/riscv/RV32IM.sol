// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IStepVerifier} from "../interfaces/IStepVerifier.sol";
import {PackedState, LibState} from "./lib/State.sol";
import {ZeroHashTable, LibMemory} from "./lib/Memory.sol";
import {LibInstructions} from "./lib/Instructions.sol";
import {ProofTrailingBytes, StateHashMismatch, MemoryMapMismatch} from "./lib/Errors.sol";

/// @title RV32IM
/// @notice One-step verifier of the Verdict machine, version 1 (docs/spec.md §1): executes one
///         RV32IM instruction from a packed pre-state and the memory proofs it needs, and returns
///         the post-state hash. Stateless and pure; the dispute game checks that the pre-state
///         hashes to its agreed hash, this contract checks everything else.
/// @dev Entry point only: state handling lives in LibState, memory proofs in LibMemory, decoding
///      and execution in LibInstructions.
contract RV32IM is IStepVerifier {
    /// @notice Semantic version of this contract.
    string public constant version = "1.0.0";

    /// @notice Machine version implemented (the semantics of docs/spec.md §1).
    uint256 public constant MACHINE_VERSION = 1;

    /// @inheritdoc IStepVerifier
    /// @dev Any invalid input reverts: wrong state length or status, an exit code on a RUNNING or
    ///      TRAPPED state, a RUNNING state whose step counter is 2^64 − 1, a truncated proof,
    ///      trailing proof bytes (any proof at all for a halted state or a misaligned pc), a bad
    ///      mask, or a memory proof that does not open against the pre-state's memRoot. A
    ///      post-state is only ever derived from memory the pre-state commits to.
    function step(bytes calldata _stateData, bytes calldata _proof)
        external
        pure
        returns (bytes32 postStateHash_)
    {
        PackedState s = LibState.fromCalldata(_stateData);
        uint256 cur;
        uint256 end;
        assembly {
            cur := _proof.offset
            end := add(cur, _proof.length)
        }
        // A halted state steps to itself: no fetch, step frozen (§1.5 rule 1).
        if (s.status() == LibState.RUNNING) {
            uint256 pc = s.pc();
            if (pc & 3 != 0) {
                // Misaligned pc traps without a fetch proof (§1.5 rule 2).
                s.setStatus(LibState.TRAPPED);
            } else {
                ZeroHashTable z = LibMemory.zeroHashes();
                uint256 insn;
                // An aligned word never crosses a leaf: this is always a single proof of pc >> 5.
                (insn, cur) = LibMemory.load(z, cur, end, s.memRoot(), pc, 4);
                cur = LibInstructions.execute(s, z, insn, cur, end);
            }
            s.incrementStep();
        }
        // INVARIANT: the proof is consumed exactly (§1.6).
        if (cur != end) revert ProofTrailingBytes();
        postStateHash_ = s.hash();
    }

    /// @inheritdoc IStepVerifier
    function initialStateHash(bytes32 _programRoot, uint32 _entry, bytes32 _inputRoot)
        external
        pure
        returns (bytes32 stateHash_)
    {
        bytes32 memRoot = LibMemory.hashPair(_programRoot, LibMemory.hashPair(_inputRoot, LibMemory.Z25));
        stateHash_ = LibState.initialHash(memRoot, _entry);
    }

    /// @inheritdoc IStepVerifier
    function inputRoot(bytes calldata _input) external pure returns (bytes32 root_) {
        root_ = LibMemory.inputRoot(LibMemory.zeroHashes(), _input);
    }

    /// @inheritdoc IStepVerifier
    function openFinalState(
        bytes32 _stateHash,
        bytes calldata _stateData,
        bytes32 _programSubroot,
        bytes32 _inputSubroot,
        bytes32 _outputRoot
    ) external pure returns (uint8 status_, uint32 exitCode_, uint64 steps_) {
        PackedState s = LibState.fromCalldata(_stateData);
        // INVARIANT: only the state the caller committed to can be opened.
        if (s.hash() != _stateHash) revert StateHashMismatch();
        // INVARIANT: the output root is the one the state's memory commits to.
        if (
            s.memRoot() != LibMemory.hashPair(_programSubroot, LibMemory.hashPair(_inputSubroot, _outputRoot))
        ) {
            revert MemoryMapMismatch();
        }
        status_ = uint8(s.status());
        exitCode_ = uint32(s.exitCode());
        steps_ = uint64(s.step());
    }

    /// @inheritdoc IStepVerifier
    function machineVersion() external pure returns (uint256 version_) {
        version_ = MACHINE_VERSION;
    }
}
