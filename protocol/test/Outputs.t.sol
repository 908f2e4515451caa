// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests of Outputs (mirrors protocol/src/Outputs.sol): opening a valid result's final state
// through the program's verifier, publishing output bytes, staleness after a rollback, pause. Toy
// machine: a final state is abi.encode(seed, t) and its exit code the low bits of the output root.

import {VerdictBase} from "./utils/VerdictBase.sol";
import {Outputs} from "../src/Outputs.sol";
import {IOutputs} from "../src/interfaces/IOutputs.sol";
import {IVerdict} from "../src/interfaces/IVerdict.sol";
import {ToyVerifier} from "./mocks/ToyVerifier.sol";
import "../src/lib/Errors.sol";
import {Leaf, Output} from "../src/lib/Types.sol";

contract OutputsTest is VerdictBase {
    Outputs internal outputs;
    uint256 internal jobId;
    uint256 internal pid;
    Leaf[] internal leaves;

    function setUp() public override {
        super.setUp();
        outputs = new Outputs(IVerdict(address(verdict)));
        jobId = _submit("in", 0);
        leaves.push(_leaf(jobId, HONEST));
        pid = _propose(leaves);
        _warpActive(1 days);
        verdict.finalize(pid);
    }

    function _finalState() internal view returns (bytes memory) {
        return abi.encode(_seed(jobId), uint64(uint256(1) << _depth()));
    }

    function test_constructor() public {
        assertEq(outputs.VERDICT(), address(verdict));
        assertEq(outputs.version(), "0.2.0");
        vm.expectRevert(ZeroAddress.selector);
        new Outputs(IVerdict(address(0)));
    }

    function test_openOutput_and_publishOutput() public {
        bytes memory out = "the output";
        bytes32 outRoot = toy.inputRoot(out);
        bytes memory state = _finalState();
        vm.expectRevert(abi.encodeWithSelector(NoResult.selector, jobId));
        outputs.openOutput(jobId, state, bytes32(0), bytes32(0), outRoot);
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        vm.expectRevert(abi.encodeWithSelector(NoResult.selector, jobId));
        outputs.publishOutput(jobId, out);
        vm.expectEmit(address(outputs));
        emit IOutputs.OutputOpened(jobId, leaves[0].finalStateHash, 1, uint32(uint256(outRoot)), 256, outRoot);
        outputs.openOutput(jobId, state, bytes32(0), bytes32(0), outRoot);
        (Output memory o, bool current) = outputs.output(jobId);
        assertTrue(current);
        assertEq(o.stateHash, leaves[0].finalStateHash);
        assertEq(o.outputRoot, outRoot);
        assertEq(o.steps, 256);
        assertEq(o.status, 1);
        vm.expectRevert(abi.encodeWithSelector(OutputMismatch.selector, toy.inputRoot("nope"), outRoot));
        outputs.publishOutput(jobId, "nope");
        vm.expectEmit(address(outputs));
        emit IOutputs.OutputData(jobId, outRoot, out);
        outputs.publishOutput(jobId, out);
    }

    function test_openOutput_wrongState_reverts() public {
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        bytes memory wrong = abi.encode(_seed(jobId), uint64(255));
        vm.expectRevert(ToyVerifier.ToyBadOpening.selector);
        outputs.openOutput(jobId, wrong, bytes32(0), bytes32(0), bytes32(0));
    }

    function test_rollback_staleOutputNotCurrent() public {
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        outputs.openOutput(jobId, _finalState(), bytes32(0), bytes32(0), bytes32(0));
        vm.startPrank(guardian);
        verdict.pause();
        verdict.rollback(0, 10);
        vm.stopPrank();
        (, bool current) = outputs.output(jobId);
        assertFalse(current);
    }

    function test_paused_reverts() public {
        verdict.recordResult(pid, leaves[0], new bytes32[](0));
        bytes memory state = _finalState();
        _pause();
        vm.expectRevert(ProtocolPaused.selector);
        outputs.openOutput(jobId, state, bytes32(0), bytes32(0), bytes32(0));
        vm.expectRevert(ProtocolPaused.selector);
        outputs.publishOutput(jobId, "");
    }
}
