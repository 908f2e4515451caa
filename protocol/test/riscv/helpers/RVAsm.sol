// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Test-only RV32 instruction encoders (RISC-V unprivileged spec, chapter 2 formats).

library RVAsm {
    function r(uint32 _funct7, uint32 _rs2, uint32 _rs1, uint32 _funct3, uint32 _rd, uint32 _op)
        internal
        pure
        returns (uint32)
    {
        return (_funct7 << 25) | (_rs2 << 20) | (_rs1 << 15) | (_funct3 << 12) | (_rd << 7) | _op;
    }

    function i(int32 _imm, uint32 _rs1, uint32 _funct3, uint32 _rd, uint32 _op)
        internal
        pure
        returns (uint32)
    {
        uint32 imm = uint32(_imm) & 0xfff;
        return (imm << 20) | (_rs1 << 15) | (_funct3 << 12) | (_rd << 7) | _op;
    }

    function s(int32 _imm, uint32 _rs2, uint32 _rs1, uint32 _funct3) internal pure returns (uint32) {
        uint32 imm = uint32(_imm) & 0xfff;
        return ((imm >> 5) << 25) | (_rs2 << 20) | (_rs1 << 15) | (_funct3 << 12) | ((imm & 31) << 7) | 0x23;
    }

    function b(int32 _imm, uint32 _rs2, uint32 _rs1, uint32 _funct3) internal pure returns (uint32) {
        uint32 imm = uint32(_imm) & 0x1fff;
        return (((imm >> 12) & 1) << 31) | (((imm >> 5) & 0x3f) << 25) | (_rs2 << 20) | (_rs1 << 15)
            | (_funct3 << 12) | (((imm >> 1) & 0xf) << 8) | (((imm >> 11) & 1) << 7) | 0x63;
    }

    function u(uint32 _imm20, uint32 _rd, uint32 _op) internal pure returns (uint32) {
        return (_imm20 << 12) | (_rd << 7) | _op;
    }

    function j(int32 _imm, uint32 _rd) internal pure returns (uint32) {
        uint32 imm = uint32(_imm) & 0x1fffff;
        return (((imm >> 20) & 1) << 31) | (((imm >> 1) & 0x3ff) << 21) | (((imm >> 11) & 1) << 20)
            | (((imm >> 12) & 0xff) << 12) | (_rd << 7) | 0x6f;
    }
}
