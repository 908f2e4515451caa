// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 1 of issue 9: mass challenges on a correct leaf. The proposer's dissection of a node is posted
// once and answers every challenger, its time is accounted per path, and its moves batch: an honest
// proposer dissects each challenged node once (many per transaction), never times out, wins every
// attacker bond (minus the burn) and the proposal finalizes.

import {AttackBase} from "./AttackBase.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {Leaf, NodeStatus, ProposalStatus} from "../../src/lib/Types.sol";
import {GameExists, ClockExpired} from "../../src/lib/Errors.sol";

contract MassChallengeTest is AttackBase {
    uint256 internal constant BLOCK_GAS_LIMIT = 30_000_000;

    address[] internal attackers;

    function setUp() public override {
        super.setUp();
        for (uint256 i; i < 16; ++i) {
            address a = makeAddr(string.concat("attacker", vm.toString(i)));
            _fund(a);
            attackers.push(a);
        }
    }

    /// @dev The honest proposer dissects every challenged node in `_nodes` in one transaction; checks
    ///      that none of them was anywhere near its clock and returns the transaction's gas.
    function _dissectAll(uint256 _gid, uint64[] memory _nodes) internal returns (uint256 gas_) {
        uint256 jobId = game.getGame(_gid).jobId;
        bytes[] memory calls = new bytes[](_nodes.length);
        for (uint256 i; i < _nodes.length; ++i) {
            (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(_gid, _nodes[i]);
            assertEq(uint8(turn), uint8(IDisputeGame.Turn.Dissect));
            assertGt(left, _clock() / 2, "the proposer is never short of time");
            bytes32[] memory interior = _interiorFor(jobId, _nodes[i], HONEST);
            calls[i] = abi.encodeCall(IDisputeGame.dissect, (_gid, _nodes[i], interior));
            _record(_gid, _nodes[i], interior);
        }
        uint256 value = _nodes.length * _dBond(_gid); // each dissection posts a k-th of the claim bond
        uint256 creditBefore = game.credit(proposer);
        vm.prank(proposer);
        uint256 before = gasleft();
        game.multicall{value: value}(calls);
        gas_ = before - gasleft();
        assertEq(game.credit(proposer), creditBefore, "exactly the dissection bonds were sent");
    }

    /// @dev Every attacker challenges parts of every node in `_parents` (all parts), round-robin.
    function _challengeAll(uint256 _gid, uint64[] memory _parents)
        internal
        returns (uint64[] memory children_)
    {
        uint256 k = _parts(_parents[0]);
        children_ = new uint64[](_parents.length * k);
        uint256 n;
        for (uint256 i; i < _parents.length; ++i) {
            for (uint256 j; j < k; ++j) {
                children_[n] = _challenge(_gid, _parents[i], j, attackers[n % attackers.length]);
                ++n;
            }
        }
    }

    /// @dev 1 + 16 + 256 = 273 attacker challenges on one correct leaf (D = 32, k = 16), opened in the
    ///      last second of the window. The proposer answers each level in one transaction.
    function test_massChallenges_273_honestProposerWinsEveryBond() public {
        uint256 jobId = _submit("correct", 0);
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(leaves);
        _warpActive(1 days - 1);
        uint256 gid = _open(pid, leaves, 0, attackers[0]);
        // a second opener cannot start a second tree on the same leaf: it must join this one
        bytes32[] memory proof = _proof(leaves, 0);
        vm.prank(attackers[1]);
        vm.expectRevert(abi.encodeWithSelector(GameExists.selector, gid));
        game.openGame{value: 0.5 ether}(pid, leaves[0], proof);

        _warp(12);
        uint64[] memory level = new uint64[](1);
        level[0] = _rootPos();
        _dissectAll(gid, level);
        _warp(12);
        level = _challengeAll(gid, level); // 16
        _warp(12);
        uint256 gas16 = _dissectAll(gid, level);
        _warp(12);
        level = _challengeAll(gid, level); // 256
        _warp(12);
        uint256 gas256 = _dissectAll(gid, level);
        assertLt(gas256, BLOCK_GAS_LIMIT, "256 dissections fit in one block");
        emit log_named_uint("gas: 16 dissections in one multicall", gas16);
        emit log_named_uint("gas: 256 dissections in one multicall", gas256);
        emit log_named_uint("gas per batched dissection (256)", gas256 / 256);

        uint256 challenges = 1 + 16 + 256;
        // nobody can move any more: every path's clocks ran out
        _warpActive(3 * _clock());
        _resolveSubtree(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld));
        assertEq(game.disputes(pid).rootsOpen, 0);
        assertFalse(game.disputes(pid).defeated);
        verdict.finalize(pid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Finalized));

        uint256 bond = 0.5 ether;
        uint256 burn = _burnOf(bond, 2000);
        assertEq(_net(proposer), int256(challenges * (bond - burn)), "every attacker bond, minus the burn");
        assertEq(_netOf(attackers), -int256(challenges * bond), "attackers lose every bond");
    }

    /// @dev 64 games opened in the last second of the window on every leaf of a 64-leaf batch: one
    ///      multicall dissects all 64 roots; every attacker loses, the batch finalizes.
    function test_massOpenings_64Leaves_oneMulticallAnswersAll() public {
        uint256[] memory jobs = _submitN(64);
        Leaf[] memory leaves = new Leaf[](64);
        for (uint256 i; i < 64; ++i) {
            leaves[i] = _leaf(jobs[i], HONEST);
        }
        uint256 pid = _propose(leaves);
        _warpActive(1 days - 1);
        uint256[] memory gids = new uint256[](64);
        for (uint256 i; i < 64; ++i) {
            gids[i] = _open(pid, leaves, i, attackers[i % 16]);
        }
        _warp(12);
        bytes[] memory calls = new bytes[](64);
        for (uint256 i; i < 64; ++i) {
            bytes32[] memory interior = _interiorFor(jobs[i], _rootPos(), HONEST);
            calls[i] = abi.encodeCall(IDisputeGame.dissect, (gids[i], _rootPos(), interior));
        }
        uint256 value = 64 * _dBond(gids[0]);
        assertEq(value, 64 * (0.5 ether / 16));
        vm.prank(proposer);
        uint256 before = gasleft();
        game.multicall{value: value}(calls);
        uint256 used = before - gasleft();
        assertLt(used, BLOCK_GAS_LIMIT);
        emit log_named_uint("gas: 64 root dissections in one multicall", used);
        _warpActive(_clock());
        for (uint256 i; i < 64; ++i) {
            game.resolveNode(gids[i], _rootPos());
        }
        // finality: at most three clocks after the last opening (two of play, one to resolve)
        _warpActive(_clock());
        vm.expectRevert();
        verdict.finalize(pid);
        _warpActive(_clock());
        verdict.finalize(pid);
        uint256 burn = _burnOf(0.5 ether, 2000);
        assertEq(_net(proposer), int256(64 * (0.5 ether - burn)));
        assertEq(_netOf(attackers), -int256(64 * 0.5 ether));
    }

    /// @dev Attackers that spend their own path time cannot shorten the proposer's: challenging at
    ///      the last second of every pick window only leaves them less time below.
    function test_massChallenges_lateChallengesCostOnlyTheAttackersTime() public {
        uint256 jobId = _submit("correct", 0);
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(leaves);
        uint256 gid = _open(pid, leaves, 0, attackers[0]);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(_clock() - 1); // last second of the root's pick window
        uint64[] memory level = new uint64[](1);
        level[0] = _rootPos();
        level = _challengeAll(gid, level);
        for (uint256 i; i < level.length; ++i) {
            (, uint64 left) = game.nodeTurn(gid, level[i]);
            assertEq(left, _clock(), "the proposer's clock on each new node is untouched");
        }
        _warpActive(12);
        _dissectAll(gid, level);
        // the attackers have (almost) no time left on these paths: one second after the dissection
        _warpActive(1);
        vm.prank(attackers[0]);
        vm.expectRevert(ClockExpired.selector);
        game.challenge{value: 0.5 ether}(gid, level[0], 0);
        _warpActive(_clock());
        _resolveSubtree(gid, _rootPos());
        _warpActive(1 days);
        verdict.finalize(pid);
        assertGt(_net(proposer), 0);
        assertLt(_netOf(attackers), 0);
    }
}
