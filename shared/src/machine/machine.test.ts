import { expect } from "chai";
import { asm, imageFromWords } from "./asm.ts";
import { STATUS_EXITED, STATUS_RUNNING, STATUS_TRAPPED } from "./constants.ts";
import { createMachine } from "./createMachine.ts";
import { Machine } from "./machine.ts";
import { decodeState } from "./state.ts";
import { generateStepProof } from "./stepProof.ts";
import { machineWith, rng, stepChecked } from "./testUtil.ts";
import { stepTs, verifyStepTs } from "./verifyStep.ts";

const A = 1;
const B = 2;
const D = 3;

/** rd after one instruction `word` with x1 = a, x2 = b, checked against the verifier. */
function alu(word: number, a: number, b = 0): number {
  const m = machineWith([word], { [A]: a, [B]: b, [D]: 0x5a5a5a5a });
  stepChecked(m);
  expect(m.status).to.equal(STATUS_RUNNING);
  expect(m.pc).to.equal(0x1004);
  expect(m.step).to.equal(1);
  return m.reg(D);
}

describe("RV32IM interpreter: ALU", () => {
  const R = (op: (rd: number, rs1: number, rs2: number) => number, a: number, b: number) =>
    alu(op(D, A, B), a, b);
  it("ADD/SUB wrap", () => {
    expect(R(asm.add, 0x7fffffff, 1)).to.equal(0x80000000);
    expect(R(asm.add, 0xffffffff, 1)).to.equal(0);
    expect(R(asm.sub, 0, 1)).to.equal(0xffffffff);
    expect(R(asm.sub, 0x80000000, 1)).to.equal(0x7fffffff);
  });
  it("shifts use the low 5 bits of rs2", () => {
    expect(R(asm.sll, 1, 31)).to.equal(0x80000000);
    expect(R(asm.sll, 1, 33)).to.equal(2);
    expect(R(asm.srl, 0x80000000, 31)).to.equal(1);
    expect(R(asm.srl, 0x80000000, 36)).to.equal(0x08000000);
    expect(R(asm.sra, 0x80000000, 31)).to.equal(0xffffffff);
    expect(R(asm.sra, 0x80000000, 0x24)).to.equal(0xf8000000);
    expect(R(asm.sra, 0x40000000, 0xffffffe)).to.equal(0x1);
    expect(R(asm.sll, 0x12345678, 32)).to.equal(0x12345678);
  });
  it("SLT/SLTU compare signed and unsigned", () => {
    expect(R(asm.slt, 0xffffffff, 1)).to.equal(1);
    expect(R(asm.slt, 1, 0xffffffff)).to.equal(0);
    expect(R(asm.slt, 5, 5)).to.equal(0);
    expect(R(asm.sltu, 0xffffffff, 1)).to.equal(0);
    expect(R(asm.sltu, 1, 0xffffffff)).to.equal(1);
  });
  it("XOR/OR/AND", () => {
    expect(R(asm.xor, 0xff00ff00, 0x0ff00ff0)).to.equal(0xf0f0f0f0);
    expect(R(asm.or, 0xff00ff00, 0x0ff00ff0)).to.equal(0xfff0fff0);
    expect(R(asm.and, 0xff00ff00, 0x0ff00ff0)).to.equal(0x0f000f00);
  });
  it("MUL/MULH/MULHSU/MULHU signs", () => {
    expect(R(asm.mul, 0xffffffff, 0xffffffff)).to.equal(1);
    expect(R(asm.mul, 0x10000, 0x10000)).to.equal(0);
    expect(R(asm.mul, 123456789, 987654321)).to.equal(Number((123456789n * 987654321n) & 0xffffffffn));
    expect(R(asm.mulh, 0xffffffff, 0xffffffff)).to.equal(0);
    expect(R(asm.mulh, 0x80000000, 0x80000000)).to.equal(0x40000000);
    expect(R(asm.mulh, 0xffffffff, 1)).to.equal(0xffffffff);
    expect(R(asm.mulh, 0x7fffffff, 0x80000000)).to.equal(0xc0000000);
    expect(R(asm.mulhsu, 0xffffffff, 0xffffffff)).to.equal(0xffffffff);
    expect(R(asm.mulhsu, 0x80000000, 2)).to.equal(0xffffffff);
    expect(R(asm.mulhsu, 2, 0x80000000)).to.equal(1);
    expect(R(asm.mulhsu, 0x80000000, 0xffffffff)).to.equal(0x80000000);
    expect(R(asm.mulhu, 0xffffffff, 0xffffffff)).to.equal(0xfffffffe);
    expect(R(asm.mulhu, 0x80000000, 2)).to.equal(1);
    // A zero operand: the signed corrections apply to negative operands only, never to 0.
    expect(R(asm.mulh, 0, 0x80000000)).to.equal(0);
    expect(R(asm.mulh, 0x80000000, 0)).to.equal(0);
    expect(R(asm.mulhsu, 0, 0xffffffff)).to.equal(0);
  });
  it("DIV/DIVU/REM/REMU incl. division by zero and overflow", () => {
    expect(R(asm.div, 7, 0xfffffffe)).to.equal(0xfffffffd);
    expect(R(asm.div, 0xfffffff9, 2)).to.equal(0xfffffffd);
    expect(R(asm.div, 1234, 0)).to.equal(0xffffffff);
    expect(R(asm.div, 0x80000000, 0xffffffff)).to.equal(0x80000000);
    expect(R(asm.divu, 0xffffffff, 2)).to.equal(0x7fffffff);
    expect(R(asm.divu, 1234, 0)).to.equal(0xffffffff);
    expect(R(asm.divu, 0x80000000, 0xffffffff)).to.equal(0);
    expect(R(asm.rem, 0xfffffff9, 2)).to.equal(0xffffffff);
    expect(R(asm.rem, 7, 0xfffffffe)).to.equal(1);
    expect(R(asm.rem, 1234, 0)).to.equal(1234);
    expect(R(asm.rem, 0xfffffff9, 0)).to.equal(0xfffffff9);
    expect(R(asm.rem, 0x80000000, 0xffffffff)).to.equal(0);
    expect(R(asm.remu, 0xffffffff, 10)).to.equal(5);
    expect(R(asm.remu, 0xfffffff9, 0)).to.equal(0xfffffff9);
  });
  it("immediate forms sign-extend the 12-bit immediate", () => {
    const I = (op: (rd: number, rs1: number, imm: number) => number, a: number, imm: number) =>
      alu(op(D, A, imm), a);
    expect(I(asm.addi, 5, -1)).to.equal(4);
    expect(I(asm.addi, 0xffffffff, 2047)).to.equal(2046);
    expect(I(asm.addi, 0, -2048)).to.equal(0xfffff800);
    expect(I(asm.slti, 0xfffffffe, -1)).to.equal(1);
    expect(I(asm.slti, 0, -1)).to.equal(0);
    expect(I(asm.slti, 0xfffffffb, -5)).to.equal(0); // equal is not less
    expect(I(asm.sltiu, 5, -1)).to.equal(1); // imm is 0xffffffff unsigned
    expect(I(asm.sltiu, 0xffffffff, -1)).to.equal(0);
    expect(I(asm.sltiu, 0, 1)).to.equal(1);
    expect(I(asm.xori, 0x12345678, -1)).to.equal(0xedcba987);
    expect(I(asm.ori, 0x10, -2048)).to.equal(0xfffff810);
    expect(I(asm.andi, 0xffffffff, -16)).to.equal(0xfffffff0);
    expect(I(asm.andi, 0xffffffff, 0x7ff)).to.equal(0x7ff);
    expect(I(asm.slli, 3, 31)).to.equal(0x80000000);
    expect(I(asm.srli, 0x80000000, 31)).to.equal(1);
    expect(I(asm.srai, 0x80000000, 31)).to.equal(0xffffffff);
    expect(I(asm.srai, 0x40000000, 30)).to.equal(1);
  });
  it("LUI and AUIPC", () => {
    expect(alu(asm.lui(D, 0xfffff), 0)).to.equal(0xfffff000);
    expect(alu(asm.lui(D, 0x12345), 0)).to.equal(0x12345000);
    expect(alu(asm.auipc(D, 0x1), 0)).to.equal(0x2000);
    expect(alu(asm.auipc(D, 0xfffff), 0)).to.equal(0x0000);
  });
  it("writes to x0 are discarded (ALU, LUI, JAL, loads)", () => {
    for (const w of [asm.addi(0, 0, 5), asm.lui(0, 1), asm.add(0, A, A), asm.jal(0, 4), asm.lw(0, A, 0)]) {
      const m = machineWith([w], { [A]: 0x2000 });
      stepChecked(m);
      expect(m.reg(0)).to.equal(0);
      expect(decodeState(m.encode()).regs[0]).to.equal(0x2000);
    }
  });
});

