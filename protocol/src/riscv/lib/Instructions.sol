// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {PackedState, LibState} from "./State.sol";
import {ZeroHashTable, LibMemory} from "./Memory.sol";

/// @title LibInstructions
/// @notice Decoding and execution of one RV32IM instruction (docs/spec.md §1.5) on a packed state
///         in memory. Decoding is strict: every encoding the spec does not list traps, and a trap
///         changes nothing but the status (the caller increments the step counter).
/// @dev Registers and pc are uint32 values held in uint256; every result is reduced modulo 2^32
///      before it is written. Signed views are made with `signextend(3, x)`.
library LibInstructions {
    uint256 internal constant OP_LOAD = 0x03;
    uint256 internal constant OP_MISC_MEM = 0x0f;
    uint256 internal constant OP_IMM = 0x13;
    uint256 internal constant OP_AUIPC = 0x17;
    uint256 internal constant OP_STORE = 0x23;
    uint256 internal constant OP_OP = 0x33;
    uint256 internal constant OP_LUI = 0x37;
    uint256 internal constant OP_BRANCH = 0x63;
    uint256 internal constant OP_JALR = 0x67;
    uint256 internal constant OP_JAL = 0x6f;
    uint256 internal constant OP_SYSTEM = 0x73;

    /// @notice The only SYSTEM encoding the machine accepts.
    uint256 internal constant ECALL = 0x00000073;
    /// @notice ECALL numbers (a7) that halt with EXITED: Linux exit and exit_group.
    uint256 internal constant SYS_EXIT = 93;
    uint256 internal constant SYS_EXIT_GROUP = 94;
    /// @notice a0 after any other ECALL: −38 (ENOSYS) as uint32.
    uint256 internal constant ENOSYS = 0xffffffda;

    uint256 internal constant REG_A0 = 10;
    uint256 internal constant REG_A7 = 17;
    uint256 internal constant U32 = 0xffffffff;

    /// @notice Executes instruction `_insn` (fetched at the state's pc) on `_s`, reading the data
    ///         proof at `_cur` for loads and stores.
    /// @return cur_ The cursor after the data proof (`_cur` when the instruction has none).
    function execute(PackedState _s, ZeroHashTable _z, uint256 _insn, uint256 _cur, uint256 _end)
        internal
        pure
        returns (uint256 cur_)
    {
        cur_ = _cur;
        uint256 opcode = _insn & 0x7f;
        bool ok = true;
        if (opcode == OP_OP) {
            ok = _execOp(_s, _insn);
        } else if (opcode == OP_IMM) {
            ok = _execOpImm(_s, _insn);
        } else if (opcode == OP_LOAD) {
            (ok, cur_) = _load(_s, _z, _insn, _cur, _end);
        } else if (opcode == OP_STORE) {
            (ok, cur_) = _store(_s, _z, _insn, _cur, _end);
        } else if (opcode == OP_BRANCH) {
            ok = _execBranch(_s, _insn);
        } else if (opcode == OP_JAL) {
            _execJal(_s, _insn);
        } else if (opcode == OP_JALR) {
            ok = _execJalr(_s, _insn);
        } else if (opcode == OP_LUI) {
            _s.setReg((_insn >> 7) & 31, _insn & 0xfffff000);
            _s.setPc((_s.pc() + 4) & U32);
        } else if (opcode == OP_AUIPC) {
            uint256 pc = _s.pc();
            _s.setReg((_insn >> 7) & 31, (pc + (_insn & 0xfffff000)) & U32);
            _s.setPc((pc + 4) & U32);
        } else if (opcode == OP_SYSTEM) {
            ok = _insn == ECALL;
            if (ok) _ecall(_s);
        } else if (opcode == OP_MISC_MEM) {
            // FENCE and FENCE.I are no-ops whatever their other fields hold.
            ok = (_insn >> 12) & 7 <= 1;
            if (ok) _s.setPc((_s.pc() + 4) & U32);
        } else {
            // Unknown opcodes, including every compressed encoding (low bits != 11).
            ok = false;
        }
        // Invalid encoding: TRAPPED, and nothing else changed (no handler writes before it
        // knows the encoding is valid, and none read a data proof).
        if (!ok) _s.setStatus(LibState.TRAPPED);
    }

    function _execOp(PackedState _s, uint256 _insn) private pure returns (bool ok_) {
        uint256 value;
        (value, ok_) = _op(_insn, _s.reg((_insn >> 15) & 31), _s.reg((_insn >> 20) & 31));
        if (!ok_) return false;
        _s.setReg((_insn >> 7) & 31, value);
        _s.setPc((_s.pc() + 4) & U32);
    }

    function _execOpImm(PackedState _s, uint256 _insn) private pure returns (bool ok_) {
        uint256 value;
        (value, ok_) = _opImm(_insn, _s.reg((_insn >> 15) & 31));
        if (!ok_) return false;
        _s.setReg((_insn >> 7) & 31, value);
        _s.setPc((_s.pc() + 4) & U32);
    }

    function _execBranch(PackedState _s, uint256 _insn) private pure returns (bool ok_) {
        uint256 target;
        (target, ok_) = _branch(_insn, _s.pc(), _s.reg((_insn >> 15) & 31), _s.reg((_insn >> 20) & 31));
        if (ok_) _s.setPc(target);
    }

    function _execJal(PackedState _s, uint256 _insn) private pure {
        uint256 pc = _s.pc();
        _s.setReg((_insn >> 7) & 31, (pc + 4) & U32);
        _s.setPc(_jalTarget(_insn, pc));
    }

    function _execJalr(PackedState _s, uint256 _insn) private pure returns (bool ok_) {
        if ((_insn >> 12) & 7 != 0) return false;
        // The target is computed before rd is written: rd may be rs1.
        uint256 target = _jalrTarget(_insn, _s.reg((_insn >> 15) & 31));
        _s.setReg((_insn >> 7) & 31, (_s.pc() + 4) & U32);
        _s.setPc(target);
        ok_ = true;
    }

    function _ecall(PackedState _s) private pure {
        uint256 a7 = _s.reg(REG_A7);
        if (a7 == SYS_EXIT || a7 == SYS_EXIT_GROUP) {
            // pc stays on the ECALL: a halted machine never moves again.
            _s.setStatus(LibState.EXITED);
            _s.setExitCode(_s.reg(REG_A0));
        } else {
            _s.setReg(REG_A0, ENOSYS);
            _s.setPc((_s.pc() + 4) & U32);
        }
    }

    function _load(PackedState _s, ZeroHashTable _z, uint256 _insn, uint256 _cur, uint256 _end)
        private
        pure
        returns (bool ok_, uint256 cur_)
    {
        uint256 funct3 = (_insn >> 12) & 7;
        // LB LH LW LBU LHU are funct3 0 1 2 4 5; 3, 6 and 7 are not loads in RV32.
        if (funct3 == 3 || funct3 >= 6) return (false, _cur);
        // Size in bytes is 2^(funct3 mod 4).
        // forge-lint: disable-next-line(incorrect-shift)
        uint256 size = 1 << (funct3 & 3);
        uint256 addr = _addrI(_insn, _s.reg((_insn >> 15) & 31));
        uint256 value;
        (value, cur_) = LibMemory.load(_z, _cur, _end, _s.memRoot(), addr, size);
        if (funct3 < 4) {
            // LB and LH sign-extend (LW is unaffected: size − 1 = 3).
            assembly {
                value := and(signextend(sub(size, 1), value), 0xffffffff)
            }
        }
        _s.setReg((_insn >> 7) & 31, value);
        _s.setPc((_s.pc() + 4) & U32);
        ok_ = true;
    }

    function _store(PackedState _s, ZeroHashTable _z, uint256 _insn, uint256 _cur, uint256 _end)
        private
        pure
        returns (bool ok_, uint256 cur_)
    {
        uint256 funct3 = (_insn >> 12) & 7;
        // SB SH SW are funct3 0 1 2.
        if (funct3 > 2) return (false, _cur);
        uint256 addr = _addrS(_insn, _s.reg((_insn >> 15) & 31));
        uint256 value = _s.reg((_insn >> 20) & 31);
        bytes32 newRoot;
        // Size in bytes is 2^funct3.
        // forge-lint: disable-next-line(incorrect-shift)
        (newRoot, cur_) = LibMemory.store(_z, _cur, _end, _s.memRoot(), addr, 1 << funct3, value);
        _s.setMemRoot(newRoot);
        _s.setPc((_s.pc() + 4) & U32);
        ok_ = true;
    }

    /// @dev rs1 + I-immediate, modulo 2^32.
    function _addrI(uint256 _insn, uint256 _rs1) private pure returns (uint256 addr_) {
        assembly {
            addr_ := and(add(_rs1, sar(244, shl(224, _insn))), 0xffffffff)
        }
    }

    /// @dev rs1 + S-immediate (imm[11:5] = insn[31:25], imm[4:0] = insn[11:7]), modulo 2^32.
    function _addrS(uint256 _insn, uint256 _rs1) private pure returns (uint256 addr_) {
        assembly {
            let u := or(shl(5, shr(25, _insn)), and(shr(7, _insn), 0x1f))
            addr_ := and(add(_rs1, sar(244, shl(244, u))), 0xffffffff)
        }
    }

    function _jalTarget(uint256 _insn, uint256 _pc) private pure returns (uint256 target_) {
        assembly {
            // J-immediate: imm[20|10:1|11|19:12] = insn[31|30:21|20|19:12].
            let u :=
                or(
                    or(shl(20, shr(31, _insn)), shl(1, and(shr(21, _insn), 0x3ff))),
                    or(shl(11, and(shr(20, _insn), 1)), and(_insn, 0xff000))
                )
            target_ := and(add(_pc, sar(235, shl(235, u))), 0xffffffff)
        }
    }

    function _jalrTarget(uint256 _insn, uint256 _rs1) private pure returns (uint256 target_) {
        assembly {
            target_ := and(add(_rs1, sar(244, shl(224, _insn))), 0xfffffffe)
        }
    }

    /// @return target_ The next pc.
    /// @return ok_ False for funct3 2 and 3, which are not branches.
    function _branch(uint256 _insn, uint256 _pc, uint256 _a, uint256 _b)
        private
        pure
        returns (uint256 target_, bool ok_)
    {
        assembly {
            let taken
            ok_ := 1
            switch and(shr(12, _insn), 7)
            case 0 { taken := eq(_a, _b) }
            case 1 { taken := iszero(eq(_a, _b)) }
            case 4 { taken := slt(signextend(3, _a), signextend(3, _b)) }
            case 5 { taken := iszero(slt(signextend(3, _a), signextend(3, _b))) }
            case 6 { taken := lt(_a, _b) }
            case 7 { taken := iszero(lt(_a, _b)) }
            default { ok_ := 0 }
            switch taken
            case 0 { target_ := and(add(_pc, 4), 0xffffffff) }
            default {
                // B-immediate: imm[12|10:5|4:1|11] = insn[31|30:25|11:8|7].
                let u :=
                    or(
                        or(shl(12, shr(31, _insn)), shl(5, and(shr(25, _insn), 0x3f))),
                        or(shl(1, and(shr(8, _insn), 0xf)), shl(11, and(shr(7, _insn), 1)))
                    )
                target_ := and(add(_pc, sar(243, shl(243, u))), 0xffffffff)
            }
        }
    }

    /// @dev Register-register ALU (opcode 0x33): RV32I with funct7 0x00/0x20 and the M extension
    ///      with funct7 0x01.
    function _op(uint256 _insn, uint256 _a, uint256 _b) private pure returns (uint256 r_, bool ok_) {
        assembly {
            ok_ := 1
            let funct3 := and(shr(12, _insn), 7)
            switch shr(25, _insn)
            case 0x00 {
                switch funct3
                case 0 { r_ := add(_a, _b) }
                case 1 { r_ := shl(and(_b, 31), _a) }
                case 2 { r_ := slt(signextend(3, _a), signextend(3, _b)) }
                case 3 { r_ := lt(_a, _b) }
                case 4 { r_ := xor(_a, _b) }
                case 5 { r_ := shr(and(_b, 31), _a) }
                case 6 { r_ := or(_a, _b) }
                default { r_ := and(_a, _b) }
            }
            case 0x20 {
                switch funct3
                case 0 { r_ := sub(_a, _b) }
                case 5 { r_ := sar(and(_b, 31), signextend(3, _a)) }
                default { ok_ := 0 }
            }
            case 0x01 {
                switch funct3
                // MUL, MULH, MULHSU, MULHU: 256-bit products of the (sign-)extended operands are
                // exact, so the high word is a plain shift.
                case 0 { r_ := mul(_a, _b) }
                case 1 { r_ := sar(32, mul(signextend(3, _a), signextend(3, _b))) }
                case 2 { r_ := sar(32, mul(signextend(3, _a), _b)) }
                case 3 { r_ := shr(32, mul(_a, _b)) }
                // DIV, DIVU, REM, REMU: by zero gives all ones / the dividend. DIV(−2^31, −1) is
                // 2^31 in 256 bits, which is −2^31 modulo 2^32; EVM smod gives REM(−2^31, −1) = 0.
                case 4 {
                    switch _b
                    case 0 { r_ := 0xffffffff }
                    default { r_ := sdiv(signextend(3, _a), signextend(3, _b)) }
                }
                case 5 {
                    switch _b
                    case 0 { r_ := 0xffffffff }
                    default { r_ := div(_a, _b) }
                }
                case 6 {
                    switch _b
                    case 0 { r_ := _a }
                    default { r_ := smod(signextend(3, _a), signextend(3, _b)) }
                }
                default {
                    switch _b
                    case 0 { r_ := _a }
                    default { r_ := mod(_a, _b) }
                }
            }
            default { ok_ := 0 }
            r_ := and(r_, 0xffffffff)
        }
    }

    /// @dev Register-immediate ALU (opcode 0x13). Shifts by immediate need imm[11:5] = 0x00, or
    ///      0x20 for SRAI.
    function _opImm(uint256 _insn, uint256 _a) private pure returns (uint256 r_, bool ok_) {
        assembly {
            ok_ := 1
            let imm := sar(244, shl(224, _insn))
            let shamt := and(shr(20, _insn), 31)
            let funct7 := shr(25, _insn)
            switch and(shr(12, _insn), 7)
            case 0 { r_ := add(_a, imm) }
            case 1 {
                switch funct7
                case 0 { r_ := shl(shamt, _a) }
                default { ok_ := 0 }
            }
            case 2 { r_ := slt(signextend(3, _a), imm) }
            case 3 { r_ := lt(_a, and(imm, 0xffffffff)) }
            case 4 { r_ := xor(_a, imm) }
            case 5 {
                switch funct7
                case 0x00 { r_ := shr(shamt, _a) }
                case 0x20 { r_ := sar(shamt, signextend(3, _a)) }
                default { ok_ := 0 }
            }
            case 6 { r_ := or(_a, imm) }
            default { r_ := and(_a, imm) }
            r_ := and(r_, 0xffffffff)
        }
    }
}
