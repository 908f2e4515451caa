// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Gas snapshot of RV32IM.step per instruction class (protocol/.gas-snapshot-verifier). The cases
// are the realistic steps of bench/gas-verifier (sha256 guest mid-run, committed as
// protocol/test/vectors/rv32im-v1-gas.bin); each test replays one with gas metering on for the step call only.
// Gas is reported, not asserted: the snapshot makes changes visible in review.

import {Test} from "forge-std/Test.sol";
import {RV32IM} from "../../src/riscv/RV32IM.sol";

contract RV32IM_Gas_Test is Test {
    RV32IM internal verifier;

    function setUp() public {
        verifier = new RV32IM();
    }

    /// @dev Replays vector `_index` of the gas file (format: shared/src/vectors/format.ts).
    function _step(uint256 _index) internal {
        // Only the step call is metered, so the snapshot is the step's gas (plus the call itself).
        vm.pauseGasMetering();
        bytes memory data =
            vm.readFileBinary(string.concat(vm.projectRoot(), "/protocol/test/vectors/rv32im-v1-gas.bin"));
        uint256 o = 8;
        bytes memory state;
        bytes memory proof;
        bytes32 expected;
        for (uint256 k = 0; k <= _index; k++) {
            uint256 stateLen = _read(data, o + 2, 2);
            state = _slice(data, o + 4, stateLen);
            o += 4 + stateLen;
            uint256 proofLen = _read(data, o, 4);
            proof = _slice(data, o + 4, proofLen);
            o += 4 + proofLen;
            expected = bytes32(_read(data, o, 32));
            o += 32;
        }
        vm.resumeGasMetering();
        bytes32 got = verifier.step(state, proof);
        vm.pauseGasMetering();
        assertEq(got, expected);
    }

    function _read(bytes memory _data, uint256 _offset, uint256 _size) internal pure returns (uint256 v_) {
        require(_offset + _size <= _data.length, "gas vectors truncated");
        assembly {
            v_ := shr(sub(256, shl(3, _size)), mload(add(add(_data, 32), _offset)))
        }
    }

    function _slice(bytes memory _data, uint256 _offset, uint256 _size)
        internal
        pure
        returns (bytes memory out_)
    {
        out_ = new bytes(_size);
        assembly {
            mcopy(add(out_, 32), add(add(_data, 32), _offset), _size)
        }
    }

    function test_gas_step_alu() public {
        _step(0);
    }

    function test_gas_step_mulDiv() public {
        _step(1);
    }

    function test_gas_step_branch() public {
        _step(2);
    }

    function test_gas_step_jal() public {
        _step(3);
    }

    function test_gas_step_jalr() public {
        _step(4);
    }

    function test_gas_step_loadAligned() public {
        _step(5);
    }

    function test_gas_step_storeAligned() public {
        _step(6);
    }

    function test_gas_step_storeAcrossLeaves() public {
        _step(7);
    }

    function test_gas_step_loadAcrossLeaves() public {
        _step(8);
    }

    function test_gas_step_ecallExit() public {
        _step(9);
    }

    function test_gas_step_trap() public {
        _step(10);
    }
}
