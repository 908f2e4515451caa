// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Machine-agnostic fixture of the protocol tests: deploys ProgramRegistry, DisputeGame and Verdict
// the way production does (the game first, at the Verdict address predicted from the deployer's
// nonce), registers one program, and drives proposals and games. The machine (toy or RV32IM) plugs
// in through four hooks: the verifier, the program, a trace with an optional fault, and step data.
//
// Trace convention (both machines): a trace with fault `f` is the true trace T up to and including
// position f and wrong after it, i.e. the transition f -> f + 1 is the faulty one and the one-step
// proof of an honest challenger lands on position f. HONEST = no fault.

import {Test} from "forge-std/Test.sol";
import {Verdict} from "../../src/Verdict.sol";
import {DisputeGame} from "../../src/DisputeGame.sol";
import {ProgramRegistry} from "../../src/ProgramRegistry.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {IProgramRegistry} from "../../src/interfaces/IProgramRegistry.sol";
import {
    Leaf,
    Params,
    Job,
    Game,
    Node,
    NodeStatus,
    Proposal,
    Position,
    LibPosition
} from "../../src/lib/Types.sol";
import {TestMerkle} from "./TestMerkle.sol";

abstract contract ProtocolBase is Test {
    /// @dev No fault: the trace is the true one.
    uint256 internal constant HONEST = type(uint256).max;

    ProgramRegistry internal registry;
    Verdict internal verdict;
    DisputeGame internal game;
    address internal verifier;
    uint256 internal programId;

    address internal admin = makeAddr("admin");
    address internal guardian = makeAddr("guardian");
    address internal setter = makeAddr("setter");
    address internal proposer = makeAddr("proposer");
    address internal challenger = makeAddr("challenger");
    address internal challenger2 = makeAddr("challenger2");
    address internal requester = makeAddr("requester");

    /// @dev Interior hashes posted per (game, node), so that steps can send their ancestry.
    mapping(uint256 gameId => mapping(uint64 position => bytes32[])) internal _posted;
    /// @dev Salt used per proposal commitment (per proposer), so tests can reveal.
    uint256 internal _saltNonce;

    ////////////////////////////////////////////////////////////////
    //                        Machine hooks                       //
    ////////////////////////////////////////////////////////////////

    function _deployVerifier() internal virtual returns (address);

    function _programRoot() internal view virtual returns (bytes32);

    function _entry() internal view virtual returns (uint32);

    /// @dev Hash of position `_t` of job `_jobId`'s trace with fault `_fault` (see header).
    function _traceHash(uint256 _jobId, uint256 _fault, uint256 _t) internal view virtual returns (bytes32);

    /// @dev Packed pre-state at true trace position `_t` of job `_jobId`, and its step proof.
    function _stepData(uint256 _jobId, uint256 _t)
        internal
        view
        virtual
        returns (bytes memory pre_, bytes memory proof_);

    ////////////////////////////////////////////////////////////////
    //                        Configuration                       //
    ////////////////////////////////////////////////////////////////

    function _k() internal pure virtual returns (uint256) {
        return 4;
    }

    function _depth() internal pure virtual returns (uint8) {
        return 8;
    }

    /// @dev The registry's governance limit on D (the deploy default).
    function _maxDepth() internal pure virtual returns (uint8) {
        return 32;
    }

    function _params() internal pure virtual returns (Params memory p_) {
        p_ = Params({
            proposerBond: 1 ether,
            claimBond: 0.1 ether,
            challengeWindow: 1 days,
            clockSeconds: 1 hours,
            burnBps: 2000,
            maxInputBytes: 4096,
            maxBatchSize: 1024,
            feeTimeout: 7 days
        });
    }

    function setUp() public virtual {
        vm.warp(1_700_000_000);
        vm.roll(1000);
        verifier = _deployVerifier();
        address[] memory verifiers = new address[](1);
        verifiers[0] = verifier;
        registry = new ProgramRegistry(admin, guardian, verifiers, _maxDepth());
        programId = registry.registerProgram(
            _programRoot(), _entry(), _depth(), keccak256("manifest"), new address[](0), verifier
        );
        (game, verdict) = _deploy(_k(), _params());
        address[6] memory funded = [proposer, challenger, challenger2, requester, admin, guardian];
        for (uint256 i; i < funded.length; ++i) {
            vm.deal(funded[i], 1_000_000 ether);
        }
    }

    /// @dev The production deployment shape: DisputeGame at the predicted Verdict address first.
    function _deploy(uint256 _kk, Params memory _p) internal returns (DisputeGame game_, Verdict verdict_) {
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        game_ = new DisputeGame(IVerdict(predicted), _kk);
        verdict_ = new Verdict(
            IProgramRegistry(address(registry)), IDisputeGame(address(game_)), admin, guardian, setter, _p
        );
        assertEq(address(verdict_), predicted, "predicted Verdict address");
    }

    ////////////////////////////////////////////////////////////////
    //                       Jobs and proposals                   //
    ////////////////////////////////////////////////////////////////

    function _submit(bytes memory _input, uint256 _fee) internal returns (uint256 jobId_) {
        vm.prank(requester);
        jobId_ = verdict.submitJob{value: _fee}(programId, _input);
    }

    function _submitN(uint256 _n) internal returns (uint256[] memory jobIds_) {
        jobIds_ = new uint256[](_n);
        for (uint256 i; i < _n; ++i) {
            jobIds_[i] = _submit(abi.encode("job", i, block.number), 0);
        }
    }

    function _finalHash(uint256 _jobId, uint256 _fault) internal view returns (bytes32) {
        return _traceHash(_jobId, _fault, uint256(1) << _depth());
    }

    function _leaf(uint256 _jobId, uint256 _fault) internal view returns (Leaf memory) {
        return Leaf({jobId: _jobId, finalStateHash: _finalHash(_jobId, _fault)});
    }

    function _one(Leaf memory _l) internal pure returns (Leaf[] memory leaves_) {
        leaves_ = new Leaf[](1);
        leaves_[0] = _l;
    }

    function _hashes(Leaf[] memory _leaves) internal pure returns (bytes32[] memory hashes_) {
        hashes_ = new bytes32[](_leaves.length);
        for (uint256 i; i < _leaves.length; ++i) {
            hashes_[i] = TestMerkle.leafHash(_leaves[i].jobId, _leaves[i].finalStateHash);
        }
    }

    function _root(Leaf[] memory _leaves) internal pure returns (bytes32) {
        return TestMerkle.root(_hashes(_leaves));
    }

    function _proof(Leaf[] memory _leaves, uint256 _index) internal pure returns (bytes32[] memory) {
        return TestMerkle.proof(_hashes(_leaves), _index);
    }

    function _commitment(address _who, Leaf[] memory _leaves, bytes32 _salt) internal pure returns (bytes32) {
        return keccak256(abi.encode(_who, _root(_leaves), _salt));
    }

    function _nextSalt() internal returns (bytes32) {
        return keccak256(abi.encode("salt", ++_saltNonce));
    }

    /// @dev Commits (this block) then reveals (next block) with the current proposer bond.
    function _proposeAs(address _who, Leaf[] memory _leaves) internal returns (uint256 proposalId_) {
        bytes32 salt = _nextSalt();
        _commitAs(_who, _leaves, salt);
        vm.roll(block.number + 1);
        proposalId_ = _revealAs(_who, _leaves, salt);
    }

    function _propose(Leaf[] memory _leaves) internal returns (uint256) {
        return _proposeAs(proposer, _leaves);
    }

    function _commitAs(address _who, Leaf[] memory _leaves, bytes32 _salt) internal {
        vm.prank(_who);
        verdict.commitProposal(_commitment(_who, _leaves, _salt));
    }

    function _revealAs(address _who, Leaf[] memory _leaves, bytes32 _salt) internal returns (uint256 pid_) {
        uint256 bond = verdict.params().proposerBond;
        vm.prank(_who);
        pid_ = verdict.propose{value: bond}(_leaves, _salt);
    }

    ////////////////////////////////////////////////////////////////
    //                         Positions                          //
    ////////////////////////////////////////////////////////////////

    function _log2(uint256 _x) internal pure returns (uint8 r_) {
        while ((uint256(1) << r_) < _x) ++r_;
    }

    function _pos(uint64 _start, uint8 _log2Len) internal pure returns (uint64) {
        return Position.unwrap(LibPosition.wrap(_start, _log2Len));
    }

    function _startOf(uint64 _p) internal pure returns (uint64) {
        return _p >> 8;
    }

    function _lenOf(uint64 _p) internal pure returns (uint8) {
        return uint8(_p);
    }

    function _rootPos() internal pure returns (uint64) {
        return _pos(0, _depth());
    }

    function _log2Parts(uint64 _p) internal view returns (uint8) {
        uint8 log2k = _log2(game.K());
        return _lenOf(_p) < log2k ? _lenOf(_p) : log2k;
    }

    function _parts(uint64 _p) internal view returns (uint256) {
        return uint256(1) << _log2Parts(_p);
    }

    function _child(uint64 _p, uint256 _index) internal view returns (uint64) {
        return Position.unwrap(LibPosition.child(Position.wrap(_p), _index, _log2Parts(_p)));
    }

    /// @dev Positions from the root down to `_p` (inclusive), following the fixed levels of D and k.
    function _path(uint64 _p) internal view returns (uint64[] memory path_) {
        uint64[] memory buf = new uint64[](64);
        uint256 n;
        uint64 cur = _rootPos();
        buf[n++] = cur;
        while (_lenOf(cur) > _lenOf(_p)) {
            uint8 lp = _log2Parts(cur);
            uint256 index = (_startOf(_p) - _startOf(cur)) >> (_lenOf(cur) - lp);
            cur = _child(cur, index);
            buf[n++] = cur;
        }
        require(cur == _p, "not a node position");
        path_ = new uint64[](n);
        for (uint256 i; i < n; ++i) {
            path_[i] = buf[i];
        }
    }

    function _parentOf(uint64 _p) internal view returns (uint64) {
        uint64[] memory path = _path(_p);
        require(path.length > 1, "root has no parent");
        return path[path.length - 2];
    }

    /// @dev Number of dissection levels of a game of depth `_d` (the number of challenges down to a step).
    function _levels() internal view returns (uint256 n_) {
        uint8 l = _depth();
        uint8 log2k = _log2(game.K());
        while (l != 0) {
            l -= l < log2k ? l : log2k;
            ++n_;
        }
    }

    ////////////////////////////////////////////////////////////////
    //                            Moves                           //
    ////////////////////////////////////////////////////////////////

    function _bond(uint256 _gameId) internal view returns (uint256) {
        return game.getGame(_gameId).claimBond;
    }

    /// @dev The bond each dissection of game `_gameId` posts (the claim bond divided by k).
    function _dBond(uint256 _gameId) internal view returns (uint256) {
        return game.dissectionBond(_gameId);
    }

    function _open(uint256 _proposalId, Leaf[] memory _leaves, uint256 _index, address _who)
        internal
        returns (uint256 gameId_)
    {
        bytes32[] memory proof = _proof(_leaves, _index);
        uint256 bond = verdict.getProposal(_proposalId).claimBond;
        vm.prank(_who);
        gameId_ = game.openGame{value: bond}(_proposalId, _leaves[_index], proof);
    }

    /// @dev The interior hashes of node `_p` on job `_jobId`'s trace with fault `_fault`.
    function _interiorFor(uint256 _jobId, uint64 _p, uint256 _fault)
        internal
        view
        returns (bytes32[] memory interior_)
    {
        uint8 lp = _log2Parts(_p);
        uint256 n = uint256(1) << lp;
        uint256 partLen = uint256(1) << (_lenOf(_p) - lp);
        interior_ = new bytes32[](n - 1);
        for (uint256 i = 1; i < n; ++i) {
            interior_[i - 1] = _traceHash(_jobId, _fault, _startOf(_p) + i * partLen);
        }
    }

    /// @dev The proposer (trace fault `_fault`) dissects node `_p` with exactly its bond.
    function _dissect(uint256 _gameId, uint64 _p, uint256 _fault)
        internal
        returns (bytes32[] memory interior_)
    {
        interior_ = _interiorFor(game.getGame(_gameId).jobId, _p, _fault);
        _dissectWith(_gameId, _p, interior_);
    }

    /// @dev The proposer dissects node `_p` with `_interior`, sending exactly the dissection bond
    ///      (read before the prank: a view call would consume it).
    function _dissectWith(uint256 _gameId, uint64 _p, bytes32[] memory _interior) internal {
        uint256 dBond = _dBond(_gameId);
        address who = game.getGame(_gameId).proposer;
        vm.prank(who);
        game.dissect{value: dBond}(_gameId, _p, _interior);
        _record(_gameId, _p, _interior);
    }

    /// @dev Remembers a dissection made outside the helpers (multicall, raw calls).
    function _record(uint256 _gameId, uint64 _p, bytes32[] memory _interior) internal {
        delete _posted[_gameId][_p];
        for (uint256 i; i < _interior.length; ++i) {
            _posted[_gameId][_p].push(_interior[i]);
        }
    }

    function _challenge(uint256 _gameId, uint64 _parent, uint256 _index, address _who)
        internal
        returns (uint64 child_)
    {
        uint256 bond = _bond(_gameId);
        vm.prank(_who);
        game.challenge{value: bond}(_gameId, _parent, _index);
        child_ = _child(_parent, _index);
    }

    /// @dev The part of dissected `_parent` a challenger with trace fault `_fault` challenges: the
    ///      first whose end hash (as posted) it disputes; the last part if it disputes none.
    function _disputedIndex(uint256 _gameId, uint64 _parent, uint256 _fault) internal view returns (uint256) {
        Game memory g = game.getGame(_gameId);
        bytes32[] memory interior = _posted[_gameId][_parent];
        uint256 n = interior.length + 1;
        uint256 partLen = (uint256(1) << _lenOf(_parent)) / n;
        for (uint256 i; i < n; ++i) {
            bytes32 claimed = i == n - 1 ? _endHashOf(_gameId, _parent, g) : interior[i];
            if (claimed != _traceHash(g.jobId, _fault, _startOf(_parent) + (i + 1) * partLen)) return i;
        }
        return n - 1;
    }

    /// @dev The proposer's claimed end hash of a node, derived through the posted interiors.
    function _endHashOf(uint256 _gameId, uint64 _p, Game memory _g) internal view returns (bytes32 end_) {
        (, end_) = _hashesOf(_gameId, _p, _g);
    }

    function _hashesOf(uint256 _gameId, uint64 _p, Game memory _g)
        internal
        view
        returns (bytes32 start_, bytes32 end_)
    {
        start_ = verdict.initialStateHash(_g.jobId);
        end_ = _g.endHash;
        uint64[] memory path = _path(_p);
        for (uint256 l; l + 1 < path.length; ++l) {
            bytes32[] memory interior = _posted[_gameId][path[l]];
            uint8 lp = _log2Parts(path[l]);
            uint256 index = (_startOf(path[l + 1]) - _startOf(path[l])) >> (_lenOf(path[l]) - lp);
            if (index != 0) start_ = interior[index - 1];
            if (index != interior.length) end_ = interior[index];
        }
    }

    /// @dev The interiors of the dissections above `_p`, root first: what `step` takes as ancestry.
    function _ancestry(uint256 _gameId, uint64 _p) internal view returns (bytes32[][] memory anc_) {
        uint64[] memory path = _path(_p);
        anc_ = new bytes32[][](path.length - 1);
        for (uint256 l; l + 1 < path.length; ++l) {
            anc_[l] = _posted[_gameId][path[l]];
        }
    }

    /// @dev The ancestry a lean client sends: only the deepest level where the path leaves part 0 (it
    ///      gives the node's start hash) and the deepest where it leaves the last part (its end hash)
    ///      carry their interiors; the other levels are empty.
    function _ancestryMinimal(uint256 _gameId, uint64 _p) internal view returns (bytes32[][] memory anc_) {
        uint64[] memory path = _path(_p);
        anc_ = new bytes32[][](path.length - 1);
        uint256 startLevel = type(uint256).max;
        uint256 endLevel = type(uint256).max;
        for (uint256 l; l + 1 < path.length; ++l) {
            uint8 lp = _log2Parts(path[l]);
            uint256 index = (_startOf(path[l + 1]) - _startOf(path[l])) >> (_lenOf(path[l]) - lp);
            if (index != 0) startLevel = l;
            if (index != (uint256(1) << lp) - 1) endLevel = l;
        }
        if (startLevel != type(uint256).max) anc_[startLevel] = _posted[_gameId][path[startLevel]];
        if (endLevel != type(uint256).max) anc_[endLevel] = _posted[_gameId][path[endLevel]];
    }

    /// @dev Steps length-1 node `_p` from the true pre-state at its start.
    function _step(uint256 _gameId, uint64 _p, address _who) internal {
        (bytes memory pre, bytes memory proof) = _stepData(game.getGame(_gameId).jobId, _startOf(_p));
        bytes32[][] memory anc = _ancestry(_gameId, _p);
        vm.prank(_who);
        game.step(_gameId, _p, anc, pre, proof);
    }

    /// @dev One challenger (trace fault `_cFault`) against the proposer (trace fault `_pFault`) from the
    ///      already challenged root down to a challenged length-1 node, which is returned (not stepped).
    function _descend(uint256 _gameId, uint256 _pFault, uint256 _cFault, address _who)
        internal
        returns (uint64 leaf_)
    {
        leaf_ = _rootPos();
        while (_lenOf(leaf_) != 0) {
            _dissect(_gameId, leaf_, _pFault);
            leaf_ = _challenge(_gameId, leaf_, _disputedIndex(_gameId, leaf_, _cFault), _who);
        }
    }

    function _resolve(uint256 _gameId, uint64 _p) internal {
        game.resolveNode(_gameId, _p);
    }

    /// @dev Resolves `_p` and then every ancestor up to the root (all must be decided).
    function _resolveUp(uint256 _gameId, uint64 _p) internal {
        uint64[] memory path = _path(_p);
        for (uint256 i = path.length; i != 0; --i) {
            _resolve(_gameId, path[i - 1]);
        }
    }

    function _status(uint256 _gameId, uint64 _p) internal view returns (NodeStatus) {
        return game.getNode(_gameId, _p).status;
    }

    ////////////////////////////////////////////////////////////////
    //                       Time and money                       //
    ////////////////////////////////////////////////////////////////

    /// @dev Advances wall time (and so active time unless paused) and the block number.
    function _warp(uint256 _seconds) internal {
        vm.warp(block.timestamp + _seconds);
        vm.roll(block.number + 1 + _seconds / 12);
    }

    /// @dev Advances active time by exactly `_seconds` (the protocol must be running).
    function _warpActive(uint256 _seconds) internal {
        require(!verdict.paused(), "paused: active time does not move");
        uint64 before = verdict.activeNow();
        _warp(_seconds);
        assertEq(verdict.activeNow(), before + _seconds, "active time");
    }

    /// @dev Active time at which job `_jobId`'s fee becomes claimable: the reveal of the proposal its
    ///      result came from, plus the longest window + 2 clocks ever in force, plus the margin.
    function _feeUnlockAt(uint256 _jobId) internal view returns (uint64) {
        (,, uint256 pid) = verdict.result(_jobId);
        return verdict.getProposal(pid).revealedAt.raw() + verdict.maxSpan() + verdict.FEE_MARGIN_SECONDS();
    }

    function _warpToFeeUnlock(uint256 _jobId) internal {
        uint64 at = _feeUnlockAt(_jobId);
        uint64 now_ = verdict.activeNow();
        if (at > now_) _warpActive(at - now_);
    }

    function _clock() internal view returns (uint256) {
        return verdict.params().clockSeconds;
    }

    /// @dev Burn of a forfeited amount, rounded up (>= 1 wei for any nonzero amount).
    function _burnOf(uint256 _amount, uint256 _bps) internal pure returns (uint256) {
        return (_amount * _bps + 9_999) / 10_000;
    }

    /// @dev What each defeated part of a dissection of node `_parent` receives out of its bond.
    function _shareOf(uint256 _amount, uint64 _parent) internal view returns (uint256) {
        return _amount >> _log2Parts(_parent);
    }

    function _pause() internal {
        vm.prank(guardian);
        verdict.pause();
    }

    function _unpause() internal {
        vm.prank(guardian);
        verdict.unpause();
    }

    /// @dev Withdraws `_who`'s game credit and checks that exactly the credit moved: from the game's
    ///      balance to `_who`'s wallet, with nothing left behind.
    function _withdrawGame(address _who) internal returns (uint256 amount_) {
        uint256 credit = game.credit(_who);
        uint256 wallet = _who.balance;
        uint256 held = address(game).balance;
        vm.prank(_who);
        amount_ = game.withdraw();
        assertEq(amount_, credit, "withdraw returns the credit");
        assertEq(_who.balance - wallet, credit, "wallet received the credit");
        assertEq(held - address(game).balance, credit, "game paid out the credit");
        assertEq(game.credit(_who), 0, "credit cleared");
    }
}
