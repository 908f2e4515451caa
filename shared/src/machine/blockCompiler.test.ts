// Differential tests of the block compiler against the reference interpreter:
// state hashes equal at random steps and at halt on every example guest, on
// self-modifying code and on random instruction streams (traps, ECALLs,
// misaligned jumps, stores into code), trace building with either engine, and
// fault injection proving a wrong translation of any opcode is caught.
// `VERDICT_JIT_FUZZ=N` scales the random programs (default 300).

import { existsSync, readFileSync } from "node:fs";
import { expect } from "chai";
import { encodePriceReports } from "../../../guest/reference.ts";
import { loadElf } from "../elf/loadElf.ts";
import type { ProgramImage } from "../elf/types.ts";
import { asm, assemble, imageFromWords } from "./asm.ts";
import {
  compiledRegionCount,
  setStructuralFaultForTesting,
  setTranslationFaultForTesting,
} from "./blockCompiler.ts";
import { STATUS_EXITED, STATUS_RUNNING } from "./constants.ts";
import { createMachine } from "./createMachine.ts";
import { OP } from "./decode.ts";
import { Machine } from "./machine.ts";
import { rng } from "./testUtil.ts";
import { buildTrace } from "./trace.ts";

type Job = {
  image: ProgramImage;
  input?: Uint8Array;
  regs?: Record<number, number>;
  /** Code written after loading, where no ELF may load it (the I/O regions), and started there. */
  code?: { addr: number; bytes: Uint8Array };
};

function machineOf(job: Job, engine: "compiled" | "interpreter"): Machine {
  const m = createMachine(job.image, job.input);
  m.engine = engine;
  for (const [r, v] of Object.entries(job.regs ?? {})) m.setReg(Number(r), v);
  if (job.code) {
    m.mem.writeBytes(job.code.addr, job.code.bytes);
    m.pc = job.code.addr;
  }
  return m;
}

type DiffResult = {
  mismatch: string | null;
  steps: number;
  compiledSteps: number;
  halted: boolean;
  /** Stores that hit compiled code on the compiled side. */
  codeWrites: number;
};

/**
 * Runs the job on both engines, stopping at every position in `stops`
 * (ascending) and finally at `cap` or the halt, comparing state hashes at
 * each stop. Returns the first mismatch (null when none).
 */
function differential(job: Job, stops: readonly number[], cap: number): DiffResult {
  const ref = machineOf(job, "interpreter");
  const jit = machineOf(job, "compiled");
  for (const t of [...stops, cap]) {
    if (t > ref.step) ref.run(t - ref.step);
    if (t > jit.step) jit.run(t - jit.step);
    const a = ref.stateHash();
    const b = jit.stateHash();
    if (a !== b)
      return {
        mismatch: `at trace position ${t}: interpreter step ${ref.step} pc 0x${ref.pc.toString(16)} ${a}, compiled step ${jit.step} pc 0x${jit.pc.toString(16)} ${b}`,
        steps: ref.step,
        compiledSteps: jit.compiledSteps,
        halted: ref.halted,
        codeWrites: jit.mem.codeEpoch,
      };
    if (ref.halted) break;
  }
  return {
    mismatch: null,
    steps: ref.step,
    compiledSteps: jit.compiledSteps,
    halted: ref.halted,
    codeWrites: jit.mem.codeEpoch,
  };
}

function randomStops(r: () => number, count: number, max: number): number[] {
  const out: number[] = [];
  for (let k = 0; k < count; k++) out.push(r() % (max + 1));
  return out.sort((a, b) => a - b);
}

const GUEST = (name: string) => new URL(`../../../guest/examples/${name}/${name}.elf`, import.meta.url);
const text = (s: string) => new TextEncoder().encode(s);

