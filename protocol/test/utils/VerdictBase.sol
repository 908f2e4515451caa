// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Shared fixture for Verdict tests on the toy machine: deploys registry, toy verifier and Verdict,
// registers a program, and plays games with honest or faulty traces computed in Solidity.

import {Test} from "forge-std/Test.sol";
import {Verdict} from "../../src/Verdict.sol";
import {ProgramRegistry} from "../../src/ProgramRegistry.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {IProgramRegistry} from "../../src/interfaces/IProgramRegistry.sol";
import {Leaf, Params, Job, Game, Proposal, Position, LibPosition} from "../../src/lib/Types.sol";
import {ToyVerifier} from "../mocks/ToyVerifier.sol";
import {TestMerkle} from "./TestMerkle.sol";

abstract contract VerdictBase is Test {
    /// @dev No fault: the trace is the true one.
    uint256 internal constant HONEST = type(uint256).max;

    ProgramRegistry internal registry;
    Verdict internal verdict;
    ToyVerifier internal toy;

    address internal admin = makeAddr("admin");
    address internal guardian = makeAddr("guardian");
    address internal setter = makeAddr("setter");
    address internal proposer = makeAddr("proposer");
    address internal challenger = makeAddr("challenger");
    address internal challenger2 = makeAddr("challenger2");
    address internal requester = makeAddr("requester");

    bytes32 internal constant PROGRAM_ROOT = keccak256("program");
    uint32 internal constant ENTRY = 0x1000;
    bytes32 internal constant MANIFEST = keccak256("manifest");

    uint256 internal programId;

    function _k() internal pure virtual returns (uint256) {
        return 4;
    }

    function _depth() internal pure virtual returns (uint8) {
        return 8;
    }

    function _params() internal pure virtual returns (Params memory p_) {
        p_ = Params({
            proposerBond: 1 ether,
            challengerBond: 0.5 ether,
            challengeWindow: 1 days,
            clockSeconds: 1 hours,
            burnBps: 2000,
            maxInputBytes: 4096,
            maxBatchSize: 1024
        });
    }

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        toy = new ToyVerifier(99);
        address[] memory verifiers = new address[](1);
        verifiers[0] = address(toy);
        registry = new ProgramRegistry(admin, guardian, verifiers);
        verdict = new Verdict(IProgramRegistry(address(registry)), admin, guardian, setter, _k(), _params());
        programId =
            registry.registerProgram(PROGRAM_ROOT, ENTRY, _depth(), MANIFEST, new address[](0), address(toy));
        vm.deal(proposer, 1000 ether);
        vm.deal(challenger, 1000 ether);
        vm.deal(challenger2, 1000 ether);
        vm.deal(requester, 1000 ether);
    }

    ////////////////////////////////////////////////////////////////
    //                         Jobs & leaves                      //
    ////////////////////////////////////////////////////////////////

    function _submit(bytes memory _input, uint256 _fee) internal returns (uint256 jobId_) {
        vm.prank(requester);
        jobId_ = verdict.submitJob{value: _fee}(programId, _input);
    }

    function _seed(uint256 _jobId) internal view returns (bytes32) {
        Job memory job = verdict.getJob(_jobId);
        return toy.seedOf(PROGRAM_ROOT, ENTRY, job.inputRoot);
    }

    /// @dev Hash of trace position `_t` for a trace that goes wrong from step `_fault` on.
    function _h(bytes32 _seed, uint256 _fault, uint256 _t) internal pure returns (bytes32) {
        if (_t < _fault) return keccak256(abi.encode(_seed, uint64(_t)));
        return keccak256(abi.encode(_seed, uint64(_t), "bad"));
    }

    function _finalHash(uint256 _jobId, uint256 _fault) internal view returns (bytes32) {
        return _h(_seed(_jobId), _fault, uint256(1) << _depth());
    }

    function _leaf(uint256 _jobId, uint256 _fault) internal view returns (Leaf memory) {
        return Leaf({jobId: _jobId, finalStateHash: _finalHash(_jobId, _fault)});
    }

    function _hashes(Leaf[] memory _leaves) internal pure returns (bytes32[] memory hashes_) {
        hashes_ = new bytes32[](_leaves.length);
        for (uint256 i; i < _leaves.length; ++i) {
            hashes_[i] = TestMerkle.leafHash(_leaves[i].jobId, _leaves[i].finalStateHash);
        }
    }

    function _proof(Leaf[] memory _leaves, uint256 _index) internal pure returns (bytes32[] memory) {
        return TestMerkle.proof(_hashes(_leaves), _index);
    }

    function _one(Leaf memory _l) internal pure returns (Leaf[] memory leaves_) {
        leaves_ = new Leaf[](1);
        leaves_[0] = _l;
    }

    function _propose(Leaf[] memory _leaves) internal returns (uint256 proposalId_) {
        uint256 bond = verdict.params().proposerBond;
        vm.prank(proposer);
        proposalId_ = verdict.propose{value: bond}(_leaves);
    }

    function _open(uint256 _proposalId, Leaf[] memory _leaves, uint256 _index, address _who)
        internal
        returns (uint256 gameId_)
    {
        bytes32[] memory proof = _proof(_leaves, _index);
        uint256 bond = verdict.params().challengerBond;
        vm.prank(_who);
        gameId_ = verdict.openGame{value: bond}(_proposalId, _leaves[_index], proof);
    }

    ////////////////////////////////////////////////////////////////
    //                           Players                          //
    ////////////////////////////////////////////////////////////////

    function _parts(Position _pos) internal view returns (uint8 log2Parts_) {
        uint8 log2k = uint8(_log2(verdict.K()));
        log2Parts_ = _pos.log2Len() < log2k ? _pos.log2Len() : log2k;
    }

    function _log2(uint256 _x) internal pure returns (uint256 r_) {
        while ((uint256(1) << r_) < _x) ++r_;
    }

    /// @dev The interior hashes a proposer with trace fault `_fault` posts for the game's segment.
    function _interior(uint256 _gameId, uint256 _fault) internal view returns (bytes32[] memory interior_) {
        Game memory g = verdict.getGame(_gameId);
        bytes32 seed = _seed(g.jobId);
        uint8 log2Parts = _parts(g.position);
        uint256 n = uint256(1) << log2Parts;
        uint256 partLen = uint256(1) << (g.position.log2Len() - log2Parts);
        interior_ = new bytes32[](n - 1);
        for (uint256 i = 1; i < n; ++i) {
            interior_[i - 1] = _h(seed, _fault, g.position.start() + i * partLen);
        }
    }

    /// @dev The part a challenger with trace fault `_fault` picks: the first whose end it disputes.
    function _pickIndex(uint256 _gameId, bytes32[] memory _interior_, uint256 _fault)
        internal
        view
        returns (uint256)
    {
        Game memory g = verdict.getGame(_gameId);
        bytes32 seed = _seed(g.jobId);
        uint8 log2Parts = _parts(g.position);
        uint256 n = uint256(1) << log2Parts;
        uint256 partLen = uint256(1) << (g.position.log2Len() - log2Parts);
        for (uint256 i; i < n; ++i) {
            bytes32 claimed = i == n - 1 ? g.endHash : _interior_[i];
            if (claimed != _h(seed, _fault, g.position.start() + (i + 1) * partLen)) return i;
        }
        return n - 1; // agrees with everything: a lying challenger still has to pick something
    }

    function _doDissect(uint256 _gameId, uint256 _fault) internal returns (bytes32[] memory interior_) {
        interior_ = _interior(_gameId, _fault);
        vm.prank(proposer);
        verdict.dissect(_gameId, interior_);
    }

    function _doPick(uint256 _gameId, bytes32[] memory _interior_, uint256 _fault, address _who) internal {
        uint256 idx = _pickIndex(_gameId, _interior_, _fault);
        vm.prank(_who);
        verdict.pick(_gameId, _interior_, idx);
    }

    function _doStep(uint256 _gameId, address _who) internal {
        Game memory g = verdict.getGame(_gameId);
        bytes memory pre = abi.encode(_seed(g.jobId), uint64(g.position.start()));
        vm.prank(_who);
        verdict.step(_gameId, pre, "");
    }

    /// @dev Plays until the one-step proof is due.
    function _playUntilStep(uint256 _gameId, uint256 _pFault, uint256 _cFault) internal {
        address who = verdict.getGame(_gameId).challenger;
        for (uint256 guard; guard < 200; ++guard) {
            (IVerdict.Turn turn,) = verdict.gameTurn(_gameId);
            if (turn == IVerdict.Turn.Step) return;
            require(turn == IVerdict.Turn.Dissect, "expected a dissection");
            _doPick(_gameId, _doDissect(_gameId, _pFault), _cFault, who);
        }
    }

    /// @dev Plays a game to its end: proposer trace faulty from `_pFault`, challenger from `_cFault`.
    function _play(uint256 _gameId, uint256 _pFault, uint256 _cFault) internal {
        address who = verdict.getGame(_gameId).challenger;
        bytes32[] memory interior;
        for (uint256 guard; guard < 200; ++guard) {
            (IVerdict.Turn turn,) = verdict.gameTurn(_gameId);
            if (turn == IVerdict.Turn.Dissect) {
                interior = _doDissect(_gameId, _pFault);
            } else if (turn == IVerdict.Turn.Pick) {
                _doPick(_gameId, interior, _cFault, who);
            } else if (turn == IVerdict.Turn.Step) {
                _doStep(_gameId, who);
            } else {
                return;
            }
        }
        revert("game did not end");
    }
}
