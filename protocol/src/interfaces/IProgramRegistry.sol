// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Program} from "../lib/Types.sol";

/// @title IProgramRegistry
/// @notice Registered programs (immutable) and the verifiers (machine versions) they may bind
///         (docs/spec.md §2.1). Kept apart from the Verdict contract so that each stays under the
///         EIP-170 code size limit; it holds no ETH.
interface IProgramRegistry {
    /// @notice A verifier (machine version) may be bound by new programs.
    event VerifierApproved(address indexed verifier, uint256 machineVersion);
    /// @notice A verifier can no longer be bound by new programs (existing programs keep it).
    event VerifierRetired(address indexed verifier);
    /// @notice A program was registered; `signers` is its data-source signer set (empty = unsigned jobs).
    event ProgramRegistered(
        uint256 indexed programId,
        address indexed registrant,
        address indexed verifier,
        bytes32 programRoot,
        uint32 entry,
        uint8 depth,
        bytes32 manifestHash,
        address[] signers
    );

    function registerProgram(
        bytes32 _programRoot,
        uint32 _entry,
        uint8 _depth,
        bytes32 _manifestHash,
        address[] calldata _signers,
        address _verifier
    ) external returns (uint256 programId_);

    function approveVerifier(address _verifier) external;

    function retireVerifier(address _verifier) external;

    function programCount() external view returns (uint256);

    /// @notice The program, or an all-zero record (verifier == 0) if it does not exist.
    function getProgram(uint256 _programId) external view returns (Program memory);

    function isProgramSigner(uint256 _programId, address _signer) external view returns (bool);

    /// @notice 0 unknown, 1 approved, 2 retired.
    function verifierStatus(address _verifier) external view returns (uint8);
}
