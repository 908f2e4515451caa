// A tiny RV32IM assembler for tests and test vectors: one encoder per
// instruction format and one helper per instruction, all returning the 32-bit
// instruction word as a uint32. Offsets of branches and jumps are byte
// offsets relative to the instruction, as in assembly source.

import type { ProgramImage } from "../elf/types.ts";

const r5 = (r: number) => {
  if (!Number.isInteger(r) || r < 0 || r > 31) throw new RangeError(`register x${r} out of range`);
  return r;
};

/** R-type: funct7 | rs2 | rs1 | funct3 | rd | opcode. */
export function encodeR(
  opcode: number,
  rd: number,
  f3: number,
  rs1: number,
  rs2: number,
  f7: number,
): number {
  return ((f7 << 25) | (r5(rs2) << 20) | (r5(rs1) << 15) | (f3 << 12) | (r5(rd) << 7) | opcode) >>> 0;
}

/** I-type with a 12-bit signed immediate (only its low 12 bits are encoded). */
export function encodeI(opcode: number, rd: number, f3: number, rs1: number, imm: number): number {
  return (((imm & 0xfff) << 20) | (r5(rs1) << 15) | (f3 << 12) | (r5(rd) << 7) | opcode) >>> 0;
}

export function encodeS(opcode: number, f3: number, rs1: number, rs2: number, imm: number): number {
  return (
    ((((imm >> 5) & 0x7f) << 25) |
      (r5(rs2) << 20) |
      (r5(rs1) << 15) |
      (f3 << 12) |
      ((imm & 0x1f) << 7) |
      opcode) >>>
    0
  );
}

/** B-type; `off` is a signed even byte offset (13 bits). */
export function encodeB(opcode: number, f3: number, rs1: number, rs2: number, off: number): number {
  return (
    ((((off >> 12) & 1) << 31) |
      (((off >> 5) & 0x3f) << 25) |
      (r5(rs2) << 20) |
      (r5(rs1) << 15) |
      (f3 << 12) |
      (((off >> 1) & 0xf) << 8) |
      (((off >> 11) & 1) << 7) |
      opcode) >>>
    0
  );
}

/** U-type; `imm20` is the value of bits [31:12]. */
export function encodeU(opcode: number, rd: number, imm20: number): number {
  return (((imm20 & 0xfffff) << 12) | (r5(rd) << 7) | opcode) >>> 0;
}

/** J-type; `off` is a signed even byte offset (21 bits). */
export function encodeJ(opcode: number, rd: number, off: number): number {
  return (
    ((((off >> 20) & 1) << 31) |
      (((off >> 1) & 0x3ff) << 21) |
      (((off >> 11) & 1) << 20) |
      (((off >> 12) & 0xff) << 12) |
      (r5(rd) << 7) |
      opcode) >>>
    0
  );
}

const R = (f3: number, f7: number) => (rd: number, rs1: number, rs2: number) =>
  encodeR(0x33, rd, f3, rs1, rs2, f7);
const I = (opcode: number, f3: number) => (rd: number, rs1: number, imm: number) =>
  encodeI(opcode, rd, f3, rs1, imm);
const SH = (f3: number, f7: number) => (rd: number, rs1: number, shamt: number) =>
  encodeR(0x13, rd, f3, rs1, shamt & 31, f7);
const S = (f3: number) => (rs2: number, rs1: number, imm: number) => encodeS(0x23, f3, rs1, rs2, imm);
const B = (f3: number) => (rs1: number, rs2: number, off: number) => encodeB(0x63, f3, rs1, rs2, off);

/** Instruction helpers, operand order as in assembly (`sw rs2, imm(rs1)` is `sw(rs2, rs1, imm)`). */
export const asm = {
  lui: (rd: number, imm20: number) => encodeU(0x37, rd, imm20),
  auipc: (rd: number, imm20: number) => encodeU(0x17, rd, imm20),
  jal: (rd: number, off: number) => encodeJ(0x6f, rd, off),
  jalr: (rd: number, rs1: number, imm: number) => encodeI(0x67, rd, 0, rs1, imm),
  beq: B(0),
  bne: B(1),
  blt: B(4),
  bge: B(5),
  bltu: B(6),
  bgeu: B(7),
  lb: I(0x03, 0),
  lh: I(0x03, 1),
  lw: I(0x03, 2),
  lbu: I(0x03, 4),
  lhu: I(0x03, 5),
  sb: S(0),
  sh: S(1),
  sw: S(2),
  addi: I(0x13, 0),
  slti: I(0x13, 2),
  sltiu: I(0x13, 3),
  xori: I(0x13, 4),
  ori: I(0x13, 6),
  andi: I(0x13, 7),
  slli: SH(1, 0),
  srli: SH(5, 0),
  srai: SH(5, 0x20),
  add: R(0, 0),
  sub: R(0, 0x20),
  sll: R(1, 0),
  slt: R(2, 0),
  sltu: R(3, 0),
  xor: R(4, 0),
  srl: R(5, 0),
  sra: R(5, 0x20),
  or: R(6, 0),
  and: R(7, 0),
  mul: R(0, 1),
  mulh: R(1, 1),
  mulhsu: R(2, 1),
  mulhu: R(3, 1),
  div: R(4, 1),
  divu: R(5, 1),
  rem: R(6, 1),
  remu: R(7, 1),
  fence: () => 0x0ff0000f,
  fenceI: () => 0x0000100f,
  ecall: () => 0x00000073,
  ebreak: () => 0x00100073,
  nop: () => encodeI(0x13, 0, 0, 0, 0),
  /** `li rd, value` as LUI + ADDI (always two words, so layouts are predictable). */
  li: (rd: number, value: number): [number, number] => {
    const v = value | 0;
    const lo = (v << 20) >> 20;
    const hi = ((v - lo) >>> 12) & 0xfffff;
    return [encodeU(0x37, rd, hi), encodeI(0x13, rd, 0, rd, lo)];
  },
};

/** Instruction words as little-endian bytes. */
export function assemble(words: readonly (number | readonly number[])[]): Uint8Array {
  const flat = words.flat() as number[];
  const out = new Uint8Array(flat.length * 4);
  const v = new DataView(out.buffer);
  flat.forEach((w, i) => {
    v.setUint32(i * 4, w >>> 0, true);
  });
  return out;
}

/** A one-segment program image with the code at `base` and the entry at its start. */
export function imageFromWords(words: readonly (number | readonly number[])[], base = 0x1000): ProgramImage {
  const data = assemble(words);
  return { entry: base, segments: [{ vaddr: base, data, memSize: data.length, flags: 5 }] };
}
