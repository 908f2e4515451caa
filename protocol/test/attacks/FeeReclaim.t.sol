// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 6 of issue 9: a fee must never be locked forever. A job whose result nobody records lets its
// requester take the fee back `feeTimeout` of active time after submission; a job with a valid result
// pays its proposer instead, and `feeTimeout >= window + 4 clocks + margin` leaves an honest proposer
// the time to be recorded even against a game opened in the last second of its window.

import {AttackBase} from "./AttackBase.sol";
import {Leaf, Job} from "../../src/lib/Types.sol";
import "../../src/lib/Errors.sol";

contract FeeReclaimTest is AttackBase {
    uint256 internal constant FEE = 2 ether;
    uint256 internal constant TIMEOUT = 7 days;

    function test_reclaimFee_afterTimeout_paysRequesterOnce() public {
        uint256 jobId = _submit("never proposed", FEE);
        assertEq(verdict.getJob(jobId).reclaimAt.raw(), verdict.activeNow() + TIMEOUT);
        _warpActive(TIMEOUT - 1);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        _warpActive(1);
        vm.prank(attacker);
        vm.expectRevert(abi.encodeWithSelector(NotRequester.selector, jobId));
        verdict.reclaimFee(jobId);
        vm.prank(requester);
        verdict.reclaimFee(jobId);
        assertEq(verdict.credit(requester), FEE);
        assertEq(verdict.getJob(jobId).fee, 0);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        assertEq(_net(requester), 0, "the requester got everything back");
    }

    function test_reclaimFee_unknownJobOrNoFee_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(UnknownJob.selector, 9));
        verdict.reclaimFee(9);
        uint256 jobId = _submit("free", 0);
        _warpActive(TIMEOUT);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
    }

    /// @dev The timeout is on the active-time axis: a pause does not eat it.
    function test_reclaimFee_pauseFreezesTheTimeout() public {
        uint256 jobId = _submit("x", FEE);
        _warpActive(TIMEOUT - 1 hours);
        vm.prank(guardian);
        verdict.pause();
        _warp(30 days);
        vm.prank(requester);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.reclaimFee(jobId);
        vm.prank(guardian);
        verdict.unpause();
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        _warpActive(1 hours);
        vm.prank(requester);
        verdict.reclaimFee(jobId);
    }

    /// @dev An honest proposal made at once is recorded before the timeout, even when a game is opened
    ///      in the last second of its window and played to the end: the fee goes to the proposer.
    function test_recordedResult_beatsTheTimeout() public {
        uint256 jobId = _submit("x", FEE);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(ls);
        _warpActive(1 days - 1);
        uint256 gid = _open(pid, ls, 0, attacker);
        uint64 leafPos = _descend(gid, HONEST, 3, attacker);
        _warpActive(3 * _clock());
        _resolveUp(gid, leafPos);
        verdict.finalize(pid);
        verdict.recordResult(pid, ls[0], new bytes32[](0));
        _warpToFeeUnlock(jobId);
        assertLt(verdict.activeNow(), verdict.getJob(jobId).reclaimAt.raw(), "still before the timeout");
        verdict.claimFee(jobId);
        _warpActive(TIMEOUT);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        assertEq(verdict.credit(proposer), 1 ether + FEE);
    }

    /// @dev A valid result blocks the reclaim even when its fee is still unclaimed after the timeout;
    ///      once that result is rolled back, the unpaid fee is the requester's again.
    function test_reclaimFee_validResultBlocks_rollbackReleases() public {
        uint256 jobId = _submit("x", FEE);
        Leaf[] memory ls = _one(_leaf(jobId, HONEST));
        uint256 pid = _propose(ls);
        _warpActive(1 days);
        verdict.finalize(pid);
        verdict.recordResult(pid, ls[0], new bytes32[](0));
        _warpActive(TIMEOUT);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        vm.startPrank(guardian);
        verdict.pause();
        verdict.rollback(0, 10);
        verdict.unpause();
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(NoResult.selector, jobId));
        verdict.claimFee(jobId);
        vm.prank(requester);
        verdict.reclaimFee(jobId);
        assertEq(verdict.credit(requester), FEE);
    }
}
