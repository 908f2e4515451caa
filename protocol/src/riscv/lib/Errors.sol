// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Every way the RV32IM one-step verifier refuses its input (docs/spec.md §1.4–§1.6). A refused
// input never yields a post-state: the verifier reverts with one of these instead.

////////////////////////////////////////////////////////////////
//                     RV32IM state errors                    //
////////////////////////////////////////////////////////////////

/// @notice Thrown when packed state data is not exactly 173 bytes long (§1.1).
error InvalidStateLength();

/// @notice Thrown when a packed state's status byte is above 2 (TRAPPED) (§1.1).
error InvalidStatus();

/// @notice Thrown when a RUNNING or TRAPPED packed state has a nonzero exit code (§1.1).
error InvalidExitCode();

/// @notice Thrown when a RUNNING pre-state's step counter is 2^64 − 1 and cannot count one more
///         instruction (§1.1).
error StepCounterOverflow();

/// @notice Thrown when a packed state does not hash to the state hash it is claimed to open.
error StateHashMismatch();

/// @notice Thrown when a memory root is not H(programSubroot, H(inputSubroot, outputRoot)) (§1.3).
error MemoryMapMismatch();

////////////////////////////////////////////////////////////////
//                     RV32IM proof errors                    //
////////////////////////////////////////////////////////////////

/// @notice Thrown when a proof ends before a leaf, mask or sibling it announces (§1.4).
error ProofTruncated();

/// @notice Thrown when a proof has bytes left after the instruction consumed what it needs (§1.6).
error ProofTrailingBytes();

/// @notice Thrown when a proof mask has a bit set outside its allowed range (§1.4).
error InvalidProofMask();

/// @notice Thrown when a memory proof does not open against the pre-state memory root (§1.4).
error MemoryRootMismatch();

////////////////////////////////////////////////////////////////
//                     RV32IM input errors                    //
////////////////////////////////////////////////////////////////

/// @notice Thrown when an input does not fit the input region after its 32-byte header (§1.2).
error InputTooLarge();