describe("block compiler vs interpreter: example guests", () => {
  const reports = Array.from({ length: 40 }, (_, i) => ({
    sourceId: i,
    price: 200_000n + BigInt(((i * 7919) % 401) - 200),
    timestamp: 1_700_000_000n + BigInt(i),
  }));
  const inputs: Record<string, Uint8Array[]> = {
    cpubench: [new Uint8Array(0)],
    sha256: [new Uint8Array(0), text("abc"), text("The quick brown fox. ".repeat(300))],
    median: [encodePriceReports(reports), new Uint8Array([1, 0, 0]), encodePriceReports([])],
    echo: [text("hello, verdict\n"), new Uint8Array(Array.from({ length: 3000 }, (_, i) => (i * 31) & 255))],
  };
  for (const [name, list] of Object.entries(inputs)) {
    it(`${name}: equal state hash at random steps and at halt`, function () {
      if (!existsSync(GUEST(name))) this.skip();
      const image = loadElf(readFileSync(GUEST(name)));
      const r = rng(name.length * 1009);
      for (const input of list) {
        // Learn the length first, then stop at random positions inside it.
        const probe = machineOf({ image, input }, "interpreter");
        probe.run(2 ** 40);
        const steps = probe.step;
        const stops = randomStops(r, 24, steps);
        // Small gaps too: stops a few steps apart land inside blocks.
        for (let k = 0; k < 6; k++) {
          const t = r() % Math.max(1, steps - 300);
          stops.push(t + 64 + (r() % 7), t + 64 + 1 + (r() % 130));
        }
        stops.sort((a, b) => a - b);
        const res = differential({ image, input }, stops, 2 ** 40);
        expect(res.mismatch).to.equal(null);
        expect(res.halted).to.equal(true);
        if (steps > 100_000) expect(res.compiledSteps).to.be.greaterThan(steps / 2);
      }
    });
  }

  it("cpubench: a run of exactly t steps from step 0 stops at t for every t in [64, 400]", function () {
    if (!existsSync(GUEST("cpubench"))) this.skip();
    const image = loadElf(readFileSync(GUEST("cpubench")));
    const ref = machineOf({ image }, "interpreter");
    for (let t = 64; t <= 400; t++) {
      ref.run(t - ref.step);
      const jit = machineOf({ image }, "compiled");
      expect(jit.run(t)).to.equal(t);
      expect(jit.stateHash(), `t = ${t}`).to.equal(ref.stateHash());
    }
  });

  it("regions are cached per program image: a second machine compiles nothing new", function () {
    if (!existsSync(GUEST("sha256"))) this.skip();
    const image = loadElf(readFileSync(GUEST("sha256")));
    machineOf({ image, input: text("abc") }, "compiled").run(2 ** 40);
    const before = compiledRegionCount();
    const again = machineOf({ image, input: text("abc") }, "compiled");
    again.run(2 ** 40);
    expect(again.compiledSteps).to.be.greaterThan(0);
    expect(compiledRegionCount()).to.equal(before);
  });

  it("stopping at arbitrary steps adds no block starts (no recompilation per checkpoint)", function () {
    if (!existsSync(GUEST("cpubench"))) this.skip();
    const image = loadElf(readFileSync(GUEST("cpubench")));
    machineOf({ image }, "compiled").run(2 ** 40);
    const before = compiledRegionCount();
    const m = machineOf({ image }, "compiled");
    while (!m.halted) m.run(100_003);
    expect(compiledRegionCount()).to.equal(before);
  });

  it("buildTrace: both engines give the same checkpoints, result and T(t)", async function () {
    if (!existsSync(GUEST("sha256"))) this.skip();
    const image = loadElf(readFileSync(GUEST("sha256")));
    const input = text("checkpoint me ".repeat(100));
    const params = { image, input, depth: 22, checkpointInterval: 4099 };
    const a = await buildTrace({ ...params, engine: "interpreter" });
    const b = await buildTrace({ ...params, engine: "compiled" });
    expect(b.result.stateHash).to.equal(a.result.stateHash);
    expect(b.result.steps).to.equal(a.result.steps);
    const sa = a.exportCheckpoints().snapshots;
    const sb = b.exportCheckpoints().snapshots;
    expect(sb.length).to.equal(sa.length);
    for (let k = 0; k < sa.length; k++)
      expect(Machine.fromSnapshot(sb[k]).stateHash()).to.equal(Machine.fromSnapshot(sa[k]).stateHash());
    const r = rng(5);
    const steps = Number(a.result.steps);
    for (let k = 0; k < 10; k++) {
      const t = BigInt(r() % (steps + 10));
      expect(await b.get(t)).to.equal(await a.get(t));
    }
  });
});

// ---- self-modifying code ---------------------------------------------------

