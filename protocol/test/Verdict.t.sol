// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests for every external function of Verdict and every custom error it throws, on the toy
// machine (test/mocks/ToyVerifier.sol).

import {Vm} from "forge-std/Vm.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {VerdictBase} from "./utils/VerdictBase.sol";
import {TestMerkle} from "./utils/TestMerkle.sol";
import {ToyVerifier} from "./mocks/ToyVerifier.sol";
import {Verdict} from "../src/Verdict.sol";
import {IVerdict} from "../src/interfaces/IVerdict.sol";
import {IProgramRegistry} from "../src/interfaces/IProgramRegistry.sol";
import "../src/lib/Errors.sol";
import {
    Leaf,
    Params,
    Job,
    Game,
    Proposal,
    Output,
    ProposalStatus,
    GameStatus,
    Resolution,
    Position,
    Clock
} from "../src/lib/Types.sol";

contract Rejecter {
    receive() external payable {
        revert();
    }
}

/// @dev A contract data source (ERC-1271) that accepts signatures by its owner key.
contract Wallet1271 {
    address internal immutable OWNER;

    constructor(address _owner) {
        OWNER = _owner;
    }

    function isValidSignature(bytes32 _hash, bytes calldata _sig) external view returns (bytes4) {
        (bytes32 r, bytes32 s) = abi.decode(_sig[:64], (bytes32, bytes32));
        return ecrecover(_hash, uint8(_sig[64]), r, s) == OWNER ? bytes4(0x1626ba7e) : bytes4(0xffffffff);
    }
}

