// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fuzz handler for the Verdict invariants: drives jobs, proposals (honest and faulty leaves),
// games played by honest and lying parties, timeouts, pauses, finalization, recording, withdrawals
// and governance actions on the toy machine, and keeps the ghost data the invariants need.

import {CommonBase} from "forge-std/Base.sol";
import {StdCheats} from "forge-std/StdCheats.sol";
import {StdUtils} from "forge-std/StdUtils.sol";
import {Verdict} from "../../src/Verdict.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {Leaf, Params, Job, Game, Proposal, ProposalStatus, GameStatus} from "../../src/lib/Types.sol";
import {ToyVerifier} from "../mocks/ToyVerifier.sol";
import {TestMerkle} from "../utils/TestMerkle.sol";

contract VerdictHandler is CommonBase, StdCheats, StdUtils {
    uint256 internal constant HONEST = type(uint256).max;

    Verdict public immutable verdict;
    ToyVerifier public immutable toy;
    uint256 public immutable programId;
    bytes32 public immutable programRoot;
    uint32 public immutable entry;
    uint8 public immutable depth;
    address public immutable guardian;
    address public immutable setter;

    address[] public actors;
    mapping(uint256 proposalId => Leaf[]) internal _leaves;
    mapping(uint256 proposalId => uint256[]) internal _faults;
    mapping(uint256 gameId => uint256) public challengerFault;
    mapping(uint256 gameId => uint256) public proposerFault;

    /// @dev Ghost: wei burned, and calls per action (to see the fuzzer reaches everything).
    uint256 public ghostBurned;
    mapping(bytes32 action => uint256) public calls;

    constructor(
        Verdict _verdict,
        ToyVerifier _toy,
        uint256 _programId,
        bytes32 _programRoot,
        uint32 _entry,
        uint8 _depth,
        address _guardian,
        address _setter
    ) {
        verdict = _verdict;
        toy = _toy;
        programId = _programId;
        programRoot = _programRoot;
        entry = _entry;
        depth = _depth;
        guardian = _guardian;
        setter = _setter;
        for (uint256 i; i < 5; ++i) {
            address a = address(uint160(0xA000 + i));
            actors.push(a);
            vm.deal(a, 1_000_000 ether);
        }
    }

    function actorCount() external view returns (uint256) {
        return actors.length;
    }

    function leavesOf(uint256 _pid) external view returns (Leaf[] memory) {
        return _leaves[_pid];
    }

    function faultsOf(uint256 _pid) external view returns (uint256[] memory) {
        return _faults[_pid];
    }

    ////////////////////////////////////////////////////////////////
    //                           traces                           //
    ////////////////////////////////////////////////////////////////

    function seedOfJob(uint256 _jobId) public view returns (bytes32) {
        return toy.seedOf(programRoot, entry, verdict.getJob(_jobId).inputRoot);
    }

    function h(bytes32 _seed, uint256 _fault, uint256 _t) public pure returns (bytes32) {
        if (_t < _fault) return keccak256(abi.encode(_seed, uint64(_t)));
        return keccak256(abi.encode(_seed, uint64(_t), "bad"));
    }

    function interiorFor(uint256 _gid) public view returns (bytes32[] memory interior_) {
        Game memory g = verdict.getGame(_gid);
        bytes32 seed = seedOfJob(g.jobId);
        uint8 log2k = uint8(_log2(verdict.K()));
        uint8 parts = g.position.log2Len() < log2k ? g.position.log2Len() : log2k;
        uint256 n = uint256(1) << parts;
        uint256 partLen = uint256(1) << (g.position.log2Len() - parts);
        interior_ = new bytes32[](n - 1);
        for (uint256 i = 1; i < n; ++i) {
            interior_[i - 1] = h(seed, proposerFault[_gid], g.position.start() + i * partLen);
        }
    }

    function pickFor(uint256 _gid, bytes32[] memory _interior) public view returns (uint256) {
        Game memory g = verdict.getGame(_gid);
        bytes32 seed = seedOfJob(g.jobId);
        uint256 n = _interior.length + 1;
        uint256 partLen = (uint256(1) << g.position.log2Len()) / n;
        for (uint256 i; i < n; ++i) {
            bytes32 claimed = i == n - 1 ? g.endHash : _interior[i];
            if (claimed != h(seed, challengerFault[_gid], g.position.start() + (i + 1) * partLen)) return i;
        }
        return n - 1;
    }

    /// @dev The toy pre-state for the current step, if the start hash is a real toy state.
    function stepStateFor(uint256 _gid) public view returns (bool ok_, bytes memory stateData_) {
        Game memory g = verdict.getGame(_gid);
        stateData_ = abi.encode(seedOfJob(g.jobId), uint64(g.position.start()));
        ok_ = keccak256(stateData_) == g.startHash;
    }

    function _log2(uint256 _x) internal pure returns (uint256 r_) {
        while ((uint256(1) << r_) < _x) ++r_;
    }

    ////////////////////////////////////////////////////////////////
    //                          actions                           //
    ////////////////////////////////////////////////////////////////

    function _actor(uint256 _seed) internal view returns (address) {
        return actors[_seed % actors.length];
    }

    function submitJob(uint256 _actorSeed, uint256 _fee) public {
        if (verdict.paused()) return;
        _fee = bound(_fee, 0, 3 ether);
        vm.prank(_actor(_actorSeed));
        verdict.submitJob{value: _fee}(programId, abi.encode(_actorSeed, _fee));
        calls["submitJob"]++;
    }

    function propose(uint256 _actorSeed, uint256 _count, uint256 _jobSeed, uint256 _faultSeed) external {
        if (verdict.paused()) return;
        if (verdict.jobCount() == 0) submitJob(_actorSeed, _count);
        uint256 jobs = verdict.jobCount();
        uint256 n = bound(_count, 1, 6);
        Leaf[] memory leaves = new Leaf[](n);
        uint256[] memory faults = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(_faultSeed, i)));
            uint256 jobId = (uint256(keccak256(abi.encode(_jobSeed, i))) % jobs) + 1;
            // two leaves in three are honest; a faulty one goes wrong at a random step
            faults[i] = r % 3 == 0 ? (r >> 8) % (uint256(1) << depth) : HONEST;
            leaves[i] = Leaf(jobId, h(seedOfJob(jobId), faults[i], uint256(1) << depth));
        }
        uint256 bond = verdict.params().proposerBond;
        vm.prank(_actor(_actorSeed));
        uint256 pid = verdict.propose{value: bond}(leaves);
        for (uint256 i; i < n; ++i) {
            _leaves[pid].push(leaves[i]);
            _faults[pid].push(faults[i]);
        }
        calls["propose"]++;
    }

    function openGame(uint256 _actorSeed, uint256 _pidSeed, uint256 _leafSeed, uint256 _liarSeed) external {
        uint256 count = verdict.proposalCount();
        if (verdict.paused() || count == 0) return;
        uint256 pid;
        for (uint256 i; i < count; ++i) {
            pid = ((_pidSeed % count + i) % count) + 1;
            Proposal memory q = verdict.getProposal(pid);
            if (q.status == ProposalStatus.Pending && verdict.activeNow() < q.deadline.raw()) break;
        }
        Proposal memory p = verdict.getProposal(pid);
        if (p.status != ProposalStatus.Pending || verdict.activeNow() >= p.deadline.raw()) return;
        uint256 idx = _leafSeed % _leaves[pid].length;
        bytes32[] memory proof = TestMerkle.proof(_hashes(_leaves[pid]), idx);
        uint256 bond = verdict.params().challengerBond;
        vm.prank(_actor(_actorSeed));
        uint256 gid = verdict.openGame{value: bond}(pid, _leaves[pid][idx], proof);
        proposerFault[gid] = _faults[pid][idx];
        // one challenger in three lies (its trace goes wrong somewhere)
        challengerFault[gid] = _liarSeed % 3 == 0 ? (_liarSeed >> 8) % (uint256(1) << depth) : HONEST;
        calls["openGame"]++;
    }

    /// @notice Makes up to 12 moves of one game, each as its on-move side would (per its trace), so that
    ///         games regularly reach the one-step proof between warps.
    function move(uint256 _gidSeed) external {
        uint256 n = 1 + (_gidSeed >> 128) % 12;
        for (uint256 i; i < n; ++i) {
            _move(_gidSeed);
        }
    }

    function _move(uint256 _gidSeed) internal {
        uint256 count = verdict.gameCount();
        if (verdict.paused() || count == 0) return;
        uint256 gid;
        IVerdict.Turn turn;
        uint64 left;
        for (uint256 i; i < count; ++i) {
            gid = ((_gidSeed % count + i) % count) + 1;
            (turn, left) = verdict.gameTurn(gid);
            if (turn == IVerdict.Turn.Close || (turn != IVerdict.Turn.None && left != 0)) break;
        }
        if (turn == IVerdict.Turn.None || (left == 0 && turn != IVerdict.Turn.Close)) return;
        Game memory g = verdict.getGame(gid);
        if (turn == IVerdict.Turn.Dissect) {
            address p = verdict.getProposal(g.proposalId).proposer;
            bytes32[] memory interior = interiorFor(gid);
            vm.prank(p);
            verdict.dissect(gid, interior);
            calls["dissect"]++;
        } else if (turn == IVerdict.Turn.Pick) {
            bytes32[] memory interior = interiorFor(gid);
            uint256 idx = pickFor(gid, interior);
            vm.prank(g.challenger);
            verdict.pick(gid, interior, idx);
            calls["pick"]++;
        } else if (turn == IVerdict.Turn.Step) {
            (bool ok, bytes memory pre) = stepStateFor(gid);
            if (!ok) return; // no toy preimage: this challenger can only wait to time out
            vm.prank(g.challenger);
            verdict.step(gid, pre, "");
            calls["step"]++;
        } else if (turn == IVerdict.Turn.Close) {
            verdict.closeGame(gid);
            calls["closeGame"]++;
        }
    }

    function claimTimeout(uint256 _gidSeed) external {
        uint256 count = verdict.gameCount();
        if (verdict.paused() || count == 0) return;
        for (uint256 i; i < count; ++i) {
            uint256 gid = ((_gidSeed % count + i) % count) + 1;
            (IVerdict.Turn turn, uint64 left) = verdict.gameTurn(gid);
            if (turn == IVerdict.Turn.None || turn == IVerdict.Turn.Close || left != 0) continue;
            verdict.claimTimeout(gid);
            calls["claimTimeout"]++;
            return;
        }
    }

    function finalize(uint256 _pidSeed) external {
        uint256 count = verdict.proposalCount();
        if (verdict.paused() || count == 0) return;
        for (uint256 i; i < count; ++i) {
            uint256 pid = ((_pidSeed % count + i) % count) + 1;
            Proposal memory p = verdict.getProposal(pid);
            if (
                p.status != ProposalStatus.Pending || verdict.activeNow() < p.deadline.raw()
                    || p.openGames != 0
            ) {
                continue;
            }
            verdict.finalize(pid);
            calls["finalize"]++;
            return;
        }
    }

    function recordResult(uint256 _pidSeed, uint256 _leafSeed) external {
        uint256 count = verdict.proposalCount();
        if (verdict.paused() || count == 0) return;
        uint256 pid;
        for (uint256 i; i < count; ++i) {
            pid = ((_pidSeed % count + i) % count) + 1;
            if (verdict.getProposal(pid).status == ProposalStatus.Finalized) break;
        }
        if (verdict.getProposal(pid).status != ProposalStatus.Finalized) return;
        uint256 idx = _leafSeed % _leaves[pid].length;
        Leaf memory leaf = _leaves[pid][idx];
        if (leaf.jobId > verdict.getProposal(pid).jobCount) return;
        (bool final_,,) = verdict.result(leaf.jobId);
        if (final_) return;
        verdict.recordResult(pid, leaf, TestMerkle.proof(_hashes(_leaves[pid]), idx));
        calls["recordResult"]++;
    }

    function withdraw(uint256 _actorSeed) external {
        address a = _actor(_actorSeed);
        if (verdict.credit(a) == 0) return;
        vm.prank(a);
        verdict.withdraw();
        calls["withdraw"]++;
    }

    function warp(uint256 _seconds) external {
        vm.warp(
            block.timestamp
                + (_seconds % 8 == 0 ? bound(_seconds, 1, 4 hours) : bound(_seconds, 1, 10 minutes))
        );
        calls["warp"]++;
    }

    function togglePause(uint256 _seed) external {
        bool paused = verdict.paused();
        if (!paused && _seed % 10 != 0) return; // pause far less often than unpause
        vm.prank(guardian);
        if (paused) verdict.unpause();
        else verdict.pause();
        calls[paused ? bytes32("unpause") : bytes32("pause")]++;
    }

    function invalidateGame(uint256 _gidSeed) external {
        uint256 count = verdict.gameCount();
        if (count == 0 || _gidSeed % 8 != 0) return; // rare
        uint256 gid = (_gidSeed % count) + 1;
        if (verdict.getGame(gid).status != GameStatus.Active) return;
        vm.prank(guardian);
        verdict.invalidateGame(gid);
        calls["invalidateGame"]++;
    }

    function invalidateProposal(uint256 _pidSeed) external {
        uint256 count = verdict.proposalCount();
        if (count == 0 || _pidSeed % 8 != 0) return; // rare
        uint256 pid = (_pidSeed % count) + 1;
        if (verdict.getProposal(pid).status != ProposalStatus.Pending) return;
        vm.prank(guardian);
        verdict.invalidateProposal(pid);
        calls["invalidateProposal"]++;
    }

    function rollback(uint256 _back, uint256 _max) external {
        if (!verdict.paused()) return;
        vm.prank(guardian);
        verdict.rollback(uint64(block.timestamp - bound(_back, 0, 1 days)), bound(_max, 0, 5));
        calls["rollback"]++;
    }

    function setParams(uint256 _seed) external {
        Params memory p = verdict.params();
        p.proposerBond = uint96(bound(_seed, 1, 5 ether));
        p.challengerBond = uint96(bound(_seed >> 64, 1, 5 ether));
        p.burnBps = uint16(bound(_seed >> 128, 1, 9999));
        p.clockSeconds = uint64(bound(_seed >> 160, 10 minutes, 3 hours));
        vm.prank(setter);
        verdict.setParams(p);
        calls["setParams"]++;
    }

    function _hashes(Leaf[] storage _ls) internal view returns (bytes32[] memory hashes_) {
        hashes_ = new bytes32[](_ls.length);
        for (uint256 i; i < _ls.length; ++i) {
            hashes_[i] = TestMerkle.leafHash(_ls[i].jobId, _ls[i].finalStateHash);
        }
    }
}
