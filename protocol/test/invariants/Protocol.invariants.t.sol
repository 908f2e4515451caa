// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Invariants of the protocol (DisputeGame + Verdict) under random interleavings of every action by
// honest and dishonest proposers, an honest challenger, attackers, the guardian and the setter, on the
// real RV32IM verifier (echo guest, D = 10, k = 4: a dissection posts a quarter of the claim bond).
// Handler: GameHandler.sol, which models every wei itself. Per-action outcome counts: run with -vv and
// see the `summary` log after each run, or FOUNDRY_INVARIANT_SHOW_METRICS=true for the handler's
// selectors.
//
// Budget: the default profile runs 64 runs x depth 64 (25 s on 2 shared cores); CI (VERDICT_FULL=1,
// tools/test-all.sh) runs FOUNDRY_PROFILE=ci, the forge-config lines below: 256 x 128, 4 min.
// Contract mutants this suite kills: bench/mutation/README.md, "Invariants against mutants".

import {Test} from "forge-std/Test.sol";
import {console2} from "forge-std/console2.sol";
import {Verdict} from "../../src/Verdict.sol";
import {DisputeGame} from "../../src/DisputeGame.sol";
import {ProgramRegistry} from "../../src/ProgramRegistry.sol";
import {RV32IM} from "../../src/riscv/RV32IM.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {IDisputeGame} from "../../src/interfaces/IDisputeGame.sol";
import {IProgramRegistry} from "../../src/interfaces/IProgramRegistry.sol";
import {Leaf, Params, ProposalStatus} from "../../src/lib/Types.sol";
import {GameHandler} from "./GameHandler.sol";

