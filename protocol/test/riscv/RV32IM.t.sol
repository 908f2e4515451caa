// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Unit tests of the RV32IM one-step verifier against hand-computed post-states, with memory trees
// and proofs built by the independent SparseMemory model. The differential vectors
// (RV32IMVectors.t.sol) cover the random space; these pin the spec's corner cases by name.

import {Test} from "forge-std/Test.sol";
import {RV32IM} from "../../src/riscv/RV32IM.sol";
import {
    InvalidStateLength,
    InvalidStatus,
    InvalidExitCode,
    StepCounterOverflow,
    ProofTruncated,
    ProofTrailingBytes,
    InvalidProofMask,
    MemoryRootMismatch,
    StateHashMismatch,
    MemoryMapMismatch
} from "../../src/riscv/lib/Errors.sol";
import {SparseMemory} from "./helpers/SparseMemory.sol";
import {RVAsm} from "./helpers/RVAsm.sol";
import {MachineState, MachineStateEncoding} from "./helpers/MachineState.sol";

contract RV32IMTestBase is Test {
    using MachineStateEncoding for MachineState;

    uint32 internal constant PC = 0x1000;
    uint8 internal constant RUNNING = 0;
    uint8 internal constant EXITED = 1;
    uint8 internal constant TRAPPED = 2;

    RV32IM internal verifier;
    SparseMemory internal mem;

    function setUp() public virtual {
        verifier = new RV32IM();
        mem = new SparseMemory();
    }

    function _state() internal pure returns (MachineState memory s_) {
        s_.pc = PC;
    }

    /// @dev Places `_insn` at the state's pc, commits memory into the state and returns the packed
    ///      state and the fetch proof.
    function _prepare(MachineState memory _s, uint32 _insn) internal returns (bytes memory, bytes memory) {
        mem.store(_s.pc, 4, _insn);
        _s.memRoot = mem.root();
        return (_s.encode(), mem.singleProof(_s.pc >> 5));
    }

    /// @dev One step of an instruction without a data access.
    function _exec(MachineState memory _s, uint32 _insn) internal returns (bytes32) {
        (bytes memory state, bytes memory proof) = _prepare(_s, _insn);
        return verifier.step(state, proof);
    }

    /// @dev One step of a load or store touching `_size` bytes at `_addr`.
    function _execData(MachineState memory _s, uint32 _insn, uint32 _addr, uint256 _size)
        internal
        returns (bytes32)
    {
        (bytes memory state, bytes memory fetch) = _prepare(_s, _insn);
        return verifier.step(state, bytes.concat(fetch, mem.accessProof(_addr, _size)));
    }

    function _advance(MachineState memory _s) internal pure {
        _s.pc += 4;
        _s.step += 1;
    }

    function _trapped(MachineState memory _s) internal pure {
        _s.status = TRAPPED;
        _s.step += 1;
    }

    /// @dev rd = x3 after `insn` with x1 = _a, x2 = _b.
    function _checkAlu(uint32 _insn, uint32 _a, uint32 _b, uint32 _expected) internal {
        MachineState memory s = _state();
        s.x[1] = _a;
        s.x[2] = _b;
        bytes32 got = _exec(s, _insn);
        s.x[3] = _expected;
        _advance(s);
        assertEq(got, s.hash(), "post-state");
    }

    function _op(uint32 _funct7, uint32 _funct3) internal pure returns (uint32) {
        return RVAsm.r(_funct7, 2, 1, _funct3, 3, 0x33);
    }

    function _opImm(int32 _imm, uint32 _funct3) internal pure returns (uint32) {
        return RVAsm.i(_imm, 1, _funct3, 3, 0x13);
    }

    function _checkTrap(uint32 _insn) internal {
        MachineState memory s = _state();
        s.x[1] = 0x100;
        s.x[2] = 0x200;
        bytes32 got = _exec(s, _insn);
        _trapped(s);
        assertEq(got, s.hash(), "trap post-state");
    }
}

