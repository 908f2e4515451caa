// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Invariants of the Verdict protocol under random interleavings of every action (handler:
// VerdictHandler.sol): solvency, no finalized result with a challenger win, and liveness of games.
// Per-action call/revert counts: FOUNDRY_INVARIANT_SHOW_METRICS=true npx forge test --match-path 'protocol/test/invariants/*'
// (the handler also counts the actions that really ran in `calls(name)`).

import {Test} from "forge-std/Test.sol";
import {Verdict} from "../../src/Verdict.sol";
import {ProgramRegistry} from "../../src/ProgramRegistry.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {IProgramRegistry} from "../../src/interfaces/IProgramRegistry.sol";
import {Leaf, Params, Job, Game, Proposal, ProposalStatus, GameStatus} from "../../src/lib/Types.sol";
import {ToyVerifier} from "../mocks/ToyVerifier.sol";
import {VerdictHandler} from "./VerdictHandler.sol";

contract VerdictInvariants is Test {
    Verdict internal verdict;
    VerdictHandler internal handler;
    address internal guardian = makeAddr("guardian");
    address internal setter = makeAddr("setter");

    function setUp() public {
        vm.warp(1_700_000_000);
        ToyVerifier toy = new ToyVerifier(99);
        address[] memory vs = new address[](1);
        vs[0] = address(toy);
        ProgramRegistry registry = new ProgramRegistry(address(this), guardian, vs);
        Params memory p = Params({
            proposerBond: 1 ether,
            challengerBond: 0.3 ether,
            challengeWindow: 3 hours,
            clockSeconds: 1 hours,
            burnBps: 2500,
            maxInputBytes: 1024,
            maxBatchSize: 64
        });
        verdict = new Verdict(IProgramRegistry(address(registry)), address(this), guardian, setter, 2, p);
        uint256 pid = registry.registerProgram(
            keccak256("prog"), 0x40, 5, keccak256("m"), new address[](0), address(toy)
        );
        handler = new VerdictHandler(verdict, toy, pid, keccak256("prog"), 0x40, 5, guardian, setter);
        targetContract(address(handler));
    }

    /// @custom:invariant The contract's balance equals what it owes: bonds of Pending proposals, bonds of
    ///                   Active games, escrowed fees and credits (burns leave the contract).
    /// forge-config: default.invariant.depth = 128
    function invariant_balanceEqualsOwed() public view {
        uint256 owed;
        for (uint256 pid = 1; pid <= verdict.proposalCount(); ++pid) {
            Proposal memory p = verdict.getProposal(pid);
            if (p.status == ProposalStatus.Pending) owed += p.bond;
        }
        for (uint256 gid = 1; gid <= verdict.gameCount(); ++gid) {
            Game memory g = verdict.getGame(gid);
            if (g.status == GameStatus.Active) owed += g.bond;
        }
        for (uint256 jid = 1; jid <= verdict.jobCount(); ++jid) {
            owed += verdict.getJob(jid).fee;
        }
        for (uint256 i; i < handler.actorCount(); ++i) {
            owed += verdict.credit(handler.actors(i));
        }
        assertEq(address(verdict).balance, owed);
    }

    /// @custom:invariant A proposal with a game won by a challenger is Defeated; no result is ever
    ///                   valid from a proposal that had a challenger win.
    /// forge-config: default.invariant.depth = 128
    function invariant_noFinalizedResultWithChallengerWin() public view {
        for (uint256 gid = 1; gid <= verdict.gameCount(); ++gid) {
            Game memory g = verdict.getGame(gid);
            if (g.status == GameStatus.ChallengerWon) {
                assertEq(uint8(verdict.getProposal(g.proposalId).status), uint8(ProposalStatus.Defeated));
            }
        }
        for (uint256 jid = 1; jid <= verdict.jobCount(); ++jid) {
            (bool final_, bytes32 hash, uint256 pid) = verdict.result(jid);
            if (!final_) continue;
            assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Finalized));
            // and it really is a leaf of that proposal
            Leaf[] memory leaves = handler.leavesOf(pid);
            bool found;
            for (uint256 i; i < leaves.length; ++i) {
                if (leaves[i].jobId == jid && leaves[i].finalStateHash == hash) found = true;
            }
            assertTrue(found);
        }
    }

    /// @custom:invariant Every Active game can progress: it can be closed, or the side on move can make a
    ///                   legal move now, or its timeout is claimable now or once its clock runs out.
    /// forge-config: default.invariant.depth = 128
    function invariant_everyOpenGameCanProgress() public {
        if (verdict.paused()) return; // nothing moves while paused; unpausing restores exactly this state
        for (uint256 gid = 1; gid <= verdict.gameCount(); ++gid) {
            Game memory g = verdict.getGame(gid);
            if (g.status != GameStatus.Active) continue;
            (IVerdict.Turn turn, uint64 left) = verdict.gameTurn(gid);
            uint256 snap = vm.snapshotState();
            if (turn == IVerdict.Turn.Close) {
                verdict.closeGame(gid);
            } else if (left == 0) {
                verdict.claimTimeout(gid);
            } else {
                // a legal move exists for a party following its trace ...
                if (turn == IVerdict.Turn.Dissect) {
                    address p = verdict.getProposal(g.proposalId).proposer;
                    bytes32[] memory interior = handler.interiorFor(gid);
                    vm.prank(p);
                    verdict.dissect(gid, interior);
                } else if (turn == IVerdict.Turn.Pick) {
                    bytes32[] memory interior = handler.interiorFor(gid);
                    uint256 idx = handler.pickFor(gid, interior);
                    vm.prank(g.challenger);
                    verdict.pick(gid, interior, idx);
                } else {
                    (bool ok, bytes memory pre) = handler.stepStateFor(gid);
                    if (ok) {
                        vm.prank(g.challenger);
                        verdict.step(gid, pre, "");
                    }
                }
                vm.revertToState(snap);
                // ... and doing nothing ends in a claimable timeout
                vm.warp(block.timestamp + left);
                verdict.claimTimeout(gid);
            }
            assertTrue(verdict.getGame(gid).status != GameStatus.Active);
            vm.revertToState(snap);
        }
    }
}
