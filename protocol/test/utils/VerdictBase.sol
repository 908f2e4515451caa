// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fixture of the unit and attack tests on the toy machine (test/mocks/ToyVerifier.sol): traces are
// computed in Solidity, so games of any depth and any fault can be played without real proofs.

import {ProtocolBase} from "./ProtocolBase.sol";
import {ToyVerifier} from "../mocks/ToyVerifier.sol";

abstract contract VerdictBase is ProtocolBase {
    bytes32 internal constant PROGRAM_ROOT = keccak256("program");
    uint32 internal constant ENTRY = 0x1000;
    bytes32 internal constant MANIFEST = keccak256("manifest");

    ToyVerifier internal toy;

    function _deployVerifier() internal virtual override returns (address) {
        toy = new ToyVerifier(99);
        return address(toy);
    }

    function _programRoot() internal view virtual override returns (bytes32) {
        return PROGRAM_ROOT;
    }

    function _entry() internal view virtual override returns (uint32) {
        return ENTRY;
    }

    function _seed(uint256 _jobId) internal view returns (bytes32) {
        return toy.seedOf(PROGRAM_ROOT, ENTRY, verdict.getJob(_jobId).inputRoot);
    }

    /// @dev Toy trace: T(t) = keccak(abi.encode(seed, t)); after the fault, a "bad" hash nobody can open.
    function _traceHash(uint256 _jobId, uint256 _fault, uint256 _t) internal view override returns (bytes32) {
        bytes32 seed = _seed(_jobId);
        if (_fault == HONEST || _t <= _fault) return keccak256(abi.encode(seed, uint64(_t)));
        return keccak256(abi.encode(seed, uint64(_t), "bad"));
    }

    function _stepData(uint256 _jobId, uint256 _t)
        internal
        view
        override
        returns (bytes memory pre_, bytes memory proof_)
    {
        pre_ = abi.encode(_seed(_jobId), uint64(_t));
        proof_ = "";
    }
}
