// Strict RV32IM decoder (spec §1.5) into the interpreter's pre-decoded form.
//
// A decoded instruction is two int32s: `w = op | rd << 8 | rs1 << 16 | rs2 << 24`
// and `imm`. rd = 0 is mapped to 32, a scratch register slot, so the
// interpreter never needs an `rd != 0` test. op 0 means "not decoded yet";
// the op numbers below are written as literals in the interpreter's switch
// (so V8 builds a jump table), keep both in step.

export const OP = {
  UNDECODED: 0,
  TRAP: 1,
  LUI: 2,
  AUIPC: 3,
  JAL: 4,
  JALR: 5,
  BEQ: 6,
  BNE: 7,
  BLT: 8,
  BGE: 9,
  BLTU: 10,
  BGEU: 11,
  LB: 12,
  LH: 13,
  LW: 14,
  LBU: 15,
  LHU: 16,
  SB: 17,
  SH: 18,
  SW: 19,
  ADDI: 20,
  SLTI: 21,
  SLTIU: 22,
  XORI: 23,
  ORI: 24,
  ANDI: 25,
  SLLI: 26,
  SRLI: 27,
  SRAI: 28,
  ADD: 29,
  SUB: 30,
  SLL: 31,
  SLT: 32,
  SLTU: 33,
  XOR: 34,
  SRL: 35,
  SRA: 36,
  OR: 37,
  AND: 38,
  MUL: 39,
  MULH: 40,
  MULHSU: 41,
  MULHU: 42,
  DIV: 43,
  DIVU: 44,
  REM: 45,
  REMU: 46,
  FENCE: 47,
  ECALL: 48,
} as const;

const BRANCH_OPS = [OP.BEQ, OP.BNE, 0, 0, OP.BLT, OP.BGE, OP.BLTU, OP.BGEU];
const LOAD_OPS = [OP.LB, OP.LH, OP.LW, 0, OP.LBU, OP.LHU, 0, 0];
const STORE_OPS = [OP.SB, OP.SH, OP.SW, 0, 0, 0, 0, 0];
const OPIMM_OPS = [OP.ADDI, OP.SLLI, OP.SLTI, OP.SLTIU, OP.XORI, OP.SRLI, OP.ORI, OP.ANDI];
const OP_OPS = [OP.ADD, OP.SLL, OP.SLT, OP.SLTU, OP.XOR, OP.SRL, OP.OR, OP.AND];
const MULDIV_OPS = [OP.MUL, OP.MULH, OP.MULHSU, OP.MULHU, OP.DIV, OP.DIVU, OP.REM, OP.REMU];

const immI = (w: number) => w >> 20;
const immS = (w: number) => ((w >> 25) << 5) | ((w >>> 7) & 0x1f);
const immB = (w: number) =>
  ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 0x3f) << 5) | (((w >>> 8) & 0xf) << 1);
const immJ = (w: number) =>
  ((w >> 31) << 20) | (((w >>> 12) & 0xff) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 0x3ff) << 1);

/** Decodes `word` into `d[k]`, `d[k + 1]` (see header). */
export function decodeInto(word: number, d: Int32Array, k: number): void {
  const opcode = word & 0x7f;
  const rdRaw = (word >>> 7) & 31;
  const rd = rdRaw === 0 ? 32 : rdRaw;
  const f3 = (word >>> 12) & 7;
  const rs1 = (word >>> 15) & 31;
  const rs2 = (word >>> 20) & 31;
  const f7 = word >>> 25;
  let op: number = OP.TRAP;
  let imm = 0;
  switch (opcode) {
    case 0x37:
      op = OP.LUI;
      imm = word & 0xfffff000;
      break;
    case 0x17:
      op = OP.AUIPC;
      imm = word & 0xfffff000;
      break;
    case 0x6f:
      op = OP.JAL;
      imm = immJ(word);
      break;
    case 0x67:
      if (f3 === 0) {
        op = OP.JALR;
        imm = immI(word);
      }
      break;
    case 0x63:
      if (BRANCH_OPS[f3] !== 0) {
        op = BRANCH_OPS[f3];
        imm = immB(word);
      }
      break;
    case 0x03:
      if (LOAD_OPS[f3] !== 0) {
        op = LOAD_OPS[f3];
        imm = immI(word);
      }
      break;
    case 0x23:
      if (STORE_OPS[f3] !== 0) {
        op = STORE_OPS[f3];
        imm = immS(word);
      }
      break;
    case 0x13:
      if (f3 === 1) {
        if (f7 === 0) {
          op = OP.SLLI;
          imm = rs2;
        }
      } else if (f3 === 5) {
        if (f7 === 0) op = OP.SRLI;
        else if (f7 === 0x20) op = OP.SRAI;
        imm = rs2;
      } else {
        op = OPIMM_OPS[f3];
        imm = immI(word);
      }
      break;
    case 0x33:
      if (f7 === 0) op = OP_OPS[f3];
      else if (f7 === 1) op = MULDIV_OPS[f3];
      else if (f7 === 0x20) {
        if (f3 === 0) op = OP.SUB;
        else if (f3 === 5) op = OP.SRA;
      }
      break;
    case 0x0f:
      if (f3 === 0 || f3 === 1) op = OP.FENCE;
      break;
    case 0x73:
      if (word === 0x73) op = OP.ECALL;
      break;
  }
  if (op === OP.TRAP) imm = 0;
  d[k] = op | (rd << 8) | (rs1 << 16) | (rs2 << 24);
  d[k + 1] = imm;
}
