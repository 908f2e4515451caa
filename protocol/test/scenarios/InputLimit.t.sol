// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// The size limits are real only if a job or a batch at the limit fits in a block (issue 14). Measured
// as a transaction would pay it on a fresh block (intrinsic + calldata or the EIP-7623 floor + the
// execution with cold contracts), with the real RV32IM verifier computing the input root and
// worst-case all-non-zero input bytes. Block: 30M gas. Measured (forge, this file):
//   submitJob  64 KiB 2.64M | 256 KiB 10.51M | 512 KiB 20.99M | 768 KiB 31.48M | 1 MiB 41.97M
//   propose    1024 leaves 1.91M | 2048 3.65M | 4096 7.22M

import {RealMachineBase} from "./RealMachineBase.sol";
import {Verdict} from "../../src/Verdict.sol";
import {IVerdict} from "../../src/interfaces/IVerdict.sol";
import {InputTooLarge} from "../../src/lib/Errors.sol";
import {Params, Leaf} from "../../src/lib/Types.sol";

contract InputLimit_Test is RealMachineBase {
    uint256 internal constant BLOCK_GAS = 30_000_000;

    function _params() internal pure override returns (Params memory p_) {
        p_ = super._params();
        p_.maxInputBytes = 1 << 19; // Verdict.MAX_INPUT_BYTES (checked in setUp)
        p_.maxBatchSize = 4096; // Verdict.MAX_BATCH_SIZE
    }

    function setUp() public override {
        super.setUp();
        assertEq(verdict.params().maxInputBytes, verdict.MAX_INPUT_BYTES(), "runs at the cap");
        assertEq(verdict.params().maxBatchSize, verdict.MAX_BATCH_SIZE(), "runs at the cap");
    }

    function _worstInput(uint256 _n) internal pure returns (bytes memory input_) {
        input_ = new bytes(_n);
        for (uint256 i; i < _n; ++i) {
            input_[i] = 0xff;
        }
    }

    function _submitGas(uint256 _n) internal returns (uint256 gas_) {
        (gas_,) = _measured(
            requester, address(verdict), 0, abi.encodeCall(IVerdict.submitJob, (programId, _worstInput(_n)))
        );
    }

    /// @dev Every limit governance can set is submittable: a job at MAX_INPUT_BYTES leaves a quarter
    ///      of a 30M block free.
    function test_submitJob_atMaxInputBytesCap_fitsABlock() public {
        uint256 cap = verdict.MAX_INPUT_BYTES();
        assertLe(cap, verdict.INPUT_REGION_CAPACITY(), "below the machine's input region");
        assertLe(_submitGas(cap), BLOCK_GAS * 3 / 4, "a job at the cap fits a block with margin");
    }

    /// @dev The example deploy config's limit leaves more than half of a block free.
    function test_submitJob_atDefaultMaxInputBytes_fitsHalfABlock() public {
        string memory cfg =
            vm.readFile(string.concat(vm.projectRoot(), "/protocol/script/deploy.example.json"));
        uint256 limit = vm.parseJsonUint(cfg, ".params.maxInputBytes");
        assertLe(limit, verdict.MAX_INPUT_BYTES(), "the default is settable");
        assertLe(_submitGas(limit), BLOCK_GAS / 2, "a job at the default limit fits half a block");
    }

    function test_submitJob_aboveLimit_reverts() public {
        uint256 cap = verdict.MAX_INPUT_BYTES();
        vm.prank(requester);
        vm.expectRevert(abi.encodeWithSelector(InputTooLarge.selector, cap + 1, cap));
        verdict.submitJob(programId, _worstInput(cap + 1));
    }

    /// @dev A proposal at MAX_BATCH_SIZE fits a block too (every leaf a real job).
    function test_propose_atMaxBatchSize_fitsABlock() public {
        uint256 n = verdict.MAX_BATCH_SIZE();
        for (uint256 j; j < n; ++j) {
            _submit(hex"01", 0);
        }
        Leaf[] memory leaves = new Leaf[](n);
        for (uint256 i; i < n; ++i) {
            leaves[i] = Leaf(i + 1, keccak256(abi.encode(i)));
        }
        bytes32 salt = keccak256("batch at the cap");
        _commitAs(proposer, leaves, salt);
        vm.roll(block.number + 1);
        (uint256 gas_,) =
            _measured(proposer, address(verdict), 1 ether, abi.encodeCall(IVerdict.propose, (leaves, salt)));
        assertLe(gas_, BLOCK_GAS / 2, "a batch at the cap fits half a block");
        assertEq(verdict.getProposal(verdict.proposalCount()).leafCount, n);
    }
}
