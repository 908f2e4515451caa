// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Fuzz tests of the verifier's decoding and proof paths: random addresses, sizes, values and
// memory layouts against the SparseMemory model; random corruption of valid proofs; random state
// and proof bytes.

import {RV32IMTestBase} from "./RV32IM.t.sol";
import {InvalidStateLength, InvalidStatus} from "../../src/riscv/lib/Errors.sol";
import {RVAsm} from "./helpers/RVAsm.sol";
import {MachineState, MachineStateEncoding} from "./helpers/MachineState.sol";

contract RV32IM_Fuzz_Test is RV32IMTestBase {
    using MachineStateEncoding for MachineState;

    /// @dev Scatters a few nonzero leaves near `_addr` and elsewhere, so proofs carry siblings.
    function _scatter(uint32 _addr, uint256 _seed) internal {
        for (uint256 k = 0; k < 4; k++) {
            uint256 r = uint256(keccak256(abi.encode(_seed, k)));
            uint32 near = uint32((uint256(_addr) + (1 << 32) + (r % 4096) - 2048) & 0xffffffff);
            mem.store(near, 4, uint32(r >> 32));
            mem.store(uint32(r >> 64), 4, uint32(r >> 96));
        }
    }

    function testFuzz_step_badStateLength_reverts(bytes calldata _state) public {
        vm.assume(_state.length != 173);
        vm.expectRevert(InvalidStateLength.selector);
        verifier.step(_state, "");
    }

    function testFuzz_step_badStatus_reverts(uint8 _status, bytes calldata _proof) public {
        _status = uint8(bound(_status, 3, 255));
        MachineState memory s = _state();
        s.status = _status;
        vm.expectRevert(InvalidStatus.selector);
        verifier.step(s.encode(), _proof);
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_step_load_matchesModel(uint32 _addr, uint8 _kind, uint32 _value, uint256 _seed) public {
        // Keep the data away from the instruction word so the model's expectation is simple.
        vm.assume(uint256(_addr) + 4 <= PC || _addr >= PC + 8);
        _scatter(_addr, _seed);
        mem.store(_addr, 4, _value);
        uint32[5] memory funct3s = [uint32(0), 1, 2, 4, 5];
        uint32 funct3 = funct3s[_kind % 5];
        uint256 size = 1 << (funct3 & 3);
        uint256 raw = mem.load(_addr, size);
        uint32 expected = uint32(raw);
        if (funct3 == 0 && raw >= 0x80) expected = uint32(raw | 0xffffff00);
        if (funct3 == 1 && raw >= 0x8000) expected = uint32(raw | 0xffff0000);

        MachineState memory s = _state();
        s.x[7] = _addr;
        bytes32 got = _execData(s, RVAsm.i(0, 7, funct3, 9, 0x03), _addr, size);
        s.x[9] = expected;
        _advance(s);
        assertEq(got, s.hash());
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_step_store_matchesModel(uint32 _addr, uint8 _kind, uint32 _value, uint256 _seed)
        public
    {
        vm.assume(uint256(_addr) + 4 <= PC || _addr >= PC + 8);
        _scatter(_addr, _seed);
        uint32 funct3 = _kind % 3;
        uint256 size = 1 << funct3;
        MachineState memory s = _state();
        s.x[7] = _addr;
        s.x[8] = _value;
        bytes32 got = _execData(s, RVAsm.s(0, 8, 7, funct3), _addr, size);
        mem.store(_addr, size, _value);
        s.memRoot = mem.root();
        _advance(s);
        assertEq(got, s.hash());
    }

    function testFuzz_step_unknownOpcode_traps(uint32 _insn) public {
        uint32 opcode = _insn & 0x7f;
        vm.assume(
            opcode != 0x03 && opcode != 0x0f && opcode != 0x13 && opcode != 0x17 && opcode != 0x23
                && opcode != 0x33 && opcode != 0x37 && opcode != 0x63 && opcode != 0x67 && opcode != 0x6f
                && opcode != 0x73
        );
        _checkTrap(_insn);
    }

    function testFuzz_step_system_onlyEcall(uint32 _upper) public {
        uint32 insn = (_upper << 7) | 0x73;
        vm.assume(insn != 0x73);
        _checkTrap(insn);
    }

    function testFuzz_step_op_invalidFunct7_traps(uint32 _insn) public {
        uint32 funct7 = _insn >> 25;
        uint32 funct3 = (_insn >> 12) & 7;
        bool valid = funct7 == 0 || funct7 == 1 || (funct7 == 0x20 && (funct3 == 0 || funct3 == 5));
        vm.assume(!valid);
        _checkTrap((_insn & ~uint32(0x7f)) | 0x33);
    }

    /// forge-config: default.fuzz.runs = 64
    function testFuzz_step_corruptedProof_reverts(uint32 _addr, uint256 _seed, uint256 _pos, uint8 _xor)
        public
    {
        vm.assume(_xor != 0);
        _scatter(_addr, _seed);
        _scatter(PC, _seed ^ 1);
        MachineState memory s = _state();
        s.x[7] = _addr;
        s.x[8] = 0x5a5a5a5a;
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.s(0, 8, 7, 2));
        bytes memory proof = bytes.concat(fetch, mem.accessProof(_addr, 4));
        verifier.step(state, proof);
        _pos = bound(_pos, 0, proof.length - 1);
        proof[_pos] ^= bytes1(_xor);
        vm.expectRevert();
        verifier.step(state, proof);
    }

    function testFuzz_step_randomProof_reverts(bytes32 _root, uint32 _pc, bytes calldata _proof) public {
        MachineState memory s = _state();
        s.memRoot = _root;
        s.pc = _pc & ~uint32(3);
        vm.expectRevert();
        verifier.step(s.encode(), _proof);
    }
}
