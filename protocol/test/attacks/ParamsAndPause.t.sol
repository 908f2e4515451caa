// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 8 of issue 9: the parameter setter cannot force fraud through. Every value that governs a
// proposal's window, games and bonds is snapshotted when it is made; every parameter is bounded; and a
// pause freezes every clock, window and fee timeout, so the guardian cannot make an honest party lose
// by pausing at the wrong moment.

import {AttackBase} from "./AttackBase.sol";
import {Verdict} from "../../src/Verdict.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {Leaf, Params, Proposal, Game, NodeStatus, ProposalStatus} from "../../src/lib/Types.sol";
import "../../src/lib/Errors.sol";

contract ParamsAndPauseTest is AttackBase {
    uint256 internal constant FAULT = 4242;

    function _set(Params memory _p) internal {
        vm.prank(setter);
        verdict.setParams(_p);
    }

    /// @dev The worst parameters the setter may pick right after a wrong proposal: maximum bond,
    ///      minimum window and clock. The pending proposal keeps its snapshot, the honest challenger
    ///      opens and wins at the old bond and clock.
    function test_setParams_cannotChangeAPendingProposal() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        Proposal memory before = verdict.getProposal(pid);
        Params memory p = verdict.params();
        p.proposerBond = verdict.MAX_BOND();
        p.claimBond = verdict.MAX_BOND();
        p.challengeWindow = verdict.MIN_WINDOW_SECONDS();
        p.clockSeconds = verdict.MIN_CLOCK_SECONDS();
        p.burnBps = verdict.MAX_BURN_BPS();
        p.feeTimeout = 60 + 4 * 60 + 600;
        _set(p);
        Proposal memory afterChange = verdict.getProposal(pid);
        assertEq(afterChange.deadline.raw(), before.deadline.raw());
        assertEq(afterChange.stake, before.stake);
        assertEq(afterChange.claimBond, 0.5 ether);
        assertEq(afterChange.clockSeconds, 1800);
        assertEq(afterChange.burnBps, 2000);
        // the window is still the old one: a game opens an hour later at the old bond
        _warpActive(1 hours);
        uint256 gid = _open(pid, ls, 0, challenger);
        Game memory g = game.getGame(gid);
        assertEq(g.claimBond, 0.5 ether);
        assertEq(g.clockSeconds, 1800);
        uint64 leafPos = _descend(gid, FAULT, HONEST, challenger);
        _warpActive(1700); // longer than the new clock, within the snapshotted one
        _step(gid, leafPos, challenger);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        _warpActive(1800);
        _resolveUp(gid, _parentOf(leafPos));
        assertGt(_net(challenger), 0);
    }

    /// @dev Each bound: just outside reverts InvalidParams, the bound itself is accepted.
    function test_setParams_outOfBounds_reverts() public {
        Verdict v = verdict;
        Params memory ok = verdict.params();
        Params[] memory bad = new Params[](17);
        for (uint256 i; i < bad.length; ++i) {
            bad[i] = verdict.params();
        }
        bad[0].proposerBond = v.MIN_BOND() - 1;
        bad[1].proposerBond = v.MAX_BOND() + 1;
        bad[2].claimBond = v.MIN_BOND() - 1;
        bad[3].claimBond = v.MAX_BOND() + 1;
        bad[4].challengeWindow = v.MIN_WINDOW_SECONDS() - 1;
        bad[5].challengeWindow = v.MAX_WINDOW_SECONDS() + 1;
        bad[5].feeTimeout = 365 days;
        bad[6].clockSeconds = v.MIN_CLOCK_SECONDS() - 1;
        bad[7].clockSeconds = v.MAX_CLOCK_SECONDS() + 1;
        bad[7].feeTimeout = 365 days;
        bad[8].burnBps = 0;
        bad[9].burnBps = v.MAX_BURN_BPS() + 1;
        bad[10].maxInputBytes = 0;
        bad[11].maxInputBytes = v.MAX_INPUT_BYTES() + 1;
        bad[12].maxBatchSize = 0;
        bad[13].maxBatchSize = v.MAX_BATCH_SIZE() + 1;
        bad[14].feeTimeout = v.MAX_FEE_TIMEOUT_SECONDS() + 1;
        bad[15].feeTimeout = ok.challengeWindow + 4 * ok.clockSeconds + v.FEE_MARGIN_SECONDS() - 1;
        bad[16].proposerBond = type(uint96).max;
        for (uint256 i; i < bad.length; ++i) {
            vm.prank(setter);
            vm.expectRevert(InvalidParams.selector);
            verdict.setParams(bad[i]);
        }
        // the bounds themselves
        Params memory edge = Params({
            proposerBond: v.MIN_BOND(),
            claimBond: v.MAX_BOND(),
            challengeWindow: v.MAX_WINDOW_SECONDS(),
            clockSeconds: v.MAX_CLOCK_SECONDS(),
            burnBps: v.MAX_BURN_BPS(),
            maxInputBytes: v.MAX_INPUT_BYTES(),
            maxBatchSize: v.MAX_BATCH_SIZE(),
            feeTimeout: v.MAX_FEE_TIMEOUT_SECONDS()
        });
        _set(edge);
        edge = Params({
            proposerBond: v.MAX_BOND(),
            claimBond: v.MIN_BOND(),
            challengeWindow: v.MIN_WINDOW_SECONDS(),
            clockSeconds: v.MIN_CLOCK_SECONDS(),
            burnBps: 1,
            maxInputBytes: 1,
            maxBatchSize: 1,
            feeTimeout: v.MIN_WINDOW_SECONDS() + 4 * v.MIN_CLOCK_SECONDS() + v.FEE_MARGIN_SECONDS()
        });
        _set(edge);
    }

    function test_setParams_onlySetter() public {
        Params memory p = verdict.params();
        bytes32 role = verdict.PARAMETER_SETTER_ROLE();
        address[3] memory who = [admin, guardian, proposer];
        for (uint256 i; i < who.length; ++i) {
            vm.prank(who[i]);
            vm.expectRevert(
                abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, who[i], role)
            );
            verdict.setParams(p);
        }
    }

    /// @dev The guardian pauses when the honest challenger has one second left to step, for 30 days:
    ///      after the unpause it still has that second, and wins.
    function test_pause_atTheLastSecond_honestChallengerStillWins() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, challenger);
        uint64 leafPos = _descend(gid, FAULT, HONEST, challenger);
        _warpActive(_clock() - 1);
        vm.prank(guardian);
        verdict.pause();
        _warp(30 days);
        // nothing can be resolved against it while paused
        vm.expectRevert(ProtocolPaused.selector);
        game.resolveNode(gid, leafPos);
        vm.prank(guardian);
        verdict.unpause();
        (IDisputeGame.Turn turn, uint64 left) = game.nodeTurn(gid, leafPos);
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Step));
        assertEq(left, 1);
        _step(gid, leafPos, challenger);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
    }

    /// @dev The guardian pauses when the honest proposer has one second left to dissect, and in the
    ///      last second of a window: after the unpause both are exactly where they were.
    function test_pause_atTheLastSecond_honestProposerStillDefends() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(ls);
        _warpActive(1 days - 1);
        uint256 gid = _open(pid, ls, 0, attacker);
        _warpActive(_clock() - 1);
        vm.prank(guardian);
        verdict.pause();
        _warp(30 days);
        vm.prank(guardian);
        verdict.unpause();
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(_clock());
        game.resolveNode(gid, _rootPos());
        _warpActive(2 * _clock());
        verdict.finalize(pid);
        assertGt(_net(proposer), 0);
        assertLt(_net(attacker), 0);
    }

    /// @dev Withdrawals work while paused in both ledgers.
    function test_pause_withdrawStillWorks() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(ls);
        _warpActive(1 days);
        verdict.finalize(pid);
        vm.prank(attacker);
        game.deposit{value: 1 ether}();
        vm.prank(guardian);
        verdict.pause();
        vm.prank(proposer);
        assertEq(verdict.withdraw(), 1 ether);
        vm.prank(attacker);
        assertEq(game.withdraw(), 1 ether);
    }
}