describe("RV32IM interpreter: control flow", () => {
  it("JAL links pc+4 and jumps forward and backward", () => {
    const m = machineWith([asm.jal(1, 8), asm.nop(), asm.jal(5, -8)]);
    stepChecked(m);
    expect(m.pc).to.equal(0x1008);
    expect(m.reg(1)).to.equal(0x1004);
    stepChecked(m);
    expect(m.pc).to.equal(0x1000);
    expect(m.reg(5)).to.equal(0x100c);
  });
  it("JALR clears bit 0, computes the target before linking (rd = rs1)", () => {
    const m = machineWith([asm.jalr(1, 1, 5)], { 1: 0x2003 });
    stepChecked(m);
    expect(m.pc).to.equal(0x2008);
    expect(m.reg(1)).to.equal(0x1004);
    const n = machineWith([asm.jalr(2, 1, -1)], { 1: 0x3000 });
    stepChecked(n);
    expect(n.pc).to.equal(0x2ffe); // bit 0 cleared, not 4-aligned: traps next step
    stepChecked(n);
    expect(n.status).to.equal(STATUS_TRAPPED);
    expect(n.pc).to.equal(0x2ffe);
    expect(n.step).to.equal(2);
  });
  it("every branch taken and not taken, forward and backward", () => {
    const cases: [string, (a: number, b: number, off: number) => number, number, number, boolean][] = [
      ["beq", asm.beq, 5, 5, true],
      ["beq", asm.beq, 5, 6, false],
      ["bne", asm.bne, 5, 6, true],
      ["bne", asm.bne, 5, 5, false],
      ["blt", asm.blt, 0xffffffff, 0, true],
      ["blt", asm.blt, 0, 0xffffffff, false],
      ["bge", asm.bge, 0, 0xffffffff, true],
      ["bge", asm.bge, 3, 3, true],
      ["bge", asm.bge, 0x80000000, 0, false],
      ["bltu", asm.bltu, 0, 0xffffffff, true],
      ["bltu", asm.bltu, 0xffffffff, 0, false],
      ["bltu", asm.bltu, 0x80000000, 0x80000000, false],
      ["bgeu", asm.bgeu, 0xffffffff, 0, true],
      ["bgeu", asm.bgeu, 0x80000000, 0x80000000, true],
      ["bgeu", asm.bgeu, 0, 1, false],
    ];
    for (const [name, op, a, b, taken] of cases) {
      for (const off of [16, -16, 4094 - 2, -4096]) {
        const m = machineWith([op(A, B, off)], { [A]: a, [B]: b }, 0x4000);
        stepChecked(m);
        expect(m.pc, `${name} ${a} ${b} ${off}`).to.equal(taken ? 0x4000 + off : 0x4004);
      }
    }
  });
  it("a branch to a misaligned target traps on the next step, not on the branch", () => {
    // A valid instruction in the word the misaligned pc points into: it must not run.
    const m = machineWith([asm.beq(0, 0, 6), asm.addi(A, A, 1)]);
    stepChecked(m);
    expect(m.status).to.equal(STATUS_RUNNING);
    expect(m.pc).to.equal(0x1006);
    stepChecked(m);
    expect(m.status).to.equal(STATUS_TRAPPED);
    expect(m.exitCode).to.equal(0);
  });
  it("a misaligned pc traps wherever it is, also in page 0 and as the first step of a run", () => {
    for (const pc of [0x1001, 0x1002, 0x1003, 0x1, 0x5, 0xffd, 0xfffffffe]) {
      const m = machineWith([asm.addi(A, A, 1), asm.addi(A, A, 1)]);
      m.mem.store32(0, asm.addi(A, A, 1));
      m.mem.store32(0xffc, asm.addi(A, A, 1));
      m.pc = pc;
      stepChecked(m);
      expect(m.status, `pc 0x${pc.toString(16)}`).to.equal(STATUS_TRAPPED);
      expect(m.reg(A)).to.equal(0);
    }
  });
  it("pc wraps at 2^32", () => {
    const m = machineWith([asm.jalr(0, A, 0)], { [A]: 0xfffffffc });
    m.mem.store32(0xfffffffc | 0, asm.jal(0, 8));
    stepChecked(m, 2);
    expect(m.pc).to.equal(4);
  });
});

