// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests of Verdict (mirrors protocol/src/Verdict.sol): jobs and signed jobs, commit-reveal
// proposals, finalization against the game's disputes, results and fee priority, fee claim and
// reclaim, credits, the game hooks, governance and rollback. Toy machine; the games themselves are
// tested in DisputeGame.t.sol.

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {MerkleProof} from "@openzeppelin/contracts/utils/cryptography/MerkleProof.sol";
import {VerdictBase} from "./utils/VerdictBase.sol";
import {TestMerkle} from "./utils/TestMerkle.sol";
import {Verdict} from "../src/Verdict.sol";
import {DisputeGame} from "../src/DisputeGame.sol";
import {IVerdict} from "../src/interfaces/IVerdict.sol";
import {IDisputeGame} from "../src/interfaces/IDisputeGame.sol";
import {IProgramRegistry} from "../src/interfaces/IProgramRegistry.sol";
import "../src/lib/Errors.sol";
import {Leaf, Params, Job, Proposal, ProposalStatus, NodeStatus} from "../src/lib/Types.sol";
import {Vm} from "forge-std/Vm.sol";

contract RejectingProposer {
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
    address internal constant DEAD = address(0xdEaD);

    ////////////////////////////////////////////////////////////////
    //                          constructor                       //
    ////////////////////////////////////////////////////////////////

    function test_constructor_setsRolesParamsAndGame() public view {
        assertTrue(verdict.hasRole(verdict.DEFAULT_ADMIN_ROLE(), admin));
        assertTrue(verdict.hasRole(verdict.GUARDIAN_ROLE(), guardian));
        assertTrue(verdict.hasRole(verdict.PARAMETER_SETTER_ROLE(), setter));
        assertEq(verdict.game(), address(game));
        assertEq(verdict.registry(), address(registry));
        assertEq(verdict.params().proposerBond, 1 ether);
        assertEq(verdict.maxSpan(), 1 days + 3 hours);
        assertEq(verdict.activeNow(), block.timestamp);
        (uint64 now_, bool paused_) = verdict.clockState();
        assertEq(now_, block.timestamp);
        assertFalse(paused_);
        assertEq(verdict.version(), "0.2.0");
    }

    function test_constructor_gameBoundToAnotherVerdict_reverts() public {
        DisputeGame other = new DisputeGame(IVerdict(address(0xBEEF)), 4);
        vm.expectRevert(Unauthorized.selector);
        new Verdict(
            IProgramRegistry(address(registry)),
            IDisputeGame(address(other)),
            admin,
            guardian,
            setter,
            _params()
        );
    }

    function test_constructor_zeroAddress_reverts() public {
        vm.expectRevert(ZeroAddress.selector);
        new Verdict(
            IProgramRegistry(address(registry)),
            IDisputeGame(address(game)),
            address(0),
            guardian,
            setter,
            _params()
        );
        vm.expectRevert(ZeroAddress.selector);
        new Verdict(
            IProgramRegistry(address(0)), IDisputeGame(address(game)), admin, guardian, setter, _params()
        );
        vm.expectRevert(ZeroAddress.selector);
        new Verdict(
            IProgramRegistry(address(registry)), IDisputeGame(address(0)), admin, guardian, setter, _params()
        );
    }

    function test_constructor_badParams_reverts() public {
        Params memory p = _params();
        p.burnBps = 0;
        address predicted = vm.computeCreateAddress(address(this), vm.getNonce(address(this)) + 1);
        DisputeGame g = new DisputeGame(IVerdict(predicted), 4);
        vm.expectRevert(InvalidParams.selector);
        new Verdict(IProgramRegistry(address(registry)), IDisputeGame(address(g)), admin, guardian, setter, p);
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
        assertEq(job.reclaimAt.raw(), block.timestamp + 7 days);
        assertEq(address(verdict).balance, 0.1 ether);
        assertEq(
            verdict.initialStateHash(jobId),
            keccak256(abi.encode(toy.seedOf(PROGRAM_ROOT, ENTRY, root), uint64(0)))
        );
        (bytes32 start, address v, uint8 d) = verdict.jobStart(jobId);
        assertEq(start, verdict.initialStateHash(jobId));
        assertEq(v, address(toy));
        assertEq(d, _depth());
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
        _pause();
        vm.expectRevert(ProtocolPaused.selector);
        verdict.submitJob(programId, INPUT);
    }

    function _registerSigned(address _signer) internal returns (uint256) {
        address[] memory signers = new address[](1);
        signers[0] = _signer;
        return registry.registerProgram(PROGRAM_ROOT, ENTRY, _depth(), MANIFEST, signers, address(toy));
    }

    function _sign(
        uint256 _key,
        uint256 _pid,
        bytes memory _input,
        address _requester,
        uint256 _fee,
        uint256 _nonce,
        uint256 _deadline
    ) internal view returns (bytes memory) {
        bytes32 digest = verdict.attestationDigest(
            _pid, toy.inputRoot(_input), _requester, _fee, _nonce, _deadline
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(_key, digest);
        return abi.encodePacked(r, s, v);
    }

    function test_attestationDigest_isEip712() public view {
        bytes32 structHash =
            keccak256(abi.encode(verdict.ATTESTATION_TYPEHASH(), 1, bytes32(uint256(2)), requester, 3, 4, 5));
        bytes32 domain = keccak256(
            abi.encode(
                keccak256(
                    "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
                ),
                keccak256("Verdict"),
                keccak256("1"),
                block.chainid,
                address(verdict)
            )
        );
        assertEq(
            verdict.attestationDigest(1, bytes32(uint256(2)), requester, 3, 4, 5),
            keccak256(abi.encodePacked("\x19\x01", domain, structHash))
        );
    }

    function test_submitSignedJob_acceptsOnceAndEmitsSigner() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        uint256 deadline = block.timestamp + 1 hours;
        bytes memory sig = _sign(key, pid, INPUT, requester, 0.2 ether, 5, deadline);
        bytes32 root = toy.inputRoot(INPUT);
        vm.expectEmit(address(verdict));
        emit IVerdict.JobSubmitted(1, pid, requester, root, signer, 5, 0.2 ether, INPUT);
        vm.prank(requester);
        uint256 jobId = verdict.submitSignedJob{value: 0.2 ether}(pid, INPUT, signer, 5, deadline, sig);
        assertEq(verdict.getJob(jobId).signer, signer);
        assertTrue(verdict.nonceUsed(signer, 5));
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(NonceUsed.selector, signer, 5));
        verdict.submitSignedJob{value: 0.2 ether}(pid, INPUT, signer, 5, deadline, sig);
    }

    function test_submitSignedJob_contractSigner_erc1271() public {
        (address owner, uint256 key) = makeAddrAndKey("wallet owner");
        Wallet1271 wallet = new Wallet1271(owner);
        uint256 pid = _registerSigned(address(wallet));
        bytes memory sig = _sign(key, pid, INPUT, requester, 0, 1, block.timestamp);
        vm.prank(requester);
        uint256 jobId = verdict.submitSignedJob(pid, INPUT, address(wallet), 1, block.timestamp, sig);
        assertEq(verdict.getJob(jobId).signer, address(wallet));
        (, uint256 otherKey) = makeAddrAndKey("stranger");
        sig = _sign(otherKey, pid, INPUT, requester, 0, 2, block.timestamp);
        vm.prank(requester);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(pid, INPUT, address(wallet), 2, block.timestamp, sig);
    }

    function test_submitSignedJob_unauthorisedSigner_reverts() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        (address other, uint256 otherKey) = makeAddrAndKey("other");
        uint256 pid = _registerSigned(signer);
        bytes memory sig = _sign(otherKey, pid, INPUT, address(this), 0, 1, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(SignerNotAuthorised.selector, other));
        verdict.submitSignedJob(pid, INPUT, other, 1, block.timestamp, sig);
        // an unsigned program has no signers at all
        sig = _sign(key, programId, INPUT, address(this), 0, 1, block.timestamp);
        vm.expectRevert(abi.encodeWithSelector(SignerNotAuthorised.selector, signer));
        verdict.submitSignedJob(programId, INPUT, signer, 1, block.timestamp, sig);
    }

    function test_submitSignedJob_expired_reverts() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        uint256 deadline = block.timestamp - 1;
        bytes memory sig = _sign(key, pid, INPUT, address(this), 0, 1, deadline);
        vm.expectRevert(abi.encodeWithSelector(SignatureExpired.selector, deadline));
        verdict.submitSignedJob(pid, INPUT, signer, 1, deadline, sig);
    }

    function test_submitSignedJob_badSignature_reverts() public {
        (address signer, uint256 key) = makeAddrAndKey("source");
        uint256 pid = _registerSigned(signer);
        bytes[4] memory sigs = [
            _sign(key, pid, "other input", address(this), 0, 1, block.timestamp), // another input
            _sign(key, pid, INPUT, address(this), 0, 2, block.timestamp), // another nonce
            _sign(key, pid, INPUT, requester, 0, 1, block.timestamp), // another requester
            _sign(key, pid, INPUT, address(this), 1, 1, block.timestamp) // another fee
        ];
        for (uint256 i; i < sigs.length; ++i) {
            vm.expectRevert(InvalidSignature.selector);
            verdict.submitSignedJob(pid, INPUT, signer, 1, block.timestamp, sigs[i]);
        }
        assertFalse(verdict.nonceUsed(signer, 1));
    }

    ////////////////////////////////////////////////////////////////
    //                      commit and propose                    //
    ////////////////////////////////////////////////////////////////

    function test_commitProposal_recordsFirstBlockAndEmits() public {
        bytes32 c = keccak256("c");
        vm.expectEmit(address(verdict));
        emit IVerdict.ProposalCommitted(c, proposer, block.number);
        vm.prank(proposer);
        verdict.commitProposal(c);
        assertEq(verdict.commitments(c), block.number);
        uint256 first = block.number;
        vm.roll(block.number + 3);
        vm.prank(challenger);
        verdict.commitProposal(c);
        assertEq(verdict.commitments(c), first);
    }

    function test_commitProposal_paused_reverts() public {
        _pause();
        vm.prank(proposer);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.commitProposal(keccak256("c"));
    }

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

    function test_propose_storesSnapshotAndEmits() public {
        uint256 jobId = _submit(INPUT, 0);
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        bytes32 salt = keccak256("salt");
        _commitAs(proposer, leaves, salt);
        uint256 commitBlock = block.number;
        vm.roll(block.number + 1);
        vm.expectEmit(address(verdict));
        emit IVerdict.Proposed(
            1, proposer, _root(leaves), 1 ether, uint64(block.timestamp + 1 days), 1, leaves
        );
        uint256 pid = _revealAs(proposer, leaves, salt);
        Proposal memory p = verdict.getProposal(pid);
        assertEq(p.proposer, proposer);
        assertEq(uint8(p.status), uint8(ProposalStatus.Pending));
        assertEq(p.stake, 1 ether);
        assertEq(p.claimBond, 0.1 ether);
        assertEq(p.clockSeconds, 1 hours);
        assertEq(p.burnBps, 2000);
        assertEq(p.jobCount, 1);
        assertEq(p.leafCount, 1);
        assertEq(p.commitBlock, commitBlock);
        assertEq(p.revealedAt.raw(), block.timestamp);
        assertEq(p.deadline.raw(), block.timestamp + 1 days);
        assertEq(verdict.proposalCount(), 1);
        assertEq(address(verdict).balance, 1 ether);
        // the commitment is spent
        assertEq(verdict.commitments(_commitment(proposer, leaves, salt)), 0);
    }

    function test_propose_empty_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(EmptyBatch.selector);
        verdict.propose{value: 1 ether}(new Leaf[](0), bytes32(0));
    }

    function test_propose_tooLarge_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(BatchTooLarge.selector, 1025, 1024));
        verdict.propose{value: 1 ether}(new Leaf[](1025), bytes32(0));
    }

    function test_propose_wrongBond_reverts() public {
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongBond.selector, 0.9 ether, 1 ether));
        verdict.propose{value: 0.9 ether}(new Leaf[](1), bytes32(0));
    }

    function test_propose_notCommitted_reverts() public {
        Leaf[] memory leaves = new Leaf[](1);
        bytes32 c = _commitment(proposer, leaves, bytes32(0));
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(NotCommitted.selector, c));
        verdict.propose{value: 1 ether}(leaves, bytes32(0));
        // committed in this very block: not yet
        vm.prank(proposer);
        verdict.commitProposal(c);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(NotCommitted.selector, c));
        verdict.propose{value: 1 ether}(leaves, bytes32(0));
    }

    function test_propose_paused_reverts() public {
        _pause();
        vm.prank(proposer);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.propose{value: 1 ether}(new Leaf[](1), bytes32(0));
    }

    ////////////////////////////////////////////////////////////////
    //                           finalize                         //
    ////////////////////////////////////////////////////////////////

    function _proposal(uint256 _fault, uint256 _fee)
        internal
        returns (uint256 jobId_, uint256 pid_, Leaf[] memory leaves_)
    {
        jobId_ = _submit(INPUT, _fee);
        leaves_ = _one(_leaf(jobId_, _fault));
        pid_ = _propose(leaves_);
    }

    function _finalized(uint256 _fee) internal returns (uint256 jobId_, uint256 pid_, Leaf[] memory leaves_) {
        (jobId_, pid_, leaves_) = _proposal(HONEST, _fee);
        _warpActive(1 days);
        verdict.finalize(pid_);
    }

    function test_finalize_afterWindow_creditsStake() public {
        (, uint256 pid,) = _proposal(HONEST, 0);
        vm.expectRevert(abi.encodeWithSelector(WindowOpen.selector, pid));
        verdict.finalize(pid);
        _warpActive(1 days);
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

    /// @dev With games: not before the last opening + 2 clocks, and never with an undefended node.
    function test_finalize_gamesOpen_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _proposal(HONEST, 0);
        _warpActive(1 days - 10);
        uint256 gid = _open(pid, leaves, 0, challenger);
        _warpActive(10);
        vm.expectRevert(abi.encodeWithSelector(GamesOpen.selector, pid));
        verdict.finalize(pid); // an undefended root
        _dissect(gid, _rootPos(), HONEST);
        uint64 c = _challenge(gid, _rootPos(), 0, challenger);
        _dissect(gid, c, HONEST);
        _warpActive(3 * _clock() - 11);
        vm.expectRevert(abi.encodeWithSelector(GamesOpen.selector, pid));
        verdict.finalize(pid); // one second before the last opening + 3 clocks (2 of play, 1 to resolve)
        _warpActive(1);
        verdict.finalize(pid); // unresolved but decided nodes do not block
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Finalized));
    }

    /// @dev The window is closed from its deadline on, not a second earlier.
    function test_finalize_windowBoundary() public {
        (, uint256 pid,) = _proposal(HONEST, 0);
        uint64 deadline = verdict.getProposal(pid).deadline.raw();
        _warpActive(deadline - verdict.activeNow() - 1);
        vm.expectRevert(abi.encodeWithSelector(WindowOpen.selector, pid));
        verdict.finalize(pid);
        _warpActive(1);
        assertEq(verdict.activeNow(), deadline);
        verdict.finalize(pid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Finalized));
    }

    /// @dev A node resolved after its proposal finalized (nobody resolved it in the extra clock)
    ///      defeats nothing and pays nothing: the finalized stake was already credited back.
    function test_finalize_thenLateDefeat_changesNothing() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _proposal(HONEST, 0);
        _warpActive(1 days - 10);
        uint256 gid = _open(pid, leaves, 0, challenger);
        _warpActive(3 * _clock() + 10);
        verdict.finalize(pid); // the proposer never defended its root, and nobody resolved it in time
        assertEq(verdict.credit(proposer), 1 ether);
        uint256 held = address(verdict).balance;
        vm.recordLogs();
        game.resolveNode(gid, _rootPos()); // undefended: the game decides against the proposer, late
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; i++) {
            if (logs[i].emitter != address(verdict)) continue;
            assertTrue(logs[i].topics[0] != IVerdict.ProposalDefeated.selector, "no late defeat");
            assertTrue(logs[i].topics[0] != IVerdict.LeafRewardPaid.selector, "no reward out of a paid stake");
        }
        Proposal memory p = verdict.getProposal(pid);
        assertEq(uint8(p.status), uint8(ProposalStatus.Finalized));
        assertEq(p.rewardPool, 0);
        assertEq(verdict.credit(proposer), 1 ether, "the stake stays credited once");
        assertEq(verdict.credit(challenger), 0, "the late opener takes nothing from Verdict");
        assertEq(address(verdict).balance, held, "nothing burned or moved");
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        assertEq(verdict.getJob(jobId).resultProposalId, pid, "the result stands");
    }

    function test_finalize_paused_reverts() public {
        (, uint256 pid,) = _proposal(HONEST, 0);
        _warpActive(1 days);
        _pause();
        vm.expectRevert(ProtocolPaused.selector);
        verdict.finalize(pid);
    }

    ////////////////////////////////////////////////////////////////
    //                     results and fees                       //
    ////////////////////////////////////////////////////////////////

    function test_recordResult_recordsWithoutPaying() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(0.1 ether);
        vm.expectEmit(address(verdict));
        emit IVerdict.ResultRecorded(jobId, pid, leaves[0].finalStateHash, proposer, 0.1 ether);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        (bool final_, bytes32 hash, uint256 from) = verdict.result(jobId);
        assertTrue(final_);
        assertEq(hash, leaves[0].finalStateHash);
        assertEq(from, pid);
        assertEq(verdict.getJob(jobId).recordedAt.raw(), verdict.activeNow());
        assertEq(verdict.credit(proposer), 1 ether, "the fee waits for claimFee");
        assertEq(verdict.getJob(jobId).fee, 0.1 ether);
        vm.expectRevert(abi.encodeWithSelector(ResultAlreadyRecorded.selector, jobId));
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
    }

    function test_recordResult_notFinalized_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _proposal(HONEST, 0);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotFinalized.selector, pid));
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(UnknownProposal.selector, 77));
        verdict.recordResult(77, leaves[0], new bytes32[](0));
    }

    function test_recordResult_badLeaf_reverts() public {
        (uint256 jobId, uint256 pid,) = _finalized(0);
        vm.expectRevert(InvalidLeafProof.selector);
        verdict.recordResult(pid, Leaf(jobId, keccak256("x")), new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(JobNotInScope.selector, 2));
        verdict.recordResult(pid, Leaf(2, keccak256("x")), new bytes32[](0));
    }

    function test_recordResults_batchSkipsRecorded() public {
        uint256[] memory jobs = _submitN(3);
        Leaf[] memory leaves = new Leaf[](3);
        for (uint256 i; i < 3; ++i) {
            leaves[i] = _leaf(jobs[i], HONEST);
        }
        uint256 pid = _propose(leaves);
        _warpActive(1 days);
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
        vm.expectRevert(LengthMismatch.selector);
        verdict.recordResults(pid, leaves, new bytes32[][](2));
    }

    /// @dev A later-committed proposal recorded first: the earlier one with the same result takes the
    ///      unclaimed fee over (ResultRecorded again); a different result never does.
    function test_recordResult_earlierCommitmentTakesTheFee() public {
        uint256 jobId = _submit(INPUT, 0.3 ether);
        Leaf[] memory good = _one(_leaf(jobId, HONEST));
        Leaf[] memory bad = _one(_leaf(jobId, 5)); // a wrong result nobody challenged
        bytes32 s1 = keccak256("1");
        bytes32 s2 = keccak256("2");
        bytes32 s3 = keccak256("3");
        _commitAs(proposer, good, s1); // earliest
        vm.roll(block.number + 1);
        _commitAs(challenger, bad, s2);
        _commitAs(challenger2, good, s3);
        vm.roll(block.number + 1);
        uint256 pLate = _revealAs(challenger2, good, s3);
        uint256 pBad = _revealAs(challenger, bad, s2);
        uint256 pEarly = _revealAs(proposer, good, s1);
        _warpActive(1 days);
        verdict.finalize(pLate);
        verdict.finalize(pBad);
        verdict.finalize(pEarly);
        verdict.recordResult(pLate, good[0], new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(ResultAlreadyRecorded.selector, jobId));
        verdict.recordResult(pBad, bad[0], new bytes32[](0));
        vm.expectEmit(address(verdict));
        emit IVerdict.ResultRecorded(jobId, pEarly, good[0].finalStateHash, proposer, 0.3 ether);
        verdict.recordResult(pEarly, good[0], new bytes32[](0));
        (,, uint256 from) = verdict.result(jobId);
        assertEq(from, pEarly);
        _warpToFeeUnlock(jobId);
        verdict.claimFee(jobId);
        assertEq(verdict.credit(proposer), 1 ether + 0.3 ether);
        assertEq(verdict.credit(challenger2), 1 ether);
    }

    function test_claimFee_locksThenPaysOnce() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(0.4 ether);
        vm.expectRevert(abi.encodeWithSelector(NoResult.selector, jobId));
        verdict.claimFee(jobId);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        uint64 unlockAt = _feeUnlockAt(jobId);
        assertEq(unlockAt, verdict.getProposal(pid).revealedAt.raw() + 1 days + 3 hours + 600);
        vm.expectRevert(abi.encodeWithSelector(FeeLocked.selector, jobId, unlockAt));
        verdict.claimFee(jobId);
        _warpToFeeUnlock(jobId);
        vm.expectEmit(address(verdict));
        emit IVerdict.FeeClaimed(jobId, pid, proposer, 0.4 ether);
        vm.prank(requester); // anyone may trigger it; the proposer is paid
        verdict.claimFee(jobId);
        assertEq(verdict.credit(proposer), 1.4 ether);
        assertEq(verdict.getJob(jobId).fee, 0);
        vm.expectRevert(NothingToWithdraw.selector);
        verdict.claimFee(jobId);
    }

    function test_claimFee_paused_reverts() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(0.4 ether);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        _warpToFeeUnlock(jobId);
        _pause();
        vm.expectRevert(ProtocolPaused.selector);
        verdict.claimFee(jobId);
    }

    function test_reclaimFee_basics() public {
        uint256 jobId = _submit(INPUT, 0.5 ether);
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        _warpActive(7 days);
        vm.prank(challenger);
        vm.expectRevert(abi.encodeWithSelector(NotRequester.selector, jobId));
        verdict.reclaimFee(jobId);
        vm.expectEmit(address(verdict));
        emit IVerdict.FeeReclaimed(jobId, requester, 0.5 ether);
        vm.prank(requester);
        verdict.reclaimFee(jobId);
        assertEq(verdict.credit(requester), 0.5 ether);
    }

    /// @dev A proved job's fee belongs to its proposer: the requester cannot take it back, even
    ///      after the reclaim time, while the proposer has not claimed it yet.
    function test_reclaimFee_provedJob_reverts() public {
        (uint256 jobId, uint256 pid, Leaf[] memory leaves) = _finalized(0.5 ether);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        _warpActive(7 days);
        assertGe(verdict.activeNow(), verdict.getJob(jobId).reclaimAt.raw());
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(FeeNotReclaimable.selector, jobId));
        verdict.reclaimFee(jobId);
        assertEq(verdict.credit(requester), 0);
        verdict.claimFee(jobId);
        assertEq(verdict.credit(proposer), 1.5 ether, "stake and fee");
    }

    ////////////////////////////////////////////////////////////////
    //                           credits                          //
    ////////////////////////////////////////////////////////////////

    function test_withdraw_paysCredit() public {
        _finalized(0);
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
        _finalized(0);
        _pause();
        uint256 credit = verdict.credit(proposer);
        assertEq(credit, 1 ether, "the stake came back as credit");
        uint256 wallet = proposer.balance;
        uint256 held = address(verdict).balance;
        vm.prank(proposer);
        assertEq(verdict.withdraw(), credit);
        assertEq(proposer.balance - wallet, credit, "wallet received the credit");
        assertEq(held - address(verdict).balance, credit, "Verdict paid out the credit");
        assertEq(verdict.credit(proposer), 0);
    }

    function test_withdraw_rejectingReceiver_reverts() public {
        address r = address(new RejectingProposer());
        vm.deal(r, 10 ether);
        uint256 jobId = _submit(INPUT, 0);
        uint256 pid = _proposeAs(r, _one(_leaf(jobId, HONEST)));
        _warpActive(1 days);
        verdict.finalize(pid);
        uint256 credit = verdict.credit(r);
        assertGt(credit, 0);
        vm.prank(r);
        vm.expectRevert(TransferFailed.selector);
        verdict.withdraw();
        assertEq(verdict.credit(r), credit, "a failed payout keeps the credit");
    }

    function test_burn_failingBurnAddress_reverts() public {
        (, uint256 pid, Leaf[] memory leaves) = _proposal(HONEST, 0);
        uint256 gid = _open(pid, leaves, 0, challenger);
        vm.etch(DEAD, type(RejectingProposer).runtimeCode);
        _warpActive(_clock());
        vm.expectRevert(TransferFailed.selector);
        game.resolveNode(gid, _rootPos()); // the defeat burns part of the stake
    }

    ////////////////////////////////////////////////////////////////
    //                        game hooks                          //
    ////////////////////////////////////////////////////////////////

    function test_hooks_onlyGame_reverts() public {
        vm.expectRevert(Unauthorized.selector);
        verdict.onDefeat(1, 1);
        vm.expectRevert(Unauthorized.selector);
        verdict.onRootResolved(1, challenger, true, true);
        vm.prank(guardian);
        vm.expectRevert(Unauthorized.selector);
        verdict.onInvalidate(1, guardian);
    }

    /// @dev The first defeat burns ceil(stake * burnBps) and splits the rest per leaf; each defeated
    ///      root pays its opener one share; the last root burns what is left.
    function test_onDefeat_andRootRewards() public {
        uint256[] memory jobs = _submitN(3);
        Leaf[] memory leaves = new Leaf[](3);
        leaves[0] = _leaf(jobs[0], 5);
        leaves[1] = _leaf(jobs[1], 9);
        leaves[2] = _leaf(jobs[2], HONEST);
        uint256 pid = _propose(leaves);
        uint256 g0 = _open(pid, leaves, 0, challenger);
        uint256 g1 = _open(pid, leaves, 1, challenger2);
        uint256 burn = _burnOf(1 ether, 2000);
        uint256 share = (1 ether - burn) / 3;
        _warpActive(_clock());
        vm.expectEmit(address(verdict));
        emit IVerdict.ProposalDefeated(pid, g0, burn, share);
        vm.expectEmit(address(verdict));
        emit IVerdict.LeafRewardPaid(pid, challenger, share);
        game.resolveNode(g0, _rootPos());
        Proposal memory p = verdict.getProposal(pid);
        assertEq(uint8(p.status), uint8(ProposalStatus.Defeated));
        assertEq(p.rewardShare, share);
        assertEq(p.rewardPool, 1 ether - burn - share);
        uint256 rest = 1 ether - burn - 2 * share;
        vm.expectEmit(address(verdict));
        emit IVerdict.StakeSettled(pid, rest);
        game.resolveNode(g1, _rootPos());
        assertEq(verdict.credit(challenger), share);
        assertEq(verdict.credit(challenger2), share);
        assertEq(verdict.getProposal(pid).rewardPool, 0);
        assertEq(address(verdict).balance, 2 * share);
    }

    ////////////////////////////////////////////////////////////////
    //                          governance                        //
    ////////////////////////////////////////////////////////////////

    function test_setParams_appliesToNewOnlyAndGrowsMaxSpan() public {
        (uint256 jobId, uint256 pid,) = _proposal(HONEST, 0);
        Params memory p = _params();
        p.proposerBond = 2 ether;
        p.claimBond = 1 ether;
        p.burnBps = 5000;
        p.clockSeconds = 10 minutes;
        p.challengeWindow = 2 days;
        p.feeTimeout = 3 days;
        vm.expectEmit(address(verdict));
        emit IVerdict.ParamsSet(p);
        vm.prank(setter);
        verdict.setParams(p);
        Proposal memory q = verdict.getProposal(pid);
        assertEq(q.stake, 1 ether);
        assertEq(q.claimBond, 0.1 ether);
        assertEq(q.clockSeconds, 1 hours);
        assertEq(q.burnBps, 2000);
        assertEq(verdict.maxSpan(), 2 days + 30 minutes);
        // the span never shrinks
        p.challengeWindow = 1 hours;
        p.feeTimeout = 1 hours + 40 minutes + 600;
        vm.prank(setter);
        verdict.setParams(p);
        assertEq(verdict.maxSpan(), 2 days + 30 minutes);
        // a new proposal needs the new stake
        Leaf[] memory leaves = _one(_leaf(jobId, HONEST));
        bytes32 salt = keccak256("s");
        _commitAs(proposer, leaves, salt);
        vm.roll(block.number + 1);
        vm.prank(proposer);
        vm.expectRevert(abi.encodeWithSelector(WrongBond.selector, 1 ether, 2 ether));
        verdict.propose{value: 1 ether}(leaves, salt);
    }

    function test_governance_accessControl_reverts() public {
        address eve = makeAddr("eve");
        bytes32 g = verdict.GUARDIAN_ROLE();
        bytes32 s = verdict.PARAMETER_SETTER_ROLE();
        Params memory p = _params();
        vm.startPrank(eve);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, eve, s)
        );
        verdict.setParams(p);
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
        verdict.rollback(0, 1);
        vm.stopPrank();
    }

    function test_pause_freezesTimeAndTellsTheGame() public {
        (, uint256 pid,) = _proposal(HONEST, 0);
        _warpActive(59 minutes);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProtocolPausedAt(guardian, uint64(block.timestamp));
        _pause();
        assertTrue(verdict.paused());
        vm.prank(guardian);
        vm.expectRevert(ProtocolPaused.selector);
        verdict.pause();
        _warp(3 days);
        assertEq(verdict.activeNow(), game.activeNow());
        assertEq(verdict.activeNow(), block.timestamp - 3 days);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProtocolUnpaused(guardian, uint64(3 days));
        _unpause();
        vm.prank(guardian);
        vm.expectRevert(ProtocolNotPaused.selector);
        verdict.unpause();
        assertEq(verdict.activeNow(), game.activeNow());
        assertEq(verdict.getProposal(pid).deadline.raw() - verdict.activeNow(), 1 days - 59 minutes);
    }

    function test_invalidateProposal_refundsStakeAndVoidsGames() public {
        (, uint256 pid, Leaf[] memory leaves) = _proposal(HONEST, 0);
        uint256 gid = _open(pid, leaves, 0, challenger);
        vm.expectEmit(address(verdict));
        emit IVerdict.ProposalInvalidated(pid, guardian);
        vm.prank(guardian);
        verdict.invalidateProposal(pid);
        assertEq(uint8(verdict.getProposal(pid).status), uint8(ProposalStatus.Invalidated));
        assertEq(verdict.credit(proposer), 1 ether);
        assertTrue(game.disputes(pid).invalidated);
        game.resolveNode(gid, _rootPos());
        assertEq(uint8(_status(gid, _rootPos())), uint8(NodeStatus.Refunded));
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(ProposalNotPending.selector, pid));
        verdict.invalidateProposal(pid);
        vm.prank(guardian);
        vm.expectRevert(abi.encodeWithSelector(UnknownProposal.selector, 9));
        verdict.invalidateProposal(9);
    }

    function test_rollback_invalidatesResultsBoundedPerCall() public {
        uint256[] memory jobs = _submitN(3);
        uint256[] memory pids = new uint256[](3);
        Leaf[][] memory leaves = new Leaf[][](3);
        for (uint256 i; i < 3; ++i) {
            leaves[i] = _one(_leaf(jobs[i], HONEST));
            pids[i] = _propose(leaves[i]);
            _warpActive(1 days);
            verdict.finalize(pids[i]);
            verdict.recordResult(pids[i], leaves[i][0], new bytes32[](0));
        }
        uint64 point = verdict.getProposal(pids[0]).finalizedAt;
        vm.prank(guardian);
        vm.expectRevert(ProtocolNotPaused.selector);
        verdict.rollback(point, 10);
        _pause();
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
        _unpause();
        // the rolled back proposal cannot be recorded from again; a new proposal can prove the job
        vm.expectRevert(abi.encodeWithSelector(ProposalNotFinalized.selector, pids[1]));
        verdict.recordResult(pids[1], leaves[1][0], new bytes32[](0));
        uint256 again = _propose(leaves[1]);
        _warpActive(1 days);
        verdict.finalize(again);
        verdict.recordResult(again, leaves[1][0], new bytes32[](0));
        (bool f,, uint256 from) = verdict.result(jobs[1]);
        assertTrue(f);
        assertEq(from, again);
        _pause();
        vm.prank(guardian);
        (n, done) = verdict.rollback(0, 0);
        assertEq(n, 0);
        assertFalse(done);
        vm.prank(guardian);
        (n, done) = verdict.rollback(0, 100);
        assertEq(n, 2); // pids[0] and `again`
        assertTrue(done);
    }

    function test_views_leafHashAndUnknownJob() public {
        assertEq(verdict.leafHash(3, bytes32(uint256(4))), TestMerkle.leafHash(3, bytes32(uint256(4))));
        vm.expectRevert(abi.encodeWithSelector(UnknownJob.selector, 1));
        verdict.initialStateHash(1);
        vm.expectRevert(abi.encodeWithSelector(UnknownJob.selector, 1));
        verdict.jobStart(1);
    }
}
