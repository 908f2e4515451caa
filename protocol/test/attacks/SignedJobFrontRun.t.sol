// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Attack 4 of issue 9: front-running a signed job. The EIP-712 attestation binds the requester
// (msg.sender) and the fee (msg.value), so a copy of the signed call with fee 0 or from another
// requester fails the signature check (InvalidSignature) and does not burn the nonce.

import {AttackBase} from "./AttackBase.sol";
import {Job} from "../../src/lib/Types.sol";
import {InvalidSignature, NonceUsed} from "../../src/lib/Errors.sol";

contract SignedJobFrontRunTest is AttackBase {
    bytes internal constant INPUT = "attested input";
    uint256 internal constant FEE = 0.3 ether;

    address internal source;
    uint256 internal sourceKey;
    uint256 internal signedProgram;

    function setUp() public override {
        super.setUp();
        (source, sourceKey) = makeAddrAndKey("data source");
        address[] memory signers = new address[](1);
        signers[0] = source;
        signedProgram =
            registry.registerProgram(PROGRAM_ROOT, ENTRY, _depth(), MANIFEST, signers, address(toy));
    }

    function _attest(address _requester, uint256 _fee, uint256 _nonce) internal view returns (bytes memory) {
        bytes32 digest = verdict.attestationDigest(
            signedProgram, toy.inputRoot(INPUT), _requester, _fee, _nonce, block.timestamp + 1 hours
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(sourceKey, digest);
        return abi.encodePacked(r, s, v);
    }

    function test_frontRun_feeZero_reverts() public {
        bytes memory sig = _attest(requester, FEE, 7);
        uint256 deadline = block.timestamp + 1 hours;
        vm.prank(attacker);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(signedProgram, INPUT, source, 7, deadline, sig);
        // the requester itself with fee 0 (not what was attested) fails too
        vm.prank(requester);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(signedProgram, INPUT, source, 7, deadline, sig);
        assertFalse(verdict.nonceUsed(source, 7), "a failed front-run does not burn the nonce");
    }

    function test_frontRun_otherRequesterSameFee_reverts() public {
        bytes memory sig = _attest(requester, FEE, 7);
        uint256 deadline = block.timestamp + 1 hours;
        vm.prank(attacker);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob{value: FEE}(signedProgram, INPUT, source, 7, deadline, sig);
        // a higher fee from another requester is no better
        vm.prank(attacker);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob{value: FEE + 1}(signedProgram, INPUT, source, 7, deadline, sig);
    }

    function test_attestedRequesterAndFee_accepted_once() public {
        bytes memory sig = _attest(requester, FEE, 7);
        uint256 deadline = block.timestamp + 1 hours;
        vm.prank(attacker);
        vm.expectRevert(InvalidSignature.selector);
        verdict.submitSignedJob(signedProgram, INPUT, source, 7, deadline, sig);
        vm.prank(requester);
        uint256 jobId = verdict.submitSignedJob{value: FEE}(signedProgram, INPUT, source, 7, deadline, sig);
        Job memory job = verdict.getJob(jobId);
        assertEq(job.requester, requester);
        assertEq(job.fee, FEE);
        assertEq(job.signer, source);
        assertTrue(verdict.nonceUsed(source, 7));
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(NonceUsed.selector, source, 7));
        verdict.submitSignedJob{value: FEE}(signedProgram, INPUT, source, 7, deadline, sig);
    }
}
