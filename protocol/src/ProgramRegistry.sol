// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Program registry (docs/spec.md §2.1): immutable program records, their data-source signer sets,
// the verifier versions governance allows new programs to bind, and the largest trace exponent D a
// new program may declare (every watchtower executes up to 2^D steps per job of a program).

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

import {IStepVerifier} from "./interfaces/IStepVerifier.sol";
import {IProgramRegistry} from "./interfaces/IProgramRegistry.sol";
import {
    VerifierNotApproved,
    VerifierAlreadyKnown,
    InvalidDepth,
    DepthAboveLimit,
    InvalidMaxDepth,
    TooManySigners,
    ZeroAddress
} from "./lib/Errors.sol";
import {Program} from "./lib/Types.sol";

/// @title ProgramRegistry
/// @notice Anyone registers a program against an approved verifier and at a trace exponent no larger
///         than governance's `maxDepth`; records never change.
contract ProgramRegistry is IProgramRegistry, AccessControl {
    /// @notice Semantic version of the registry.
    string public constant version = "0.2.0";
    /// @notice May retire a verifier for new programs (fast response to a machine bug).
    bytes32 public constant GUARDIAN_ROLE = keccak256("GUARDIAN_ROLE");
    /// @notice Most data-source signers a program may list.
    uint256 public constant MAX_SIGNERS = 32;
    /// @notice Hard cap on `maxDepth`: the largest trace exponent D any program may ever have, so that a
    ///         trace length 2^D fits a Position (docs/spec.md §2.1).
    uint8 public constant MAX_DEPTH = 48;

    uint8 internal constant VERIFIER_APPROVED = 1;
    uint8 internal constant VERIFIER_RETIRED = 2;

    /// @inheritdoc IProgramRegistry
    uint256 public programCount;
    /// @inheritdoc IProgramRegistry
    mapping(address verifier => uint8 status) public verifierStatus;
    /// @inheritdoc IProgramRegistry
    uint8 public maxDepth;
    mapping(uint256 programId => Program) internal _programs;
    mapping(uint256 programId => mapping(address signer => bool)) internal _programSigner;

    /// @param _admin DEFAULT_ADMIN_ROLE holder (a TimelockController in production).
    /// @param _guardian GUARDIAN_ROLE holder (zero: none yet).
    /// @param _verifiers Verifiers approved from the start.
    /// @param _maxDepth Largest trace exponent D new programs may declare, in 1..MAX_DEPTH.
    constructor(address _admin, address _guardian, address[] memory _verifiers, uint8 _maxDepth) {
        // INVARIANT: someone can always govern.
        if (_admin == address(0)) revert ZeroAddress();
        _grantRole(DEFAULT_ADMIN_ROLE, _admin);
        if (_guardian != address(0)) _grantRole(GUARDIAN_ROLE, _guardian);
        _setMaxDepth(_maxDepth);
        for (uint256 i; i < _verifiers.length; ++i) {
            _approveVerifier(_verifiers[i]);
        }
    }

    /// @inheritdoc IProgramRegistry
    function registerProgram(
        bytes32 _programRoot,
        uint32 _entry,
        uint8 _depth,
        bytes32 _manifestHash,
        address[] calldata _signers,
        address _verifier
    ) external returns (uint256 programId_) {
        // INVARIANT: a program binds a verifier that governance approved and has not retired.
        if (verifierStatus[_verifier] != VERIFIER_APPROVED) revert VerifierNotApproved(_verifier);
        // INVARIANT: every game starts with a dissection.
        if (_depth == 0) revert InvalidDepth(_depth);
        // INVARIANT: no one can make watchtowers execute more than 2^maxDepth steps per job of a new
        // program; maxDepth <= MAX_DEPTH, so the trace length 2^D also fits a Position.
        uint8 limit = maxDepth;
        if (_depth > limit) revert DepthAboveLimit(_depth, limit);
        if (_signers.length > MAX_SIGNERS) revert TooManySigners(_signers.length);
        programId_ = ++programCount;
        _programs[programId_] = Program({
            programRoot: _programRoot,
            manifestHash: _manifestHash,
            verifier: _verifier,
            entry: _entry,
            depth: _depth,
            signed: _signers.length != 0,
            registrant: msg.sender
        });
        for (uint256 i; i < _signers.length; ++i) {
            if (_signers[i] == address(0)) revert ZeroAddress();
            _programSigner[programId_][_signers[i]] = true;
        }
        emit ProgramRegistered(
            programId_, msg.sender, _verifier, _programRoot, _entry, _depth, _manifestHash, _signers
        );
    }

    /// @inheritdoc IProgramRegistry
    function approveVerifier(address _verifier) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _approveVerifier(_verifier);
    }

    /// @inheritdoc IProgramRegistry
    function setMaxDepth(uint8 _maxDepth) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setMaxDepth(_maxDepth);
    }

    /// @inheritdoc IProgramRegistry
    function retireVerifier(address _verifier) external onlyRole(GUARDIAN_ROLE) {
        if (verifierStatus[_verifier] != VERIFIER_APPROVED) revert VerifierNotApproved(_verifier);
        verifierStatus[_verifier] = VERIFIER_RETIRED;
        emit VerifierRetired(_verifier);
    }

    /// @inheritdoc IProgramRegistry
    function getProgram(uint256 _programId) external view returns (Program memory) {
        return _programs[_programId];
    }

    /// @inheritdoc IProgramRegistry
    function isProgramSigner(uint256 _programId, address _signer) external view returns (bool) {
        return _programSigner[_programId][_signer];
    }

    function _setMaxDepth(uint8 _maxDepth) internal {
        // INVARIANT: 1 <= maxDepth <= MAX_DEPTH, so some program can always register and none can exceed
        // the hard cap, whoever holds the admin role.
        if (_maxDepth == 0 || _maxDepth > MAX_DEPTH) revert InvalidMaxDepth(_maxDepth);
        emit MaxDepthSet(maxDepth, _maxDepth);
        maxDepth = _maxDepth;
    }

    function _approveVerifier(address _verifier) internal {
        if (_verifier == address(0)) revert ZeroAddress();
        // INVARIANT: a retired verifier never comes back (a fixed machine is a new deployment).
        if (verifierStatus[_verifier] != 0) revert VerifierAlreadyKnown(_verifier);
        verifierStatus[_verifier] = VERIFIER_APPROVED;
        emit VerifierApproved(_verifier, IStepVerifier(_verifier).machineVersion());
    }
}