describe("RV32IM interpreter: loads and stores", () => {
  const mem = (addrs: [number, number[]][]) => {
    return (m: ReturnType<typeof machineWith>) => {
      for (const [a, bytes] of addrs)
        for (let k = 0; k < bytes.length; k++) m.mem.store8((a + k) | 0, bytes[k]);
    };
  };
  const load = (word: number, base: number, bytes: number[], imm = 0) => {
    const m = machineWith([word], { [A]: base });
    mem([[(base + imm) | 0, bytes]])(m);
    stepChecked(m);
    return m.reg(D);
  };
  it("sign and zero extension", () => {
    expect(load(asm.lb(D, A, 0), 0x8000, [0x80])).to.equal(0xffffff80);
    expect(load(asm.lb(D, A, 0), 0x8000, [0x7f])).to.equal(0x7f);
    expect(load(asm.lbu(D, A, 0), 0x8000, [0x80])).to.equal(0x80);
    expect(load(asm.lh(D, A, 0), 0x8000, [0x01, 0x80])).to.equal(0xffff8001);
    expect(load(asm.lhu(D, A, 0), 0x8000, [0x01, 0x80])).to.equal(0x8001);
    expect(load(asm.lw(D, A, 0), 0x8000, [0x78, 0x56, 0x34, 0x12])).to.equal(0x12345678);
    expect(load(asm.lw(D, A, -4), 0x8004, [0x78, 0x56, 0x34, 0x92], -4)).to.equal(0x92345678);
    expect(load(asm.lb(D, A, 2047), 0x8000, [0xfe], 2047)).to.equal(0xfffffffe);
  });
  it("misaligned loads inside a leaf, across leaves, across pages, wrapping at 2^32", () => {
    for (const base of [0x8001, 0x801e, 0x803d, 0x8ffe, 0x8fff, 0xfffffffd, 0xfffffffe, 0xffffffff]) {
      expect(load(asm.lw(D, A, 0), base, [0x11, 0x22, 0x33, 0x84]), `lw 0x${base.toString(16)}`).to.equal(
        0x84332211,
      );
      expect(load(asm.lh(D, A, 0), base, [0x11, 0x82])).to.equal(0xffff8211);
      expect(load(asm.lhu(D, A, 0), base, [0x11, 0x82])).to.equal(0x8211);
    }
  });
  it("stores: SB/SH/SW write only their bytes, misaligned and wrapping too", () => {
    for (const base of [0x9000, 0x9001, 0x901f, 0x901e, 0x9ffd, 0xffffffff, 0xfffffffe]) {
      for (const [op, size] of [
        [asm.sb, 1],
        [asm.sh, 2],
        [asm.sw, 4],
      ] as const) {
        const m = machineWith([op(B, A, 0)], { [A]: base, [B]: 0x8899aabb });
        for (let k = -2; k < 6; k++) m.mem.store8((base + k) | 0, 0xee);
        stepChecked(m);
        const got = [];
        for (let k = -2; k < 6; k++) got.push(m.mem.load8((base + k) | 0));
        const want = [0xee, 0xee, 0xbb, 0xaa, 0x99, 0x88, 0xee, 0xee].map((v, k) =>
          k < 2 || k >= 2 + size ? 0xee : v,
        );
        expect(got, `size ${size} at 0x${base.toString(16)}`).to.deep.equal(want);
      }
    }
  });
  it("store then load round-trips with negative offsets", () => {
    const m = machineWith([asm.sw(B, A, -8), asm.lw(D, A, -8), asm.sh(B, A, -3), asm.lhu(4, A, -3)], {
      [A]: 0x20000,
      [B]: 0xdeadbeef,
    });
    stepChecked(m, 4);
    expect(m.reg(D)).to.equal(0xdeadbeef);
    expect(m.reg(4)).to.equal(0xbeef);
  });
  it("self-modifying code: a store into decoded code is seen by the next fetch", () => {
    // Loop body executes once as ADDI x3,x3,1, then rewrites itself to ADDI x3,x3,100.
    const patched = asm.addi(3, 3, 100);
    const m = machineWith(
      [
        asm.addi(3, 3, 1), // 0x1000
        asm.li(5, patched), // 0x1004, 0x1008
        asm.li(6, 0x1000), // 0x100c, 0x1010
        asm.sw(5, 6, 0), // 0x1014
        asm.jal(0, -0x18), // 0x1018 -> 0x1000
      ],
      {},
    );
    m.run(7);
    expect(m.reg(3)).to.equal(1);
    m.run(1); // patched instruction
    expect(m.reg(3)).to.equal(101);
    // Same sequence, step by step with proofs.
    const n = machineWith([
      asm.addi(3, 3, 1),
      asm.li(5, patched),
      asm.li(6, 0x1000),
      asm.sw(5, 6, 0),
      asm.jal(0, -0x18),
    ]);
    stepChecked(n, 8);
    expect(n.reg(3)).to.equal(101);
  });
  it("stores into a data page that later becomes code, and into code being run, are all seen", () => {
    const patch = asm.addi(3, 3, 7);
    const words = [
      asm.li(6, 0x2000), // 0x1000
      asm.li(5, patch), // 0x1008
      asm.sw(5, 6, 8), // 0x1010: page 2 still plain data (fast path)
      asm.jalr(0, 6, 0), // 0x1014
    ];
    const page2 = [asm.addi(3, 3, 1), asm.sw(5, 6, 12), asm.nop(), asm.ecall(), asm.li(17, 93), asm.ecall()];
    const image = imageFromWords(words);
    const code2 = imageFromWords(page2, 0x2000).segments[0];
    const full = { entry: image.entry, segments: [...image.segments, code2] };
    const a = createMachine(full);
    a.run(100);
    expect(a.status).to.equal(STATUS_EXITED);
    expect(a.reg(3)).to.equal(15);
    const b = createMachine(full);
    stepChecked(b, 13);
    expect(b.status).to.equal(STATUS_EXITED);
    expect(b.stateHash()).to.equal(a.stateHash());
  });

  it("misaligned store patching two decoded instructions", () => {
    const m = machineWith([asm.sw(B, A, 2), asm.nop(), asm.nop(), asm.li(17, 93), asm.ecall()], {
      [A]: 0x1004,
      [B]: 0x00930000 | 0, // bytes 00 00 93 00: upper half of word 1, lower half of word 2
    });
    m.run(1);
    // Word at 0x1004 becomes 0x00000013 & 0xffff | 0x0000 << 16 -> 0x0013, word at 0x1008 -> 0x0093_0000>>16...
    const w1 = m.mem.load32(0x1004) >>> 0;
    const w2 = m.mem.load32(0x1008) >>> 0;
    expect(w1).to.equal(0x00000013);
    expect(w2).to.equal(0x00000093); // addi x1, x0, 0 encoded as 0x00000093
    m.run(2);
    expect(m.pc).to.equal(0x100c);
  });
});