contract RV32IM_Step_Test is RV32IMTestBase {
    using MachineStateEncoding for MachineState;

    // ------------------------------------------------------------------ identity and pc rules

    function test_step_halted_isIdentity() public view {
        MachineState memory s = _state();
        s.memRoot = keccak256("any root");
        s.step = 77;
        s.x[10] = 3;
        for (uint8 st = EXITED; st <= TRAPPED; st++) {
            s.status = st;
            s.exitCode = st == EXITED ? 3 : 0;
            assertEq(verifier.step(s.encode(), ""), s.hash());
        }
    }

    function test_step_halted_withProof_reverts() public {
        MachineState memory s = _state();
        s.status = EXITED;
        vm.expectRevert(ProofTrailingBytes.selector);
        verifier.step(s.encode(), hex"00");
    }

    function test_step_misalignedPc_trapsWithoutFetch() public view {
        for (uint32 low = 1; low < 4; low++) {
            MachineState memory s = _state();
            s.pc = PC + low;
            s.memRoot = keccak256("unrelated");
            bytes32 got = verifier.step(s.encode(), "");
            _trapped(s);
            assertEq(got, s.hash());
        }
    }

    function test_step_misalignedPc_withProof_reverts() public {
        MachineState memory s = _state();
        s.pc = PC + 2;
        bytes memory proof = mem.singleProof(PC >> 5);
        vm.expectRevert(ProofTrailingBytes.selector);
        verifier.step(s.encode(), proof);
    }

    function test_step_stepCounter_increments() public {
        MachineState memory s = _state();
        s.step = type(uint64).max - 1;
        bytes32 got = _exec(s, _opImm(1, 0));
        s.x[3] = 1;
        _advance(s);
        assertEq(got, s.hash());
    }

    function test_step_stepCounterAtMax_reverts() public {
        // §1.1: the counter never wraps; a RUNNING state at 2^64 − 1 has no next step, whatever
        // the instruction (here a valid ADDI with its proof, then a misaligned pc without one).
        MachineState memory s = _state();
        s.step = type(uint64).max;
        (bytes memory state, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        vm.expectRevert(StepCounterOverflow.selector);
        verifier.step(state, fetch);
        s.pc = PC + 2;
        vm.expectRevert(StepCounterOverflow.selector);
        verifier.step(s.encode(), "");
    }

    function test_step_haltedAtMaxStep_isIdentity() public view {
        // A halted state counts nothing, so step 2^64 − 1 is fine once halted.
        MachineState memory s = _state();
        s.step = type(uint64).max;
        s.status = EXITED;
        s.exitCode = 1;
        assertEq(verifier.step(s.encode(), ""), s.hash());
        s.status = TRAPPED;
        s.exitCode = 0;
        assertEq(verifier.step(s.encode(), ""), s.hash());
    }

    function test_step_exitCodeWithoutExit_reverts() public {
        // §1.1: only EXITED carries an exit code. A RUNNING or TRAPPED state with one is not a
        // state, even with a proof that opens: every bit of the code counts.
        MachineState memory s = _state();
        (, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        for (uint256 bit = 0; bit < 32; bit += 7) {
            s.exitCode = uint32(1 << bit);
            s.status = RUNNING;
            vm.expectRevert(InvalidExitCode.selector);
            verifier.step(s.encode(), fetch);
            s.status = TRAPPED;
            vm.expectRevert(InvalidExitCode.selector);
            verifier.step(s.encode(), "");
        }
    }

    function test_step_trap_leavesExitCodeZero() public {
        // A trap sets the status only: the exit code of a valid RUNNING pre-state is 0 and stays 0.
        MachineState memory s = _state();
        bytes32 got = _exec(s, 0x00100073); // EBREAK
        _trapped(s);
        assertEq(s.exitCode, 0);
        assertEq(got, s.hash());
    }

    function test_step_halted_withValidFetchProof_reverts() public {
        // §1.6: a halted pre-state takes no proof at all, not even one that opens.
        MachineState memory s = _state();
        (, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        s.status = EXITED;
        vm.expectRevert(ProofTrailingBytes.selector);
        verifier.step(s.encode(), fetch);
        s.status = TRAPPED;
        vm.expectRevert(ProofTrailingBytes.selector);
        verifier.step(s.encode(), fetch);
    }

    // ------------------------------------------------------------------ ALU

    function test_step_op_rv32i() public {
        _checkAlu(_op(0, 0), 0xffffffff, 2, 1); // ADD wraps
        _checkAlu(_op(0x20, 0), 1, 2, 0xffffffff); // SUB wraps
        _checkAlu(_op(0, 1), 0x80000001, 33, 0x00000002); // SLL uses low 5 bits
        _checkAlu(_op(0, 2), 0xffffffff, 0, 1); // SLT signed
        _checkAlu(_op(0, 3), 0xffffffff, 0, 0); // SLTU unsigned
        _checkAlu(_op(0, 4), 0xf0f0f0f0, 0xff00ff00, 0x0ff00ff0); // XOR
        _checkAlu(_op(0, 5), 0x80000000, 31, 1); // SRL
        _checkAlu(_op(0x20, 5), 0x80000000, 31, 0xffffffff); // SRA
        _checkAlu(_op(0x20, 5), 0x40000000, 0x3e, 1); // SRA low 5 bits: 30
        _checkAlu(_op(0, 6), 0xf0f0f0f0, 0x0000ffff, 0xf0f0ffff); // OR
        _checkAlu(_op(0, 7), 0xf0f0f0f0, 0x0000ffff, 0x0000f0f0); // AND
    }

    function test_step_opImm() public {
        _checkAlu(_opImm(-1, 0), 5, 0, 4); // ADDI negative
        _checkAlu(_opImm(-2048, 0), 0, 0, 0xfffff800);
        _checkAlu(_opImm(-1, 2), 0xfffffffe, 0, 1); // SLTI: -2 < -1
        _checkAlu(_opImm(-1, 3), 0xfffffffe, 0, 1); // SLTIU: imm is 0xffffffff unsigned
        _checkAlu(_opImm(1, 3), 0, 0, 1); // SLTIU = SEQZ
        _checkAlu(_opImm(-1, 4), 0x12345678, 0, 0xedcba987); // XORI = NOT
        _checkAlu(_opImm(0x7ff, 6), 0x80000000, 0, 0x800007ff); // ORI
        _checkAlu(_opImm(-16, 7), 0xffffffff, 0, 0xfffffff0); // ANDI sign-extended imm
        _checkAlu(_opImm(31, 1), 1, 0, 0x80000000); // SLLI
        _checkAlu(_opImm(4, 5), 0x80000000, 0, 0x08000000); // SRLI
        _checkAlu(_opImm(int32(0x404), 5), 0x80000000, 0, 0xf8000000); // SRAI (imm[11:5] = 0x20)
    }

    function test_step_mul() public {
        _checkAlu(_op(1, 0), 0x12345678, 0x9abcdef0, 0x242d2080); // MUL low word
        _checkAlu(_op(1, 1), 0xffffffff, 0xffffffff, 0); // MULH(-1, -1) = 1 >> 32
        _checkAlu(_op(1, 1), 0x80000000, 0x80000000, 0x40000000); // MULH(-2^31, -2^31)
        _checkAlu(_op(1, 1), 0x80000000, 0x7fffffff, 0xc0000000); // MULH(-2^31, 2^31-1)
        _checkAlu(_op(1, 2), 0xffffffff, 0xffffffff, 0xffffffff); // MULHSU(-1, 2^32-1)
        _checkAlu(_op(1, 2), 0x80000000, 0xffffffff, 0x80000000); // MULHSU(-2^31, 2^32-1)
        _checkAlu(_op(1, 3), 0xffffffff, 0xffffffff, 0xfffffffe); // MULHU
    }

    function test_step_div() public {
        _checkAlu(_op(1, 4), 0xfffffff9, 2, 0xfffffffd); // DIV -7/2 = -3 (toward zero)
        _checkAlu(_op(1, 4), 7, 0, 0xffffffff); // DIV by zero
        _checkAlu(_op(1, 4), 0x80000000, 0xffffffff, 0x80000000); // DIV overflow
        _checkAlu(_op(1, 5), 0xfffffff9, 2, 0x7ffffffc); // DIVU
        _checkAlu(_op(1, 5), 7, 0, 0xffffffff); // DIVU by zero
        _checkAlu(_op(1, 6), 0xfffffff9, 2, 0xffffffff); // REM -7%2 = -1
        _checkAlu(_op(1, 6), 7, 0xfffffffe, 1); // REM 7 % -2 = 1
        _checkAlu(_op(1, 6), 0xfffffff9, 0, 0xfffffff9); // REM by zero = dividend
        _checkAlu(_op(1, 6), 0x80000000, 0xffffffff, 0); // REM overflow
        _checkAlu(_op(1, 7), 0xfffffff9, 2, 1); // REMU
        _checkAlu(_op(1, 7), 0xfffffff9, 0, 0xfffffff9); // REMU by zero
    }

    function test_step_x0_writeDiscarded() public {
        MachineState memory s = _state();
        s.x[1] = 5;
        bytes32 got = _exec(s, RVAsm.i(7, 1, 0, 0, 0x13)); // ADDI x0, x1, 7
        _advance(s);
        assertEq(got, s.hash());
    }

    function test_step_x0_readsZero() public {
        _checkAlu(RVAsm.r(0, 0, 0, 0, 3, 0x33), 5, 5, 0); // ADD x3, x0, x0
    }

    // ------------------------------------------------------------------ upper immediates and jumps

    function test_step_lui_auipc() public {
        MachineState memory s = _state();
        bytes32 got = _exec(s, RVAsm.u(0xfffff, 3, 0x37));
        s.x[3] = 0xfffff000;
        _advance(s);
        assertEq(got, s.hash(), "LUI");

        s = _state();
        got = _exec(s, RVAsm.u(0xfffff, 3, 0x17));
        s.x[3] = PC - 0x1000;
        _advance(s);
        assertEq(got, s.hash(), "AUIPC wraps");
    }

    function test_step_jal() public {
        MachineState memory s = _state();
        bytes32 got = _exec(s, RVAsm.j(-0x800, 1));
        s.x[1] = PC + 4;
        s.pc = PC - 0x800;
        s.step = 1;
        assertEq(got, s.hash(), "JAL back");

        s = _state();
        got = _exec(s, RVAsm.j(-0x2000, 0)); // below zero: wraps
        s.pc = uint32((uint256(PC) + 2 ** 32 - 0x2000) % 2 ** 32);
        s.step = 1;
        assertEq(got, s.hash(), "JAL wraps");

        s = _state();
        got = _exec(s, RVAsm.j(6, 0)); // misaligned target is not a trap yet
        s.pc = PC + 6;
        s.step = 1;
        assertEq(got, s.hash(), "JAL to misaligned");
    }

    function test_step_jalr() public {
        MachineState memory s = _state();
        s.x[5] = 0x3001;
        bytes32 got = _exec(s, RVAsm.i(2, 5, 0, 5, 0x67)); // JALR x5, 2(x5): rd = rs1
        s.x[5] = PC + 4;
        s.pc = 0x3002; // (0x3001 + 2) & ~1
        s.step = 1;
        assertEq(got, s.hash(), "JALR rd = rs1");

        s = _state();
        s.x[5] = 0xfffffff0;
        got = _exec(s, RVAsm.i(0x11, 5, 0, 0, 0x67));
        s.pc = 0x00000000; // 0x1_00000001 & ~1 wraps
        s.step = 1;
        assertEq(got, s.hash(), "JALR wraps");

        _checkTrap(RVAsm.i(0, 5, 1, 1, 0x67)); // funct3 != 0
    }

    // ------------------------------------------------------------------ branches

    function _checkBranch(uint32 _funct3, uint32 _a, uint32 _b, bool _taken) internal {
        MachineState memory s = _state();
        s.x[1] = _a;
        s.x[2] = _b;
        bytes32 got = _exec(s, RVAsm.b(-16, 2, 1, _funct3));
        s.pc = _taken ? PC - 16 : PC + 4;
        s.step = 1;
        assertEq(got, s.hash());
    }

    function test_step_branch() public {
        _checkBranch(0, 3, 3, true);
        _checkBranch(0, 3, 4, false);
        _checkBranch(1, 3, 4, true);
        _checkBranch(1, 4, 4, false);
        _checkBranch(4, 0xffffffff, 0, true); // BLT signed
        _checkBranch(4, 0, 0xffffffff, false);
        _checkBranch(5, 0, 0xffffffff, true); // BGE signed
        _checkBranch(5, 5, 5, true);
        _checkBranch(5, 0x80000000, 0, false);
        _checkBranch(6, 0, 0xffffffff, true); // BLTU
        _checkBranch(6, 0xffffffff, 0, false);
        _checkBranch(7, 0xffffffff, 0, true); // BGEU
        _checkBranch(7, 1, 2, false);
    }

    function test_step_branch_maxOffsets() public {
        MachineState memory s = _state();
        bytes32 got = _exec(s, RVAsm.b(4094, 0, 0, 0)); // BEQ x0, x0, +4094
        s.pc = PC + 4094;
        s.step = 1;
        assertEq(got, s.hash());
        s = _state();
        got = _exec(s, RVAsm.b(-4096, 0, 0, 0));
        s.pc = uint32((uint256(PC) + 2 ** 32 - 4096) % 2 ** 32);
        s.step = 1;
        assertEq(got, s.hash());
    }

    // ------------------------------------------------------------------ loads

    function _checkLoad(uint32 _funct3, uint32 _addr, uint256 _size, uint32 _expected) internal {
        MachineState memory s = _state();
        // x1 + imm = addr, with a negative immediate to exercise the sign extension.
        s.x[1] = uint32((uint256(_addr) + 8) & 0xffffffff);
        bytes32 got = _execData(s, RVAsm.i(-8, 1, _funct3, 3, 0x03), _addr, _size);
        s.x[3] = _expected;
        _advance(s);
        assertEq(got, s.hash());
    }

    function test_step_load_aligned() public {
        mem.store(0x2000, 4, 0x8badf00d);
        _checkLoad(2, 0x2000, 4, 0x8badf00d); // LW
        _checkLoad(0, 0x2003, 1, 0xffffff8b); // LB sign-extends
        _checkLoad(4, 0x2003, 1, 0x8b); // LBU
        _checkLoad(1, 0x2002, 2, 0xffff8bad); // LH
        _checkLoad(5, 0x2002, 2, 0x8bad); // LHU
    }

    function test_step_load_misalignedWithinLeaf() public {
        mem.store(0x2001, 4, 0xcafebabe);
        _checkLoad(2, 0x2001, 4, 0xcafebabe);
        _checkLoad(1, 0x2003, 2, 0xffffcafe);
    }

    function test_step_load_crossingLeaves() public {
        mem.store(0x201e, 4, 0x11223344);
        mem.store(0x2040, 4, 0xdeadbeef); // a neighbour, so sibsA/sibsB are not all zero
        _checkLoad(2, 0x201e, 4, 0x11223344);
        mem.store(0x203f, 2, 0xa55a);
        _checkLoad(5, 0x203f, 2, 0xa55a);
        _checkLoad(1, 0x203f, 2, 0xffffa55a);
    }

    function test_step_load_regionBoundaries() public {
        mem.store(0x7ffffffe, 4, 0x01020304); // program | input
        _checkLoad(2, 0x7ffffffe, 4, 0x01020304);
        mem.store(0xbffffffd, 4, 0x05060708); // input | output
        _checkLoad(2, 0xbffffffd, 4, 0x05060708);
        mem.store(0xc0000000, 4, 0x090a0b0c);
        _checkLoad(2, 0xc0000000, 4, 0x090a0b0c);
        mem.store(0x80000000, 4, 0x0d0e0f10);
        _checkLoad(2, 0x80000000, 4, 0x0d0e0f10);
        _checkLoad(4, 0x7fffffff, 1, 0x03);
        _checkLoad(4, 0xbfffffff, 1, 0x06);
    }

    function test_step_load_wrapsAtTop() public {
        mem.store(0xfffffffe, 4, 0xa1b2c3d4); // bytes at ...fe, ...ff, 0, 1
        _checkLoad(2, 0xfffffffe, 4, 0xa1b2c3d4);
        _checkLoad(5, 0xffffffff, 2, 0xb2c3);
        _checkLoad(4, 0xffffffff, 1, 0xc3);
        _checkLoad(0, 0x00000001, 1, 0xffffffa1);
    }

    function test_step_load_invalidFunct3_trapsWithoutDataProof() public {
        _checkTrap(RVAsm.i(0, 1, 3, 3, 0x03));
        _checkTrap(RVAsm.i(0, 1, 6, 3, 0x03));
        _checkTrap(RVAsm.i(0, 1, 7, 3, 0x03));
    }

    // ------------------------------------------------------------------ stores

    function _checkStore(uint32 _funct3, uint32 _addr, uint32 _value) internal {
        MachineState memory s = _state();
        s.x[1] = uint32((uint256(_addr) + 2 ** 32 - 100) & 0xffffffff);
        s.x[2] = _value;
        uint256 size = 1 << _funct3;
        bytes32 got = _execData(s, RVAsm.s(100, 2, 1, _funct3), _addr, size);
        mem.store(_addr, size, _value);
        s.memRoot = mem.root();
        _advance(s);
        assertEq(got, s.hash());
        assertEq(mem.load(_addr, size), _value & ((1 << (8 * size)) - 1));
    }

    function test_step_store_aligned() public {
        mem.store(0x2000, 4, 0xffffffff);
        _checkStore(2, 0x2000, 0x12345678);
        _checkStore(1, 0x2004, 0xabcd1234);
        _checkStore(0, 0x2007, 0x99);
    }

    function test_step_store_crossingLeaves() public {
        mem.store(0x2010, 4, 0x01010101);
        mem.store(0x2060, 4, 0x02020202);
        _checkStore(2, 0x201d, 0xdeadbeef);
        _checkStore(1, 0x203f, 0xbeef);
        _checkStore(2, 0x20ff, 0x12345678); // meets higher up: leaves 7 and 8
    }

    function test_step_store_regionBoundariesAndWrap() public {
        _checkStore(2, 0x7ffffffd, 0xa0a1a2a3);
        _checkStore(2, 0xbfffffff, 0xb0b1b2b3);
        _checkStore(2, 0xfffffffd, 0xc0c1c2c3);
        _checkStore(1, 0xffffffff, 0xd0d1);
        _checkStore(0, 0xffffffff, 0xe0);
    }

    function test_step_store_overwritesOwnInstructionLeaf() public {
        // Self-modifying code: the data proof opens the fetch leaf again, against the pre-root.
        MachineState memory s = _state();
        s.x[1] = PC;
        s.x[2] = 0x00000013; // NOP
        bytes32 got = _execData(s, RVAsm.s(4, 2, 1, 2), PC + 4, 4);
        mem.store(PC + 4, 4, 0x13);
        s.memRoot = mem.root();
        _advance(s);
        assertEq(got, s.hash());
    }

    function test_step_store_invalidFunct3_traps() public {
        for (uint32 f = 3; f < 8; f++) {
            _checkTrap(RVAsm.s(0, 2, 1, f));
        }
    }

    // ------------------------------------------------------------------ system and misc

    function test_step_ecall_exit() public {
        for (uint32 a7 = 93; a7 <= 94; a7++) {
            MachineState memory s = _state();
            s.x[17] = a7;
            s.x[10] = 0xfffffffe;
            bytes32 got = _exec(s, 0x00000073);
            s.status = EXITED;
            s.exitCode = 0xfffffffe;
            s.step = 1; // pc stays on the ECALL
            assertEq(got, s.hash());
        }
    }

    function test_step_ecall_enosys() public {
        MachineState memory s = _state();
        s.x[17] = 64; // write
        s.x[10] = 1;
        bytes32 got = _exec(s, 0x00000073);
        s.x[10] = 0xffffffda;
        _advance(s);
        assertEq(got, s.hash());
    }

    function test_step_fence_isNoop() public {
        MachineState memory s = _state();
        bytes32 got = _exec(s, 0x0ff0000f); // FENCE iorw, iorw
        _advance(s);
        assertEq(got, s.hash());
        s = _state();
        got = _exec(s, 0xffff9f8f); // FENCE.I with every other field set
        _advance(s);
        assertEq(got, s.hash());
    }

    function test_step_invalidEncodings_trap() public {
        uint32[24] memory bad = [
            uint32(0x00000000), // all zeros (compressed quadrant 0)
            0xffffffff, // opcode 0x7f
            0x00000001, // compressed quadrant 1
            0x00000002, // compressed quadrant 2
            0x00100073, // EBREAK
            0x30200073, // MRET
            0x10500073, // WFI
            0x34011073, // CSRRW
            0x00000173, // SYSTEM with rd set
            0x0000000b, // custom-0
            0x0000202f, // AMO
            0x00002007, // FLW
            0x00000053, // OP-FP
            0x0000001b, // OP-IMM-32 (RV64)
            0x0000003b, // OP-32 (RV64)
            RVAsm.r(0x02, 2, 1, 0, 3, 0x33), // OP funct7 0x02
            RVAsm.r(0x20, 2, 1, 1, 3, 0x33), // "SUB" with funct3 1
            RVAsm.r(0x40, 2, 1, 0, 3, 0x33),
            RVAsm.i(int32(0x420), 1, 1, 3, 0x13), // SLLI with imm[11:5] = 0x20
            RVAsm.i(int32(0x020), 1, 5, 3, 0x13), // SRLI with imm[11:5] = 0x01
            RVAsm.b(8, 2, 1, 2), // BRANCH funct3 2
            RVAsm.b(8, 2, 1, 3), // BRANCH funct3 3
            0x0000200f, // MISC-MEM funct3 2
            0x0000700f // MISC-MEM funct3 7
        ];
        for (uint256 k = 0; k < bad.length; k++) {
            _checkTrap(bad[k]);
        }
    }

    // ------------------------------------------------------------------ input validation

    function test_step_stateLength_reverts() public {
        bytes memory state = _state().encode();
        vm.expectRevert(InvalidStateLength.selector);
        verifier.step(bytes.concat(state, hex"00"), "");
        bytes memory short = new bytes(172);
        vm.expectRevert(InvalidStateLength.selector);
        verifier.step(short, "");
        vm.expectRevert(InvalidStateLength.selector);
        verifier.step("", "");
    }

    function test_step_status_reverts() public {
        MachineState memory s = _state();
        s.status = 3;
        vm.expectRevert(InvalidStatus.selector);
        verifier.step(s.encode(), "");
        s.status = 255;
        vm.expectRevert(InvalidStatus.selector);
        verifier.step(s.encode(), "");
    }

    function test_step_emptyProof_reverts() public {
        MachineState memory s = _state();
        vm.expectRevert(ProofTruncated.selector);
        verifier.step(s.encode(), "");
    }

    function test_step_trailingBytes_reverts() public {
        MachineState memory s = _state();
        (bytes memory state, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        vm.expectRevert(ProofTrailingBytes.selector);
        verifier.step(state, bytes.concat(fetch, hex"00"));
    }

    function test_step_everyTruncation_reverts() public {
        mem.store(0x201e, 4, 0x11223344);
        mem.store(0x2040, 4, 0x55667788);
        mem.store(0x80000020, 4, 0x99);
        MachineState memory s = _state();
        s.x[1] = 0x201e;
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.i(0, 1, 2, 3, 0x03));
        bytes memory proof = bytes.concat(fetch, mem.accessProof(0x201e, 4));
        verifier.step(state, proof); // the full proof is valid
        for (uint256 len = 0; len < proof.length; len++) {
            bytes memory cut = new bytes(len);
            for (uint256 k = 0; k < len; k++) {
                cut[k] = proof[k];
            }
            vm.expectRevert(ProofTruncated.selector);
            verifier.step(state, cut);
        }
    }

    function test_step_maskBitsAbove26_revert() public {
        MachineState memory s = _state();
        (bytes memory state, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        for (uint256 bit = 27; bit < 32; bit++) {
            bytes memory p = bytes.concat(fetch);
            p[32 + 3 - bit / 8] = bytes1(uint8(p[32 + 3 - bit / 8]) | uint8(1 << (bit % 8)));
            vm.expectRevert(InvalidProofMask.selector);
            verifier.step(state, p);
        }
    }

    function test_step_pairMask_meetBit_reverts() public {
        // Leaves 0x100 and 0x101 meet at height 1: maskA must not announce a sibling at height 0.
        MachineState memory s = _state();
        s.x[1] = 0x201e;
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.i(0, 1, 2, 3, 0x03));
        bytes memory pair = mem.pairProof(0x201e >> 5);
        // Announce a height-0 sibling for A and supply one: still invalid.
        bytes memory forged =
            bytes.concat(_slice(pair, 0, 64), hex"00000001", bytes32(0), _slice(pair, 68, pair.length));
        vm.expectRevert(InvalidProofMask.selector);
        verifier.step(state, bytes.concat(fetch, forged));
    }

    function test_step_pairMaskB_aboveMeet_reverts() public {
        // Leaves 0x100 and 0x101 meet at height 1 (meet = 0): maskB must be zero.
        MachineState memory s = _state();
        s.x[1] = 0x201e;
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.i(0, 1, 2, 3, 0x03));
        bytes memory pair = mem.pairProof(0x201e >> 5);
        bytes memory forged = bytes.concat(_slice(pair, 0, pair.length - 4), hex"00000002", bytes32(0));
        vm.expectRevert(InvalidProofMask.selector);
        verifier.step(state, bytes.concat(fetch, forged));
    }

    function test_step_presentZeroSibling_accepted() public {
        // Spec §1.4: provers omit zero-hash siblings, but a present one equal to Zh still opens.
        MachineState memory s = _state();
        (bytes memory state, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        assertEq(fetch.length, 36, "only the instruction is in memory");
        bytes memory verbose = bytes.concat(_slice(fetch, 0, 32), bytes4(uint32(1 << 5)), mem.zero(5));
        assertEq(verifier.step(state, verbose), verifier.step(state, fetch));
    }

    function test_step_wrongRoot_reverts() public {
        MachineState memory s = _state();
        (, bytes memory fetch) = _prepare(s, _opImm(1, 0));
        s.memRoot = keccak256("another memory");
        vm.expectRevert(MemoryRootMismatch.selector);
        verifier.step(s.encode(), fetch);
    }

    function test_step_proofOfOtherLeaf_reverts() public {
        mem.store(0x3000, 4, _opImm(2, 0));
        MachineState memory s = _state();
        (bytes memory state,) = _prepare(s, _opImm(1, 0));
        bytes memory other = mem.singleProof(0x3000 >> 5);
        vm.expectRevert(MemoryRootMismatch.selector);
        verifier.step(state, other);
    }

    function test_step_loadWithoutDataProof_reverts() public {
        MachineState memory s = _state();
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.i(0, 1, 2, 3, 0x03));
        vm.expectRevert(ProofTruncated.selector);
        verifier.step(state, fetch);
    }

    function test_step_singleProofWherePairNeeded_reverts() public {
        MachineState memory s = _state();
        s.x[1] = 0x201e;
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.i(0, 1, 2, 3, 0x03));
        bytes memory single = mem.singleProof(0x201e >> 5);
        // The single proof is read as a pair proof: its mask lands inside leafB's slot.
        vm.expectRevert();
        verifier.step(state, bytes.concat(fetch, single));
    }

    /// @dev Populates memory so that both the fetch path and the data paths carry many siblings.
    function _denseMemory() internal {
        uint32[12] memory addrs = [
            uint32(0x1020),
            0x1040,
            0x1400,
            0x9000,
            0x2020,
            0x2060,
            0x20a0,
            0x2400,
            0x7ffffff0,
            0x80000000,
            0xc0000000,
            0xfffffff0
        ];
        for (uint256 k = 0; k < addrs.length; k++) {
            mem.store(addrs[k], 4, uint32(uint256(keccak256(abi.encode(k)))));
        }
    }

    function test_step_anyBitFlipInProof_reverts() public {
        _denseMemory();
        MachineState memory s = _state();
        s.x[1] = 0x203e;
        s.x[2] = 0xdeadbeef;
        (bytes memory state, bytes memory fetch) = _prepare(s, RVAsm.s(0, 2, 1, 2)); // SW across leaves
        bytes memory proof = bytes.concat(fetch, mem.accessProof(0x203e, 4));
        verifier.step(state, proof);
        assertGt(proof.length, 400, "proof carries siblings");
        for (uint256 byteIdx = 0; byteIdx < proof.length; byteIdx++) {
            for (uint256 bit = 0; bit < 8; bit++) {
                proof[byteIdx] ^= bytes1(uint8(1 << bit));
                try verifier.step(state, proof) returns (bytes32) {
                    revert(string.concat("bit flip accepted at byte ", vm.toString(byteIdx)));
                } catch {}
                proof[byteIdx] ^= bytes1(uint8(1 << bit));
            }
        }
    }

    function _slice(bytes memory _b, uint256 _from, uint256 _to) internal pure returns (bytes memory out_) {
        out_ = new bytes(_to - _from);
        for (uint256 k = _from; k < _to; k++) {
            out_[k - _from] = _b[k];
        }
    }
}

contract RV32IM_Helpers_Test is RV32IMTestBase {
    using MachineStateEncoding for MachineState;

    function test_machineVersion() public view {
        assertEq(verifier.machineVersion(), 1);
        assertEq(verifier.version(), "1.0.0");
    }

    function _checkInputRoot(bytes memory _input) internal {
        SparseMemory region = new SparseMemory();
        region.store(0x80000000, 8, _input.length);
        region.storeBytes(0x80000020, _input);
        assertEq(verifier.inputRoot(_input), region.node(25, 2), "input root");
    }

    function test_inputRoot() public {
        _checkInputRoot("");
        _checkInputRoot(hex"01");
        _checkInputRoot(bytes("hello, verdict"));
        bytes memory b32 = new bytes(32);
        b32[31] = 0x7f;
        _checkInputRoot(b32);
        bytes memory b100 = new bytes(100);
        for (uint256 k = 0; k < 100; k++) {
            b100[k] = bytes1(uint8(k * 7 + 1));
        }
        _checkInputRoot(b100);
    }

    function testFuzz_inputRoot(bytes memory _input) public {
        vm.assume(_input.length <= 200);
        _checkInputRoot(_input);
    }

    function test_initialStateHash() public {
        mem.store(0x1000, 4, 0x00000013);
        mem.store(0x80000000, 8, 3);
        mem.storeBytes(0x80000020, hex"616263");
        bytes32 programRoot = mem.node(26, 0);
        bytes32 inRoot = mem.node(25, 2);
        MachineState memory s;
        s.memRoot = mem.root();
        s.pc = 0x1000;
        assertEq(verifier.initialStateHash(programRoot, 0x1000, inRoot), s.hash());
        assertEq(verifier.inputRoot(hex"616263"), inRoot);
    }

    function test_openFinalState() public {
        mem.store(0x1000, 4, 0x00000073);
        mem.store(0x80000000, 8, 1);
        mem.store(0xc0000000, 8, 2);
        mem.store(0xc0000020, 2, 0x4242);
        MachineState memory s = _state();
        s.memRoot = mem.root();
        s.status = EXITED;
        s.exitCode = 7;
        s.step = 12345;
        bytes memory state = s.encode();
        (uint8 status, uint32 exitCode, uint64 steps) =
            verifier.openFinalState(s.hash(), state, mem.node(26, 0), mem.node(25, 2), mem.node(25, 3));
        assertEq(status, EXITED);
        assertEq(exitCode, 7);
        assertEq(steps, 12345);

        bytes32 prog = mem.node(26, 0);
        bytes32 input = mem.node(25, 2);
        bytes32 output = mem.node(25, 3);
        vm.expectRevert(StateHashMismatch.selector);
        verifier.openFinalState(bytes32(0), state, prog, input, output);
        vm.expectRevert(MemoryMapMismatch.selector);
        verifier.openFinalState(s.hash(), state, prog, input, bytes32(0));
        vm.expectRevert(MemoryMapMismatch.selector);
        verifier.openFinalState(s.hash(), state, input, prog, output);
        vm.expectRevert(InvalidStateLength.selector);
        verifier.openFinalState(s.hash(), hex"00", prog, input, output);
        // A RUNNING state with an exit code is not a state: it cannot be opened either.
        s.status = RUNNING;
        vm.expectRevert(InvalidExitCode.selector);
        verifier.openFinalState(s.hash(), s.encode(), prog, input, output);
    }
}