contract ProtocolInvariants is Test {
    string internal constant FIXTURE = "protocol/test/fixtures/echo.json";
    address internal constant DEAD = address(0xdEaD);
    /// @dev The registry's depth limit at deployment; only its admin (this contract, standing for the
    ///      timelock, which never acts here) may change it.
    uint8 internal constant MAX_DEPTH = 32;

    Verdict internal verdict;
    DisputeGame internal game;
    GameHandler internal handler;
    ProgramRegistry internal registry;
    address internal guardian = makeAddr("guardian");
    address internal setter = makeAddr("setter");

    function setUp() public {
        vm.warp(1_750_000_000);
        vm.roll(100);
        string memory json = vm.readFile(FIXTURE);
        RV32IM rv = new RV32IM();
        address[] memory vs = new address[](1);
        vs[0] = address(rv);
        registry = new ProgramRegistry(address(this), guardian, vs, MAX_DEPTH);
        Params memory p = Params({
            proposerBond: 1 ether,
            claimBond: 0.1 ether,
            challengeWindow: 3 hours,
            clockSeconds: 1 hours,
            burnBps: 2000,
            maxInputBytes: 1 << 16,
            maxBatchSize: 64,
            feeTimeout: 1 days
        });
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        game = new DisputeGame(IVerdict(predicted), 4);
        verdict = new Verdict(
            IProgramRegistry(address(registry)),
            IDisputeGame(address(game)),
            address(this),
            guardian,
            setter,
            p
        );
        uint256 pid = registry.registerProgram(
            vm.parseJsonBytes32(json, ".programRoot"),
            uint32(vm.parseJsonUint(json, ".entry")),
            10,
            keccak256("echo manifest"),
            new address[](0),
            address(rv)
        );
        handler = new GameHandler(verdict, game, guardian, setter, pid, 10, p);
        targetContract(address(handler));
        // weights: a selector listed twice is drawn twice as often
        bytes4[] memory selectors = new bytes4[](28);
        selectors[0] = GameHandler.submitJob.selector;
        selectors[1] = GameHandler.propose.selector;
        selectors[2] = GameHandler.propose.selector;
        selectors[3] = GameHandler.attackOpen.selector;
        selectors[4] = GameHandler.attackChallenge.selector;
        selectors[5] = GameHandler.attackChallenge.selector;
        selectors[6] = GameHandler.attackMulticall.selector;
        selectors[7] = GameHandler.attackStep.selector;
        selectors[8] = GameHandler.dishonestDissect.selector;
        selectors[9] = GameHandler.dishonestDefendAll.selector;
        selectors[10] = GameHandler.dishonestDefendAll.selector;
        selectors[11] = GameHandler.dishonestDefendAll.selector;
        selectors[12] = GameHandler.resolve.selector;
        selectors[13] = GameHandler.resolve.selector;
        selectors[14] = GameHandler.deposit.selector;
        selectors[15] = GameHandler.finalize.selector;
        selectors[16] = GameHandler.recordResult.selector;
        selectors[17] = GameHandler.claimFee.selector;
        selectors[18] = GameHandler.reclaimFee.selector;
        selectors[19] = GameHandler.withdraw.selector;
        selectors[20] = GameHandler.guardianAct.selector;
        selectors[21] = GameHandler.setterAct.selector;
        selectors[22] = GameHandler.warp.selector;
        selectors[23] = GameHandler.warp.selector;
        selectors[24] = GameHandler.warpLong.selector;
        selectors[25] = GameHandler.honestTick.selector;
        selectors[26] = GameHandler.roleAbuse.selector;
        selectors[27] = GameHandler.attackDeep.selector;
        targetSelector(FuzzSelector({addr: address(handler), selectors: selectors}));
    }

    function _sumCredits(bool _game) internal view returns (uint256 sum_) {
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            sum_ += _game ? handler.ghostGameCredit(a) : handler.ghostVerdictCredit(a);
        }
    }

    /// @custom:invariant Solvency of DisputeGame: its balance is exactly what the handler's own ledger
    ///                   says it owes: bonds held in open nodes and undistributed dissection bonds,
    ///                   plus every credit.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_gameSolvent() public view {
        assertEq(address(game).balance, handler.ghostGameHeld() + _sumCredits(true));
    }

    /// @custom:invariant Solvency of Verdict: its balance is exactly the stakes of pending proposals,
    ///                   the reward pools of defeated ones, the escrowed fees and every credit, as the
    ///                   handler computed them.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_verdictSolvent() public view {
        assertEq(
            address(verdict).balance,
            handler.ghostStakeHeld() + handler.ghostPoolHeld() + handler.ghostFeesHeld() + _sumCredits(false)
        );
    }

    /// @custom:invariant Every credit in both ledgers, every withdrawal and every burned wei is what the
    ///                   rules (docs/spec.md §2) give, computed independently by the handler; every
    ///                   game's dissection bond is its proposal's claim bond divided by k.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_creditsAndBurnsMatchTheRules() public view {
        for (uint256 gid = 1; gid <= handler.gameCountM(); ++gid) {
            assertEq(game.dissectionBond(gid), handler.dissectionBondM(gid), "dissection bond");
        }
        for (uint256 i; i < handler.actorCount(); ++i) {
            address a = handler.actors(i);
            assertEq(game.credit(a), handler.ghostGameCredit(a), "game credit");
            assertEq(verdict.credit(a), handler.ghostVerdictCredit(a), "verdict credit");
        }
        assertEq(handler.ghostWithdrawMismatch(), 0, "withdrawals");
        assertEq(DEAD.balance, handler.ghostBurned(), "burns");
    }

    /// @custom:invariant Every wei is accounted for from the outside, without the contracts' storage or
    ///                   the handler's model of the rules: what the actors sent in net (their funding
    ///                   minus their balances; value sent minus every withdrawal) is exactly what both
    ///                   contracts hold plus what was burned.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_everyWeiAccounted() public view {
        // an actor may end with more than it was funded (fees, rewards): signed sums
        int256 sentIn;
        for (uint256 i; i < handler.actorCount(); ++i) {
            sentIn += int256(handler.FUNDS()) - int256(handler.actors(i).balance);
        }
        assertEq(
            sentIn,
            int256(address(game).balance + address(verdict).balance + DEAD.balance),
            "wei in == held + burned"
        );
    }

    /// @custom:invariant The clocks decide as the spec says (§2.3), by the handler's own time model:
    ///                   no dissection or challenge is accepted after its side's time on the path ran
    ///                   out, no proposal finalizes inside its window or while a game could still
    ///                   defeat it, and a node resolved on time goes to the side whose clock did not
    ///                   run out (never before it ran out).
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_clockRulesHold() public view {
        if (handler.clockViolations() != 0) {
            console2.log("clock violation:", _str(handler.lastClockViolation()));
        }
        assertEq(handler.clockViolations(), 0);
    }

    /// @custom:invariant The honest proposer never loses: its net (bonds and stakes in play at face
    ///                   value) is never negative, and none of its (correct) proposals is ever defeated.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_honestProposerNeverLoses() public view {
        assertGe(handler.equity(handler.HONEST_PROPOSER()), 0);
        for (uint256 pid = 1; pid <= handler.proposalCountM(); ++pid) {
            (address who,,,,,,,,,,) = handler.pm(pid);
            if (who != handler.HONEST_PROPOSER()) continue;
            assertTrue(verdict.getProposal(pid).status != ProposalStatus.Defeated, "honest proposal defeated");
        }
    }

    /// @custom:invariant The honest challenger never loses: its net (bonds in play at face value) is
    ///                   never negative; no node it is right about (the proposer's claim right at the
    ///                   start, wrong at the end: it plays every such node, whoever opened it) and no
    ///                   node of the honest proposer's games is ever resolved against the honest side;
    ///                   and in every game, what it got back plus what it still has in open nodes is
    ///                   at least what it posted.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_honestChallengerNeverLoses() public view {
        assertGe(handler.equity(handler.HONEST_CHALLENGER()), 0);
        if (handler.honestLosses() != 0) console2.log("honest loss:", _str(handler.lastHonestLoss()));
        assertEq(handler.honestLosses(), 0, "a node an honest party was right about went against it");
        for (uint256 gid = 1; gid <= handler.gameCountM(); ++gid) {
            assertGe(
                handler.hcBack(gid) + handler.hcHeld(gid), handler.hcPosted(gid), "challenger lost in a game"
            );
        }
    }

    /// @custom:invariant Every call does what the handler's own model says it must: a call the model
    ///                   forbids (out-of-bounds parameters, a caller without the role, a hook called
    ///                   from outside, a move after its clock, a finalization with a game open, a
    ///                   withdrawal of nothing, a step from a pre-state the proposer does not claim...)
    ///                   reverts, and a call the model allows succeeds; every node, proposal and
    ///                   recorded result the contracts hold is the model's.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_outcomesAsModelled() public view {
        if (handler.outcomeViolations() != 0) {
            console2.log(
                handler.lastOutcomeSucceeded() ? "succeeded, must revert:" : "reverted, must succeed:",
                _str(handler.lastOutcomeViolation())
            );
        }
        assertEq(handler.outcomeViolations(), 0, "outcome differs from the model");
        assertEq(handler.stateMismatches(), 0, "state differs from the model");
    }

    /// @custom:invariant A wrong proposal never finalizes, and no valid result is ever a wrong final
    ///                   state, whatever the guardian (pause, invalidation, rollback) and the setter do:
    ///                   no role outside the timelock turns a pending proposal's outcome towards a wrong
    ///                   result.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_wrongProposalNeverFinalizes() public view {
        for (uint256 pid = 1; pid <= handler.proposalCountM(); ++pid) {
            (,,,,,,,,, bool wrong,) = handler.pm(pid);
            if (!wrong) continue;
            ProposalStatus s = verdict.getProposal(pid).status;
            assertTrue(
                s != ProposalStatus.Finalized && s != ProposalStatus.RolledBack, "wrong proposal finalized"
            );
        }
        for (uint256 jobId = 1; jobId <= verdict.jobCount(); ++jobId) {
            (bool final_, bytes32 h,) = verdict.result(jobId);
            if (final_) assertEq(h, handler.trueHash(1 << 10), "wrong result");
        }
    }

    /// @custom:invariant No role outside the timelock changes what programs may register: the
    ///                   registry's depth limit is the one deployed, and neither the guardian nor the
    ///                   setter ever holds the registry's admin role.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_depthLimitOnlyByTimelock() public view {
        assertEq(registry.maxDepth(), MAX_DEPTH, "maxDepth");
        assertFalse(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), guardian), "guardian is registry admin");
        assertFalse(registry.hasRole(registry.DEFAULT_ADMIN_ROLE(), setter), "setter is registry admin");
        assertEq(handler.calls("setMaxDepth"), 0, "setMaxDepth succeeded");
        assertEq(handler.calls("grantRegistryAdmin"), 0, "grantRole succeeded");
    }

    /// @custom:invariant Every revert is one the action may legitimately raise (no panic, no empty
    ///                   revert, no unlisted error), and no honest move ever reverts.
    /// forge-config: ci.invariant.runs = 256
    /// forge-config: ci.invariant.depth = 128
    function invariant_noUnexpectedRevert() public view {
        if (handler.unexpectedReverts() != 0) {
            console2.log("unexpected revert in", string(abi.encodePacked(handler.lastUnexpectedAction())));
            console2.logBytes(handler.lastUnexpectedError());
        }
        assertEq(handler.unexpectedReverts(), 0);
    }

    /// @dev Appends this run's successful calls per action and its proposal outcomes to
    ///      protocol/cache/invariant-summary.txt (VERDICT_INVARIANT_SUMMARY=true), to see what the fuzzer
    ///      reaches.
    function _summary() internal {
        string memory path = "protocol/cache/invariant-summary.txt";
        string memory line = "run";
        for (uint256 i; i < handler.actionCount(); ++i) {
            bytes32 a = handler.actionAt(i);
            line = string.concat(line, " ", _str(a), "=", vm.toString(handler.calls(a)));
        }
        uint256 defeated;
        uint256 finalized;
        uint256 invalidated;
        for (uint256 pid = 1; pid <= handler.proposalCountM(); ++pid) {
            ProposalStatus s = verdict.getProposal(pid).status;
            if (s == ProposalStatus.Defeated) ++defeated;
            if (s == ProposalStatus.Finalized) ++finalized;
            if (s == ProposalStatus.Invalidated) ++invalidated;
        }
        line = string.concat(
            line,
            " proposals=",
            vm.toString(handler.proposalCountM()),
            " defeated=",
            vm.toString(defeated),
            " finalized=",
            vm.toString(finalized),
            " invalidated=",
            vm.toString(invalidated),
            " games=",
            vm.toString(handler.gameCountM())
        );
        vm.writeLine(path, line);
    }

    function _str(bytes32 _b) internal pure returns (string memory) {
        uint256 n;
        while (n < 32 && _b[n] != 0) ++n;
        bytes memory out = new bytes(n);
        for (uint256 i; i < n; ++i) {
            out[i] = _b[i];
        }
        return string(out);
    }

    /// @dev After each run: every clock runs out, every node resolves, the honest proposer's proposals
    ///      finalize, and both honest parties end with nothing in play and nothing lost.
    function afterInvariant() public {
        if (vm.envOr("VERDICT_INVARIANT_SUMMARY", false)) _summary();
        assertTrue(handler.settle(), "settlement");
        address hp = handler.HONEST_PROPOSER();
        address hc = handler.HONEST_CHALLENGER();
        assertEq(handler.ghostHeldBy(hc), 0);
        assertGe(handler.net(hp), 0);
        assertGe(handler.net(hc), 0);
        // the honest challenger won every node it was right about, and made no loss in any game
        assertEq(handler.honestNodesNotWon(), 0, "honest side did not win a node it was right about");
        for (uint256 gid = 1; gid <= handler.gameCountM(); ++gid) {
            assertEq(handler.hcHeld(gid), 0, "challenger bond still held");
            assertGe(handler.hcBack(gid), handler.hcPosted(gid), "challenger lost in a game");
        }
        // every wrong proposal was defeated (or invalidated by the guardian); none is left pending
        for (uint256 pid = 1; pid <= handler.proposalCountM(); ++pid) {
            (,,,,,,,,, bool wrong,) = handler.pm(pid);
            if (!wrong) continue;
            ProposalStatus s = verdict.getProposal(pid).status;
            assertTrue(
                s == ProposalStatus.Defeated || s == ProposalStatus.Invalidated, "wrong proposal not defeated"
            );
        }
        invariant_honestChallengerNeverLoses();
        invariant_outcomesAsModelled();
        invariant_gameSolvent();
        invariant_verdictSolvent();
        invariant_creditsAndBurnsMatchTheRules();
        invariant_everyWeiAccounted();
        invariant_clockRulesHold();
        invariant_noUnexpectedRevert();
    }
}