describe("RV32IM interpreter: system, traps, halting", () => {
  it("ECALL 93 and 94 exit with a0, pc unchanged, step counted", () => {
    for (const nr of [93, 94]) {
      const m = machineWith([asm.ecall()], { 17: nr, 10: 0xfffffff0 });
      stepChecked(m);
      expect(m.status).to.equal(STATUS_EXITED);
      expect(m.exitCode).to.equal(0xfffffff0);
      expect(m.pc).to.equal(0x1000);
      expect(m.step).to.equal(1);
    }
  });
  it("any other ECALL returns ENOSYS (-38) in a0 and continues", () => {
    for (const nr of [0, 64, 92, 95, 0xffffffff]) {
      const m = machineWith([asm.ecall()], { 17: nr, 10: 7 });
      stepChecked(m);
      expect(m.status).to.equal(STATUS_RUNNING);
      expect(m.reg(10)).to.equal(0xffffffda);
      expect(m.pc).to.equal(0x1004);
    }
  });
  it("FENCE and FENCE.I are no-ops (other fields ignored)", () => {
    for (const w of [asm.fence(), asm.fenceI(), 0xffff8f8f, 0x0000100f | (31 << 7)]) {
      const m = machineWith([w], { 1: 9 });
      stepChecked(m);
      expect(m.pc).to.equal(0x1004);
      expect(m.status).to.equal(STATUS_RUNNING);
    }
  });
  it("every trap class halts TRAPPED with pc, registers and memory unchanged", () => {
    const traps: [string, number][] = [
      ["all zero (compressed)", 0x00000000],
      ["all ones", 0xffffffff],
      ["compressed c.addi", 0x00000505],
      ["custom-0 opcode", 0x0000000b],
      ["EBREAK", asm.ebreak()],
      ["CSRRW", 0x30001073],
      ["CSRRS cycle", 0xc0002073],
      ["MRET", 0x30200073],
      ["WFI", 0x10500073],
      ["ECALL with rd set", 0x000000f3],
      ["JALR funct3 1", 0x00009067],
      ["BRANCH funct3 2", 0x00002063],
      ["BRANCH funct3 3", 0x00003063],
      ["LOAD funct3 3", 0x00003003],
      ["LOAD funct3 6", 0x00006003],
      ["LOAD funct3 7", 0x00007003],
      ["STORE funct3 3", 0x00003023],
      ["STORE funct3 4", 0x00004023],
      ["SLLI funct7 1", 0x02009093],
      ["SRLI funct7 0x10", 0x2000d093],
      ["SRAI funct7 0x21", 0x4200d093],
      ["OP funct7 0x20 funct3 1", 0x40001033],
      ["OP funct7 0x02", 0x04000033],
      ["OP funct7 0x40", 0x80000033],
      ["MISC-MEM funct3 2", 0x0000200f],
      ["AMO opcode", 0x0000202f],
      ["FP load", 0x00002007],
    ];
    for (const [name, w] of traps) {
      const m = machineWith([w], { 1: 0x1234, 10: 5, 17: 93 });
      const before = decodeState(m.encode());
      stepChecked(m);
      const after = decodeState(m.encode());
      expect(after.status, name).to.equal(STATUS_TRAPPED);
      expect(after.step).to.equal(1n);
      expect(after.pc).to.equal(before.pc);
      expect(after.regs).to.deep.equal(before.regs);
      expect(after.memRoot).to.deep.equal(before.memRoot);
      expect(after.exitCode).to.equal(0);
    }
  });
  it("a halted machine is the identity and its step counter is frozen", () => {
    const m = machineWith([asm.ecall()], { 17: 93, 10: 3 });
    m.run(10);
    expect(m.step).to.equal(1);
    const h = m.stateHash();
    expect(m.run(1000)).to.equal(0);
    expect(m.stateHash()).to.equal(h);
    const d = generateStepProof(m);
    expect(d.proof.length).to.equal(0);
    expect(d.postStateHash).to.equal(h);
    expect(verifyStepTs(d.preState, d.proof)).to.equal(h);
    expect(stepTs(d.preState, d.proof)).to.deep.equal(d.preState);
  });
  it("run(n) counts steps exactly and stops at the budget", () => {
    const m = machineWith([asm.addi(1, 1, 1), asm.jal(0, -4)]);
    expect(m.run(1001)).to.equal(1001);
    expect(m.step).to.equal(1001);
    expect(m.reg(1)).to.equal(501);
  });
});

