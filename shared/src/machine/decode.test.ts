// The strict decoder on its own: every RV32IM encoding to its op, fields and
// immediate, and every encoding the spec does not list to TRAP with imm 0.
// (machine.test.ts checks execution end to end; this one is fast enough to
// judge every decode mutant of the mutation bench.)

import { expect } from "chai";
import { asm, encodeI, encodeR } from "./asm.ts";
import { decodeInto, OP } from "./decode.ts";

function dec(word: number) {
  const d = new Int32Array(4);
  decodeInto(word, d, 2);
  const w = d[2];
  return { op: w & 0xff, rd: (w >> 8) & 63, rs1: (w >> 16) & 31, rs2: (w >>> 24) & 31, imm: d[3] };
}

describe("machine/decode", () => {
  it("U and J types: LUI, AUIPC keep the upper 20 bits; JAL's 21-bit offset sign-extends", () => {
    expect(dec(asm.lui(5, 0xfffff))).to.include({ op: OP.LUI, rd: 5, imm: 0xfffff000 | 0 });
    expect(dec(asm.auipc(6, 0x12345))).to.include({ op: OP.AUIPC, rd: 6, imm: 0x12345000 });
    expect(dec(asm.jal(1, -4))).to.include({ op: OP.JAL, rd: 1, imm: -4 });
    expect(dec(asm.jal(1, 0xffffe))).to.include({ imm: 0xffffe });
    expect(dec(asm.jal(1, 0x800))).to.include({ imm: 0x800 });
    expect(dec(asm.jal(1, 0x7fe))).to.include({ imm: 0x7fe });
    expect(dec(asm.jal(1, -0x100000))).to.include({ imm: -0x100000 });
  });

  it("rd = x0 decodes to the scratch slot 32", () => {
    expect(dec(asm.addi(0, 1, 1)).rd).to.equal(32);
    expect(dec(asm.addi(31, 1, 1)).rd).to.equal(31);
  });

  it("JALR only with funct3 0; I-immediate sign-extends", () => {
    expect(dec(asm.jalr(1, 2, -2048))).to.include({ op: OP.JALR, rd: 1, rs1: 2, imm: -2048 });
    expect(dec(asm.jalr(1, 2, 2047))).to.include({ imm: 2047 });
    expect(dec(encodeI(0x67, 1, 1, 2, 4))).to.include({ op: OP.TRAP, imm: 0 });
  });

  it("branches by funct3, with the B-immediate; funct3 2 and 3 trap", () => {
    const ops = [OP.BEQ, OP.BNE, OP.TRAP, OP.TRAP, OP.BLT, OP.BGE, OP.BLTU, OP.BGEU];
    for (let f3 = 0; f3 < 8; f3++) {
      const w = (asm.beq(3, 4, -8) & ~(7 << 12)) | (f3 << 12);
      expect(dec(w), `f3 ${f3}`).to.include({ op: ops[f3], imm: ops[f3] === OP.TRAP ? 0 : -8 });
    }
    expect(dec(asm.bne(3, 4, 4094))).to.include({ op: OP.BNE, rs1: 3, rs2: 4, imm: 4094 });
    expect(dec(asm.bne(3, 4, 0x800))).to.include({ imm: 0x800 });
    expect(dec(asm.bne(3, 4, 0x7e0))).to.include({ imm: 0x7e0 });
    expect(dec(asm.bne(3, 4, 0x1e))).to.include({ imm: 0x1e });
    expect(dec(asm.bne(3, 4, -4096))).to.include({ imm: -4096 });
  });

  it("loads and stores by funct3; the others trap", () => {
    const loads = [OP.LB, OP.LH, OP.LW, OP.TRAP, OP.LBU, OP.LHU, OP.TRAP, OP.TRAP];
    const stores = [OP.SB, OP.SH, OP.SW, OP.TRAP, OP.TRAP, OP.TRAP, OP.TRAP, OP.TRAP];
    for (let f3 = 0; f3 < 8; f3++) {
      expect(dec(encodeI(0x03, 7, f3, 8, -3)), `load f3 ${f3}`).to.include({
        op: loads[f3],
        imm: loads[f3] === OP.TRAP ? 0 : -3,
      });
      const s = (asm.sw(9, 8, -3) & ~(7 << 12)) | (f3 << 12);
      expect(dec(s), `store f3 ${f3}`).to.include({ op: stores[f3], imm: stores[f3] === OP.TRAP ? 0 : -3 });
    }
    expect(dec(asm.sw(9, 8, 2047))).to.include({ op: OP.SW, rs1: 8, rs2: 9, imm: 2047 });
    expect(dec(asm.sb(9, 8, 0x1f))).to.include({ imm: 0x1f });
    expect(dec(asm.sb(9, 8, 0x7e0))).to.include({ imm: 0x7e0 });
    expect(dec(asm.lw(7, 8, 2047))).to.include({ op: OP.LW, rd: 7, rs1: 8, imm: 2047 });
  });

  it("OP-IMM: every funct3, shifts take shamt and need funct7 0 (or 0x20 for SRAI)", () => {
    expect(dec(asm.addi(1, 2, -1))).to.include({ op: OP.ADDI, rs1: 2, imm: -1 });
    expect(dec(asm.slti(1, 2, 5))).to.include({ op: OP.SLTI, imm: 5 });
    expect(dec(asm.sltiu(1, 2, -5))).to.include({ op: OP.SLTIU, imm: -5 });
    expect(dec(asm.xori(1, 2, 5))).to.include({ op: OP.XORI, imm: 5 });
    expect(dec(asm.ori(1, 2, 5))).to.include({ op: OP.ORI, imm: 5 });
    expect(dec(asm.andi(1, 2, 5))).to.include({ op: OP.ANDI, imm: 5 });
    expect(dec(asm.slli(1, 2, 31))).to.include({ op: OP.SLLI, imm: 31 });
    expect(dec(asm.srli(1, 2, 17))).to.include({ op: OP.SRLI, imm: 17 });
    expect(dec(asm.srai(1, 2, 17))).to.include({ op: OP.SRAI, imm: 17 });
    expect(dec(encodeR(0x13, 1, 1, 2, 3, 0x20))).to.include({ op: OP.TRAP, imm: 0 });
    expect(dec(encodeR(0x13, 1, 5, 2, 3, 0x01))).to.include({ op: OP.TRAP, imm: 0 });
  });

  it("OP: base, M extension and the funct7 0x20 pair; anything else traps", () => {
    const base = [OP.ADD, OP.SLL, OP.SLT, OP.SLTU, OP.XOR, OP.SRL, OP.OR, OP.AND];
    const m = [OP.MUL, OP.MULH, OP.MULHSU, OP.MULHU, OP.DIV, OP.DIVU, OP.REM, OP.REMU];
    for (let f3 = 0; f3 < 8; f3++) {
      expect(dec(encodeR(0x33, 1, f3, 2, 3, 0)).op, `f3 ${f3}`).to.equal(base[f3]);
      expect(dec(encodeR(0x33, 1, f3, 2, 3, 1)).op, `M f3 ${f3}`).to.equal(m[f3]);
      const alt = f3 === 0 ? OP.SUB : f3 === 5 ? OP.SRA : OP.TRAP;
      expect(dec(encodeR(0x33, 1, f3, 2, 3, 0x20)).op, `0x20 f3 ${f3}`).to.equal(alt);
      expect(dec(encodeR(0x33, 1, f3, 2, 3, 0x02)).op).to.equal(OP.TRAP);
    }
    expect(dec(asm.sub(4, 5, 6))).to.include({ rd: 4, rs1: 5, rs2: 6, imm: 0 });
  });

  it("FENCE with funct3 0 or 1, ECALL only as 0x73; EBREAK, CSRs and unknown opcodes trap", () => {
    expect(dec(asm.fence()).op).to.equal(OP.FENCE);
    expect(dec(encodeI(0x0f, 0, 1, 0, 0)).op).to.equal(OP.FENCE);
    expect(dec(encodeI(0x0f, 0, 2, 0, 0)).op).to.equal(OP.TRAP);
    expect(dec(asm.ecall()).op).to.equal(OP.ECALL);
    expect(dec(asm.ebreak()).op).to.equal(OP.TRAP);
    expect(dec(encodeI(0x73, 1, 1, 2, 0x300)).op).to.equal(OP.TRAP);
    expect(dec(0x0000007f).op).to.equal(OP.TRAP);
    expect(dec(0)).to.include({ op: OP.TRAP, imm: 0 });
  });
});
