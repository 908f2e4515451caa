// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 3 of issue 9: copying an honest proposer's leaves (seen in the reveal) earns the copier no fee.
// Proposals are committed (hash of proposer, root, salt) in an earlier block than their reveal, so a
// copier always commits later; fees are no longer paid at record time: `claimFee` unlocks two clocks
// (plus a margin) after the first record, and recording the same result from an earlier-committed
// proposal moves the unclaimed fee to it.

import {AttackBase} from "./AttackBase.sol";
import {Leaf, Params, ProposalStatus, Job} from "../../src/lib/Types.sol";
import "../../src/lib/Errors.sol";

contract CopiedProposalTest is AttackBase {
    uint256 internal constant FEE = 1 ether;

    address internal copier = makeAddr("copier");
    uint256 internal jobId;
    Leaf[] internal leaves;

    function setUp() public override {
        super.setUp();
        _fund(copier);
        jobId = _submit("paid job", FEE);
        leaves.push(_leaf(jobId, HONEST));
    }

    function _ls() internal view returns (Leaf[] memory) {
        return leaves;
    }

    /// @dev The honest proposer commits in block b and reveals in b + 1; the copier sees the reveal in
    ///      the mempool, commits in b + 1 (ahead of it, at best) and reveals in b + 2.
    function _honestThenCopy() internal returns (uint256 hPid_, uint256 cPid_) {
        bytes32 hSalt = keccak256("honest salt");
        _commitAs(proposer, _ls(), hSalt);
        vm.roll(block.number + 1);
        bytes32 cSalt = keccak256("copier salt");
        _commitAs(copier, _ls(), cSalt);
        hPid_ = _revealAs(proposer, _ls(), hSalt);
        vm.roll(block.number + 1);
        vm.warp(block.timestamp + 12);
        cPid_ = _revealAs(copier, _ls(), cSalt);
        assertLt(verdict.getProposal(hPid_).commitBlock, verdict.getProposal(cPid_).commitBlock);
    }

    function _record(uint256 _pid) internal {
        verdict.recordResult(_pid, leaves[0], new bytes32[](0));
    }

    /// @dev The copier's proposal finalizes and is recorded first (the honest one is held up by a game
    ///      a sock opens in its last second); the honest proposer records later and takes the fee.
    function test_copiedProposal_recordedFirst_earlierCommitmentTakesTheFee() public {
        (uint256 hPid, uint256 cPid) = _honestThenCopy();
        // the copier's sock delays the honest proposal with a game opened in the window's last second
        _warpActive(1 days - 13);
        uint256 gid = _open(hPid, _ls(), 0, sock);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(13);
        verdict.finalize(cPid);
        _record(cPid);
        (bool final_,, uint256 recordedFrom) = verdict.result(jobId);
        assertTrue(final_);
        assertEq(recordedFrom, cPid);
        uint64 unlockAt = verdict.getProposal(cPid).revealedAt.raw() + verdict.maxSpan() + 600;
        vm.expectRevert(abi.encodeWithSelector(FeeLocked.selector, jobId, unlockAt));
        verdict.claimFee(jobId);
        // the honest proposal finalizes three clocks after its last game opened, and is recorded
        vm.expectRevert(abi.encodeWithSelector(GamesOpen.selector, hPid));
        verdict.finalize(hPid);
        _warpActive(3 * 1800 - 13);
        game.resolveNode(gid, _rootPos());
        verdict.finalize(hPid);
        _record(hPid);
        (,, recordedFrom) = verdict.result(jobId);
        assertEq(recordedFrom, hPid, "the fee's claim moved to the earlier commitment");
        // the copier cannot move it back
        vm.expectRevert(abi.encodeWithSelector(ResultAlreadyRecorded.selector, jobId));
        _record(cPid);
        vm.warp(block.timestamp + (unlockAt - verdict.activeNow()));
        verdict.claimFee(jobId);
        assertEq(verdict.credit(proposer), 1 ether + FEE, "stake back + the fee");
        assertEq(verdict.credit(copier), 1 ether, "only its stake back");
        assertEq(_net(copier), 0);
    }

    /// @dev The honest proposal is recorded first: the copier's record is refused.
    function test_copiedProposal_recordedSecond_refused() public {
        (uint256 hPid, uint256 cPid) = _honestThenCopy();
        _warpActive(1 days + 12);
        verdict.finalize(hPid);
        verdict.finalize(cPid);
        _record(hPid);
        vm.expectRevert(abi.encodeWithSelector(ResultAlreadyRecorded.selector, jobId));
        _record(cPid);
        _warpToFeeUnlock(jobId);
        verdict.claimFee(jobId);
        assertEq(verdict.credit(proposer), 1 ether + FEE);
        assertEq(verdict.credit(copier), 1 ether);
    }

    /// @dev A reveal needs the sender's own commitment mined in an earlier block.
    function test_reveal_needsOwnEarlierCommitment() public {
        bytes32 salt = keccak256("s");
        _commitAs(proposer, _ls(), salt);
        bytes32 c = _commitment(proposer, _ls(), salt);
        // same block
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(NotCommitted.selector, c));
        verdict.propose{value: 1 ether}(_ls(), salt);
        vm.roll(block.number + 1);
        // another sender with the same root and salt: the commitment binds the proposer
        vm.prank(copier);
        vm.expectRevert(abi.encodeWithSelector(NotCommitted.selector, _commitment(copier, _ls(), salt)));
        verdict.propose{value: 1 ether}(_ls(), salt);
        _revealAs(proposer, _ls(), salt);
        // a commitment is used once
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(NotCommitted.selector, c));
        verdict.propose{value: 1 ether}(_ls(), salt);
    }

    /// @dev Re-committing a known commitment does not move it later or earlier.
    function test_commit_firstCommitmentCounts() public {
        bytes32 c = _commitment(proposer, _ls(), keccak256("s"));
        vm.prank(proposer);
        verdict.commitProposal(c);
        uint256 first = block.number;
        vm.roll(block.number + 5);
        vm.prank(copier);
        verdict.commitProposal(c);
        assertEq(verdict.commitments(c), first);
    }

    /// @dev A legitimate parameter change that shortens the window (or the clock) must not let a copy
    ///      made after it finalize, record and claim the fee before the honest proposal made before it
    ///      can finalize: the fee lock runs from the copy's reveal for the longest window + 2 clocks
    ///      ever in force (this test found the earlier lock, two clocks after the record, too short).
    function test_copiedProposal_afterWindowShrink_copierTakesNoFee() public {
        bytes32 hSalt = keccak256("honest salt");
        _commitAs(proposer, _ls(), hSalt);
        vm.roll(block.number + 1);
        uint256 hPid = _revealAs(proposer, _ls(), hSalt); // window 1 day
        // governance shortens the window (a legitimate, timelocked change)
        Params memory p = verdict.params();
        p.challengeWindow = 1 hours;
        p.feeTimeout = 1 hours + 4 * 1800 + 600;
        vm.prank(setter);
        verdict.setParams(p);
        bytes32 cSalt = keccak256("copier salt");
        _commitAs(copier, _ls(), cSalt);
        vm.roll(block.number + 1);
        uint256 cPid = _revealAs(copier, _ls(), cSalt); // window 1 hour
        _warpActive(1 hours);
        verdict.finalize(cPid);
        _record(cPid);
        _warpActive(2 * 1800 + 600);
        // the honest proposal is still inside its window: it cannot have taken the fee yet
        assertEq(uint8(verdict.getProposal(hPid).status), uint8(ProposalStatus.Pending));
        uint64 unlockAt = verdict.getProposal(cPid).revealedAt.raw() + verdict.maxSpan() + 600;
        vm.expectRevert(abi.encodeWithSelector(FeeLocked.selector, jobId, unlockAt));
        verdict.claimFee(jobId); // still locked until the earlier commitment could finalize
        _warpActive(1 days);
        verdict.finalize(hPid);
        _record(hPid);
        verdict.claimFee(jobId);
        assertEq(verdict.credit(copier), 1 ether, "the copier earns no fee");
    }
}