describe("RV32IM interpreter vs TS verifier on random instruction words", () => {
  it("agrees on random words with random registers (traps, ALU, memory)", () => {
    const count = Number(process.env.VERDICT_FUZZ_STEPS ?? 1500);
    const r = rng(0xc0ffee);
    const gens = [
      () => r(), // anything, usually traps
      () => asm.addi(r() & 31, r() & 31, r()),
      () => ((r() & 0xfe0ff000) | 0x33 | ((r() & 31) << 7)) >>> 0,
      () => ((r() & 0x01fff000) | 0x33 | ((r() & 1) << 30) | ((r() & 31) << 7)) >>> 0,
      () => ((r() & 0xfffff000) | 0x13 | ((r() & 31) << 7)) >>> 0,
      () => asm.lw(r() & 31, r() & 31, r()),
      () => asm.lh(r() & 31, r() & 31, r()),
      () => asm.lb(r() & 31, r() & 31, r()),
      () => asm.lbu(r() & 31, r() & 31, r()),
      () => asm.lhu(r() & 31, r() & 31, r()),
      () => asm.sw(r() & 31, r() & 31, r()),
      () => asm.sh(r() & 31, r() & 31, r()),
      () => asm.sb(r() & 31, r() & 31, r()),
      () => ((r() & 0xfffff000) | 0x03 | ((r() & 31) << 7)) >>> 0,
      () => ((r() & 0xfffff000) | 0x23 | ((r() & 31) << 7)) >>> 0,
      () => ((r() & 0xfffff000) | 0x63 | ((r() & 31) << 7)) >>> 0,
      () => ((r() & 0xfffff000) | 0x0f | ((r() & 31) << 7)) >>> 0,
      () => ((r() & 0xfffff000) | 0x73 | ((r() & 31) << 7)) >>> 0,
      () => asm.jalr(r() & 31, r() & 31, r()),
      () => asm.jal(r() & 31, r() & 0x1ffffe),
      () => asm.lui(r() & 31, r()),
      () => asm.auipc(r() & 31, r()),
      () => asm.ecall(),
    ];
    const special = [0, 1, 0xffffffff, 0x80000000, 0x7fffffff, 0xfffffffe, 0x1fff, 0x1fe0, 0xffffffe0, 0xfff];
    const m = machineWith([asm.nop()], {}, 0x10000);
    for (let k = 0; k < count; k++) {
      const word = gens[r() % gens.length]() >>> 0;
      for (let i = 1; i < 32; i++) m.setReg(i, r() % 4 === 0 ? special[r() % special.length] : r());
      if (r() % 3 === 0) m.setReg(17, 93 + (r() & 1));
      // A fresh pc each time (sometimes near the end of a page or the address space).
      const pc =
        r() % 8 === 0 ? (0xfffff000 + ((r() & 0x3ff) << 2)) >>> 0 : (0x10000 + ((r() & 0xffff) << 2)) >>> 0;
      m.mem.store32(pc | 0, word);
      m.mem.store32(m.reg(5 + (r() & 3)) | 0, r());
      m.pc = pc;
      m.status = STATUS_RUNNING;
      m.exitCode = 0;
      stepChecked(m);
    }
  });
});

