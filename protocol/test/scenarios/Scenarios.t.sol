// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// End-to-end game scenarios on the real RV32IM verifier with real step proofs (echo guest), run for
// k = 2, 4 and 16: honest proposer vs lying challengers, faulty proposers vs honest challengers,
// parallel games, timeouts, pause, rollback, and one bad leaf in a batch of 100.

import {RealMachineBase} from "./RealMachineBase.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {Leaf, Game, Output, ProposalStatus, GameStatus} from "../../src/lib/Types.sol";
import {PreStateMismatch} from "../../src/lib/Errors.sol";

abstract contract ScenarioTests is RealMachineBase {
    function _rounds() internal view returns (uint256) {
        uint8 log2k = _log2(_k());
        return (_depth() + log2k - 1) / log2k;
    }

    function _oneLeaf(uint256 _pFault) internal returns (uint256 pid_, Leaf[] memory leaves_) {
        uint256 jobId = _submit(input);
        leaves_ = new Leaf[](1);
        leaves_[0] = Leaf(jobId, _faulty(_pFault, uint256(1) << _depth()));
        pid_ = _propose(leaves_);
    }

    function test_setup_onchainInitialStateMatchesMachine() public {
        uint256 jobId = _submit(input);
        assertEq(verdict.getJob(jobId).inputRoot, vm.parseJsonBytes32(json, ".inputRoot"));
        assertEq(verdict.initialStateHash(jobId), trace[0]);
    }

    function test_honestProposer_beatsChallengerLyingAtEachRound() public {
        uint256 rounds = _rounds();
        for (uint256 r; r < rounds; ++r) {
            (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
            uint256 gid = _open(pid, leaves, 0, alice, HONEST, _liar(HONEST, 1 << r, r + 1));
            _play(gid);
            assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ProposerWon), "lie at round r");
            assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
        }
        // lying at every round, and challengers whose own trace is wrong somewhere
        uint256[4] memory faults = [uint256(0), 1, halt / 2, halt - 1];
        for (uint256 i; i < 4; ++i) {
            (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
            uint256 gid =
                _open(pid, leaves, 0, alice, HONEST, _liar(faults[i], i == 0 ? type(uint256).max : 0, 7));
            _play(gid);
            assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ProposerWon), "faulty challenger");
        }
        assertEq(verdict.credit(proposer), (rounds + 4) * 0.4 ether);
    }

    function test_dishonestProposer_loses_faultFirstMiddleLast() public {
        uint256[5] memory faults = [uint256(0), halt / 2, halt - 1, halt, (uint256(1) << _depth()) - 1];
        for (uint256 i; i < faults.length; ++i) {
            (uint256 pid, Leaf[] memory leaves) = _oneLeaf(faults[i]);
            uint256 gid = _open(pid, leaves, 0, alice, faults[i], _honestChallenger());
            _playUntilStep(gid);
            assertEq(verdict.getGame(gid).position.start(), faults[i], "the step is the faulty transition");
            _step(gid);
            assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ChallengerWon));
            assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        }
        assertEq(verdict.credit(alice), faults.length * (0.5 ether + 0.8 ether));
    }

    function test_twoGames_defended_thenFinalizeRecordAndOpenOutput() public {
        uint256 j1 = _submit(input);
        uint256 j2 = _submit(input);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = Leaf(j1, finalHash);
        leaves[1] = Leaf(j2, finalHash);
        uint256 pid = _propose(leaves);
        uint256 g1 = _open(pid, leaves, 0, alice, HONEST, _liar(HONEST, type(uint256).max, 1));
        uint256 g2 = _open(pid, leaves, 1, bob, HONEST, _liar(halt / 3, 0, 0));
        // interleave the two games move by move
        bool a = true;
        bool b = true;
        while (a || b) {
            if (a) a = _move(g1);
            if (b) b = _move(g2);
        }
        assertEq(uint8(verdict.getGame(g1).status), uint8(GameStatus.ProposerWon));
        assertEq(uint8(verdict.getGame(g2).status), uint8(GameStatus.ProposerWon));
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
        bytes32[][] memory proofs = new bytes32[][](2);
        proofs[0] = new bytes32[](1);
        proofs[0][0] = TestMerkleProxy.leaf(leaves[1]);
        proofs[1] = new bytes32[](1);
        proofs[1][0] = TestMerkleProxy.leaf(leaves[0]);
        verdict.recordResults(pid, leaves, proofs);
        (bool final_, bytes32 hash,) = verdict.result(j2);
        assertTrue(final_);
        assertEq(hash, finalHash);
        // open the output of the real final state and publish the bytes
        verdict.openOutput(
            j1,
            vm.parseJsonBytes(json, ".finalState"),
            vm.parseJsonBytes32(json, ".programSubroot"),
            vm.parseJsonBytes32(json, ".inputSubroot"),
            vm.parseJsonBytes32(json, ".outputRoot")
        );
        (Output memory o, bool current) = verdict.output(j1);
        assertTrue(current);
        assertEq(o.status, vm.parseJsonUint(json, ".status"));
        assertEq(o.exitCode, vm.parseJsonUint(json, ".exitCode"));
        assertEq(o.steps, halt);
        bytes memory out = vm.parseJsonBytes(json, ".output");
        assertEq(out, "hi");
        vm.expectEmit(address(verdict));
        emit IVerdict.OutputData(j1, o.outputRoot, out);
        verdict.publishOutput(j1, out);
        assertEq(verdict.credit(proposer), 1 ether + 2 * 0.4 ether);
    }

    function test_threeGames_oneChallengerWinDefeatsProposal() public {
        uint256[3] memory jobs = [_submit(input), _submit(input), _submit(input)];
        uint256 fault = halt / 2;
        Leaf[] memory leaves = new Leaf[](3);
        leaves[0] = Leaf(jobs[0], finalHash);
        leaves[1] = Leaf(jobs[1], finalHash);
        leaves[2] = Leaf(jobs[2], _faulty(fault, uint256(1) << _depth()));
        uint256 pid = _propose(leaves);
        uint256[3] memory g = [
            _open(pid, leaves, 0, alice, HONEST, _liar(HONEST, type(uint256).max, 3)),
            _open(pid, leaves, 2, bob, fault, _honestChallenger()),
            _open(pid, leaves, 1, carol, HONEST, _liar(10, 0, 0))
        ];
        assertEq(verdict.getProposal(pid).openGames, 3);
        bool[3] memory live = [true, true, true];
        while (live[0] || live[1] || live[2]) {
            for (uint256 i; i < 3; ++i) {
                if (!live[i]) continue;
                (IVerdict.Turn turn,) = verdict.gameTurn(g[i]);
                if (turn == IVerdict.Turn.Close) {
                    verdict.closeGame(g[i]);
                    live[i] = false;
                } else {
                    live[i] = _move(g[i]);
                }
            }
        }
        assertEq(uint8(verdict.getGame(g[1]).status), uint8(GameStatus.ChallengerWon));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        // the liars either lost before the defeat or were closed and refunded after it
        for (uint256 i; i < 3; i += 2) {
            GameStatus s = verdict.getGame(g[i]).status;
            assertTrue(s == GameStatus.ProposerWon || s == GameStatus.Closed);
        }
        vm.warp(block.timestamp + 2 days);
        vm.expectRevert();
        verdict.finalize(pid);
        assertEq(
            address(verdict).balance,
            verdict.credit(alice) + verdict.credit(bob) + verdict.credit(carol) + verdict.credit(proposer)
        );
    }

    function test_timeout_silentDishonestProposerLoses() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(halt / 2);
        uint256 gid = _open(pid, leaves, 0, alice, halt / 2, _honestChallenger());
        _move(gid); // dissect
        _move(gid); // pick
        vm.warp(block.timestamp + 2 hours);
        vm.prank(carol); // anyone
        verdict.claimTimeout(gid);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ChallengerWon));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
    }

    function test_timeout_silentLiarLoses() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        uint256 gid = _open(pid, leaves, 0, alice, HONEST, _liar(HONEST, type(uint256).max, 9));
        _playUntilStep(gid); // the liar cannot win the step, so it goes silent
        vm.warp(block.timestamp + 2 hours);
        verdict.claimTimeout(gid);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ProposerWon));
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
    }

    function test_pauseDuringGame_honestPartyStillWins() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        uint256 gid = _open(pid, leaves, 0, alice, HONEST, _liar(HONEST, type(uint256).max, 5));
        vm.warp(block.timestamp + 2 hours - 60); // proposer thinks for almost its whole clock
        _move(gid);
        _move(gid);
        uint64 deadlineLeft = verdict.getProposal(pid).deadline.raw() - verdict.activeNow();
        vm.prank(guardian);
        verdict.pause();
        vm.warp(block.timestamp + 30 days);
        vm.prank(guardian);
        verdict.unpause();
        (, uint64 left) = verdict.gameTurn(gid);
        assertEq(left, 60); // the proposer still has its last minute
        assertEq(verdict.getProposal(pid).deadline.raw() - verdict.activeNow(), deadlineLeft);
        vm.warp(block.timestamp + 30);
        _play(gid);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ProposerWon));
    }

    function test_rollbackAfterFinalization_resultProvableAgain() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        uint256 jobId = leaves[0].jobId;
        verdict.openOutput(
            jobId,
            vm.parseJsonBytes(json, ".finalState"),
            vm.parseJsonBytes32(json, ".programSubroot"),
            vm.parseJsonBytes32(json, ".inputSubroot"),
            vm.parseJsonBytes32(json, ".outputRoot")
        );
        uint64 point = uint64(block.timestamp - 1);
        vm.warp(block.timestamp + 1 hours);
        vm.startPrank(guardian);
        verdict.pause();
        (uint256 n, bool done) = verdict.rollback(point, 10);
        verdict.unpause();
        vm.stopPrank();
        assertEq(n, 1);
        assertTrue(done);
        (bool final_,,) = verdict.result(jobId);
        assertFalse(final_);
        (, bool current) = verdict.output(jobId);
        assertFalse(current);
        uint256 pid2 = _propose(leaves);
        vm.warp(block.timestamp + 1 days);
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
            if (i == 57) {
                leaves[i] = Leaf(_submit(input), _faulty(fault, uint256(1) << _depth()));
            } else {
                leaves[i] = Leaf(_submit(inputs[i]), finals[i]);
            }
        }
        uint256 pid = _propose(leaves);
        uint256 gid = _open(pid, leaves, 57, alice, fault, _honestChallenger());
        _play(gid);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ChallengerWon));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        // the 99 good results are re-proposed without the bad one and finalize
        Leaf[] memory good = new Leaf[](99);
        for (uint256 i; i < 99; ++i) {
            good[i] = leaves[i < 57 ? i : i + 1];
        }
        uint256 pid2 = _propose(good);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid2);
    }

    function test_forgedStep_isRejected() public {
        (uint256 pid, Leaf[] memory leaves) = _oneLeaf(HONEST);
        // a challenger whose trace goes wrong after step 100 ends at the real instruction 100 -> 101
        uint256 gid = _open(pid, leaves, 0, alice, HONEST, _liar(100, 0, 0));
        _playUntilStep(gid);
        Game memory g = verdict.getGame(gid);
        assertEq(g.position.start(), 100);
        (bytes memory pre, bytes memory proof) = _stepData(g.position.start());
        // a different pre-state
        bytes memory other = bytes.concat(pre);
        other[40] = bytes1(uint8(other[40]) ^ 1);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PreStateMismatch.selector, keccak256(other), g.startHash));
        verdict.step(gid, other, proof);
        // a tampered proof (flip a byte of the fetched leaf)
        proof[0] = bytes1(uint8(proof[0]) ^ 0xff);
        vm.prank(alice);
        vm.expectRevert();
        verdict.step(gid, pre, proof);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.Active));
    }
}

library TestMerkleProxy {
    function leaf(Leaf memory _l) internal pure returns (bytes32) {
        return keccak256(bytes.concat(keccak256(abi.encode(_l.jobId, _l.finalStateHash))));
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