const EXIT = [asm.li(17, 93), asm.ecall()];

/** A loop whose every iteration rewrites the instruction right after the store, in the running block. */
function patchNextJob(): Job {
  const add1 = asm.addi(10, 10, 1);
  const add3 = asm.addi(10, 10, 3);
  // 0: x5 = 0, x6 = 300, x7 = add3, x11 = add1 ^ add3, x9 = &PATCH
  const words = [
    asm.li(5, 0),
    asm.li(6, 300),
    asm.li(7, add3),
    asm.li(11, add1 ^ add3),
    asm.auipc(9, 0),
    asm.addi(9, 9, 16), // x9 = address of PATCH (4 words after the auipc)
    asm.addi(5, 5, 1), // loop
    asm.sw(7, 9, 0),
    add1, // PATCH
    asm.xor(7, 7, 11),
    asm.blt(5, 6, -16),
    ...EXIT,
  ];
  return { image: imageFromWords(words) };
}

describe("block compiler vs interpreter: self-modifying code", () => {
  const check = (job: Job, expectA0?: number) => {
    const r = rng(3);
    const probe = machineOf(job, "interpreter");
    probe.run(1 << 22);
    expect(probe.status).to.equal(STATUS_EXITED);
    if (expectA0 !== undefined) expect(probe.exitCode).to.equal(expectA0 >>> 0);
    for (let rep = 0; rep < 4; rep++) {
      const res = differential(job, randomStops(r, 12, probe.step), 1 << 22);
      expect(res.mismatch).to.equal(null);
      expect(res.compiledSteps).to.be.greaterThan(0);
      expect(res.codeWrites, "stores must have hit compiled code").to.be.greaterThan(0);
    }
    const straight = machineOf(job, "compiled");
    straight.run(1 << 22);
    expect(straight.stateHash()).to.equal(probe.stateHash());
  };

  it("patches the next instruction of the running block every iteration", () => {
    // Iterations alternate +3, +1: 150 * 4.
    check(patchNextJob(), 600);
  });

  it("writes a function into another page, calls it, rewrites it, calls again", () => {
    const base = asm.addi(10, 10, 0);
    const words = [
      asm.li(5, 0), // counter
      asm.li(6, 200),
      asm.li(13, 0x8000), // where the function is written
      asm.li(14, base),
      asm.li(15, asm.jalr(0, 1, 0)),
      asm.sw(15, 13, 4), // ret
      asm.addi(5, 5, 1), // loop
      asm.slli(12, 5, 20),
      asm.add(12, 12, 14), // addi x10, x10, counter
      asm.sw(12, 13, 0),
      asm.jalr(1, 13, 0),
      asm.blt(5, 6, -20),
      ...EXIT,
    ];
    check({ image: imageFromWords(words) }, (200 * 201) / 2);
  });

  it("byte, halfword and misaligned word stores into code, and data stores beside code", () => {
    // TARGET is word 18; x9 = address of word 4, so TARGET is at x9 + 0x38.
    const words = [
      asm.li(5, 0),
      asm.li(6, 120),
      asm.auipc(9, 0),
      asm.addi(20, 20, 0),
      asm.addi(5, 5, 1), // 6: loop
      asm.andi(7, 5, 31),
      asm.sb(7, 9, 0x3b), // TARGET's immediate bits 11:4
      asm.sh(5, 9, 0x200), // data beside the code, same page and region, never executed
      asm.sw(5, 9, 0x201), // misaligned data store beside the code
      asm.lw(21, 9, 0x200),
      asm.add(20, 20, 21),
      asm.andi(8, 5, 7),
      asm.bne(8, 0, 16), // 14: every 8th iteration rewrite TARGET with a word store across two instructions
      asm.li(22, 0x8593_0025 | 0),
      asm.sw(22, 9, 0x3a), // 17: TARGET becomes addi x10, x10, 2; TARGET+1 keeps its low half
      asm.addi(10, 10, 1), // 18: TARGET
      asm.addi(11, 11, 1),
      asm.blt(5, 6, -56), // 20 -> 6
      asm.add(10, 10, 11),
      asm.add(10, 10, 20),
      ...EXIT,
    ];
    check({ image: imageFromWords(words) });
  });

  it("stores into code of a region the machine never compiled, and into the block after the running one", () => {
    const words = [
      asm.li(5, 0),
      asm.li(6, 64),
      asm.auipc(9, 0),
      asm.li(7, asm.addi(10, 10, 5)),
      asm.addi(5, 5, 1), // loop
      asm.sw(7, 9, 0x1c), // the instruction after the branch below (next block)
      asm.sw(7, 9, 0x400), // a word in the next region, never executed
      asm.blt(5, 0, 8),
      asm.addi(10, 10, 1), // rewritten on the first iteration
      asm.blt(5, 6, -20),
      ...EXIT,
    ];
    check({ image: imageFromWords(words) }, 5 * 64);
  });
});