describe("RV32IM interpreter: one long run equals the verifier stepped one instruction at a time", () => {
  // stepChecked runs one instruction per call of the interpreter loop, so the loop's caches (the
  // decode page, the page last loaded from, the writable page last stored to) start cold each time.
  // Here one call runs hundreds of loads and stores over the same few pages (page 1, both sides of a
  // page end, a page holding code, pages shared with a snapshot) and must end, and pass through a
  // cut, exactly where the verifier, stepped one instruction at a time, does.
  it("random load/store programs over a few pages, cut once and snapshotted", () => {
    const rounds = Number(process.env.VERDICT_FUZZ_ROUNDS ?? 16);
    const r = rng(0x10ad5);
    const CODE = 0x3000;
    const LEN = 240;
    const bases = [5, 6, 7, 8];
    const imms = [-8, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 6, 7, 8, 12, 15];
    const reg = () => 9 + (r() % 7);
    const base = () => bases[r() % bases.length];
    const imm = () => imms[r() % imms.length];
    const ops = [
      () => asm.lb(reg(), base(), imm()),
      () => asm.lh(reg(), base(), imm()),
      () => asm.lw(reg(), base(), imm()),
      () => asm.lbu(reg(), base(), imm()),
      () => asm.lhu(reg(), base(), imm()),
      () => asm.sb(r() % 8 === 0 ? 0 : reg(), base(), imm()),
      () => asm.sh(reg(), base(), imm()),
      () => asm.sw(reg(), base(), imm()),
      () => asm.sw(reg(), base(), imm() & ~3),
      () => asm.add(reg(), reg(), reg()),
      () => {
        const b = base();
        return asm.addi(b, b, [-4, -1, 1, 4][r() % 4]);
      },
    ];
    for (let round = 0; round < rounds; round++) {
      // Page 1 first: a load, then a store, before any other page is touched (the caches' start values).
      const words = [asm.lw(reg(), 5, 0), asm.sw(reg(), 5, 4)];
      for (let i = 0; i < LEN; i++) words.push(ops[r() % ops.length]());
      words.push(asm.addi(17, 0, 93), asm.ecall());
      // x7 points past the program's end into its own page: stores there hit a page holding code.
      const regs: Record<number, number> = {
        5: 0x1000 + 4 * (r() % 8),
        6: 0x4ff8,
        7: CODE + 4 * words.length + 64,
        8: 0x5000 + 4 * (r() % 8),
      };
      for (let i = 9; i < 16; i++) regs[i] = r();
      const fresh = () => {
        const m = machineWith(words, regs, CODE);
        const d = rng(round + 1);
        for (const [from, to] of [
          [0x1000, 0x1100],
          [0x4f00, 0x5100],
        ])
          for (let a = from; a < to; a += 4) m.mem.store32(a, d());
        return m;
      };
      const stepped = fresh();
      const hashes = [stepped.stateHash()];
      while (!stepped.halted) {
        stepChecked(stepped);
        hashes.push(stepped.stateHash());
      }
      expect(stepped.step, `round ${round}`).to.equal(words.length);

      const run = fresh();
      const atStart = run.snapshot(); // every page shared: the first store into each copies it
      const cut = 1 + (r() % (words.length - 2));
      expect(run.interpret(cut), `round ${round}`).to.equal(cut);
      expect(run.stateHash(), `round ${round}, after ${cut} steps`).to.equal(hashes[cut]);
      const atCut = run.snapshot();
      expect(run.interpret(10 * words.length), `round ${round}`).to.equal(words.length - cut);
      expect(run.status).to.equal(STATUS_EXITED);
      expect(run.stateHash(), `round ${round}, at the end`).to.equal(hashes[words.length]);
      // What the snapshots hold was not touched by the stores that came after them.
      expect(Machine.fromSnapshot(atStart).stateHash(), `round ${round}`).to.equal(hashes[0]);
      expect(Machine.fromSnapshot(atCut).stateHash(), `round ${round}`).to.equal(hashes[cut]);
    }
  });

  it("counts steps exactly across the loop's internal chunks (2^20 steps a chunk)", () => {
    const m = machineWith([asm.addi(A, A, 1), asm.jal(0, -4)]);
    const budget = 2 ** 20 * 2 + 5;
    expect(m.interpret(budget)).to.equal(budget);
    expect(m.step).to.equal(budget);
    expect(m.reg(A)).to.equal(Math.ceil(budget / 2));
    expect(m.pc).to.equal(0x1004);
    expect(m.status).to.equal(STATUS_RUNNING);
  });
});
