// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// End-to-end game scenarios on the real RV32IM verifier with real step proofs (echo guest), for
// k = 2, 4 and 16 and for D = 32 at k = 16: honest proposer vs lying challengers, faulty proposers vs
// honest challengers, several games on one proposal (a defeat elsewhere refunds nothing), timeouts,
// pause, rollback, one bad leaf in a batch of 100, and the gas of a whole single-challenger dispute.

import {RealMachineBase} from "./RealMachineBase.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {IOutputs} from "../../src/interfaces/IOutputs.sol";
import {Leaf, Output, NodeStatus, ProposalStatus, Game} from "../../src/lib/Types.sol";
import {PreStateMismatch} from "../../src/lib/Errors.sol";

abstract contract ScenarioTests is RealMachineBase {
    uint256 internal constant BOND = 0.5 ether;

    function _oneLeaf(uint256 _pFault) internal returns (uint256 pid_, Leaf[] memory leaves_) {
        uint256 jobId = _submitEcho();
        leaves_ = _one(Leaf(jobId, _traceHash(jobId, _pFault, uint256(1) << _depth())));
        pid_ = _propose(leaves_);
    }

    /// @dev A challenger that lies at the rounds set in `_mask` (challenges a pseudo-random part) and
    ///      otherwise challenges the leftmost part its own trace (fault `_cFault`) disputes.
    function _descendLiar(uint256 _gid, uint256 _pFault, uint256 _cFault, uint256 _mask, address _who)
        internal
        returns (uint64 cur_)
    {
        cur_ = _rootPos();
        for (uint256 r; _lenOf(cur_) != 0; ++r) {
            _dissect(_gid, cur_, _pFault);
            uint256 idx = _mask & (uint256(1) << r) != 0
                ? uint256(keccak256(abi.encode(_gid, r))) % _parts(cur_)
                : _disputedIndex(_gid, cur_, _cFault);
            cur_ = _challenge(_gid, cur_, idx, _who);
        }
    }

    /// @dev Lets every clock of the game run out and resolves the path above `_leafPos`.
    function _finish(uint256 _gid, uint64 _leafPos) internal {
        _warpActive(3 * _clock());
        if (_status(_gid, _leafPos) == NodeStatus.Challenged) _resolve(_gid, _leafPos);
        _resolveUp(_gid, _parentOf(_leafPos));
    }

    function test_setup_onchainInitialStateMatchesMachine() public {
        uint256 jobId = _submitEcho();
        assertEq(verdict.getJob(jobId).inputRoot, vm.parseJsonBytes32(json, ".inputRoot"));
        assertEq(verdict.initialStateHash(jobId), trace[0]);
    }

    function test_honestProposer_beatsChallengerLyingAtEachRound() public {
        uint256 rounds = _levels();
        uint256 proposerGain;
        uint256 burn = _burnOf(BOND, 2000);
        uint256 dBond = BOND / _k(); // each dissection posts a k-th of the claim bond
        for (uint256 r; r < rounds; ++r) {
            (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
            uint256 gid = _open(pid, leaves, 0, alice);
            uint64 leafPos = _descendLiar(gid, HONEST, HONEST, 1 << r, alice);
            (bytes memory pre, bytes memory proof) = _stepData(0, _startOf(leafPos));
            bytes32[][] memory anc = _ancestry(gid, leafPos);
            vm.prank(alice);
            game.step(gid, leafPos, anc, pre, proof);
            assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Upheld), "the lie fails at the step");
            _finish(gid, leafPos);
            assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld));
            assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
            assertEq(game.dissectionBond(gid), dBond);
            proposerGain += (rounds + 1) * (BOND - burn) + rounds * dBond;
        }
        // challengers whose own trace is wrong somewhere, and one that goes silent before the step
        uint256[4] memory faults = [uint256(0), 1, halt / 2, halt - 1];
        for (uint256 i; i < 4; ++i) {
            (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
            uint256 gid = _open(pid, leaves, 0, bob);
            uint64 leafPos = _descendLiar(gid, HONEST, faults[i], 0, bob);
            if (i != 3) _step(gid, leafPos, bob);
            _finish(gid, leafPos);
            assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld), "faulty challenger");
            proposerGain += (rounds + 1) * (BOND - burn) + rounds * dBond;
        }
        assertEq(
            game.credit(proposer), proposerGain, "every challenge bond minus the burn, every dissection bond"
        );
    }

    function test_dishonestProposer_loses_faultFirstMiddleLast() public {
        uint256[5] memory faults = [uint256(0), halt / 2, halt - 1, halt, (uint256(1) << _depth()) - 1];
        for (uint256 i; i < faults.length; ++i) {
            (uint256 pid, Leaf[] memory leaves) = _oneLeaf(faults[i]);
            uint256 gid = _open(pid, leaves, 0, alice);
            uint64 leafPos = _descend(gid, faults[i], HONEST, alice);
            assertEq(_startOf(leafPos), faults[i], "the step is the faulty transition");
            _step(gid, leafPos, alice);
            assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Defeated));
            assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
            _finish(gid, leafPos);
            assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Defeated));
        }
        uint256 levels = _levels();
        assertGt(game.credit(alice), faults.length * (levels + 1) * BOND);
        assertEq(verdict.credit(alice), faults.length * (1 ether - _burnOf(1 ether, 2000)));
    }

    function test_twoGames_defended_thenFinalizeRecordClaimAndOpenOutput() public {
        uint256 j1 = _submit(input, 0.2 ether);
        uint256 j2 = _submit(input, 0.3 ether);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = Leaf(j1, finalHash);
        leaves[1] = Leaf(j2, finalHash);
        uint256 pid = _propose(leaves);
        uint256 g1 = _open(pid, leaves, 0, alice);
        uint256 g2 = _open(pid, leaves, 1, bob);
        uint64 l1 = _descendLiar(g1, HONEST, HONEST, type(uint256).max, alice);
        uint64 l2 = _descendLiar(g2, HONEST, halt / 3, 0, bob);
        _step(g2, l2, bob);
        _finish(g1, l1);
        _finish(g2, l2);
        _warpActive(1 days);
        verdict.finalize(pid);
        bytes32[][] memory proofs = new bytes32[][](2);
        proofs[0] = _proof(leaves, 0);
        proofs[1] = _proof(leaves, 1);
        verdict.recordResults(pid, leaves, proofs);
        (bool final_, bytes32 hash,) = verdict.result(j2);
        assertTrue(final_);
        assertEq(hash, finalHash);
        _warpToFeeUnlock(j1);
        verdict.claimFee(j1);
        verdict.claimFee(j2);
        assertEq(verdict.credit(proposer), 1 ether + 0.5 ether);
        // open the output of the real final state and publish the bytes
        outputs.openOutput(
            j1,
            vm.parseJsonBytes(json, ".finalState"),
            vm.parseJsonBytes32(json, ".programSubroot"),
            vm.parseJsonBytes32(json, ".inputSubroot"),
            vm.parseJsonBytes32(json, ".outputRoot")
        );
        (Output memory o, bool current) = outputs.output(j1);
        assertTrue(current);
        assertEq(o.status, vm.parseJsonUint(json, ".status"));
        assertEq(o.exitCode, vm.parseJsonUint(json, ".exitCode"));
        assertEq(o.steps, halt);
        bytes memory out = vm.parseJsonBytes(json, ".output");
        assertEq(out, "hi");
        vm.expectEmit(address(outputs));
        emit IOutputs.OutputData(j1, o.outputRoot, out);
        outputs.publishOutput(j1, out);
    }

    /// @dev Three games on one proposal; one wrong leaf defeats it; the other games play on and their
    ///      liars still lose their bonds to the proposer (a defeat elsewhere refunds nothing).
    function test_threeGames_oneDefeat_otherGamesStillSettle() public {
        uint256[3] memory jobs = [_submitEcho(), _submitEcho(), _submitEcho()];
        uint256 fault = halt / 2;
        Leaf[] memory leaves = new Leaf[](3);
        leaves[0] = Leaf(jobs[0], finalHash);
        leaves[1] = Leaf(jobs[1], finalHash);
        leaves[2] = Leaf(jobs[2], _traceHash(0, fault, uint256(1) << _depth()));
        uint256 pid = _propose(leaves);
        uint256 g0 = _open(pid, leaves, 0, alice);
        uint256 g2 = _open(pid, leaves, 2, bob);
        uint256 g1 = _open(pid, leaves, 1, carol);
        uint64 wrong = _descend(g2, fault, HONEST, bob);
        _step(g2, wrong, bob);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        // the liars' games go on after the defeat
        uint64 l0 = _descendLiar(g0, HONEST, HONEST, type(uint256).max, alice);
        uint64 l1 = _descendLiar(g1, HONEST, 10, 0, carol);
        _step(g1, l1, carol);
        _finish(g0, l0);
        _finish(g1, l1);
        _finish(g2, wrong);
        assertEq(uint8(_status(g0, _rootPos())), uint8(NodeStatus.Upheld));
        assertEq(uint8(_status(g1, _rootPos())), uint8(NodeStatus.Upheld));
        assertEq(uint8(_status(g2, _rootPos())), uint8(NodeStatus.Defeated));
        uint256 levels = _levels();
        uint256 burn = _burnOf(BOND, 2000);
        // alice and carol lost every bond (minus the burn) to the proposer; bob won
        assertEq(game.credit(alice), 0);
        assertEq(game.credit(carol), 0);
        assertGe(game.credit(proposer), 2 * (levels + 1) * (BOND - burn));
        assertEq(verdict.credit(bob), (1 ether - _burnOf(1 ether, 2000)) / 3);
        _warpActive(2 days);
        vm.expectRevert();
        verdict.finalize(pid);
        assertEq(
            address(game).balance,
            game.credit(alice) + game.credit(bob) + game.credit(carol) + game.credit(proposer)
        );
        assertEq(address(verdict).balance, verdict.credit(bob));
    }

    function test_timeout_silentDishonestProposerLoses() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(halt / 2);
        uint256 gid = _open(pid, leaves, 0, alice);
        _dissect(gid, _rootPos(), halt / 2);
        uint64 c = _challenge(gid, _rootPos(), _disputedIndex(gid, _rootPos(), HONEST), alice);
        _warpActive(_clock());
        vm.prank(carol); // anyone
        game.resolveNode(gid, c);
        assertEq(uint8(_status(gid, c)), uint8(NodeStatus.Defeated));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
    }

    function test_timeout_silentLiarLoses() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        uint256 gid = _open(pid, leaves, 0, alice);
        uint64 leafPos = _descendLiar(gid, HONEST, HONEST, type(uint256).max, alice);
        _finish(gid, leafPos); // the liar cannot win the step, so it stays silent
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Upheld));
        _warpActive(1 days);
        verdict.finalize(pid);
    }

    function test_pauseDuringGame_honestPartyStillWins() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        uint256 gid = _open(pid, leaves, 0, alice);
        _warpActive(_clock() - 60); // the proposer thinks for almost its whole clock
        uint64 deadlineLeft = verdict.getProposal(pid).deadline.raw() - verdict.activeNow();
        _pause();
        _warp(30 days);
        _unpause();
        (, uint64 left) = game.nodeTurn(gid, _rootPos());
        assertEq(left, 60); // the proposer still has its last minute
        assertEq(verdict.getProposal(pid).deadline.raw() - verdict.activeNow(), deadlineLeft);
        _warpActive(30);
        _dissect(gid, _rootPos(), HONEST);
        _warpActive(_clock());
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Upheld));
    }

    function test_rollbackAfterFinalization_resultProvableAgain() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        _warpActive(1 days);
        verdict.finalize(pid);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        uint256 jobId = leaves[0].jobId;
        outputs.openOutput(
            jobId,
            vm.parseJsonBytes(json, ".finalState"),
            vm.parseJsonBytes32(json, ".programSubroot"),
            vm.parseJsonBytes32(json, ".inputSubroot"),
            vm.parseJsonBytes32(json, ".outputRoot")
        );
        uint64 point = uint64(block.timestamp - 1);
        _warpActive(1 hours);
        vm.startPrank(guardian);
        verdict.pause();
        (uint256 n, bool done) = verdict.rollback(point, 10);
        verdict.unpause();
        vm.stopPrank();
        assertEq(n, 1);
        assertTrue(done);
        (bool final_,,) = verdict.result(jobId);
        assertFalse(final_);
        (, bool current) = outputs.output(jobId);
        assertFalse(current);
        uint256 pid2 = _propose(leaves);
        _warpActive(1 days);
        verdict.finalize(pid2);
        verdict.recordResult(pid2, leaves[0], new bytes32[](0));
        (final_,,) = verdict.result(jobId);
        assertTrue(final_);
    }

    function test_oneBadLeafAmong100() public {
        bytes[] memory inputs = vm.parseJsonBytesArray(json, ".batchInputs");
        bytes32[] memory finals = vm.parseJsonBytes32Array(json, ".batchFinals");
        Leaf[] memory leaves = new Leaf[](100);
        uint256 fault = halt / 3;
        for (uint256 i; i < 100; ++i) {
            if (i == 57) leaves[i] = Leaf(_submitEcho(), _traceHash(0, fault, uint256(1) << _depth()));
            else leaves[i] = Leaf(_submit(inputs[i], 0), finals[i]);
        }
        uint256 pid = _propose(leaves);
        uint256 gid = _open(pid, leaves, 57, alice);
        uint64 leafPos = _descend(gid, fault, HONEST, alice);
        _step(gid, leafPos, alice);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        _finish(gid, leafPos);
        assertEq(verdict.credit(alice), (1 ether - _burnOf(1 ether, 2000)) / 100);
        // the 99 good results are re-proposed without the bad one and finalize
        Leaf[] memory good = new Leaf[](99);
        for (uint256 i; i < 99; ++i) {
            good[i] = leaves[i < 57 ? i : i + 1];
        }
        uint256 pid2 = _propose(good);
        _warpActive(1 days);
        verdict.finalize(pid2);
    }

    function test_forgedStep_isRejected() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        uint256 gid = _open(pid, leaves, 0, alice);
        // a challenger whose trace goes wrong after step 100 ends at the real instruction 100 -> 101
        uint64 leafPos = _descend(gid, HONEST, 100, alice);
        assertEq(_startOf(leafPos), 100);
        (bytes memory pre, bytes memory proof) = _stepData(0, 100);
        bytes32[][] memory anc = _ancestry(gid, leafPos);
        bytes memory other = bytes.concat(pre);
        other[40] = bytes1(uint8(other[40]) ^ 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PreStateMismatch.selector, keccak256(other), trace[100]));
        game.step(gid, leafPos, anc, other, proof);
        proof[0] = bytes1(uint8(proof[0]) ^ 0xff);
        vm.prank(alice);
        vm.expectRevert();
        game.step(gid, leafPos, anc, pre, proof);
        assertEq(uint8(_status(gid, leafPos)), uint8(NodeStatus.Challenged));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
    }

    /// @dev Gas tally of the single-challenger dispute (storage: keeps the test's stack shallow).
    struct GasTally {
        uint256 open;
        uint256 firstDissect;
        uint256 firstChallenge;
        uint256 dissects;
        uint256 challenges;
        uint256 step;
        uint256 resolves;
        uint256 resolveBatch;
    }

    GasTally internal tally;

    /// @dev Gas of a whole single-challenger dispute (dishonest proposer, honest challenger), both
    ///      sides, every move its own transaction: open + one dissection and one challenge per level
    ///      + the step; then the resolutions, one per transaction and batched in one multicall.
    function test_gas_singleChallengerDispute() public {
        uint256 fault = halt / 2;
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(fault);
        uint256 gid = _gasOpen(pid, leaves);
        uint64 cur = _rootPos();
        while (_lenOf(cur) != 0) {
            cur = _gasRound(gid, cur, fault);
        }
        (bytes memory pre, bytes memory stepProof) = _stepData(0, _startOf(cur));
        bytes32[][] memory anc = _ancestryMinimal(gid, cur); // what a lean client sends
        (tally.step,) = _measured(
            alice, address(game), 0, abi.encodeCall(IDisputeGame.step, (gid, cur, anc, pre, stepProof))
        );
        _gasResolutions(gid, cur);
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Defeated));
        uint256 total = tally.open + tally.dissects + tally.challenges + tally.step;
        emit log_named_uint("levels (dissect/challenge rounds)", _levels());
        emit log_named_uint("openGame", tally.open);
        emit log_named_uint("dissect (first level)", tally.firstDissect);
        emit log_named_uint("challenge (first level)", tally.firstChallenge);
        emit log_named_uint("dissect (all levels)", tally.dissects);
        emit log_named_uint("challenge (all levels)", tally.challenges);
        emit log_named_uint("step (challenger wins)", tally.step);
        emit log_named_uint("dispute total: open + dissects + challenges + step", total);
        emit log_named_uint("resolutions, one tx each", tally.resolves);
        emit log_named_uint("resolutions, one multicall", tally.resolveBatch);
        // target (issue 9): <= 1.5M at D = 32, k = 16; reported, not asserted (the .gas-snapshot tracks it)
        if (_k() == 16 && _depth() == 32) {
            emit log_named_string(
                "target <= 1,500,000 at D = 32, k = 16", total <= 1_500_000 ? "met" : "missed"
            );
        }
    }

    function _gasOpen(uint256 _pid, Leaf[] memory _leaves) internal returns (uint256 gid_) {
        bytes32[] memory proof = _proof(_leaves, 0);
        bytes memory ret;
        (tally.open, ret) = _measured(
            alice, address(game), BOND, abi.encodeCall(IDisputeGame.openGame, (_pid, _leaves[0], proof))
        );
        gid_ = abi.decode(ret, (uint256));
    }

    function _gasRound(uint256 _gid, uint64 _cur, uint256 _fault) internal returns (uint64 next_) {
        bytes32[] memory interior = _interiorFor(0, _cur, _fault);
        uint256 dBond = game.dissectionBond(_gid);
        (uint256 g,) = _measured(
            proposer, address(game), dBond, abi.encodeCall(IDisputeGame.dissect, (_gid, _cur, interior))
        );
        _record(_gid, _cur, interior);
        if (tally.firstDissect == 0) tally.firstDissect = g;
        tally.dissects += g;
        _warp(12);
        uint256 idx = _disputedIndex(_gid, _cur, HONEST);
        (g,) =
            _measured(alice, address(game), BOND, abi.encodeCall(IDisputeGame.challenge, (_gid, _cur, idx)));
        if (tally.firstChallenge == 0) tally.firstChallenge = g;
        tally.challenges += g;
        next_ = _child(_cur, idx);
        _warp(12);
    }

    function _gasResolutions(uint256 _gid, uint64 _leafPos) internal {
        _warpActive(_clock());
        uint64[] memory path = _path(_leafPos);
        uint256 snap = vm.snapshotState();
        uint256 resolves;
        for (uint256 i = path.length - 1; i != 0; --i) {
            (uint256 g,) = _measured(
                carol, address(game), 0, abi.encodeCall(IDisputeGame.resolveNode, (_gid, path[i - 1]))
            );
            resolves += g;
        }
        vm.revertToState(snap); // reverts the tally too
        tally.resolves = resolves;
        bytes[] memory batch = new bytes[](path.length - 1);
        for (uint256 i = path.length - 1; i != 0; --i) {
            batch[path.length - 1 - i] = abi.encodeCall(IDisputeGame.resolveNode, (_gid, path[i - 1]));
        }
        (tally.resolveBatch,) =
            _measured(carol, address(game), 0, abi.encodeCall(IDisputeGame.multicall, (batch)));
    }
}

contract ScenarioK2Test is ScenarioTests {
    function _k() internal pure override returns (uint256) {
        return 2;
    }
}

contract ScenarioK4Test is ScenarioTests {
    function _k() internal pure override returns (uint256) {
        return 4;
    }
}

contract ScenarioK16Test is ScenarioTests {
    function _k() internal pure override returns (uint256) {
        return 16;
    }
}

/// @notice D = 32 at k = 16: eight rounds of dissection down to one real instruction.
contract ScenarioK16D32Test is ScenarioTests {
    function _k() internal pure override returns (uint256) {
        return 16;
    }

    function _depth() internal pure override returns (uint8) {
        return 32;
    }
}
