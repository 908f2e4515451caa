// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 2 of issue 9: a dishonest proposer's own challenges (a "sock" address) cannot take the honest
// challenger's reward. The stake's reward pool pays each defeated leaf's opener the same share, so a
// sock winning first on another wrong leaf shrinks nothing; inside a game, every defeated node pays its
// own challenger out of the dissection bond above it, and a node the sock occupies but never proves
// can be proven by anyone, who takes half of its reward.

import {AttackBase} from "./AttackBase.sol";
import {Leaf, NodeStatus, ProposalStatus, Proposal} from "../../src/lib/Types.sol";
import {GameExists} from "../../src/lib/Errors.sol";

contract RewardTheftTest is AttackBase {
    uint256 internal constant BOND = 0.5 ether;
    uint256 internal constant BPS = 2000;
    uint256 internal constant FAULT_A = 123_456_789;
    uint256 internal constant FAULT_B = 42;

    uint256 internal pid;
    Leaf[] internal leaves;

    /// @dev Leaves: A wrong, B wrong, C right.
    function _wrongBatch() internal {
        uint256[] memory jobs = _submitN(3);
        leaves.push(_leaf(jobs[0], FAULT_A));
        leaves.push(_leaf(jobs[1], FAULT_B));
        leaves.push(_leaf(jobs[2], HONEST));
        pid = _propose(leaves);
    }

    function _ls() internal view returns (Leaf[] memory) {
        return leaves;
    }

    /// @dev A defeated part's reward: a 16th of its parent's dissection bond (itself a 16th of the
    ///      claim bond), net of the burn.
    function _partReward() internal pure returns (uint256) {
        uint256 share = (BOND / 16) / 16;
        return share - _burnOf(share, BPS);
    }

    function _leafShare() internal pure returns (uint256) {
        return (1 ether - _burnOf(1 ether, BPS)) / 3;
    }

    /// @dev The sock's game on another wrong leaf is won first and fast, while the proposer stalls the
    ///      honest game on its own clock: the honest opener still gets its leaf's full share.
    function test_sockOnAnotherWrongLeaf_cannotTakeTheHonestReward() public {
        _wrongBatch();
        uint256 gA = _open(pid, _ls(), 0, challenger);
        uint256 gB = _open(pid, _ls(), 1, sock);
        // the proposer stalls A: it dissects the root at the last moment, then answers fast
        _warpActive(_clock() - 1);
        _dissect(gA, _rootPos(), FAULT_A);
        // meanwhile the sock's game on B is decided first: the proposer never dissects it
        _warpActive(1);
        game.resolveNode(gB, _rootPos());
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        // the honest challenger carries on down A's tree; the defeat elsewhere changes nothing here
        uint64 cur = _challenge(gA, _rootPos(), _disputedIndex(gA, _rootPos(), HONEST), challenger);
        while (_lenOf(cur) != 0) {
            _dissect(gA, cur, FAULT_A);
            cur = _challenge(gA, cur, _disputedIndex(gA, cur, HONEST), challenger);
        }
        assertEq(_startOf(cur), FAULT_A);
        _step(gA, cur, challenger);
        _warpActive(3 * _clock());
        _resolveUp(gA, _parentOf(cur));

        Proposal memory p = verdict.getProposal(pid);
        assertEq(p.rewardShare, _leafShare());
        assertEq(p.rewardPool, 0, "the unclaimed share (leaf C) was burned when the last root resolved");
        assertEq(_net(challenger), int256(_leafShare() + 8 * _partReward()), "leaf share + every part share");
        assertEq(_net(sock), int256(_leafShare()), "the sock gets only its own leaf's share");
        // the proposer's side (proposer + sock) pays at least the burn share of its stake
        assertLe(_net(proposer) + _net(sock), -int256(_burnOf(1 ether, BPS)));
    }

    /// @dev Honest part-challengers joining the honest opener's game are paid their own shares.
    function test_honestPartChallengers_getTheirShares() public {
        _wrongBatch();
        uint256 gA = _open(pid, _ls(), 0, challenger);
        _dissect(gA, _rootPos(), FAULT_A);
        // challenger2 takes the leftmost wrong part, the opener follows it down
        uint64 cur = _challenge(gA, _rootPos(), _disputedIndex(gA, _rootPos(), HONEST), challenger2);
        while (_lenOf(cur) != 0) {
            _dissect(gA, cur, FAULT_A);
            cur = _challenge(gA, cur, _disputedIndex(gA, cur, HONEST), challenger);
        }
        _step(gA, cur, challenger);
        _warpActive(3 * _clock());
        _resolveUp(gA, _parentOf(cur));
        assertEq(_net(challenger2), int256(_partReward()));
        assertEq(_net(challenger), int256(_leafShare() + 7 * _partReward()));
    }

    /// @dev The sock front-runs the honest challenger at every level of the honest game (occupying the
    ///      wrong parts) and then never steps: anyone proves the occupied node and takes half its
    ///      reward; the root still falls, and the honest opener is paid its leaf share.
    function test_sockOccupiesTheWrongPath_anyoneProvesIt() public {
        _wrongBatch();
        uint256 gA = _open(pid, _ls(), 0, challenger);
        uint64 cur = _rootPos();
        while (_lenOf(cur) != 0) {
            _dissect(gA, cur, FAULT_A);
            cur = _challenge(gA, cur, _disputedIndex(gA, cur, HONEST), sock);
        }
        _warpActive(_clock() - 1); // the sock sits on the node until the last second
        _step(gA, cur, challenger);
        assertEq(uint8(_status(gA, cur)), uint8(NodeStatus.Defeated));
        _warpActive(1);
        _resolveUp(gA, _parentOf(cur));
        assertEq(uint8(_status(gA, _rootPos())), uint8(NodeStatus.Defeated));
        uint256 reward = _partReward();
        assertEq(_net(challenger), int256(_leafShare() + reward / 2), "leaf share + half the proven node");
        assertLe(_net(proposer) + _net(sock), -int256(_burnOf(1 ether, BPS)));
    }

    /// @dev The sock opens the proposer's own wrong leaf before the honest challenger can: the honest
    ///      challenger cannot open a second tree (no bond taken) and loses nothing; the proposer's side
    ///      recovers at most the leaf shares of what it opened itself and still pays the burn, and the
    ///      honest challenger can still earn the part shares of any dissection the proposer posts.
    function test_sockOpensTheSameLeafFirst_honestLosesNothing() public {
        _wrongBatch();
        uint256 gA = _open(pid, _ls(), 0, sock);
        bytes32[] memory proof = _proof(_ls(), 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(GameExists.selector, gA));
        game.openGame{value: BOND}(pid, leaves[0], proof);
        // the proposer dissects to keep its game alive; the honest challenger joins below the root
        _dissect(gA, _rootPos(), FAULT_A);
        uint64 cur = _challenge(gA, _rootPos(), _disputedIndex(gA, _rootPos(), HONEST), challenger);
        _warpActive(_clock()); // the proposer gives up on the honest challenger's node
        game.resolveNode(gA, cur);
        _warpActive(_clock());
        game.resolveNode(gA, _rootPos());
        assertEq(_net(challenger), int256(_partReward()));
        assertEq(_net(sock), int256(_leafShare()));
        assertLe(_net(proposer) + _net(sock), -int256(_burnOf(1 ether, BPS)));
    }

    /// @dev A dishonest proposer pads its batch (here with 1023 copies of a right leaf) so that each
    ///      leaf's share of the stake, and so the honest opener's reward, shrinks to (stake - burn) /
    ///      leafCount; the rest is burned, so fraud still costs the whole stake, and the honest
    ///      challenger still ends positive. The floor of the opener's reward is (stake - burn) /
    ///      maxBatchSize (reported as a design note).
    function test_paddedBatch_dilutesTheLeafShareButHonestStillGains() public {
        uint256[] memory jobs = _submitN(2);
        Leaf[] memory ls = new Leaf[](1024);
        ls[0] = _leaf(jobs[0], FAULT_B);
        for (uint256 i = 1; i < 1024; ++i) {
            ls[i] = _leaf(jobs[1], HONEST);
        }
        uint256 p = _propose(ls);
        uint256 g = _open(p, ls, 0, challenger);
        _warpActive(_clock()); // the proposer gives up
        game.resolveNode(g, _rootPos());
        uint256 share = (1 ether - _burnOf(1 ether, BPS)) / 1024;
        assertEq(verdict.getProposal(p).rewardShare, share);
        assertEq(_net(challenger), int256(share));
        assertEq(_net(proposer), -1 ether);
    }
}