// ---- random instruction streams --------------------------------------------

const POOL = [0, 1, 2, 3, 4, 5, 6, 7, 10, 17];
const R_OPS = [
  asm.add,
  asm.sub,
  asm.sll,
  asm.slt,
  asm.sltu,
  asm.xor,
  asm.srl,
  asm.sra,
  asm.or,
  asm.and,
  asm.mul,
  asm.mulh,
  asm.mulhsu,
  asm.mulhu,
  asm.div,
  asm.divu,
  asm.rem,
  asm.remu,
];
const I_OPS = [asm.addi, asm.slti, asm.sltiu, asm.xori, asm.ori, asm.andi];
const SH_OPS = [asm.slli, asm.srli, asm.srai];
const LOADS = [asm.lb, asm.lh, asm.lw, asm.lbu, asm.lhu];
const STORES = [asm.sb, asm.sh, asm.sw];
const BRANCHES = [asm.beq, asm.bne, asm.blt, asm.bge, asm.bltu, asm.bgeu];
const SPECIAL = [-2147483648, -1, 0, 1, 2, 0x7fffffff, 0xffff, 0x8000];

/** A random program of `len` words at `base`, with x8 -> data and x9 -> code. */
function randomJob(r: () => number, len: number, base: number): Job {
  const reg = () => POOL[r() % POOL.length];
  const simm = (bits: number) => ((r() % (1 << bits)) << (32 - bits)) >> (32 - bits);
  const words: number[] = [];
  for (let i = 0; i < len; i++) {
    const k = r() % 100;
    if (k < 30) words.push(R_OPS[r() % R_OPS.length](reg(), reg(), reg()));
    else if (k < 45) words.push(I_OPS[r() % I_OPS.length](reg(), reg(), simm(12)));
    else if (k < 50) words.push(SH_OPS[r() % SH_OPS.length](reg(), reg(), r() % 32));
    else if (k < 53) words.push(r() % 2 ? asm.lui(reg(), r() & 0xfffff) : asm.auipc(reg(), r() & 0xfffff));
    else if (k < 61) words.push(LOADS[r() % LOADS.length](reg(), r() % 4 === 0 ? reg() : 8, simm(12)));
    else if (k < 69) {
      // Mostly data, sometimes the code itself (x9 + a small offset), sometimes anywhere.
      const where = r() % 8;
      const rs1 = where < 5 ? 8 : where < 7 ? 9 : reg();
      const imm = rs1 === 9 ? (r() % (len * 4 + 8)) - 4 : simm(12);
      words.push(STORES[r() % STORES.length](reg(), rs1, imm));
    } else if (k < 84) {
      let off = (simm(5) * 4) | 0;
      if (r() % 16 === 0) off += 2; // misaligned target
      words.push(BRANCHES[r() % BRANCHES.length](reg(), reg(), off === 0 ? 4 : off));
    } else if (k < 88) words.push(asm.jal(reg(), ((simm(6) * 4) | 0) + (r() % 20 === 0 ? 2 : 0)));
    else if (k < 91) words.push(asm.jalr(reg(), r() % 3 === 0 ? reg() : 9, (r() % (len * 4 + 4)) - 2));
    else if (k < 94) words.push(asm.ecall());
    else if (k < 95) words.push(asm.fence());
    else if (k < 96) words.push(asm.li(17, r() % 2 ? 93 : 64)[1]);
    else if (k < 98)
      words.push(r() >>> 0); // anything at all (mostly illegal)
    else words.push(r() % 2 ? 0 : asm.ebreak());
  }
  words.push(...EXIT.flat());
  const regs: Record<number, number> = { 8: 0x20000 + (r() % 64) * 4, 9: base, 17: r() % 4 === 0 ? 93 : 64 };
  for (const x of [1, 2, 3, 4, 5, 6, 7, 10])
    regs[x] = r() % 3 === 0 ? SPECIAL[r() % SPECIAL.length] : r() | 0;
  // Above 2^31 (pcs that are negative as int32) the code is written after loading.
  if (base >= 0x8000_0000)
    return { image: imageFromWords(EXIT), regs, code: { addr: base, bytes: assemble(words) } };
  return { image: imageFromWords(words, base), regs };
}

