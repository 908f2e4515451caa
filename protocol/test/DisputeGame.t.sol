// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests of DisputeGame (mirrors protocol/src/DisputeGame.sol): every move's happy path and every
// revert, clocks per path, multicall batching, bond accounting of every resolution, pause and
// governance invalidation. Toy machine (test/mocks/ToyVerifier.sol), k = 4, D = 8: four dissection
// levels of 4 parts (log2Len 8 -> 6 -> 4 -> 2 -> 0).

import {VerdictBase} from "./utils/VerdictBase.sol";
import {DisputeGame} from "../src/DisputeGame.sol";
import {IDisputeGame} from "../src/interfaces/IDisputeGame.sol";
import {IVerdict} from "../src/interfaces/IVerdict.sol";
import "../src/lib/Errors.sol";
import {
    Leaf,
    Params,
    Game,
    Node,
    NodeStatus,
    Disputes,
    Proposal,
    ProposalStatus,
    Timestamp
} from "../src/lib/Types.sol";

contract Rejecter {
    receive() external payable {
        revert();
    }

    function call(address _to, bytes calldata _data) external payable returns (bytes memory) {
        (bool ok, bytes memory ret) = _to.call{value: msg.value}(_data);
        if (!ok) {
            assembly ("memory-safe") {
                revert(add(ret, 0x20), mload(ret))
            }
        }
        return ret;
    }
}

/// @dev Withdraws inside a multicall and, from its receive hook, re-enters with a payable move.
contract Reenterer {
    IDisputeGame internal immutable GAME;
    uint256 internal _reenterValue;

    constructor(IDisputeGame _game) {
        GAME = _game;
    }

    function run(uint256 _value) external payable {
        GAME.deposit{value: msg.value}();
        _reenterValue = _value;
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(IDisputeGame.withdraw, ());
        GAME.multicall(calls);
    }

    receive() external payable {
        uint256 v = _reenterValue;
        if (v != 0) {
            _reenterValue = 0;
            GAME.deposit{value: v}();
        }
    }
}

