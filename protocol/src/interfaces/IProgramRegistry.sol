// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Program} from "../lib/Types.sol";

/// @title IProgramRegistry
/// @notice Registered programs (immutable), the verifiers (machine versions) they may bind and the
///         largest trace exponent D they may declare (docs/spec.md §2.1). Kept apart from the Verdict
///         contract so that each stays under the EIP-170 code size limit; it holds no ETH.
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
    /// @notice The largest trace exponent D a new program may declare changed from `previous` to
    ///         `current` (constructor: `previous` = 0). Programs already registered keep their D.
    event MaxDepthSet(uint8 previous, uint8 current);

    /// @notice Registers a program (anyone). `_depth` is its trace exponent D: `1 <= D <= maxDepth`
    ///         (`InvalidDepth` for 0, `DepthAboveLimit` above the limit).
    function registerProgram(
        bytes32 _programRoot,
        uint32 _entry,
        uint8 _depth,
        bytes32 _manifestHash,
        address[] calldata _signers,
        address _verifier
    ) external returns (uint256 programId_);

    function approveVerifier(address _verifier) external;

    /// @notice Sets the largest trace exponent D a new program may declare (DEFAULT_ADMIN_ROLE: the
    ///         timelock). Bounded to 1..MAX_DEPTH (`InvalidMaxDepth`). Programs registered before a
    ///         lowering keep their D: a record never changes, and their jobs and running games keep
    ///         working (whether to serve a program above the current limit is each operator's choice).
    function setMaxDepth(uint8 _maxDepth) external;

    function retireVerifier(address _verifier) external;

    function programCount() external view returns (uint256);

    /// @notice Largest trace exponent D `registerProgram` accepts (else `DepthAboveLimit`), so a program
    ///         registered now asks at most 2^maxDepth steps of every watchtower per job. Never above
    ///         MAX_DEPTH (48).
    function maxDepth() external view returns (uint8);

    /// @notice The program, or an all-zero record (verifier == 0) if it does not exist.
    function getProgram(uint256 _programId) external view returns (Program memory);

    function isProgramSigner(uint256 _programId, address _signer) external view returns (bool);

    /// @notice 0 unknown, 1 approved, 2 retired.
    function verifierStatus(address _verifier) external view returns (uint8);
}
