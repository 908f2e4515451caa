// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 7 of issue 9: one guardian key must not make a wrong result final. Invalidating a game now
// invalidates its proposal (it can never finalize); governance only stops, never approves: every bond
// of the invalidated proposal goes back to whoever posted it, and a proposal that was already defeated
// cannot be rescued.

import {AttackBase} from "./AttackBase.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {Leaf, NodeStatus, ProposalStatus} from "../../src/lib/Types.sol";
import "../../src/lib/Errors.sol";

contract GuardianInvalidationTest is AttackBase {
    uint256 internal constant FAULT = 777;

    /// @dev After the window, the guardian invalidates the honest challenger's game to clear the way:
    ///      the wrong proposal becomes Invalidated, never finalizes, no result is recorded, and the
    ///      honest challenger gets every bond back.
    function test_invalidateHonestGame_wrongProposalNeverFinalizes() public {
        uint256 jobId = _submit("x", 1 ether);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        _warpActive(1 days - 100);
        uint256 gid = _open(pid, ls, 0, challenger);
        _dissect(gid, _rootPos(), FAULT);
        uint64 c = _challenge(gid, _rootPos(), _disputedIndex(gid, _rootPos(), HONEST), challenger);
        _warpActive(200); // the window is over, the game is not
        vm.prank(guardian);
        game.invalidateGame(gid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Invalidated));
        // resolutions refund (a late move is not refused, but its bond is refunded too)
        game.resolveNode(gid, c);
        game.resolveNode(gid, _rootPos());
        _warpActive(10 days);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.finalize(pid);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotFinalized.selector, pid));
        verdict.recordResult(pid, ls[0], new bytes32[](0));
        (bool final_,,) = verdict.result(jobId);
        assertFalse(final_);
        assertEq(_net(challenger), 0, "the honest challenger loses nothing");
        // the requester is not stuck either
        vm.prank(requester);
        verdict.reclaimFee(jobId);
    }

    /// @dev Same through Verdict.invalidateProposal while games are running.
    function test_invalidateProposal_gamesRefund() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, challenger);
        _dissect(gid, _rootPos(), FAULT);
        vm.prank(guardian);
        verdict.invalidateProposal(pid);
        (IDisputeGame.Turn turn,) = game.nodeTurn(gid, _rootPos());
        assertEq(uint8(turn), uint8(IDisputeGame.Turn.Resolve), "refunds at once");
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Refunded));
        assertEq(_net(challenger), 0);
        assertEq(_net(proposer), 0);
    }

    /// @dev A defeated proposal cannot be rescued by the guardian (its stake stays forfeited).
    function test_invalidate_defeatedProposal_reverts() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, challenger);
        uint64 leafPos = _descend(gid, FAULT, HONEST, challenger);
        _step(gid, leafPos, challenger);
        vm.startPrank(guardian);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        game.invalidateGame(gid);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.invalidateProposal(pid);
        vm.stopPrank();
    }

    /// @dev An honest proposer whose proposal the guardian invalidates loses nothing: stake and every
    ///      dissection bond still held come back; bonds it already won stay won.
    function test_invalidateHonestProposal_proposerLosesNothing() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, attacker);
        _dissect(gid, _rootPos(), HONEST);
        uint64 c = _challenge(gid, _rootPos(), 3, attacker);
        _dissect(gid, c, HONEST);
        vm.prank(guardian);
        game.invalidateGame(gid);
        game.resolveNode(gid, c);
        game.resolveNode(gid, _rootPos());
        assertEq(_net(proposer), 0);
        assertEq(_net(attacker), 0);
    }

    /// @dev Only the guardian may invalidate: not the admin, the setter, the proposer or a challenger.
    function test_invalidate_otherRoles_revert() public {
        uint256 jobId = _submit("x", 0);
        Leaf[] memory ls = _one(_leaf(jobId, FAULT));
        uint256 pid = _propose(ls);
        uint256 gid = _open(pid, ls, 0, challenger);
        address[4] memory who = [admin, setter, proposer, challenger];
        for (uint256 i; i < who.length; ++i) {
            vm.prank(who[i]);
            vm.expectRevert(Unauthorized.selector);
            game.invalidateGame(gid);
            vm.prank(who[i]);
            vm.expectRevert();
            verdict.invalidateProposal(pid);
        }
    }
}