contract DisputeGameTest is VerdictBase {
    address internal constant DEAD = address(0xdEaD);
    uint256 internal constant BOND = 0.1 ether;
    /// @dev The bond of a dissection: a k-th of the claim bond (k = 4).
    uint256 internal constant DBOND = BOND / 4;
    /// @dev What each defeated part of a 4-part dissection receives out of its bond.
    uint256 internal constant SHARE = DBOND / 4;
    uint256 internal constant BPS = 2000;
    uint256 internal constant CLOCK = 1 hours;

    uint256 internal jobId;
    uint256 internal pid;
    Leaf[] internal leaves;

    /// @dev One job, one leaf with proposer trace fault `_pFault`, proposed; no game yet.
    function _proposal(uint256 _pFault) internal returns (uint256 pid_) {
        jobId = _submit("input", 0);
        delete leaves;
        leaves.push(_leaf(jobId, _pFault));
        pid_ = _propose(leaves);
        pid = pid_;
    }

    /// @dev A proposal as above and its game opened by `challenger`.
    function _opened(uint256 _pFault) internal returns (uint256 gid_) {
        _proposal(_pFault);
        gid_ = _open(pid, leaves, 0, challenger);
    }

    function _leaves() internal view returns (Leaf[] memory ls_) {
        ls_ = leaves;
    }

    /// @dev Balance of the game contract that its ledger owes: every credit plus bonds still held.
    function _assertGameSolvent(address[] memory _who, uint256 _held) internal view {
        uint256 owed = _held;
        for (uint256 i; i < _who.length; ++i) {
            owed += game.credit(_who[i]);
        }
        assertEq(address(game).balance, owed, "game balance == credits + held bonds");
    }

    function _actors() internal view returns (address[] memory a_) {
        a_ = new address[](4);
        a_[0] = proposer;
        a_[1] = challenger;
        a_[2] = challenger2;
        a_[3] = requester;
    }

    ////////////////////////////////////////////////////////////////
    //                         constructor                        //
    ////////////////////////////////////////////////////////////////

    function test_constructor_setsImmutables() public view {
        assertEq(game.K(), 4);
        assertEq(game.VERDICT(), address(verdict));
        assertEq(game.version(), "0.2.0");
        assertEq(game.gameCount(), 0);
        assertEq(game.activeNow(), verdict.activeNow());
    }

    function test_constructor_badK_reverts() public {
        uint256[6] memory bad = [uint256(0), 1, 3, 12, 128, 256];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(InvalidBranching.selector, bad[i]));
            new DisputeGame(IVerdict(address(verdict)), bad[i]);
        }
        for (uint256 k = 2; k <= 64; k *= 2) {
            assertEq(new DisputeGame(IVerdict(address(verdict)), k).K(), k);
        }
    }

    function test_constructor_zeroVerdict_reverts() public {
        vm.expectRevert(ZeroAddress.selector);
        new DisputeGame(IVerdict(address(0)), 4);
    }

    ////////////////////////////////////////////////////////////////
    //                           openGame                         //
    ////////////////////////////////////////////////////////////////

    function test_openGame_storesAndEmits() public {
        _proposal(HONEST);
        Leaf memory l = leaves[0];
        bytes32 start = verdict.initialStateHash(jobId);
        uint64 now_ = verdict.activeNow();
        vm.expectEmit(address(game));
        emit IDisputeGame.GameOpened(1, pid, jobId, challenger, start, l.finalStateHash, 8, now_);
        vm.expectEmit(address(game));
        emit IDisputeGame.NodeChallenged(1, _rootPos(), challenger, 0, 0, 0, 0);
        uint256 gid = _open(pid, leaves, 0, challenger);
        assertEq(gid, 1);
        assertEq(game.gameCount(), 1);
        assertEq(game.gameOf(pid, verdict.leafHash(l.jobId, l.finalStateHash)), gid);
        Game memory g = game.getGame(gid);
        assertEq(g.proposer, proposer);
        assertEq(g.proposalId, pid);
        assertEq(g.depth, 8);
        assertEq(g.burnBps, BPS);
        assertEq(g.verifier, address(toy));
        assertEq(Timestamp.unwrap(g.openedAt), now_);
        assertEq(g.clockSeconds, CLOCK);
        assertEq(g.claimBond, BOND);
        assertEq(g.jobId, jobId);
        assertEq(g.endHash, l.finalStateHash);
        Node memory n = game.getNode(gid, _rootPos());
        assertEq(n.challenger, challenger);
        assertEq(uint8(n.status), uint8(NodeStatus.Challenged));
        assertEq(n.proposerUsed, 0);
        assertEq(n.challengerUsed, 0);
        Disputes memory d = game.disputes(pid);
        assertEq(d.games, 1);
        assertEq(d.rootsOpen, 1);
        assertEq(Timestamp.unwrap(d.lastOpenAt), now_);
        assertFalse(d.defeated);
        assertFalse(d.invalidated);
        assertEq(address(game).balance, BOND);
        assertEq(game.credit(challenger), 0);
    }

    function test_openGame_unknownProposal_reverts() public {
        _proposal(HONEST);
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(UnknownProposal.selector, 99));
        game.openGame{value: BOND}(99, leaves[0], proof);
    }

    function test_openGame_notPending_reverts() public {
        _proposal(HONEST);
        _warpActive(1 days);
        verdict.finalize(pid);
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        game.openGame{value: BOND}(pid, leaves[0], proof);
    }

    function test_openGame_windowClosed_reverts() public {
        _proposal(HONEST);
        _warpActive(1 days - 1);
        uint256 snap = vm.snapshotState();
        _open(pid, _leaves(), 0, challenger); // the last second of the window is fine
        vm.revertToState(snap);
        _warpActive(1);
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(WindowClosed.selector, pid));
        game.openGame{value: BOND}(pid, leaves[0], proof);
    }

    function test_openGame_jobNotInScope_reverts() public {
        jobId = _submit("input", 0);
        Leaf[] memory ls = new Leaf[](3);
        ls[0] = _leaf(jobId, HONEST);
        ls[1] = Leaf({jobId: 0, finalStateHash: keccak256("x")});
        ls[2] = Leaf({jobId: jobId + 1, finalStateHash: keccak256("y")}); // submitted after the proposal
        pid = _propose(ls);
        _submit("later", 0);
        for (uint256 i = 1; i < 3; ++i) {
            bytes32[] memory proof = _proof(ls, i);
            vm.prank(challenger);
            vm.expectRevert(abi.encodeWithSelector(JobNotInScope.selector, ls[i].jobId));
            game.openGame{value: BOND}(pid, ls[i], proof);
        }
    }

    function test_openGame_badProof_reverts() public {
        _proposal(HONEST);
        Leaf memory other = Leaf({jobId: jobId, finalStateHash: keccak256("other")});
        vm.prank(challenger);
        vm.expectRevert(InvalidLeafProof.selector);
        game.openGame{value: BOND}(pid, other, new bytes32[](0));
    }

    function test_openGame_gameExists_reverts() public {
        uint256 gid = _opened(HONEST);
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger2);
        vm.expectRevert(abi.encodeWithSelector(GameExists.selector, gid));
        game.openGame{value: BOND}(pid, leaves[0], proof);
    }

    function test_openGame_insufficientCredit_reverts() public {
        _proposal(HONEST);
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(InsufficientCredit.selector, BOND - 1, BOND));
        game.openGame{value: BOND - 1}(pid, leaves[0], proof);
    }

    function test_openGame_paysFromCreditAndKeepsExcess() public {
        _proposal(HONEST);
        vm.prank(challenger);
        game.deposit{value: 0.25 ether}();
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger);
        game.openGame(pid, leaves[0], proof);
        assertEq(game.credit(challenger), 0.15 ether);
        // excess ETH sent with a move stays as credit
        jobId = _submit("input2", 0);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid2 = _propose(ls);
        vm.prank(challenger);
        game.openGame{value: 0.3 ether}(pid2, ls[0], new bytes32[](0));
        assertEq(game.credit(challenger), 0.15 ether + 0.2 ether);
        assertEq(address(game).balance, 0.55 ether);
    }

    function test_openGame_paused_reverts() public {
        _proposal(HONEST);
        _pause();
        bytes32[] memory proof = _proof(_leaves(), 0);
        vm.prank(challenger);
        vm.expectRevert(ProtocolPaused.selector);
        game.openGame{value: BOND}(pid, leaves[0], proof);
    }

    ////////////////////////////////////////////////////////////////
    //                            dissect                         //
    ////////////////////////////////////////////////////////////////

    function test_dissect_commitsAndEmits() public {
        uint256 gid = _opened(HONEST);
        _warpActive(10 minutes);
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        assertEq(interior.length, 3);
        vm.expectEmit(address(game));
        emit IDisputeGame.NodeDissected(gid, _rootPos(), interior, 10 minutes);
        _dissectWith(gid, _rootPos(), interior);
        Node memory n = game.getNode(gid, _rootPos());
        assertEq(uint8(n.status), uint8(NodeStatus.Dissected));
        assertEq(n.dissectDelay, 10 minutes);
        assertEq(n.challenger, challenger);
        assertEq(game.interiorCommit(gid, _rootPos()), keccak256(abi.encodePacked(interior)));
        assertEq(address(game).balance, BOND + DBOND);
        assertEq(game.credit(proposer), 0);
    }

    function test_dissect_notProposer_reverts() public {
        uint256 gid = _opened(HONEST);
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.prank(challenger);
        vm.expectRevert(NotProposer.selector);
        game.dissect{value: DBOND}(gid, _rootPos(), interior);
    }

    function test_dissect_wrongNodeState_reverts() public {
        uint256 gid = _opened(HONEST);
        uint64 child = _child(_rootPos(), 1);
        bytes32[] memory interior = _interiorFor(jobId, child, HONEST);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongNodeState.selector, child, uint8(NodeStatus.None)));
        game.dissect{value: DBOND}(gid, child, interior);
        _dissect(gid, _rootPos(), HONEST);
        interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.prank(proposer);
        vm.expectRevert(
            abi.encodeWithSelector(WrongNodeState.selector, _rootPos(), uint8(NodeStatus.Dissected))
        );
        game.dissect{value: DBOND}(gid, _rootPos(), interior);
    }

    function test_dissect_lengthOne_reverts() public {
        uint256 gid = _opened(HONEST);
        uint64 leafPos = _descend(gid, HONEST, 5, challenger);
        assertEq(_lenOf(leafPos), 0);
        vm.prank(proposer);
        vm.expectRevert(
            abi.encodeWithSelector(WrongNodeState.selector, leafPos, uint8(NodeStatus.Challenged))
        );
        game.dissect{value: DBOND}(gid, leafPos, new bytes32[](0));
    }

    function test_dissect_wrongInteriorLength_reverts() public {
        uint256 gid = _opened(HONEST);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongInteriorLength.selector, 2, 3));
        game.dissect{value: DBOND}(gid, _rootPos(), new bytes32[](2));
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongInteriorLength.selector, 4, 3));
        game.dissect{value: DBOND}(gid, _rootPos(), new bytes32[](4));
    }

    function test_dissect_clockExpired_reverts() public {
        uint256 gid = _opened(HONEST);
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        _warpActive(CLOCK);
        vm.prank(proposer);
        vm.expectRevert(ClockExpired.selector);
        game.dissect{value: DBOND}(gid, _rootPos(), interior);
    }

    function test_dissect_lastSecond_succeeds() public {
        uint256 gid = _opened(HONEST);
        _warpActive(CLOCK - 1);
        _dissect(gid, _rootPos(), HONEST);
        assertEq(game.getNode(gid, _rootPos()).dissectDelay, CLOCK - 1);
    }

    /// @dev The proposer's time on a path is inherited: 40 min on the root leave 20 on the part.
    function test_dissect_clockExpired_inheritedProposerTime() public {
        uint256 gid = _opened(HONEST);
        _warpActive(40 minutes);
        _dissect(gid, _rootPos(), HONEST);
        uint64 c = _challenge(gid, _rootPos(), 2, challenger);
        assertEq(game.getNode(gid, c).proposerUsed, 40 minutes);
        _warpActive(20 minutes - 1);
        uint256 snap = vm.snapshotState();
        _dissect(gid, c, HONEST);
        vm.revertToState(snap);
        _warpActive(1);
        bytes32[] memory interior = _interiorFor(jobId, c, HONEST);
        vm.prank(proposer);
        vm.expectRevert(ClockExpired.selector);
        game.dissect{value: DBOND}(gid, c, interior);
    }

    function test_dissect_insufficientCredit_reverts() public {
        uint256 gid = _opened(HONEST);
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(InsufficientCredit.selector, 0, DBOND));
        game.dissect(gid, _rootPos(), interior);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(InsufficientCredit.selector, DBOND - 1, DBOND));
        game.dissect{value: DBOND - 1}(gid, _rootPos(), interior);
    }

    /// @dev After an invalidation a dissection is not refused (no extra read on the hot path) but it
    ///      moves no money between parties: its bond comes back in full on resolution.
    function test_dissect_afterInvalidation_bondRefunded() public {
        uint256 gid = _opened(HONEST);
        vm.prank(guardian);
        game.invalidateGame(gid);
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.prank(proposer);
        game.dissect{value: DBOND}(gid, _rootPos(), interior);
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Refunded));
        assertEq(game.credit(proposer), DBOND);
        assertEq(game.credit(challenger), BOND);
        assertEq(address(game).balance, BOND + DBOND);
    }

    function test_dissect_unknownGame_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 7));
        game.dissect{value: DBOND}(7, _rootPos(), new bytes32[](3));
    }

    function test_dissect_paused_reverts() public {
        uint256 gid = _opened(HONEST);
        _pause();
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.prank(proposer);
        vm.expectRevert(ProtocolPaused.selector);
        game.dissect{value: DBOND}(gid, _rootPos(), interior);
    }

    /// @dev D = 5 with k = 4: levels 5 -> 3 -> 1 -> 0; the last dissection has only 2 parts.
    function test_dissect_shortLastLevel_twoParts() public {
        uint256 prog5 =
            registry.registerProgram(PROGRAM_ROOT, ENTRY, 5, MANIFEST, new address[](0), address(toy));
        vm.prank(requester);
        uint256 j = verdict.submitJob(prog5, "five");
        uint256 fault = 17; // transition 17 -> 18 is wrong
        bytes32 seed = _seed(j);
        bytes32 badEnd = keccak256(abi.encode(seed, uint64(32), "bad"));
        Leaf[] memory ls = _one(Leaf(j, badEnd));
        uint256 p = _propose(ls);
        uint256 gid = _open(p, ls, 0, challenger);
        // drive the three levels by hand (the base's positions assume the fixture's D)
        uint64 cur = _pos(0, 5);
        uint8[3] memory lens = [uint8(5), 3, 1];
        uint256[3] memory parts = [uint256(4), 4, 2];
        for (uint256 l; l < 3; ++l) {
            uint256 n = parts[l];
            uint256 partLen = (uint256(1) << lens[l]) / n;
            bytes32[] memory interior = new bytes32[](n - 1);
            uint256 pick = n - 1;
            for (uint256 i = 1; i < n; ++i) {
                uint256 t = _startOf(cur) + i * partLen;
                interior[i - 1] = t <= fault
                    ? keccak256(abi.encode(seed, uint64(t)))
                    : keccak256(abi.encode(seed, uint64(t), "bad"));
                if (t > fault && pick == n - 1) pick = i - 1;
            }
            vm.prank(proposer);
            game.dissect{value: DBOND}(gid, cur, interior);
            _record(gid, cur, interior);
            vm.prank(challenger);
            game.challenge{value: BOND}(gid, cur, pick);
            cur = _pos(uint64(_startOf(cur) + pick * partLen), lens[l] - _log2(n));
        }
        assertEq(cur, _pos(17, 0));
        bytes32[][] memory anc = new bytes32[][](3);
        anc[0] = _posted[gid][_pos(0, 5)];
        anc[1] = _posted[gid][_pos(16, 3)];
        anc[2] = _posted[gid][_pos(16, 1)];
        vm.prank(challenger);
        game.step(gid, cur, anc, abi.encode(seed, uint64(17)), "");
        assertEq(uint8(_status(gid, cur)), uint8(NodeStatus.Defeated));
        assertEq(uint8(verdict.getProposal(p).status), uint8(ProposalStatus.Defeated));
        // the length-1 node's parent had 2 parts: the share is half its dissection bond
        assertEq(game.credit(challenger), BOND + DBOND / 2 - _burnOf(DBOND / 2, BPS));
    }

    ////////////////////////////////////////////////////////////////
    //                        dissection bond                     //
    ////////////////////////////////////////////////////////////////

    /// @dev A dissection posts a k-th of the claim bond. Sending the whole claim bond is not refused:
    ///      the dissection takes its bond and the surplus stays as the proposer's credit, which pays
    ///      for later moves and is withdrawable.
    function test_dissectionBond_isClaimBondOverK_surplusStaysAsCredit() public {
        uint256 gid = _opened(HONEST);
        assertEq(game.dissectionBond(gid), BOND / game.K());
        assertEq(game.dissectionBond(gid), DBOND);
        assertEq(DBOND, 0.025 ether);
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 9));
        game.dissectionBond(9);

        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.expectEmit(address(game));
        emit IDisputeGame.NodeDissected(gid, _rootPos(), interior, 0);
        vm.prank(proposer);
        game.dissect{value: BOND}(gid, _rootPos(), interior);
        _record(gid, _rootPos(), interior);
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Dissected));
        assertEq(game.credit(proposer), BOND - DBOND, "the surplus is credited");
        assertEq(address(game).balance, 2 * BOND, "opening bond + what the proposer sent");

        // the surplus pays a later dissection sent with no ETH
        uint64 c = _challenge(gid, _rootPos(), 3, challenger);
        bytes32[] memory cInterior = _interiorFor(jobId, c, HONEST);
        vm.prank(proposer);
        game.dissect(gid, c, cInterior);
        assertEq(game.credit(proposer), BOND - 2 * DBOND);
        assertEq(address(game).balance, 3 * BOND);

        // both dissections upheld: each answered challenge's bond minus the burn, each dissection bond back
        _warpActive(CLOCK);
        game.resolveNode(gid, c);
        game.resolveNode(gid, _rootPos());
        uint256 burn = _burnOf(BOND, BPS);
        assertEq(game.credit(proposer), (BOND - 2 * DBOND) + 2 * (BOND - burn) + 2 * DBOND);
        assertEq(game.credit(challenger), 0);
        uint256 before = proposer.balance;
        assertEq(_withdrawGame(proposer), 3 * BOND - 2 * burn);
        assertEq(proposer.balance, before + 3 * BOND - 2 * burn);
        assertEq(address(game).balance, 0);
    }

    /// @dev Capital (§2.7): an attacker challenging every part of a correct proposer's dissections
    ///      locks k times what the proposer locks to answer it (a claim bond per challenge against a
    ///      k-th of it per dissection). After resolution the proposer, whose trace is right, has every
    ///      bond it posted back plus every challenge bond minus the burn; the attacker gets nothing.
    function test_dissectionBond_attackerLocksKTimesTheProposer() public {
        uint256 k = game.K();
        _proposal(HONEST);
        uint256 attacker0 = challenger.balance;
        uint256 proposer0 = proposer.balance;
        uint256 dead0 = DEAD.balance;
        uint256 gid = _open(pid, leaves, 0, challenger);
        _dissect(gid, _rootPos(), HONEST);
        for (uint256 i; i < k; ++i) {
            uint64 c = _challenge(gid, _rootPos(), i, challenger);
            _dissect(gid, c, HONEST);
        }
        uint256 attackerLocked = attacker0 - challenger.balance;
        uint256 proposerLocked = proposer0 - proposer.balance;
        assertEq(attackerLocked, (k + 1) * BOND, "the opening and k part challenges");
        assertEq(proposerLocked, (k + 1) * DBOND, "the root dissection and k part dissections");
        assertEq(attackerLocked, k * proposerLocked, "k times the proposer's capital");
        assertEq(game.credit(challenger), 0);
        assertEq(game.credit(proposer), 0);
        assertEq(address(game).balance, attackerLocked + proposerLocked);

        // the attacker has nothing to challenge below (the proposer's trace is right): every part's
        // pick clock runs out, every part is upheld, then the root
        _warpActive(CLOCK);
        for (uint256 i; i < k; ++i) {
            game.resolveNode(gid, _child(_rootPos(), i));
            assertEq(uint8(_status(gid, _child(_rootPos(), i))), uint8(NodeStatus.Upheld));
        }
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld));
        uint256 burn = _burnOf(BOND, BPS);
        assertEq(
            game.credit(proposer),
            proposerLocked + (k + 1) * (BOND - burn),
            "every dissection bond back + every challenge bond minus the burn"
        );
        assertEq(game.credit(challenger), 0, "the attacker gets nothing back");
        assertEq(DEAD.balance - dead0, (k + 1) * burn);
        assertEq(address(game).balance, game.credit(proposer));
        _withdrawGame(proposer);
        assertEq(proposer.balance, proposer0 + (k + 1) * (BOND - burn));
        assertEq(challenger.balance, attacker0 - (k + 1) * BOND);
        _warpActive(1 days);
        verdict.finalize(pid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Finalized));
    }

    ////////////////////////////////////////////////////////////////
    //                           challenge                        //
    ////////////////////////////////////////////////////////////////

    function test_challenge_storesInheritedTimes() public {
        uint256 gid = _opened(HONEST);
        _warpActive(10 minutes);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(5 minutes);
        uint64 c = _child(_rootPos(), 2);
        vm.expectEmit(address(game));
        emit IDisputeGame.NodeChallenged(gid, c, challenger2, _rootPos(), 2, 10 minutes, 5 minutes);
        _challenge(gid, _rootPos(), 2, challenger2);
        Node memory n = game.getNode(gid, c);
        assertEq(n.challenger, challenger2);
        assertEq(n.proposerUsed, 10 minutes);
        assertEq(n.challengerUsed, 5 minutes);
        assertEq(uint8(n.status), uint8(NodeStatus.Challenged));
        assertEq(game.getNode(gid, _rootPos()).openChildren, 1);
        (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, c);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Dissect));
        assertEq(left, CLOCK - 10 minutes);
    }

    function test_challenge_everyPartByAnyone() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        address[4] memory who = [challenger, challenger2, proposer, requester];
        for (uint256 i; i < 4; ++i) {
            _challenge(gid, _rootPos(), i, who[i]);
            assertEq(game.getNode(gid, _child(_rootPos(), i)).challenger, who[i]);
        }
        assertEq(game.getNode(gid, _rootPos()).openChildren, 4);
        assertEq(address(game).balance, 5 * BOND + DBOND);
    }

    function test_challenge_alreadyChallenged_reverts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        uint64 c = _challenge(gid, _rootPos(), 1, challenger);
        vm.prank(challenger2);
        vm.expectRevert(abi.encodeWithSelector(AlreadyChallenged.selector, c));
        game.challenge{value: BOND}(gid, _rootPos(), 1);
    }

    function test_challenge_notDissected_reverts() public {
        uint256 gid = _opened(HONEST);
        vm.prank(challenger);
        vm.expectRevert(
            abi.encodeWithSelector(WrongNodeState.selector, _rootPos(), uint8(NodeStatus.Challenged))
        );
        game.challenge{value: BOND}(gid, _rootPos(), 0);
        uint64 none = _child(_rootPos(), 3);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(WrongNodeState.selector, none, uint8(NodeStatus.None)));
        game.challenge{value: BOND}(gid, none, 0);
    }

    function test_challenge_indexOutOfRange_reverts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IndexOutOfRange.selector, 4, 4));
        game.challenge{value: BOND}(gid, _rootPos(), 4);
    }

    function test_challenge_clockExpired_reverts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(CLOCK);
        vm.prank(challenger);
        vm.expectRevert(ClockExpired.selector);
        game.challenge{value: BOND}(gid, _rootPos(), 0);
    }

    /// @dev The challengers' time on a path is inherited: 50 min spent above leave 10 below.
    function test_challenge_clockExpired_inheritedChallengerTime() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(50 minutes);
        uint64 c = _challenge(gid, _rootPos(), 0, challenger);
        _dissect(gid, c, HONEST);
        _warpActive(10 minutes - 1);
        uint256 snap = vm.snapshotState();
        _challenge(gid, c, 3, challenger2);
        assertEq(game.getNode(gid, _child(c, 3)).challengerUsed, CLOCK - 1);
        vm.revertToState(snap);
        _warpActive(1);
        vm.prank(challenger2);
        vm.expectRevert(ClockExpired.selector);
        game.challenge{value: BOND}(gid, c, 3);
    }

    function test_challenge_insufficientCredit_reverts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(InsufficientCredit.selector, 1 wei, BOND));
        game.challenge{value: 1 wei}(gid, _rootPos(), 0);
    }

    /// @dev After an invalidation a challenge is not refused but its bond comes back in full.
    function test_challenge_afterInvalidation_bondRefunded() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        vm.prank(guardian);
        game.invalidateGame(gid);
        vm.prank(challenger);
        game.challenge{value: BOND}(gid, _rootPos(), 0);
        game.resolveNode(gid, _child(_rootPos(), 0));
        game.resolveNode(gid, _rootPos());
        assertEq(game.credit(challenger), 2 * BOND);
        assertEq(game.credit(proposer), DBOND);
        assertEq(address(game).balance, 2 * BOND + DBOND);
    }

    function test_challenge_unknownGame_reverts() public {
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 3));
        game.challenge{value: BOND}(3, _rootPos(), 0);
    }

    function test_challenge_paused_reverts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        _pause();
        vm.prank(challenger);
        vm.expectRevert(ProtocolPaused.selector);
        game.challenge{value: BOND}(gid, _rootPos(), 0);
    }

    function test_challenge_lengthOnePart_isNoDefence() public {
        uint256 gid = _opened(HONEST);
        uint64 leafPos = _descend(gid, HONEST, 100, challenger);
        assertEq(_lenOf(leafPos), 0);
    }

    ////////////////////////////////////////////////////////////////
    //                              step                          //
    ////////////////////////////////////////////////////////////////

    function test_step_wrongEnd_defeats() public {
        uint256 fault = 77;
        uint256 gid = _opened(fault);
        uint64 leafPos = _descend(gid, fault, HONEST, challenger);
        assertEq(leafPos, _pos(uint64(fault), 0), "the honest challenger lands on the faulty transition");
        (bytes32 start, bytes32 end) = _hashesOf(gid, leafPos, game.getGame(gid));
        bytes32 post = keccak256(abi.encode(_seed(jobId), uint64(fault + 1)));
        vm.expectEmit(address(game));
        emit IDisputeGame.NodeStepped(gid, leafPos, challenger, start, post, end);
        _step(gid, leafPos, challenger);
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Defeated));
        assertTrue(game.disputes(pid).defeated);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        (IDisputeGame.Turn turn,) = game.nodeTurn(gid, leafPos);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.None));
    }

    function test_step_rightEnd_upholds() public {
        uint256 gid = _opened(HONEST);
        uint64 leafPos = _descend(gid, HONEST, 150, challenger); // a liar whose trace is wrong after 150
        assertEq(leafPos, _pos(150, 0));
        _step(gid, leafPos, challenger);
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Upheld));
        assertFalse(game.disputes(pid).defeated);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
        assertEq(game.credit(proposer), BOND - _burnOf(BOND, BPS));
    }

    /// @dev Anyone may prove a node someone else occupies: the prover takes half of the node's reward
    ///      (the parent share net of burn: a quarter of the dissection bond), the challenger its bond
    ///      and the other half.
    function test_step_anyoneMayStep_proverTakesHalfTheReward() public {
        uint256 fault = 3;
        uint256 gid = _opened(fault);
        uint64 leafPos = _descend(gid, fault, HONEST, challenger);
        _step(gid, leafPos, requester);
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Defeated));
        uint256 reward = SHARE - _burnOf(SHARE, BPS);
        assertEq(game.credit(requester), reward / 2);
        assertEq(game.credit(challenger), BOND + reward - reward / 2);
    }

    /// @dev The challenger proving its own node keeps the whole reward.
    function test_step_ownNode_wholeReward() public {
        uint256 fault = 3;
        uint256 gid = _opened(fault);
        uint64 leafPos = _descend(gid, fault, HONEST, challenger);
        _step(gid, leafPos, challenger);
        assertEq(game.credit(challenger), BOND + SHARE - _burnOf(SHARE, BPS));
    }

    function test_step_wrongAncestryLength_reverts() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        bytes32[][] memory full = _ancestry(gid, leafPos);
        assertEq(full.length, 4);
        (bytes memory pre,) = _stepData(jobId, 9);
        bytes32[][] memory shorter = new bytes32[][](3);
        for (uint256 i; i < 3; ++i) {
            shorter[i] = full[i];
        }
        vm.expectRevert(abi.encodeWithSelector(WrongAncestryLength.selector, 3, 4));
        game.step(gid, leafPos, shorter, pre, "");
        bytes32[][] memory longer = new bytes32[][](5);
        for (uint256 i; i < 4; ++i) {
            longer[i] = full[i];
        }
        longer[4] = full[3];
        vm.expectRevert(abi.encodeWithSelector(WrongAncestryLength.selector, 5, 4));
        game.step(gid, leafPos, longer, pre, "");
    }

    /// @dev A forged interior on the path is refused: every level forged, or the level the node's
    ///      start hash comes from (the deepest ancestor where the path is not on part 0).
    function test_step_interiorMismatch_reverts() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        (bytes memory pre,) = _stepData(jobId, 9);
        // position 9 = 0b00001001: parts 0, 0, 2, 1 from the root (k = 4): the start comes from level 3
        for (uint256 l; l < anc.length; ++l) {
            anc[l][0] = keccak256(abi.encode("forged", l));
        }
        vm.expectRevert(InteriorMismatch.selector);
        game.step(gid, leafPos, anc, pre, "");
        anc = _ancestry(gid, leafPos);
        anc[3][0] = keccak256("forged");
        vm.expectRevert(InteriorMismatch.selector);
        game.step(gid, leafPos, anc, pre, "");
    }

    /// @dev Only the levels that give the node's start and end hashes are checked: a lean ancestry
    ///      with the other levels empty is enough; emptying a deciding level is refused.
    function test_step_minimalAncestry() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        bytes32[][] memory anc = _ancestryMinimal(gid, leafPos);
        // position 9: parts 0, 0, 2, 1: only level 3 decides (start and end)
        assertEq(anc[0].length + anc[1].length + anc[2].length, 0);
        assertEq(anc[3].length, 3);
        (bytes memory pre,) = _stepData(jobId, 9);
        uint256 snap = vm.snapshotState();
        game.step(gid, leafPos, anc, pre, "");
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Defeated));
        vm.revertToState(snap);
        anc[3] = new bytes32[](0);
        vm.expectRevert(InteriorMismatch.selector);
        game.step(gid, leafPos, anc, pre, "");
    }

    function test_step_preStateMismatch_reverts() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        (bytes memory other,) = _stepData(jobId, 10);
        (bytes32 start,) = _hashesOf(gid, leafPos, game.getGame(gid));
        vm.expectRevert(abi.encodeWithSelector(PreStateMismatch.selector, keccak256(other), start));
        game.step(gid, leafPos, anc, other, "");
    }

    function test_step_wrongNodeState_reverts() public {
        uint256 gid = _opened(9);
        (bytes memory pre,) = _stepData(jobId, 0);
        // the root: challenged but longer than 1
        vm.expectRevert(
            abi.encodeWithSelector(WrongNodeState.selector, _rootPos(), uint8(NodeStatus.Challenged))
        );
        game.step(gid, _rootPos(), new bytes32[][](0), pre, "");
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        // an unchallenged length-1 node
        uint64 sibling = leafPos + (uint64(1) << 8);
        bytes32[][] memory siblingAnc = _ancestry(gid, leafPos);
        vm.expectRevert(abi.encodeWithSelector(WrongNodeState.selector, sibling, uint8(NodeStatus.None)));
        game.step(gid, sibling, siblingAnc, pre, "");
        // already stepped
        _step(gid, leafPos, challenger);
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        (pre,) = _stepData(jobId, 9);
        vm.expectRevert(abi.encodeWithSelector(WrongNodeState.selector, leafPos, uint8(NodeStatus.Defeated)));
        game.step(gid, leafPos, anc, pre, "");
    }

    function test_step_clockExpired_reverts() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        _warpActive(CLOCK); // moves were instant: the step window is one whole clock
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        (bytes memory pre,) = _stepData(jobId, 9);
        vm.expectRevert(ClockExpired.selector);
        game.step(gid, leafPos, anc, pre, "");
    }

    function test_step_gameVoid_reverts() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        vm.prank(guardian);
        game.invalidateGame(gid);
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        (bytes memory pre,) = _stepData(jobId, 9);
        vm.expectRevert(abi.encodeWithSelector(GameVoid.selector, gid));
        game.step(gid, leafPos, anc, pre, "");
    }

    function test_step_paused_reverts() public {
        uint256 gid = _opened(9);
        uint64 leafPos = _descend(gid, 9, HONEST, challenger);
        _pause();
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        (bytes memory pre,) = _stepData(jobId, 9);
        vm.expectRevert(ProtocolPaused.selector);
        game.step(gid, leafPos, anc, pre, "");
    }

    function test_step_unknownGame_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 5));
        game.step(5, 0, new bytes32[][](0), "", "");
    }

    ////////////////////////////////////////////////////////////////
    //                          resolveNode                       //
    ////////////////////////////////////////////////////////////////

    function test_resolveNode_proposerTimeout_defeats() public {
        uint256 gid = _opened(HONEST);
        _warpActive(CLOCK - 1);
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, 1));
        game.resolveNode(gid, _rootPos());
        _warpActive(1);
        (IDisputeGame.Turn turn,) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Resolve));
        vm.prank(requester); // anyone
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Defeated));
        Disputes memory d = game.disputes(pid);
        assertTrue(d.defeated);
        assertEq(d.rootsOpen, 0);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
    }

    function test_resolveNode_stepWindowOver_upholds() public {
        uint256 gid = _opened(HONEST);
        uint64 leafPos = _descend(gid, HONEST, 40, challenger);
        _warpActive(CLOCK - 1);
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, 1));
        game.resolveNode(gid, leafPos);
        _warpActive(1);
        _resolveUp(gid, leafPos);
        uint64[] memory path = _path(leafPos);
        for (uint256 i; i < path.length; ++i) {
            assertEq(uint8(_status(gid, path[i])), uint8(NodeStatus.Upheld));
        }
        assertEq(game.disputes(pid).rootsOpen, 0);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
    }

    function test_resolveNode_dissectedUnchallenged_upholds() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Pick));
        assertEq(left, CLOCK);
        _warpActive(CLOCK - 1);
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, 1));
        game.resolveNode(gid, _rootPos());
        _warpActive(1);
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld));
        // challenger's bond minus the burn, and the dissection bond back
        assertEq(game.credit(proposer), BOND - _burnOf(BOND, BPS) + DBOND);
    }

    function test_resolveNode_dissectedWithDefeatedPart_defeats() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        uint64 c = _challenge(gid, _rootPos(), 1, challenger2);
        _warpActive(CLOCK); // the proposer never answers the part
        game.resolveNode(gid, c);
        assertEq(uint8(_status(gid, c)), uint8(NodeStatus.Defeated));
        Node memory root = game.getNode(gid, _rootPos());
        assertEq(root.openChildren, 0);
        assertEq(root.defeatedChildren, 1);
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Defeated));
    }

    function test_resolveNode_childrenOpen_reverts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(30 minutes);
        uint64 c = _challenge(gid, _rootPos(), 0, challenger);
        _warpActive(30 minutes); // the root's pick window is over, the part's defence is not
        (IDisputeGame.Turn turn,) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Children));
        vm.expectRevert(abi.encodeWithSelector(ChildrenOpen.selector, 1));
        game.resolveNode(gid, _rootPos());
        (turn,) = game.nodeTurn(gid, c);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Dissect));
    }

    function test_resolveNode_wrongNodeState_reverts() public {
        uint256 gid = _opened(HONEST);
        uint64 none = _child(_rootPos(), 0);
        vm.expectRevert(abi.encodeWithSelector(WrongNodeState.selector, none, uint8(NodeStatus.None)));
        game.resolveNode(gid, none);
        _warpActive(CLOCK);
        game.resolveNode(gid, _rootPos());
        vm.expectRevert(
            abi.encodeWithSelector(WrongNodeState.selector, _rootPos(), uint8(NodeStatus.Defeated))
        );
        game.resolveNode(gid, _rootPos());
    }

    function test_resolveNode_unknownGame_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 2));
        game.resolveNode(2, _rootPos());
    }

    function test_resolveNode_paused_reverts() public {
        uint256 gid = _opened(HONEST);
        _warpActive(CLOCK);
        _pause();
        vm.expectRevert(ProtocolPaused.selector);
        game.resolveNode(gid, _rootPos());
    }

    ////////////////////////////////////////////////////////////////
    //                            nodeTurn                        //
    ////////////////////////////////////////////////////////////////

    function test_nodeTurn_everyTurn() public {
        uint256 gid = _opened(HONEST);
        (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, _child(_rootPos(), 0));
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.None));
        assertEq(left, 0);
        _warpActive(7 minutes);
        (turn, left) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Dissect));
        assertEq(left, CLOCK - 7 minutes);
        uint64 leafPos = _descend(gid, HONEST, 10, challenger);
        (turn, left) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Pick));
        assertEq(left, CLOCK);
        (turn, left) = game.nodeTurn(gid, leafPos);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Step));
        assertEq(left, CLOCK);
        _warpActive(CLOCK);
        (turn, left) = game.nodeTurn(gid, leafPos);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Resolve));
        assertEq(left, 0);
        (turn,) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Children));
        _resolveUp(gid, leafPos);
        (turn,) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.None));
    }

    ////////////////////////////////////////////////////////////////
    //                        clocks per path                     //
    ////////////////////////////////////////////////////////////////

    /// @dev Each node is challenged at openedAt + proposerUsed + challengerUsed: the times of the
    ///      two sides along the path add up.
    function test_clock_pathTimesAddUp() public {
        uint256 gid = _opened(HONEST);
        uint64 openedAt = Timestamp.unwrap(game.getGame(gid).openedAt);
        uint64 cur = _rootPos();
        uint256 pUsed;
        uint256 cUsed;
        for (uint256 l; l < 4; ++l) {
            _warpActive(5 minutes + l);
            _dissect(gid, cur, HONEST);
            pUsed += 5 minutes + l;
            _warpActive(3 minutes + l);
            cur = _challenge(gid, cur, l % 4, challenger);
            cUsed += 3 minutes + l;
            Node memory n = game.getNode(gid, cur);
            assertEq(n.proposerUsed, pUsed);
            assertEq(n.challengerUsed, cUsed);
            assertEq(openedAt + n.proposerUsed + n.challengerUsed, verdict.activeNow());
        }
        (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, cur);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Step));
        assertEq(left, CLOCK - cUsed);
    }

    /// @dev Siblings do not share time: a slow defence of one part does not shorten another's.
    function test_clock_siblingPathsIndependent() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        uint64 a = _challenge(gid, _rootPos(), 0, challenger);
        _warpActive(20 minutes);
        uint64 b = _challenge(gid, _rootPos(), 3, challenger2);
        _warpActive(39 minutes);
        _dissect(gid, a, HONEST); // 59 minutes into a's defence
        (, uint64 leftB) = game.nodeTurn(gid, b);
        assertEq(leftB, CLOCK - 39 minutes);
        (, uint64 pickA) = game.nodeTurn(gid, a);
        assertEq(pickA, CLOCK); // the challenger side of a's path has used nothing
    }

    /// @dev Whatever the delays, every node of a game is decided by openedAt + 2 * clock.
    function testFuzz_clock_gameEndsWithinTwoClocks(uint256 _seed) public {
        uint256 gid = _opened(HONEST);
        uint64 openedAt = Timestamp.unwrap(game.getGame(gid).openedAt);
        uint64 cur = _rootPos();
        uint256 pUsed;
        uint256 cUsed;
        while (_lenOf(cur) != 0) {
            uint256 dp = uint256(keccak256(abi.encode(_seed, cur, "p"))) % (CLOCK - pUsed);
            _warpActive(dp);
            pUsed += dp;
            _dissect(gid, cur, HONEST);
            uint256 dc = uint256(keccak256(abi.encode(_seed, cur, "c"))) % (CLOCK - cUsed);
            _warpActive(dc);
            cUsed += dc;
            cur = _challenge(gid, cur, uint256(keccak256(abi.encode(_seed, cur))) % 4, challenger);
        }
        vm.warp(block.timestamp + (openedAt + 2 * CLOCK - verdict.activeNow()));
        uint64[] memory path = _path(cur);
        for (uint256 i; i < path.length; ++i) {
            (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, path[i]);
            assertTrue(turn == IDisputeGame.Turn.Resolve || turn == IDisputeGame.Turn.Children);
            assertEq(left, 0);
        }
        _resolveUp(gid, cur);
        assertEq(game.disputes(pid).rootsOpen, 0);
    }

    ////////////////////////////////////////////////////////////////
    //                           multicall                        //
    ////////////////////////////////////////////////////////////////

    function test_multicall_manyDissectionsOneTx() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        for (uint256 i; i < 4; ++i) {
            _challenge(gid, _rootPos(), i, i % 2 == 0 ? challenger : challenger2);
        }
        bytes[] memory calls = new bytes[](4);
        for (uint256 i; i < 4; ++i) {
            uint64 c = _child(_rootPos(), i);
            bytes32[] memory interior = _interiorFor(jobId, c, HONEST);
            calls[i] = abi.encodeCall(IDisputeGame.dissect, (gid, c, interior));
            _record(gid, c, interior);
        }
        vm.prank(proposer);
        game.multicall{value: 4 * DBOND}(calls);
        for (uint256 i; i < 4; ++i) {
            assertEq(uint8(_status(gid, _child(_rootPos(), i))), uint8(NodeStatus.Dissected));
        }
        assertEq(game.credit(proposer), 0);
        assertEq(address(game).balance, 5 * BOND + 5 * DBOND); // 5 challenges, 5 dissections
    }

    function test_multicall_movesOfSeveralGames() public {
        uint256[] memory jobs = _submitN(3);
        Leaf[] memory ls = new Leaf[](3);
        for (uint256 i; i < 3; ++i) {
            ls[i] = _leaf(jobs[i], HONEST);
        }
        uint256 p = _propose(ls);
        bytes[] memory opens = new bytes[](3);
        for (uint256 i; i < 3; ++i) {
            opens[i] = abi.encodeCall(IDisputeGame.openGame, (p, ls[i], _proof(ls, i)));
        }
        vm.prank(challenger);
        bytes[] memory results = game.multicall{value: 3 * BOND}(opens);
        for (uint256 i; i < 3; ++i) {
            assertEq(abi.decode(results[i], (uint256)), i + 1);
        }
        bytes[] memory dissections = new bytes[](3);
        for (uint256 i; i < 3; ++i) {
            dissections[i] = abi.encodeCall(
                IDisputeGame.dissect, (i + 1, _rootPos(), _interiorFor(jobs[i], _rootPos(), HONEST))
            );
        }
        vm.prank(proposer);
        game.multicall{value: 3 * DBOND}(dissections);
        assertEq(game.disputes(p).games, 3);
        assertEq(game.credit(proposer), 0);
        assertEq(address(game).balance, 3 * BOND + 3 * DBOND);
    }

    function test_multicall_valueCreditedOnce() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        _challenge(gid, _rootPos(), 0, challenger);
        _challenge(gid, _rootPos(), 1, challenger);
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(
            IDisputeGame.dissect,
            (gid, _child(_rootPos(), 0), _interiorFor(jobId, _child(_rootPos(), 0), HONEST))
        );
        calls[1] = abi.encodeCall(
            IDisputeGame.dissect,
            (gid, _child(_rootPos(), 1), _interiorFor(jobId, _child(_rootPos(), 1), HONEST))
        );
        // one bond sent for two dissections: the value is not counted twice
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(InsufficientCredit.selector, 0, DBOND));
        game.multicall{value: DBOND}(calls);
        // three bonds for two: the rest stays as credit
        vm.prank(proposer);
        game.multicall{value: 3 * DBOND}(calls);
        assertEq(game.credit(proposer), DBOND);
    }

    function test_multicall_depositAndResolveDoNotCreditTwice() public {
        bytes[] memory calls = new bytes[](3);
        calls[0] = abi.encodeCall(IDisputeGame.deposit, ());
        calls[1] = abi.encodeCall(IDisputeGame.deposit, ());
        calls[2] = abi.encodeCall(IDisputeGame.deposit, ());
        vm.prank(challenger);
        game.multicall{value: 1 ether}(calls);
        assertEq(game.credit(challenger), 1 ether);
        assertEq(address(game).balance, 1 ether);
    }

    function test_multicall_nested() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        bytes[] memory inner = new bytes[](2);
        inner[0] = abi.encodeCall(IDisputeGame.challenge, (gid, _rootPos(), 0));
        inner[1] = abi.encodeCall(IDisputeGame.deposit, ());
        bytes[] memory outer = new bytes[](2);
        outer[0] = abi.encodeCall(IDisputeGame.multicall, (inner));
        outer[1] = abi.encodeCall(IDisputeGame.challenge, (gid, _rootPos(), 2));
        vm.prank(challenger2);
        game.multicall{value: 2 * BOND + 5}(outer);
        assertEq(game.getNode(gid, _child(_rootPos(), 0)).challenger, challenger2);
        assertEq(game.getNode(gid, _child(_rootPos(), 2)).challenger, challenger2);
        assertEq(game.credit(challenger2), 5);
        assertEq(address(game).balance, 3 * BOND + DBOND + 5);
    }

    function test_multicall_revertBubbles() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        bytes[] memory calls = new bytes[](2);
        calls[0] = abi.encodeCall(IDisputeGame.challenge, (gid, _rootPos(), 0));
        calls[1] = abi.encodeCall(IDisputeGame.challenge, (gid, _rootPos(), 0));
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(AlreadyChallenged.selector, _child(_rootPos(), 0)));
        game.multicall{value: 2 * BOND}(calls);
        // nothing of the batch stuck
        assertEq(uint8(_status(gid, _child(_rootPos(), 0))), uint8(NodeStatus.None));
        assertEq(game.credit(challenger), 0);
    }

    /// @dev No withdrawal inside a batch: an untrusted recipient could otherwise re-enter while the
    ///      batch's ETH flag is set, and ETH it sent along would not be credited (found by this test).
    function test_multicall_withdraw_reverts() public {
        Reenterer r = new Reenterer(IDisputeGame(address(game)));
        vm.expectRevert(WithdrawInBatch.selector);
        r.run{value: 1 ether}(0.4 ether);
        assertEq(address(game).balance, 0);
        vm.prank(challenger);
        game.deposit{value: 1 ether}();
        bytes[] memory calls = new bytes[](1);
        calls[0] = abi.encodeCall(IDisputeGame.withdraw, ());
        vm.prank(challenger);
        vm.expectRevert(WithdrawInBatch.selector);
        game.multicall(calls);
        assertEq(_withdrawGame(challenger), 1 ether);
    }

    ////////////////////////////////////////////////////////////////
    //                        deposit, withdraw                   //
    ////////////////////////////////////////////////////////////////

    function test_deposit_credits() public {
        vm.expectEmit(address(game));
        emit IDisputeGame.Credited(challenger, 1 ether);
        vm.prank(challenger);
        game.deposit{value: 1 ether}();
        assertEq(game.credit(challenger), 1 ether);
    }

    function test_withdraw_paysCredit() public {
        vm.prank(challenger);
        game.deposit{value: 1 ether}();
        uint256 before = challenger.balance;
        vm.expectEmit(address(game));
        emit IDisputeGame.Withdrawn(challenger, 1 ether);
        assertEq(_withdrawGame(challenger), 1 ether);
        assertEq(challenger.balance, before + 1 ether);
        assertEq(game.credit(challenger), 0);
        assertEq(address(game).balance, 0);
    }

    function test_withdraw_nothing_reverts() public {
        vm.prank(challenger);
        vm.expectRevert(NothingToWithdraw.selector);
        game.withdraw();
    }

    function test_withdraw_whilePaused_works() public {
        vm.prank(challenger);
        game.deposit{value: 1 ether}();
        _pause();
        uint256 wallet = challenger.balance;
        assertEq(_withdrawGame(challenger), 1 ether);
        assertEq(challenger.balance - wallet, 1 ether);
        assertEq(address(game).balance, 0);
    }

    function test_withdraw_rejectingReceiver_reverts() public {
        Rejecter r = new Rejecter();
        vm.deal(address(r), 1 ether);
        r.call{value: 1 ether}(address(game), abi.encodeCall(IDisputeGame.deposit, ()));
        vm.expectRevert(TransferFailed.selector);
        r.call(address(game), abi.encodeCall(IDisputeGame.withdraw, ()));
        assertEq(game.credit(address(r)), 1 ether);
    }

    ////////////////////////////////////////////////////////////////
    //                    governance and hooks                    //
    ////////////////////////////////////////////////////////////////

    function test_invalidateGame_invalidatesProposalAndRefundsEverything() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        uint64 c1 = _challenge(gid, _rootPos(), 1, challenger2);
        uint64 c2 = _challenge(gid, _rootPos(), 2, challenger2);
        _dissect(gid, c1, HONEST);
        uint64 c11 = _challenge(gid, c1, 0, challenger);
        uint256 stakeCreditBefore = verdict.credit(proposer);
        vm.expectEmit(address(game));
        emit IDisputeGame.GameInvalidated(gid, pid, guardian);
        vm.prank(guardian);
        game.invalidateGame(gid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Invalidated));
        assertTrue(game.disputes(pid).invalidated);
        assertEq(verdict.credit(proposer), stakeCreditBefore + 1 ether, "stake refunded in full");
        // every open node resolves to Refunded at once, in any order
        uint64[5] memory nodes = [_rootPos(), c2, c11, c1, _rootPos()];
        for (uint256 i; i < 4; ++i) {
            (IDisputeGame.Turn turn,) = game.nodeTurn(gid, nodes[i]);
            assertEq(uint8(turn), uint8(IDisputeGame.Turn.Resolve));
            game.resolveNode(gid, nodes[i]);
            assertEq(uint8(_status(gid, nodes[i])), uint8(NodeStatus.Refunded));
        }
        assertEq(game.credit(challenger), 2 * BOND); // root and c11
        assertEq(game.credit(challenger2), 2 * BOND); // c1 and c2
        assertEq(game.credit(proposer), 2 * DBOND); // two dissections
        assertEq(address(game).balance, 4 * BOND + 2 * DBOND);
        assertEq(game.disputes(pid).rootsOpen, 0);
        assertEq(DEAD.balance, 0);
        // and the proposal can never finalize
        _warpActive(10 days);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.finalize(pid);
    }

    /// @dev Bonds already settled by the game stay settled (only open nodes are refunded).
    function test_invalidateGame_keepsSettledNodes() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        uint64 c = _challenge(gid, _rootPos(), 0, challenger2);
        uint64 leafPos = c;
        while (_lenOf(leafPos) != 0) {
            _dissect(gid, leafPos, HONEST);
            leafPos = _challenge(gid, leafPos, 0, challenger2);
        }
        _step(gid, leafPos, challenger2); // the lie fails: Upheld
        uint256 proposerCredit = game.credit(proposer);
        vm.prank(guardian);
        game.invalidateGame(gid);
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Upheld));
        assertEq(game.credit(proposer), proposerCredit);
    }

    function test_invalidateGame_notGuardian_reverts() public {
        uint256 gid = _opened(HONEST);
        address[3] memory who = [admin, setter, proposer];
        for (uint256 i; i < 3; ++i) {
            vm.prank(who[i]);
            vm.expectRevert(Unauthorized.selector);
            game.invalidateGame(gid);
        }
    }

    function test_invalidateGame_unknownGame_reverts() public {
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 1));
        game.invalidateGame(1);
    }

    function test_invalidateGame_notPending_reverts() public {
        uint256 gid = _opened(HONEST);
        _warpActive(CLOCK);
        game.resolveNode(gid, _rootPos()); // defeated by timeout
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        game.invalidateGame(gid);
    }

    function test_hooks_onlyVerdict_reverts() public {
        vm.expectRevert(Unauthorized.selector);
        game.onProposalInvalidated(1);
        vm.prank(guardian);
        vm.expectRevert(Unauthorized.selector);
        game.onPauseChanged(1, 0);
    }

    ////////////////////////////////////////////////////////////////
    //                        bond accounting                     //
    ////////////////////////////////////////////////////////////////

    /// @dev Defeated root by proposer timeout: the opener gets its bond back here and the leaf's share
    ///      of the stake in Verdict (the whole stake minus the burn for a one-leaf proposal).
    function test_bonds_defeatedRoot_bondAndLeafShare() public {
        uint256 gid = _opened(HONEST);
        _warpActive(CLOCK);
        uint256 dead = DEAD.balance;
        game.resolveNode(gid, _rootPos());
        assertEq(game.credit(challenger), BOND);
        uint256 stakeBurn = _burnOf(1 ether, BPS);
        assertEq(verdict.credit(challenger), 1 ether - stakeBurn);
        assertEq(DEAD.balance - dead, stakeBurn);
        assertEq(address(game).balance, BOND);
    }

    /// @dev A full dispute lost by the proposer: the challenger gets every bond it posted back plus,
    ///      per level, the share of the dissection bond above it minus the burn; the rest of each
    ///      dissection bond is burned; the proposer gets nothing.
    function test_bonds_defeatedPath_sharesMinusBurn() public {
        uint256 fault = 200;
        uint256 gid = _opened(fault);
        uint64 leafPos = _descend(gid, fault, HONEST, challenger);
        uint256 dead = DEAD.balance;
        _step(gid, leafPos, challenger);
        uint256 share = SHARE;
        uint256 shareBurn = _burnOf(share, BPS);
        assertEq(game.credit(challenger), BOND + share - shareBurn, "leaf node paid at once");
        _warpActive(CLOCK);
        _resolveUp(gid, _parentOf(leafPos));
        uint256 levels = _levels();
        assertEq(levels, 4);
        assertEq(game.credit(challenger), (levels + 1) * BOND + levels * (share - shareBurn));
        assertEq(game.credit(proposer), 0);
        assertEq(DEAD.balance - dead, levels * (DBOND - share + shareBurn) + _burnOf(1 ether, BPS));
        assertEq(address(game).balance, game.credit(challenger));
        assertEq(verdict.credit(challenger), 1 ether - _burnOf(1 ether, BPS));
    }

    /// @dev A full dispute won by the proposer: per challenged node the challenger's bond minus the
    ///      burn, plus every dissection bond back.
    function test_bonds_upheldPath_bondMinusBurnPlusDissectionBond() public {
        uint256 gid = _opened(HONEST);
        uint64 leafPos = _descend(gid, HONEST, 31, challenger);
        _step(gid, leafPos, challenger);
        _warpActive(CLOCK);
        _resolveUp(gid, _parentOf(leafPos));
        uint256 levels = _levels();
        uint256 burn = _burnOf(BOND, BPS);
        assertEq(game.credit(proposer), (levels + 1) * (BOND - burn) + levels * DBOND);
        assertEq(game.credit(challenger), 0);
        assertEq(address(game).balance, game.credit(proposer));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
        _warpActive(1 days);
        verdict.finalize(pid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Finalized));
    }

    /// @dev Two defeated parts, one upheld part: the node is Defeated, its dissection bond pays two
    ///      shares and the rest (bond - 2 shares) is burned; the upheld part's bond went to the proposer.
    function test_bonds_mixedParts() public {
        uint256 gid = _opened(HONEST);
        _dissect(gid, _rootPos(), HONEST);
        uint64 a = _challenge(gid, _rootPos(), 0, challenger2);
        uint64 b = _challenge(gid, _rootPos(), 1, challenger2);
        uint64 c = _challenge(gid, _rootPos(), 2, requester);
        _dissect(gid, c, HONEST); // defends c, abandons a and b
        _warpActive(CLOCK);
        uint256 dead = DEAD.balance;
        game.resolveNode(gid, a);
        game.resolveNode(gid, b);
        game.resolveNode(gid, c); // dissected, nobody challenged its parts: Upheld
        game.resolveNode(gid, _rootPos());
        uint256 share = SHARE;
        uint256 burn = _burnOf(BOND, BPS);
        assertEq(game.credit(challenger2), 2 * (BOND + share - _burnOf(share, BPS)));
        assertEq(game.credit(requester), 0);
        assertEq(game.credit(proposer), BOND - burn + DBOND);
        assertEq(game.credit(challenger), BOND);
        assertEq(
            DEAD.balance - dead, 2 * _burnOf(share, BPS) + burn + (DBOND - 2 * share) + _burnOf(1 ether, BPS)
        );
        assertEq(
            address(game).balance, game.credit(challenger2) + game.credit(proposer) + game.credit(challenger)
        );
    }

    /// @dev Burns round up: a forfeited amount burns ceil(amount * bps / 1e4), at least 1 wei.
    function test_bonds_burnRoundsUp() public {
        Params memory p = verdict.params();
        p.claimBond = 1 gwei + 1;
        p.burnBps = 1;
        vm.prank(setter);
        verdict.setParams(p);
        uint256 gid = _opened(HONEST); // proposed after the change: snapshots the new bond
        uint256 bond = 1 gwei + 1;
        assertEq(_bond(gid), bond);
        Game memory g = game.getGame(gid);
        uint256 dBond = 250_000_000; // (1 gwei + 1) / 4, rounded down
        assertEq(game.dissectionBond(gid), dBond);
        bytes32[] memory interior = _interiorFor(jobId, _rootPos(), HONEST);
        vm.prank(proposer);
        game.dissect{value: dBond}(gid, _rootPos(), interior);
        _warpActive(CLOCK);
        uint256 dead = DEAD.balance;
        game.resolveNode(gid, _rootPos());
        uint256 burned = DEAD.balance - dead;
        assertEq(burned, bond / 10_000 + 1, "rounded up");
        assertGt(burned * 10_000, bond * g.burnBps - 1);
        assertEq(game.credit(proposer), bond - burned + dBond);
        assertEq(address(game).balance, bond - burned + dBond);
    }

    /// @dev Sum of every wei in and out of the game over a full dispute with several challengers.
    function test_bonds_conservation_manyChallengers() public {
        uint256 fault = 130;
        uint256 gid = _opened(fault);
        _dissect(gid, _rootPos(), fault);
        for (uint256 i; i < 4; ++i) {
            _challenge(gid, _rootPos(), i, i < 2 ? challenger2 : requester);
        }
        uint64 wrong = _child(_rootPos(), _disputedIndex(gid, _rootPos(), HONEST));
        uint64 cur = wrong;
        while (_lenOf(cur) != 0) {
            _dissect(gid, cur, fault);
            cur = _challenge(gid, cur, _disputedIndex(gid, cur, HONEST), challenger);
        }
        uint256 dead = DEAD.balance;
        _step(gid, cur, challenger);
        _warpActive(3 * CLOCK);
        for (uint256 i; i < 4; ++i) {
            uint64 part = _child(_rootPos(), i);
            if (part != wrong) game.resolveNode(gid, part);
        }
        _resolveUp(gid, _parentOf(cur));
        uint256 held;
        _assertGameSolvent(_actors(), held);
        uint256 posted = (1 + 4 + 3) * BOND + 4 * DBOND; // challenges + dissections
        uint256 out = game.credit(proposer) + game.credit(challenger) + game.credit(challenger2)
            + game.credit(requester) + (DEAD.balance - dead) - _burnOf(1 ether, BPS);
        assertEq(out, posted);
    }

    ////////////////////////////////////////////////////////////////
    //                             pause                          //
    ////////////////////////////////////////////////////////////////

    function test_pause_freezesClocks() public {
        uint256 gid = _opened(HONEST);
        _warpActive(50 minutes);
        _pause();
        _warp(30 days);
        (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Dissect));
        assertEq(left, 10 minutes);
        assertEq(game.activeNow(), verdict.activeNow());
        _unpause();
        (, left) = game.nodeTurn(gid, _rootPos());
        assertEq(left, 10 minutes);
        assertEq(game.activeNow(), verdict.activeNow());
        _warpActive(10 minutes - 1);
        _dissect(gid, _rootPos(), HONEST);
        assertEq(game.getNode(gid, _rootPos()).dissectDelay, CLOCK - 1);
    }

    ////////////////////////////////////////////////////////////////
    //                        whole disputes                      //
    ////////////////////////////////////////////////////////////////

    /// @dev A dishonest proposer (any fault) always loses to one honest challenger, who never loses.
    function testFuzz_dispute_honestChallengerWins(uint256 _fault) public {
        uint256 fault = bound(_fault, 0, (uint256(1) << _depth()) - 1);
        uint256 gid = _opened(fault);
        uint64 leafPos = _descend(gid, fault, HONEST, challenger);
        assertEq(_startOf(leafPos), fault);
        _step(gid, leafPos, challenger);
        _warpActive(CLOCK);
        _resolveUp(gid, _parentOf(leafPos));
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Defeated));
        assertGt(game.credit(challenger), (_levels() + 1) * BOND);
    }

    /// @dev An honest proposer always wins against a challenger with any wrong trace.
    function testFuzz_dispute_honestProposerWins(uint256 _cFault) public {
        uint256 cFault = bound(_cFault, 0, (uint256(1) << _depth()) - 1);
        uint256 gid = _opened(HONEST);
        uint64 leafPos = _descend(gid, HONEST, cFault, challenger);
        _step(gid, leafPos, challenger);
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Upheld));
        _warpActive(CLOCK);
        _resolveUp(gid, _parentOf(leafPos));
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld));
        _warpActive(1 days);
        verdict.finalize(pid);
        assertGt(game.credit(proposer), _levels() * BOND);
    }
}