contract VerdictTest is VerdictBase {
    bytes internal constant INPUT = "hello verdict";

    ////////////////////////////////////////////////////////////////
    //                          constructor                       //
    ////////////////////////////////////////////////////////////////

    function test_constructor_setsRolesAndParams() public view {
        assertTrue(verdict.hasRole(verdict.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(verdict.hasRole(verdict.GUARDIAN_ROLE(), guardian));
        assertTrue(verdict.hasRole(verdict.PARAMETER_SETTER_ROLE(), setter));
        assertEq(verdict.K(), 4);
        assertEq(verdict.registry(), address(registry));
        assertEq(verdict.params().proposerBond, 1 ether);
        assertEq(verdict.activeNow(), block.timestamp);
        assertFalse(verdict.paused());
    }

    function test_constructor_badK_reverts() public {
        uint256[5] memory bad = [uint256(0), 1, 3, 12, 128];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(abi.encodeWithSelector(InvalidBranching.selector, bad[i]));
            new Verdict(IProgramRegistry(address(registry)), admin, guardian, setter, bad[i], _params());
        }
        for (uint256 k = 2; k <= 64; k *= 2) {
            assertEq(
                new Verdict(IProgramRegistry(address(registry)), admin, guardian, setter, k, _params()).K(), k
            );
        }
    }

    function test_constructor_zeroAddress_reverts() public {
        vm.expectRevert(ZeroAddress.selector);
        new Verdict(IProgramRegistry(address(registry)), address(0), guardian, setter, 4, _params());
        vm.expectRevert(ZeroAddress.selector);
        new Verdict(IProgramRegistry(address(0)), admin, guardian, setter, 4, _params());
    }

    function test_constructor_badParams_reverts() public {
        Params memory p = _params();
        p.burnBps = 0;
        vm.expectRevert(InvalidParams.selector);
        new Verdict(IProgramRegistry(address(registry)), admin, guardian, setter, 4, p);
    }

    ////////////////////////////////////////////////////////////////
    //                             jobs                           //
    ////////////////////////////////////////////////////////////////

    function test_submitJob_storesAndEmits() public {
        bytes32 root = toy.inputRoot(INPUT);
        vm.expectEmit(address(verdict));
        emit IVerdict.JobSubmitted(1, programId, requester, root, address(0), 0, 0.1 ether, INPUT);
        uint256 jobId = _submit(INPUT, 0.1 ether);
        assertEq(jobId, 1);
        assertEq(verdict.jobCount(), 1);
        Job memory job = verdict.getJob(jobId);
        assertEq(job.requester, requester);
        assertEq(job.programId, programId);
        assertEq(job.inputRoot, root);
        assertEq(job.fee, 0.1 ether);
        assertEq(address(verdict).balance, 0.1 ether);
        assertEq(
            verdict.initialStateHash(jobId),
            keccak256(abi.encode(toy.seedOf(PROGRAM_ROOT, ENTRY, root), uint64(0)))
        );
    }

    function test_submitJob_unknownProgram_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(UnknownProgram.selector, 7));
        verdict.submitJob(7, INPUT);
    }

    function test_submitJob_tooLarge_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(InputTooLarge.selector, 4097, 4096));
        verdict.submitJob(programId, new bytes(4097));
        verdict.submitJob(programId, new bytes(4096)); // the limit itself is fine
    }

    function test_submitJob_feeTooLarge_reverts() public {
        uint256 fee = uint256(type(uint96).max) + 1;
        vm.deal(requester, fee);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeTooLarge.selector, fee));
        verdict.submitJob{value: fee}(programId, INPUT);
    }

    function test_submitJob_signedProgram_reverts() public {
        (address signer,) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        vm.expectRevert(abi.encodeWithSelector(SignatureRequired.selector, pid));
        verdict.submitJob(pid, INPUT);
    }

    function test_submitJob_paused_reverts() public {
        vm.prank(guardian);
        verdict.pause();
        vm.expectRevert(ProtocolPaused.selector);
        verdict.submitJob(programId, INPUT);
    }

    function _registerSigned(address _signer) internal returns (uint256) {
        address[] memory signers = new address[](1);
        signers[0] = _signer;
        return registry.registerProgram(PROGRAM_ROOT, ENTRY, _depth(), MANIFEST, signers, address(toy));
    }

    function _sign(uint256 _key, uint256 _pid, bytes memory _input, uint256 _nonce, uint256 _deadline)
        internal
        view
        returns (bytes memory)
    {
        bytes32 digest = verdict.attestationDigest(_pid, toy.inputRoot(_input), _nonce, _deadline);
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_key, digest);
        return abi.encodePacked(r, s, v);
    }

    function test_submitSignedJob_acceptsOnceAndEmitsSigner() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(key, pid, INPUT, 5, deadline);
        bytes32 root = toy.inputRoot(INPUT);
        vm.expectEmit(address(verdict));
        emit IVerdict.JobSubmitted(1, pid, requester, root, signer, 5, 0, INPUT);
        vm.prank(requester);
        uint256 jobId = verdict.submitSignedJob(pid, INPUT, signer, 5, deadline, sig);
        assertEq(verdict.getJob(jobId).signer, signer);
        assertTrue(verdict.nonceUsed(signer, 5));
        vm.expectRevert(abi.encodeWithSelector(NonceUsed.selector, signer, 5));
        verdict.submitSignedJob(pid, INPUT, signer, 5, deadline, sig);
    }

    function test_submitSignedJob_contractSigner_erc1271() public {
        (address owner, uint256 key) = makeAddrAndKey("wallet owner");
        Wallet1271 wallet = new Wallet1271(owner);
        uint256 pid = _registerSigned(address(wallet));
        bytes memory sig = _sign(key, pid, INPUT, 1, block.timestamp);
        uint256 jobId = verdict.submitSignedJob(pid, INPUT, address(wallet), 1, block.timestamp, sig);
        assertEq(verdict.getJob(jobId).signer, address(wallet));
        (, uint256 otherKey) = makeAddrAndKey("stranger");
        sig = _sign(otherKey, pid, INPUT, 2, block.timestamp);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(pid, INPUT, address(wallet), 2, block.timestamp, sig);
    }

    function test_submitSignedJob_unauthorisedSigner_reverts() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        (address other, uint256 otherKey) = makeAddrAndKey("other");
        uint256 pid = _registerSigned(signer);
        bytes memory sig = _sign(otherKey, pid, INPUT, 1, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(SignerNotAuthorised.selector, other));
        verdict.submitSignedJob(pid, INPUT, other, 1, block.timestamp, sig);
        // and an unsigned program has no signers at all
        sig = _sign(key, programId, INPUT, 1, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(SignerNotAuthorised.selector, signer));
        verdict.submitSignedJob(programId, INPUT, signer, 1, block.timestamp, sig);
    }

    function test_submitSignedJob_expired_reverts() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        uint256 deadline = block.timestamp - 1;
        bytes memory sig = _sign(key, pid, INPUT, 1, deadline);
        vm.expectRevert(abi.encodeWithSelector(SignatureExpired.selector, deadline));
        verdict.submitSignedJob(pid, INPUT, signer, 1, deadline, sig);
    }

    function test_submitSignedJob_badSignature_reverts() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        // signed over a different input
        bytes memory sig = _sign(key, pid, "other input", 1, block.timestamp);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(pid, INPUT, signer, 1, block.timestamp, sig);
        // signed for another nonce
        sig = _sign(key, pid, INPUT, 2, block.timestamp);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(pid, INPUT, signer, 1, block.timestamp, sig);
        assertFalse(verdict.nonceUsed(signer, 1));
    }

    ////////////////////////////////////////////////////////////////
    //                          proposals                         //
    ////////////////////////////////////////////////////////////////

    function test_propose_rootMatchesReferenceTree() public {
        for (uint256 n = 1; n <= 9; ++n) {
            Leaf[] memory leaves = new Leaf[](n);
            for (uint256 i; i < n; ++i) {
                leaves[i] = Leaf({jobId: i + 1, finalStateHash: keccak256(abi.encode(n, i))});
            }
            uint256 pid = _propose(leaves);
            bytes32[] memory hashes = _hashes(leaves);
            bytes32 root = verdict.getProposal(pid).root;
            assertEq(root, TestMerkle.root(hashes));
            for (uint256 i; i < n; ++i) {
                assertTrue(MerkleProof.verify(TestMerkle.proof(hashes, i), root, hashes[i]));
            }
        }
    }

    function testFuzz_propose_rootMatchesReferenceTree(uint8 _n, bytes32 _salt) public {
        uint256 n = bound(_n, 1, 200);
        Leaf[] memory leaves = new Leaf[](n);
        for (uint256 i; i < n; ++i) {
            leaves[i] = Leaf({
                jobId: uint256(keccak256(abi.encode(_salt, i))) % 1000,
                finalStateHash: keccak256(abi.encode(_salt, i, 1))
            });
        }
        uint256 pid = _propose(leaves);
        assertEq(verdict.getProposal(pid).root, TestMerkle.root(_hashes(leaves)));
    }

    function test_propose_storesAndEmits() public {
        uint256 jobId = _submit(INPUT, 0);
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        bytes32 root = TestMerkle.root(_hashes(leaves));
        vm.expectEmit(address(verdict));
        emit IVerdict.Proposed(1, proposer, root, 1 ether, uint64(block.timestamp + 1 days), 1, leaves);
        uint256 pid = _propose(leaves);
        Proposal memory p = verdict.getProposal(pid);
        assertEq(p.proposer, proposer);
        assertEq(uint8(p.status), uint8(ProposalStatus.Pending));
        assertEq(p.bond, 1 ether);
        assertEq(p.burnBps, 2000);
        assertEq(p.jobCount, 1);
        assertEq(p.leafCount, 1);
        assertEq(p.deadline.raw(), block.timestamp + 1 days);
        assertEq(verdict.proposalCount(), 1);
        assertEq(address(verdict).balance, 1 ether);
    }

    function test_propose_empty_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(EmptyBatch.selector);
        verdict.propose{value: 1 ether}(new Leaf[](0));
    }

    function test_propose_tooLarge_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(BatchTooLarge.selector, 1025, 1024));
        verdict.propose{value: 1 ether}(new Leaf[](1025));
    }

    function test_propose_wrongBond_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongBond.selector, 0.9 ether, 1 ether));
        verdict.propose{value: 0.9 ether}(new Leaf[](1));
    }

    function test_propose_paused_reverts() public {
        vm.prank(guardian);
        verdict.pause();
        vm.prank(proposer);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.propose{value: 1 ether}(new Leaf[](1));
    }

    ////////////////////////////////////////////////////////////////
    //                           openGame                         //
    ////////////////////////////////////////////////////////////////

    function _setupProposal(uint256 _fault)
        internal
        returns (uint256 jobId_, uint256 pid_, Leaf[] memory leaves_)
    {
        jobId_ = _submit(INPUT, 0.1 ether);
        leaves_ = _one(_leaf(jobId_, _fault));
        pid_ = _propose(leaves_);
    }

    function test_openGame_storesAndEmits() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        bytes32 start = verdict.initialStateHash(jobId);
        vm.expectEmit(address(verdict));
        emit IVerdict.GameOpened(
            1, pid, jobId, challenger, start, leaves[0].finalStateHash, 8, 0.5 ether, 1 hours
        );
        uint256 gid = _open(pid, leaves, 0, challenger);
        Game memory g = verdict.getGame(gid);
        assertEq(g.challenger, challenger);
        assertEq(g.proposalId, pid);
        assertEq(uint8(g.status), uint8(GameStatus.Active));
        assertEq(g.startHash, start);
        assertEq(g.endHash, leaves[0].finalStateHash);
        assertEq(g.position.start(), 0);
        assertEq(g.position.log2Len(), 8);
        assertEq(g.verifier, address(toy));
        assertEq(g.bond, 0.5 ether);
        assertEq(g.jobId, jobId);
        assertEq(verdict.getProposal(pid).openGames, 1);
        (IVerdict.Turn turn, uint64 left) = verdict.gameTurn(gid);
        assertEq(uint8(turn), uint8(IVerdict.Turn.Dissect));
        assertEq(left, 1 hours);
    }

    function test_openGame_unknownProposal_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(UnknownProposal.selector, 9));
        verdict.openGame{value: 0.5 ether}(9, Leaf(1, bytes32(0)), new bytes32[](0));
    }

    function test_openGame_windowClosed_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        vm.warp(block.timestamp + 1 days);
        bytes32[] memory proof = _proof(leaves, 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(WindowClosed.selector, pid));
        verdict.openGame{value: 0.5 ether}(pid, leaves[0], proof);
    }

    function test_openGame_notPending_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        vm.prank(guardian);
        verdict.invalidateProposal(pid);
        bytes32[] memory proof = _proof(leaves, 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.openGame{value: 0.5 ether}(pid, leaves[0], proof);
    }

    function test_openGame_jobNotInScope_reverts() public {
        // A leaf for job 2, proposed when only job 1 existed; job 2 is submitted afterwards.
        _submit(INPUT, 0);
        Leaf[] memory leaves = new Leaf[](2);
        leaves[0] = Leaf(1, keccak256("a"));
        leaves[1] = Leaf(2, keccak256("b"));
        uint256 pid = _propose(leaves);
        _submit(INPUT, 0);
        bytes32[] memory proof = _proof(leaves, 1);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(JobNotInScope.selector, 2));
        verdict.openGame{value: 0.5 ether}(pid, leaves[1], proof);
        leaves[0].jobId = 0;
        pid = _propose(leaves);
        proof = _proof(leaves, 0);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(JobNotInScope.selector, 0));
        verdict.openGame{value: 0.5 ether}(pid, leaves[0], proof);
    }

    function test_openGame_badProof_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        Leaf memory forged = Leaf(leaves[0].jobId, keccak256("forged"));
        vm.prank(challenger);
        vm.expectRevert(InvalidLeafProof.selector);
        verdict.openGame{value: 0.5 ether}(pid, forged, new bytes32[](0));
    }

    function test_openGame_wrongBond_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(WrongBond.selector, 1 ether, 0.5 ether));
        verdict.openGame{value: 1 ether}(pid, leaves[0], new bytes32[](0));
    }

    function test_openGame_paused_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        vm.prank(guardian);
        verdict.pause();
        vm.prank(challenger);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.openGame{value: 0.5 ether}(pid, leaves[0], new bytes32[](0));
    }

    ////////////////////////////////////////////////////////////////
    //                       dissect / pick                       //
    ////////////////////////////////////////////////////////////////

    function _openedGame(uint256 _pFault) internal returns (uint256 gid_, uint256 pid_, uint256 jobId_) {
        Leaf[] memory leaves;
        (jobId_, pid_, leaves) = _setupProposal(_pFault);
        gid_ = _open(pid_, leaves, 0, challenger);
    }

    function test_dissect_commitsAndSwitchesClock() public {
        (uint256 gid,,) = _openedGame(HONEST);
        vm.warp(block.timestamp + 100);
        bytes32[] memory interior = _interior(gid, HONEST);
        assertEq(interior.length, 3);
        vm.expectEmit(address(verdict));
        emit IVerdict.Dissected(gid, 0, 8, interior, 1 hours - 100);
        vm.prank(proposer);
        verdict.dissect(gid, interior);
        Game memory g = verdict.getGame(gid);
        assertEq(g.interiorCommit, keccak256(abi.encodePacked(interior)));
        assertEq(g.idle.raw(), 1 hours - 100);
        assertEq(g.clock.left().raw(), 1 hours);
        assertEq(g.clock.since().raw(), block.timestamp);
        (IVerdict.Turn turn, uint64 left) = verdict.gameTurn(gid);
        assertEq(uint8(turn), uint8(IVerdict.Turn.Pick));
        assertEq(left, 1 hours);
    }

    function test_dissect_notYourTurn_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        bytes32[] memory interior = _interior(gid, HONEST);
        vm.prank(challenger);
        vm.expectRevert(NotYourTurn.selector);
        verdict.dissect(gid, interior);
        vm.prank(proposer);
        verdict.dissect(gid, interior);
        // twice in a row: the pick is pending
        vm.prank(proposer);
        vm.expectRevert(NotYourTurn.selector);
        verdict.dissect(gid, interior);
    }

    function test_dissect_atLengthOne_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        // play down to length 1 with a lying challenger (disputes the very first step)
        for (uint256 i; i < 4; ++i) {
            bytes32[] memory interior = _doDissect(gid, HONEST);
            _doPick(gid, interior, 0, challenger);
        }
        assertEq(verdict.getGame(gid).position.log2Len(), 0);
        (IVerdict.Turn turn,) = verdict.gameTurn(gid);
        assertEq(uint8(turn), uint8(IVerdict.Turn.Step));
        vm.prank(proposer);
        vm.expectRevert(NotYourTurn.selector);
        verdict.dissect(gid, new bytes32[](0));
    }

    function test_dissect_wrongLength_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongInteriorLength.selector, 2, 3));
        verdict.dissect(gid, new bytes32[](2));
    }

    function test_dissect_clockExpired_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        vm.warp(block.timestamp + 1 hours);
        bytes32[] memory interior = _interior(gid, HONEST);
        vm.prank(proposer);
        vm.expectRevert(ClockExpired.selector);
        verdict.dissect(gid, interior);
    }

    function test_dissect_unknownOrInactiveGame_reverts() public {
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 5));
        verdict.dissect(5, new bytes32[](0));
        (uint256 gid,,) = _openedGame(HONEST);
        vm.prank(guardian);
        verdict.invalidateGame(gid);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(GameNotActive.selector, gid));
        verdict.dissect(gid, new bytes32[](3));
    }

    function test_move_onDefeatedProposal_reverts() public {
        (uint256 gid, uint256 pid, uint256 jobId) = _openedGame(0);
        Leaf[] memory leaves = _one(_leaf(jobId, 0));
        uint256 gid2 = _open(pid, leaves, 0, challenger2);
        _play(gid, 0, HONEST); // challenger wins game 1
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        bytes32[] memory interior = _interior(gid2, 0);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.dissect(gid2, interior);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.claimTimeout(gid2);
        (IVerdict.Turn turn,) = verdict.gameTurn(gid2);
        assertEq(uint8(turn), uint8(IVerdict.Turn.Close));
    }

    function test_pick_narrowsSegmentAndSwitchesClock() public {
        (uint256 gid,,) = _openedGame(100);
        bytes32[] memory interior = _doDissect(gid, 100);
        vm.warp(block.timestamp + 30);
        uint256 idx = _pickIndex(gid, interior, HONEST);
        assertEq(idx, 1); // fault at 100 lies in [64, 128]
        vm.expectEmit(address(verdict));
        emit IVerdict.Picked(gid, 1, 64, 6, interior[0], interior[1], 1 hours - 30);
        vm.prank(challenger);
        verdict.pick(gid, interior, idx);
        Game memory g = verdict.getGame(gid);
        assertEq(g.startHash, interior[0]);
        assertEq(g.endHash, interior[1]);
        assertEq(g.position.start(), 64);
        assertEq(g.position.log2Len(), 6);
        (IVerdict.Turn turn,) = verdict.gameTurn(gid);
        assertEq(uint8(turn), uint8(IVerdict.Turn.Dissect));
        assertEq(g.idle.raw(), 1 hours - 30);
    }

    function test_pick_lastPart_keepsEndHash() public {
        (uint256 gid,,) = _openedGame(HONEST);
        bytes32 end = verdict.getGame(gid).endHash;
        bytes32[] memory interior = _doDissect(gid, HONEST);
        vm.prank(challenger);
        verdict.pick(gid, interior, 3);
        Game memory g = verdict.getGame(gid);
        assertEq(g.startHash, interior[2]);
        assertEq(g.endHash, end);
        assertEq(g.position.start(), 192);
    }

    function test_pick_toLengthOne_keepsChallengerOnMove() public {
        (uint256 gid,,) = _openedGame(HONEST);
        for (uint256 i; i < 3; ++i) {
            _doPick(gid, _doDissect(gid, HONEST), 0, challenger);
        }
        bytes32[] memory interior = _doDissect(gid, HONEST);
        Game memory before = verdict.getGame(gid);
        vm.warp(block.timestamp + 10);
        vm.prank(challenger);
        verdict.pick(gid, interior, 0);
        Game memory g = verdict.getGame(gid);
        assertEq(g.position.log2Len(), 0);
        assertEq(Clock.unwrap(g.clock), Clock.unwrap(before.clock)); // clock keeps running for the challenger
        (IVerdict.Turn turn, uint64 left) = verdict.gameTurn(gid);
        assertEq(uint8(turn), uint8(IVerdict.Turn.Step));
        assertEq(left, before.clock.left().raw() - 10);
    }

    function test_pick_notYourTurn_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        vm.prank(challenger);
        vm.expectRevert(NotYourTurn.selector); // nothing dissected yet
        verdict.pick(gid, new bytes32[](3), 0);
        bytes32[] memory interior = _doDissect(gid, HONEST);
        vm.prank(proposer);
        vm.expectRevert(NotYourTurn.selector);
        verdict.pick(gid, interior, 0);
    }

    function test_pick_interiorMismatch_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        bytes32[] memory interior = _doDissect(gid, HONEST);
        interior[1] = keccak256("tampered");
        vm.prank(challenger);
        vm.expectRevert(InteriorMismatch.selector);
        verdict.pick(gid, interior, 0);
    }

    function test_pick_indexOutOfRange_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        bytes32[] memory interior = _doDissect(gid, HONEST);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(IndexOutOfRange.selector, 4, 4));
        verdict.pick(gid, interior, 4);
    }

    function test_pick_clockExpired_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        bytes32[] memory interior = _doDissect(gid, HONEST);
        vm.warp(block.timestamp + 1 hours);
        vm.prank(challenger);
        vm.expectRevert(ClockExpired.selector);
        verdict.pick(gid, interior, 0);
    }

    ////////////////////////////////////////////////////////////////
    //                       step / timeouts                      //
    ////////////////////////////////////////////////////////////////

    function test_step_challengerWins_paysAndBurns() public {
        (uint256 gid, uint256 pid,) = _openedGame(77);
        uint256 deadBefore = verdict.BURN_ADDRESS().balance;
        _playUntilStep(gid, 77, HONEST);
        vm.expectEmit(address(verdict));
        emit IVerdict.GameResolved(
            gid, pid, GameStatus.ChallengerWon, Resolution.Step, challenger, 1.3 ether, 0.2 ether
        );
        _doStep(gid, challenger);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ChallengerWon));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
        assertEq(verdict.getGame(gid).position.start(), 76); // the faulty step
        assertEq(verdict.credit(challenger), 0.5 ether + 1 ether - 0.2 ether);
        assertEq(verdict.BURN_ADDRESS().balance - deadBefore, 0.2 ether);
        assertEq(address(verdict).balance, 0.1 ether + 1.3 ether); // fee + credit
    }

    function test_step_proposerWins_paysAndBurns() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        _playUntilStep(gid, HONEST, 130); // lying challenger
        vm.expectEmit(address(verdict));
        emit IVerdict.GameResolved(
            gid, pid, GameStatus.ProposerWon, Resolution.Step, proposer, 0.4 ether, 0.1 ether
        );
        _doStep(gid, challenger);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ProposerWon));
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Pending));
        assertEq(verdict.getProposal(pid).openGames, 0);
        assertEq(verdict.credit(proposer), 0.4 ether);
    }

    function test_step_notYourTurn_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        vm.prank(challenger);
        vm.expectRevert(NotYourTurn.selector); // length 256
        verdict.step(gid, "", "");
        for (uint256 i; i < 4; ++i) {
            _doPick(gid, _doDissect(gid, HONEST), 0, challenger);
        }
        vm.prank(proposer);
        vm.expectRevert(NotYourTurn.selector);
        verdict.step(gid, "", "");
    }

    function test_step_preStateMismatch_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        for (uint256 i; i < 4; ++i) {
            _doPick(gid, _doDissect(gid, HONEST), 0, challenger);
        }
        Game memory g = verdict.getGame(gid);
        bytes memory pre = abi.encode(bytes32(0), uint64(0));
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(PreStateMismatch.selector, keccak256(pre), g.startHash));
        verdict.step(gid, pre, "");
    }

    function test_step_clockExpired_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        for (uint256 i; i < 4; ++i) {
            _doPick(gid, _doDissect(gid, HONEST), 0, challenger);
        }
        vm.warp(block.timestamp + 1 hours);
        Game memory g = verdict.getGame(gid);
        bytes memory pre = abi.encode(_seed(g.jobId), uint64(0));
        vm.prank(challenger);
        vm.expectRevert(ClockExpired.selector);
        verdict.step(gid, pre, "");
    }

    function test_claimTimeout_proposerOutOfTime_challengerWins() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        vm.warp(block.timestamp + 1 hours - 1);
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, 1));
        verdict.claimTimeout(gid);
        vm.warp(block.timestamp + 1);
        vm.expectEmit(address(verdict));
        emit IVerdict.GameResolved(
            gid, pid, GameStatus.ChallengerWon, Resolution.Timeout, challenger, 1.3 ether, 0.2 ether
        );
        vm.prank(makeAddr("anyone"));
        verdict.claimTimeout(gid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Defeated));
    }

    function test_claimTimeout_challengerOutOfTime_proposerWins() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        vm.warp(block.timestamp + 50 minutes);
        _doDissect(gid, HONEST); // proposer used 50 min
        vm.warp(block.timestamp + 1 hours - 1);
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, 1));
        verdict.claimTimeout(gid);
        vm.warp(block.timestamp + 1);
        verdict.claimTimeout(gid);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ProposerWon));
        assertEq(verdict.getProposal(pid).openGames, 0);
        assertEq(verdict.credit(proposer), 0.4 ether);
    }

    function test_claimTimeout_chessClockAccumulates() public {
        (uint256 gid,,) = _openedGame(HONEST);
        // proposer spends 20 min per dissection, challenger 1 min per pick
        for (uint256 i; i < 2; ++i) {
            vm.warp(block.timestamp + 20 minutes);
            bytes32[] memory interior = _doDissect(gid, HONEST);
            vm.warp(block.timestamp + 1 minutes);
            _doPick(gid, interior, 0, challenger);
        }
        (, uint64 left) = verdict.gameTurn(gid);
        assertEq(left, 20 minutes);
        vm.warp(block.timestamp + 20 minutes);
        verdict.claimTimeout(gid);
        assertEq(uint8(verdict.getGame(gid).status), uint8(GameStatus.ChallengerWon));
    }

    ////////////////////////////////////////////////////////////////
    //                    closeGame / finalize                    //
    ////////////////////////////////////////////////////////////////

    function test_closeGame_afterDefeat_refunds() public {
        (uint256 gid, uint256 pid, uint256 jobId) = _openedGame(0);
        uint256 gid2 = _open(pid, _one(_leaf(jobId, 0)), 0, challenger2);
        vm.expectRevert(abi.encodeWithSelector(ProposalStillPending.selector, pid));
        verdict.closeGame(gid2);
        _play(gid, 0, HONEST);
        vm.expectEmit(address(verdict));
        emit IVerdict.GameClosed(gid2, pid, false, 0.5 ether);
        verdict.closeGame(gid2);
        assertEq(verdict.credit(challenger2), 0.5 ether);
        assertEq(uint8(verdict.getGame(gid2).status), uint8(GameStatus.Closed));
        vm.expectRevert(abi.encodeWithSelector(GameNotActive.selector, gid2));
        verdict.closeGame(gid2);
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 99));
        verdict.closeGame(99);
    }

    function test_finalize_afterWindow_creditsBond() public {
        (, uint256 pid,) = _setupProposal(HONEST);
        vm.expectRevert(abi.encodeWithSelector(WindowOpen.selector, pid));
        verdict.finalize(pid);
        vm.warp(block.timestamp + 1 days);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProposalFinalized(pid, 0);
        verdict.finalize(pid);
        Proposal memory p = verdict.getProposal(pid);
        assertEq(uint8(p.status), uint8(ProposalStatus.Finalized));
        assertEq(p.finalizedAt, block.timestamp);
        assertEq(verdict.credit(proposer), 1 ether);
        assertEq(verdict.finalizedCount(), 1);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.finalize(pid);
        vm.expectRevert(abi.encodeWithSelector(UnknownProposal.selector, 42));
        verdict.finalize(42);
    }

    function test_finalize_gamesOpen_reverts() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        vm.warp(block.timestamp + 1 days);
        vm.expectRevert(abi.encodeWithSelector(GamesOpen.selector, pid, 1));
        verdict.finalize(pid);
        verdict.claimTimeout(gid); // proposer ran out (never moved): challenger wins
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.finalize(pid);
    }

    function test_finalize_afterDefendedGame() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        _play(gid, HONEST, 3);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
        assertEq(verdict.credit(proposer), 1 ether + 0.4 ether);
    }

    ////////////////////////////////////////////////////////////////
    //                      results & outputs                     //
    ////////////////////////////////////////////////////////////////

    function _finalized(uint256 _fault)
        internal
        returns (uint256 jobId_, uint256 pid_, Leaf[] memory leaves_)
    {
        (jobId_, pid_, leaves_) = _setupProposal(_fault);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid_);
    }

    function test_recordResult_recordsAndPaysFee() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(HONEST);
        vm.expectEmit(address(verdict));
        emit IVerdict.ResultRecorded(jobId, pid, leaves[0].finalStateHash, proposer, 0.1 ether);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        (bool final_, bytes32 hash, uint256 from) = verdict.result(jobId);
        assertTrue(final_);
        assertEq(hash, leaves[0].finalStateHash);
        assertEq(from, pid);
        assertEq(verdict.credit(proposer), 1.1 ether);
        assertEq(verdict.getJob(jobId).fee, 0);
        vm.expectRevert(abi.encodeWithSelector(ResultAlreadyRecorded.selector, jobId));
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
    }

    function test_recordResult_notFinalized_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _setupProposal(HONEST);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotFinalized.selector, pid));
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(UnknownProposal.selector, 77));
        verdict.recordResult(77, leaves[0], new bytes32[](0));
    }

    function test_recordResult_badLeaf_reverts() public {
        (uint256 jobId, uint256 pid,) = _finalized(HONEST);
        vm.expectRevert(InvalidLeafProof.selector);
        verdict.recordResult(pid, Leaf(jobId, keccak256("x")), new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(JobNotInScope.selector, 2));
        verdict.recordResult(pid, Leaf(2, keccak256("x")), new bytes32[](0));
    }

    function test_recordResults_batchSkipsRecorded() public {
        uint256 a = _submit("a", 1);
        uint256 b = _submit("b", 2);
        uint256 c = _submit("c", 3);
        Leaf[] memory leaves = new Leaf[](3);
        leaves[0] = _leaf(a, HONEST);
        leaves[1] = _leaf(b, HONEST);
        leaves[2] = _leaf(c, HONEST);
        uint256 pid = _propose(leaves);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
        verdict.recordResult(pid, leaves[1], _proof(leaves, 1));
        bytes32[][] memory proofs = new bytes32[][](3);
        for (uint256 i; i < 3; ++i) {
            proofs[i] = _proof(leaves, i);
        }
        verdict.recordResults(pid, leaves, proofs);
        for (uint256 i; i < 3; ++i) {
            (bool final_,,) = verdict.result(leaves[i].jobId);
            assertTrue(final_);
        }
        assertEq(verdict.credit(proposer), 1 ether + 6);
        vm.expectRevert(LengthMismatch.selector);
        verdict.recordResults(pid, leaves, new bytes32[][](2));
    }

    function test_firstRecordedResultWins() public {
        (uint256 jobId, uint256 pid1, Leaf[] memory leaves1) = _setupProposal(HONEST);
        Leaf[] memory leaves2 = _one(_leaf(jobId, 5)); // a wrong result nobody challenged
        uint256 pid2 = _propose(leaves2);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid1);
        verdict.finalize(pid2);
        verdict.recordResult(pid1, leaves1[0], new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(ResultAlreadyRecorded.selector, jobId));
        verdict.recordResult(pid2, leaves2[0], new bytes32[](0));
        (, bytes32 hash,) = verdict.result(jobId);
        assertEq(hash, leaves1[0].finalStateHash);
    }

    function test_openOutput_and_publishOutput() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(HONEST);
        bytes memory stateData = abi.encode(_seed(jobId), uint64(256));
        bytes memory out = "the output";
        bytes32 outRoot = toy.inputRoot(out);
        vm.expectRevert(abi.encodeWithSelector(NoResult.selector, jobId));
        verdict.openOutput(jobId, stateData, bytes32(0), bytes32(0), outRoot);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(NoResult.selector, jobId));
        verdict.publishOutput(jobId, out);
        vm.expectEmit(address(verdict));
        emit IVerdict.OutputOpened(jobId, leaves[0].finalStateHash, 1, uint32(uint256(outRoot)), 256, outRoot);
        verdict.openOutput(jobId, stateData, bytes32(0), bytes32(0), outRoot);
        (Output memory o, bool current) = verdict.output(jobId);
        assertTrue(current);
        assertEq(o.outputRoot, outRoot);
        assertEq(o.steps, 256);
        assertEq(o.status, 1);
        vm.expectRevert(abi.encodeWithSelector(OutputMismatch.selector, toy.inputRoot("nope"), outRoot));
        verdict.publishOutput(jobId, "nope");
        vm.expectEmit(address(verdict));
        emit IVerdict.OutputData(jobId, outRoot, out);
        verdict.publishOutput(jobId, out);
    }

    function test_openOutput_wrongState_reverts() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(HONEST);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        bytes memory wrong = abi.encode(_seed(jobId), uint64(255));
        vm.expectRevert(ToyVerifier.ToyBadOpening.selector);
        verdict.openOutput(jobId, wrong, bytes32(0), bytes32(0), bytes32(0));
    }

    ////////////////////////////////////////////////////////////////
    //                           credits                          //
    ////////////////////////////////////////////////////////////////

    function test_withdraw_paysCredit() public {
        _finalized(HONEST);
        uint256 before = proposer.balance;
        vm.expectEmit(address(verdict));
        emit IVerdict.Withdrawn(proposer, 1 ether);
        vm.prank(proposer);
        assertEq(verdict.withdraw(), 1 ether);
        assertEq(proposer.balance - before, 1 ether);
        assertEq(verdict.credit(proposer), 0);
        vm.prank(proposer);
        vm.expectRevert(NothingToWithdraw.selector);
        verdict.withdraw();
    }

    function test_withdraw_whilePaused_works() public {
        _finalized(HONEST);
        vm.prank(guardian);
        verdict.pause();
        vm.prank(proposer);
        verdict.withdraw();
    }

    function test_withdraw_rejectingReceiver_reverts() public {
        Rejecter r = new Rejecter();
        vm.deal(address(r), 10 ether);
        uint256 jobId = _submit(INPUT, 0);
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        vm.prank(address(r));
        uint256 pid = verdict.propose{value: 1 ether}(leaves);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
        vm.prank(address(r));
        vm.expectRevert(TransferFailed.selector);
        verdict.withdraw();
    }

    function test_burn_failingBurnAddress_reverts() public {
        (uint256 gid,,) = _openedGame(HONEST);
        vm.etch(verdict.BURN_ADDRESS(), type(Rejecter).runtimeCode);
        vm.warp(block.timestamp + 1 hours);
        vm.expectRevert(TransferFailed.selector);
        verdict.claimTimeout(gid);
    }

    ////////////////////////////////////////////////////////////////
    //                          governance                        //
    ////////////////////////////////////////////////////////////////

    function test_setParams_appliesToNewOnly() public {
        (uint256 gid, uint256 pid, uint256 jobId) = _openedGame(HONEST);
        Params memory p = _params();
        p.proposerBond = 2 ether;
        p.challengerBond = 1 ether;
        p.burnBps = 5000;
        p.clockSeconds = 10 minutes;
        vm.expectEmit(address(verdict));
        emit IVerdict.ParamsSet(p);
        vm.prank(setter);
        verdict.setParams(p);
        assertEq(verdict.getProposal(pid).bond, 1 ether);
        assertEq(verdict.getGame(gid).bond, 0.5 ether);
        // the old game still has its hour
        vm.warp(block.timestamp + 30 minutes);
        (, uint64 left) = verdict.gameTurn(gid);
        assertEq(left, 30 minutes);
        // a new proposal needs the new bond
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongBond.selector, 1 ether, 2 ether));
        verdict.propose{value: 1 ether}(leaves);
    }

    function test_setParams_invalid_reverts() public {
        Params[] memory bad = new Params[](9);
        for (uint256 i; i < bad.length; ++i) {
            bad[i] = _params();
        }
        bad[0].proposerBond = 0;
        bad[1].challengerBond = 0;
        bad[2].challengeWindow = 0;
        bad[3].clockSeconds = 0;
        bad[4].burnBps = 0;
        bad[5].burnBps = 10_000;
        bad[6].maxInputBytes = 0;
        bad[7].maxInputBytes = (1 << 30) - 31;
        bad[8].maxBatchSize = 0;
        for (uint256 i; i < bad.length; ++i) {
            vm.prank(setter);
            vm.expectRevert(InvalidParams.selector);
            verdict.setParams(bad[i]);
        }
    }

    function test_governance_accessControl_reverts() public {
        address eve = makeAddr("eve");
        bytes32 g = verdict.GUARDIAN_ROLE();
        vm.startPrank(eve);
        vm.expectRevert(
            abi.encodeWithSelector(
                IAccessControl.AccessControlUnauthorizedAccount.selector, eve, verdict.PARAMETER_SETTER_ROLE()
            )
        );
        verdict.setParams(_params());
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, eve, g)
        );
        verdict.pause();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, eve, g)
        );
        verdict.unpause();
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, eve, g)
        );
        verdict.invalidateProposal(1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, eve, g)
        );
        verdict.invalidateGame(1);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, eve, g)
        );
        verdict.rollback(0, 1);
        vm.stopPrank();
    }

    function test_pause_freezesClocksAndWindow() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        vm.warp(block.timestamp + 59 minutes);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProtocolPausedAt(guardian, uint64(block.timestamp));
        vm.prank(guardian);
        verdict.pause();
        assertTrue(verdict.paused());
        vm.prank(guardian);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.pause();
        vm.warp(block.timestamp + 3 days);
        (, uint64 left) = verdict.gameTurn(gid);
        assertEq(left, 1 minutes); // frozen
        vm.expectRevert(ProtocolPaused.selector);
        verdict.claimTimeout(gid);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProtocolUnpaused(guardian, 3 days);
        vm.prank(guardian);
        verdict.unpause();
        vm.prank(guardian);
        vm.expectRevert(ProtocolNotPaused.selector);
        verdict.unpause();
        // the proposer still has its minute, the window its remaining day
        vm.expectRevert(abi.encodeWithSelector(ClockNotExpired.selector, 1 minutes));
        verdict.claimTimeout(gid);
        _doDissect(gid, HONEST);
        assertEq(verdict.activeNow(), block.timestamp - 3 days);
        assertEq(verdict.getProposal(pid).deadline.raw() - verdict.activeNow(), 1 days - 59 minutes);
    }

    function test_invalidateProposal_refundsEveryone() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProposalInvalidated(pid, guardian);
        vm.prank(guardian);
        verdict.invalidateProposal(pid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Invalidated));
        assertEq(verdict.credit(proposer), 1 ether);
        verdict.closeGame(gid);
        assertEq(verdict.credit(challenger), 0.5 ether);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.invalidateProposal(pid);
    }

    function test_invalidateGame_refundsAndUnblocksFinalization() public {
        (uint256 gid, uint256 pid,) = _openedGame(HONEST);
        vm.expectEmit(address(verdict));
        emit IVerdict.GameClosed(gid, pid, true, 0.5 ether);
        vm.prank(guardian);
        verdict.invalidateGame(gid);
        assertEq(verdict.credit(challenger), 0.5 ether);
        assertEq(verdict.getProposal(pid).openGames, 0);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(pid);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(GameNotActive.selector, gid));
        verdict.invalidateGame(gid);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(UnknownGame.selector, 9));
        verdict.invalidateGame(9);
    }

    function test_rollback_invalidatesResultsBoundedPerCall() public {
        uint256[] memory jobs = new uint256[](3);
        uint256[] memory pids = new uint256[](3);
        Leaf[][] memory leaves = new Leaf[][](3);
        for (uint256 i; i < 3; ++i) {
            jobs[i] = _submit(abi.encode(i), 0);
        }
        for (uint256 i; i < 3; ++i) {
            leaves[i] = _one(_leaf(jobs[i], HONEST));
            pids[i] = _propose(leaves[i]);
            vm.warp(block.timestamp + 1 days);
            verdict.finalize(pids[i]);
            verdict.recordResult(pids[i], leaves[i][0], new bytes32[](0));
        }
        uint64 point = verdict.getProposal(pids[0]).finalizedAt;
        vm.prank(guardian);
        vm.expectRevert(ProtocolNotPaused.selector);
        verdict.rollback(point, 10);
        vm.prank(guardian);
        verdict.pause();
        vm.expectEmit(address(verdict));
        emit IVerdict.ProposalRolledBack(pids[2], verdict.getProposal(pids[2]).finalizedAt);
        vm.prank(guardian);
        (uint256 n, bool done) = verdict.rollback(point, 1);
        assertEq(n, 1);
        assertFalse(done);
        vm.prank(guardian);
        (n, done) = verdict.rollback(point, 10);
        assertEq(n, 1);
        assertTrue(done);
        assertEq(verdict.finalizedCount(), 1);
        (bool f0,,) = verdict.result(jobs[0]);
        (bool f1,,) = verdict.result(jobs[1]);
        (bool f2,,) = verdict.result(jobs[2]);
        assertTrue(f0);
        assertFalse(f1);
        assertFalse(f2);
        assertEq(uint8(verdict.getProposal(pids[1]).status), uint8(ProposalStatus.RolledBack));
        vm.prank(guardian);
        verdict.unpause();
        // the rolled back proposal cannot be recorded from again; a new proposal can prove the job
        vm.expectRevert(abi.encodeWithSelector(ProposalNotFinalized.selector, pids[1]));
        verdict.recordResult(pids[1], leaves[1][0], new bytes32[](0));
        uint256 again = _propose(leaves[1]);
        vm.warp(block.timestamp + 1 days);
        verdict.finalize(again);
        verdict.recordResult(again, leaves[1][0], new bytes32[](0));
        (bool f,, uint256 from) = verdict.result(jobs[1]);
        assertTrue(f);
        assertEq(from, again);
        // an empty log is done at once
        vm.prank(guardian);
        verdict.pause();
        vm.prank(guardian);
        (n, done) = verdict.rollback(0, 0);
        assertEq(n, 0);
        assertFalse(done);
        vm.prank(guardian);
        (n, done) = verdict.rollback(0, 100);
        assertEq(n, 2); // pids[0] and `again`
        assertTrue(done);
    }

    function test_rollback_staleOutputNotCurrent() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(HONEST);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        verdict.openOutput(jobId, abi.encode(_seed(jobId), uint64(256)), bytes32(0), bytes32(0), bytes32(0));
        vm.startPrank(guardian);
        verdict.pause();
        verdict.rollback(0, 10);
        vm.stopPrank();
        (, bool current) = verdict.output(jobId);
        assertFalse(current);
    }

    function test_views_leafHashAndUnknownJob() public {
        assertEq(verdict.leafHash(3, bytes32(uint256(4))), TestMerkle.leafHash(3, bytes32(uint256(4))));
        vm.expectRevert(abi.encodeWithSelector(UnknownJob.selector, 1));
        verdict.initialStateHash(1);
        (IVerdict.Turn turn, uint64 left) = verdict.gameTurn(1);
        assertEq(uint8(turn), uint8(IVerdict.Turn.None));
        assertEq(left, 0);
        assertEq(verdict.version(), "0.1.0");
    }
}