const FUZZ = Number(process.env.VERDICT_JIT_FUZZ ?? 300);
/** Code bases: inside a region, across a region boundary, across a page boundary, just below 2^31. */
const BASES = [0x1000, 0x13c0, 0x3f00, 0x7fff_f800, 0xc000_1f00];

function fuzz(seeds: number, startSeed: number, stopAtFirst: boolean) {
  let compiled = 0;
  let total = 0;
  for (let s = startSeed; s < startSeed + seeds; s++) {
    const r = rng(s * 7919 + 1);
    const job = randomJob(r, 40 + (r() % 400), BASES[s % BASES.length]);
    const cap = 200 + (r() % 4000);
    const res = differential(job, randomStops(r, 6, cap), cap);
    compiled += res.compiledSteps;
    total += res.steps;
    if (res.mismatch !== null) {
      if (stopAtFirst) return { mismatch: `seed ${s}: ${res.mismatch}`, compiled, total };
      expect.fail(`seed ${s}: ${res.mismatch}`);
    }
  }
  return { mismatch: null, compiled, total };
}

describe("block compiler vs interpreter: random instruction streams", () => {
  it(`${FUZZ} random programs: equal state hash at random steps and at the end`, () => {
    const { compiled, total } = fuzz(FUZZ, 1, false);
    // The compiled path must carry a real share of the work, or this test proves nothing.
    expect(compiled).to.be.greaterThan(total / 4);
  });

  it("a loop running into the step limit stops exactly there, whatever the limit", () => {
    const job: Job = {
      image: imageFromWords([asm.addi(5, 5, 1), asm.xor(6, 6, 5), asm.addi(7, 7, 3), asm.jal(0, -12)]),
    };
    const ref = machineOf(job, "interpreter");
    for (const t of [64, 65, 66, 67, 100, 1001, 4097, 65_539]) {
      ref.run(t - ref.step);
      const jit = machineOf(job, "compiled");
      expect(jit.run(t)).to.equal(t);
      expect(jit.status).to.equal(STATUS_RUNNING);
      expect(jit.stateHash()).to.equal(ref.stateHash());
    }
  });
});

// ---- fault injection -------------------------------------------------------

describe("block compiler: injected translation faults are caught", () => {
  afterEach(() => setTranslationFaultForTesting(null));
  const ops = Object.entries(OP).filter(
    ([name]) => !["UNDECODED", "TRAP", "ECALL", "FENCE"].includes(name),
  ) as [string, number][];
  for (const [name, op] of ops) {
    it(`a wrong ${name} translation makes the differential test fail`, () => {
      setTranslationFaultForTesting(op);
      const { mismatch } = fuzz(400, 100_000, true);
      expect(mismatch, `${name} fault not detected`).to.be.a("string");
    });
  }
});

describe("block compiler: injected bookkeeping faults are caught", () => {
  afterEach(() => setStructuralFaultForTesting(null));
  for (const fault of ["limit", "count"] as const)
    it(`a ${fault === "limit" ? "block entered one step short of the limit" : "block that counts a step too few"} makes the random-program differential fail`, () => {
      setStructuralFaultForTesting(fault);
      const { mismatch } = fuzz(400, 100_000, true);
      expect(mismatch, `${fault} fault not detected`).to.be.a("string");
    });
  it("a store into compiled code that does not leave the region makes the self-modifying differential fail", () => {
    setStructuralFaultForTesting("codeWrite");
    const res = differential(patchNextJob(), [], 1 << 22);
    expect(res.mismatch, "stale code after a code write not detected").to.be.a("string");
  });
});
