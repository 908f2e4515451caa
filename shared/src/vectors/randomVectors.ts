// Randomized single-step vectors (docs/spec.md §1.8): every opcode and funct
// class, invalid encodings, random registers, random memory around the fetched
// and accessed addresses (leaf-crossing and wrapping accesses, the region
// boundaries), ECALLs, halted states, misaligned pcs, and malformed inputs.
//
// The expected post-state comes from the machine's fast interpreter through
// `generateStepProof`; every vector is also run through the machine's TS
// verifier twin (`stepTs`), and any disagreement between the two is reported
// in `RandomVectorStats.twinDisagreements` (a bug in the TS machine). Malformed
// inputs have no interpreter result: their expectation is the twin's (revert or
// post-state).
//
// One Machine is reused for many vectors (creating one costs tens of ms); its
// memory accumulates the random contents of earlier vectors, which keeps the
// proofs' sibling masks varied. Everything is a function of the seed.

import { bytesToHex, hexToBytes } from "viem";
import { encodeB, encodeI, encodeJ, encodeR, encodeS, encodeU } from "../machine/asm.ts";
import { STATUS_EXITED, STATUS_RUNNING, STATUS_TRAPPED } from "../machine/constants.ts";
import { keccak256Bytes } from "../machine/keccak.ts";
import { Machine } from "../machine/machine.ts";
import { generateStepProof } from "../machine/stepProof.ts";
import { stepTs } from "../machine/verifyStep.ts";
import { type StepVector, VectorKind, VectorTag } from "./format.ts";
import { createPrng, type Prng } from "./prng.ts";

export type RandomVectorStats = {
  generated: number;
  byTag: Record<number, number>;
  /** Vectors where the interpreter and the TS twin disagree (each is a TS machine bug). */
  twinDisagreements: { index: number; tag: VectorTag; interpreter: string; twin: string }[];
};

export type RandomVectorsParameters = {
  seed: number | bigint;
  count: number;
  /** Vectors per Machine before a fresh one is created (bounds memory growth). Default 400. */
  machineReuse?: number;
  /** Filled in while the generator runs. */
  stats?: RandomVectorStats;
};

export function createRandomVectorStats(): RandomVectorStats {
  return { generated: 0, byTag: {}, twinDisagreements: [] };
}

/** Addresses the spec calls out: region boundaries, headers, the wrap. */
const BOUNDARIES = [
  0x00000000, 0x7fffffff, 0x80000000, 0xbfffffff, 0xc0000000, 0xffffffff, 0x80000020, 0xc0000020,
] as const;

/** Register values that break naive arithmetic. */
const SPECIAL = [
  0, 1, 2, 3, 4, 31, 32, 0x7f, 0x80, 0xff, 0x7fff, 0x8000, 0xffff, 0x7fffffff, 0x80000000, 0x80000001,
  0xfffffffe, 0xffffffff,
] as const;

function randReg(r: Prng): number {
  const k = r.below(8);
  if (k < 3) return r.pick(SPECIAL);
  if (k < 4) return r.below(64);
  if (k < 5) return (0 - 1 - r.below(64)) >>> 0;
  return r.u32();
}

/** A random aligned pc: mostly a program-like low address, sometimes near a region edge. */
function randPc(r: Prng): number {
  const k = r.below(10);
  if (k < 6) return (0x1000 + 4 * r.below(0x40000)) >>> 0;
  if (k < 8) return (r.u32() & ~3) >>> 0;
  const base = r.pick([0x00000000, 0x7ffffffc, 0x80000000, 0xbffffffc, 0xc0000000, 0xfffffffc]);
  return (base + 4 * (r.below(9) - 4)) >>> 0;
}

/** A data address for a `size`-byte access, covering alignment, leaf crossing, boundaries and wrap. */
function randAddr(r: Prng, size: number, pc: number, crossing: boolean): number {
  if (crossing) {
    // Start in the last size-1 bytes of a leaf so the access spills into the next one.
    const leafBase = r.chance(0.3)
      ? (r.pick(BOUNDARIES) & ~31) >>> 0
      : r.chance(0.2)
        ? 0xffffffe0
        : (r.u32() & ~31) >>> 0;
    return (leafBase + 32 - (size - 1) + r.below(size - 1)) >>> 0;
  }
  const k = r.below(10);
  let a: number;
  if (k < 3) a = r.u32();
  else if (k < 6) a = (r.pick(BOUNDARIES) + r.below(17) - 8) >>> 0;
  else if (k < 8)
    a = (pc + r.below(129) - 64) >>> 0; // data next to code, self-modifying stores
  else a = (0x10000 + r.below(0x100000)) >>> 0;
  if (r.chance(0.5)) a = (a & ~(size - 1)) >>> 0;
  // A non-crossing case must stay inside one leaf.
  if ((a & 31) + size > 32) a = (a & ~31) >>> 0;
  return a;
}

/** Writes random bytes over [addr - before, addr + after) (wrapping) and random words farther out. */
function scatter(r: Prng, m: Machine, addr: number): void {
  const start = ((addr & ~31) - 32) >>> 0;
  const bytes = r.bytes(96);
  for (let k = 0; k < bytes.length; k++) {
    // Leave some bytes zero so zero and nonzero leaves both appear.
    if (r.chance(0.7)) m.mem.store8((start + k) | 0, bytes[k]);
  }
  const far = r.below(4);
  for (let k = 0; k < far; k++) {
    const dist = 2 ** (5 + r.below(27));
    const target = r.chance(0.5) ? addr + dist : addr - dist;
    m.mem.store32((target >>> 0) & ~3, r.u32());
  }
}

function rd(r: Prng): number {
  return r.chance(0.05) ? 0 : 1 + r.below(31);
}

function reg(r: Prng): number {
  return r.below(32);
}

function imm12(r: Prng): number {
  return r.chance(0.3) ? r.pick([0, 1, -1, 2047, -2048, 4, -4]) : r.below(4096) - 2048;
}

type Built = { tag: VectorTag; word: number };

const TAG_WEIGHTS: [VectorTag, number][] = [
  [VectorTag.Alu, 10],
  [VectorTag.MulDiv, 10],
  [VectorTag.AluImm, 10],
  [VectorTag.Upper, 3],
  [VectorTag.Jal, 3],
  [VectorTag.Jalr, 4],
  [VectorTag.Branch, 8],
  [VectorTag.Load, 10],
  [VectorTag.LoadCross, 6],
  [VectorTag.Store, 10],
  [VectorTag.StoreCross, 6],
  [VectorTag.EcallExit, 2],
  [VectorTag.EcallOther, 2],
  [VectorTag.Fence, 1],
  [VectorTag.InvalidEncoding, 6],
  [VectorTag.RandomWord, 4],
  [VectorTag.Halted, 1],
  [VectorTag.MisalignedPc, 1],
  [VectorTag.BadInput, 8],
];
const TOTAL_WEIGHT = TAG_WEIGHTS.reduce((n, [, w]) => n + w, 0);

function pickTag(r: Prng): VectorTag {
  let x = r.below(TOTAL_WEIGHT);
  for (const [tag, w] of TAG_WEIGHTS) {
    if (x < w) return tag;
    x -= w;
  }
  throw new Error("unreachable");
}

/** Builds the instruction (and sets up registers/memory) for a running-state case. */
function build(r: Prng, m: Machine, tag: VectorTag, pc: number): Built {
  const x = m.x;
  switch (tag) {
    case VectorTag.Alu: {
      const [f3, f7] = r.pick([
        [0, 0],
        [0, 0x20],
        [1, 0],
        [2, 0],
        [3, 0],
        [4, 0],
        [5, 0],
        [5, 0x20],
        [6, 0],
        [7, 0],
      ] as const);
      return { tag, word: encodeR(0x33, rd(r), f3, reg(r), reg(r), f7) };
    }
    case VectorTag.MulDiv:
      return { tag, word: encodeR(0x33, rd(r), r.below(8), reg(r), reg(r), 1) };
    case VectorTag.AluImm: {
      const f3 = r.below(8);
      if (f3 === 1) return { tag, word: encodeR(0x13, rd(r), 1, reg(r), r.below(32), 0) };
      if (f3 === 5) return { tag, word: encodeR(0x13, rd(r), 5, reg(r), r.below(32), r.pick([0, 0x20])) };
      return { tag, word: encodeI(0x13, rd(r), f3, reg(r), imm12(r)) };
    }
    case VectorTag.Upper:
      return { tag, word: encodeU(r.pick([0x37, 0x17]), rd(r), r.u32() & 0xfffff) };
    case VectorTag.Jal: {
      const off = r.chance(0.2)
        ? 2 * r.below(2 ** 20) - 2 ** 20
        : 4 * (r.below(2048) - 1024) + (r.chance(0.1) ? 2 : 0);
      return { tag, word: encodeJ(0x6f, rd(r), off) };
    }
    case VectorTag.Jalr: {
      const rs1 = reg(r);
      return { tag, word: encodeI(0x67, r.chance(0.2) ? rs1 : rd(r), 0, rs1, imm12(r)) };
    }
    case VectorTag.Branch: {
      const rs1 = reg(r);
      const rs2 = reg(r);
      if (r.chance(0.3) && rs1 !== 0 && rs2 !== 0) x[rs2] = x[rs1]; // equal operands take the other arm
      const off = 2 * (r.below(4096) - 2048);
      return { tag, word: encodeB(0x63, r.pick([0, 1, 4, 5, 6, 7]), rs1, rs2, off) };
    }
    case VectorTag.Load:
    case VectorTag.LoadCross:
    case VectorTag.Store:
    case VectorTag.StoreCross: {
      const store = tag === VectorTag.Store || tag === VectorTag.StoreCross;
      const crossing = tag === VectorTag.LoadCross || tag === VectorTag.StoreCross;
      const f3 = store
        ? crossing
          ? r.pick([1, 2])
          : r.below(3)
        : crossing
          ? r.pick([1, 2, 5])
          : r.pick([0, 1, 2, 4, 5]);
      const size = 1 << (f3 & 3);
      const addr = randAddr(r, size, pc, crossing);
      scatter(r, m, addr);
      let rs1 = r.chance(0.05) ? 0 : 1 + r.below(31);
      let imm = imm12(r);
      if (rs1 === 0) {
        // x0-based addressing reaches only sign-extended 12-bit addresses.
        const sext = ((addr << 20) >> 20) >>> 0;
        if (sext === addr) imm = (addr << 20) >> 20;
        else rs1 = 1 + r.below(31);
      }
      if (rs1 !== 0) x[rs1] = (addr - imm) | 0;
      const word = store ? encodeS(0x23, f3, rs1, reg(r), imm) : encodeI(0x03, rd(r), f3, rs1, imm);
      return { tag, word };
    }
    case VectorTag.EcallExit:
      x[17] = r.pick([93, 94]);
      return { tag, word: 0x00000073 };
    case VectorTag.EcallOther:
      x[17] = r.chance(0.5) ? r.pick([0, 63, 64, 92, 95, 214, 0x80000000 + 93]) | 0 : r.u32() | 0;
      return { tag, word: 0x00000073 };
    case VectorTag.Fence: {
      // Other fields are ignored: randomize them.
      return { tag, word: ((r.u32() & ~0x707f) | (r.below(2) << 12) | 0x0f) >>> 0 };
    }
    case VectorTag.InvalidEncoding:
      return { tag, word: invalidWord(r) };
    default: {
      // RandomWord: anything, valid or not.
      return { tag: VectorTag.RandomWord, word: r.u32() };
    }
  }
}

/** An encoding the spec rejects (§1.5), from every family of invalid words. */
function invalidWord(r: Prng): number {
  const rest = r.u32();
  switch (r.below(10)) {
    case 0: // compressed (low bits != 11)
      return ((rest & ~3) | r.below(3)) >>> 0;
    case 1: {
      // unknown major opcode
      const valid = new Set([0x03, 0x0f, 0x13, 0x17, 0x23, 0x33, 0x37, 0x63, 0x67, 0x6f, 0x73]);
      let op: number;
      do op = (r.below(32) << 2) | 3;
      while (valid.has(op));
      return ((rest & ~0x7f) | op) >>> 0;
    }
    case 2: // SYSTEM other than ECALL (EBREAK, CSR*, xRET, WFI, ECALL with fields)
      return r.pick([
        0x00100073,
        0x30200073,
        0x10500073,
        0x10200073,
        0x34011073,
        0xc0002573,
        0x00000173,
        0x00008073,
        ((rest & ~0x7f) | 0x73) >>> 0,
      ]);
    case 3: // OP with an unlisted funct7 or funct3 for 0x20
      for (;;) {
        const f7 = r.chance(0.5) ? 0x20 : r.below(128);
        const f3 = r.below(8);
        if (f7 === 0 || f7 === 1 || (f7 === 0x20 && (f3 === 0 || f3 === 5))) continue;
        return encodeR(0x33, rd(r), f3, reg(r), reg(r), f7);
      }
    case 4: // SLLI with imm[11:5] != 0
      return encodeR(0x13, rd(r), 1, reg(r), r.below(32), 1 + r.below(127));
    case 5: // SRLI/SRAI with imm[11:5] not 0 or 0x20
      for (;;) {
        const f7 = r.below(128);
        if (f7 === 0 || f7 === 0x20) continue;
        return encodeR(0x13, rd(r), 5, reg(r), r.below(32), f7);
      }
    case 6: // BRANCH funct3 2/3
      return ((rest & ~0x707f) | (r.pick([2, 3]) << 12) | 0x63) >>> 0;
    case 7: // LOAD funct3 3/6/7, STORE funct3 3..7
      return r.chance(0.5)
        ? ((rest & ~0x707f) | (r.pick([3, 6, 7]) << 12) | 0x03) >>> 0
        : ((rest & ~0x707f) | ((3 + r.below(5)) << 12) | 0x23) >>> 0;
    case 8: // JALR funct3 != 0
      return ((rest & ~0x707f) | ((1 + r.below(7)) << 12) | 0x67) >>> 0;
    default: // MISC-MEM funct3 2..7
      return ((rest & ~0x707f) | ((2 + r.below(6)) << 12) | 0x0f) >>> 0;
  }
}

function twinOutcome(
  preState: Uint8Array,
  proof: Uint8Array,
): { ok: true; hash: Uint8Array } | { ok: false; error: string } {
  try {
    return { ok: true, hash: keccak256Bytes(stepTs(preState, proof)) };
  } catch (err) {
    return { ok: false, error: err instanceof Error ? err.name : String(err) };
  }
}

/** A malformed variant of a valid vector; its expectation is whatever the twin says. */
function corrupt(r: Prng, pre: Uint8Array, proof: Uint8Array): { preState: Uint8Array; proof: Uint8Array } {
  const p = proof.slice();
  const s = pre.slice();
  switch (r.below(8)) {
    case 0:
      if (p.length > 0) {
        p[r.below(p.length)] ^= 1 << r.below(8);
        return { preState: s, proof: p };
      }
      return { preState: s, proof: r.bytes(1 + r.below(40)) };
    case 1:
      return { preState: s, proof: p.slice(0, p.length === 0 ? 0 : r.below(p.length)) };
    case 2: {
      const extra = r.bytes(1 + r.below(33));
      const out = new Uint8Array(p.length + extra.length);
      out.set(p);
      out.set(extra, p.length);
      return { preState: s, proof: out };
    }
    case 3: // wrong state length
      return {
        preState: r.chance(0.5)
          ? s.slice(0, r.below(s.length))
          : new Uint8Array([...s, ...r.bytes(1 + r.below(4))]),
        proof: p,
      };
    case 4: // status out of range
      s[168] = 3 + r.below(253);
      return { preState: s, proof: p };
    case 5: // memRoot changed: no proof opens against it
      s[r.below(32)] ^= 1 << r.below(8);
      return { preState: s, proof: p };
    case 6: {
      // a mask bit above 26 in the fetch proof
      if (p.length >= 36) p[32] |= 1 << (3 + r.below(5));
      return { preState: s, proof: p };
    }
    default: {
      // register or pc changed: the proofs may still open, and the result must follow the new state
      const o = 32 + 4 * r.below(32);
      s[o + r.below(4)] ^= 1 << r.below(8);
      return { preState: s, proof: p };
    }
  }
}

/** Yields `count` vectors determined by `seed`. */
export function* randomVectors(params: RandomVectorsParameters): Generator<StepVector> {
  const r = createPrng(params.seed);
  const stats = params.stats ?? createRandomVectorStats();
  const reuse = params.machineReuse ?? 400;
  let m = new Machine();
  let used = 0;
  for (let index = 0; index < params.count; index++) {
    if (used++ >= reuse) {
      m = new Machine();
      used = 1;
    }
    const wanted = pickTag(r);
    for (let i = 1; i < 32; i++) m.x[i] = randReg(r) | 0;
    m.status = STATUS_RUNNING;
    m.exitCode = 0;
    m.step = r.chance(0.9) ? r.below(2 ** 20) : r.u32() * 2 ** 20 + r.below(2 ** 20);
    const pc = randPc(r);
    scatter(r, m, pc);
    let tag: VectorTag = wanted;
    if (wanted === VectorTag.Halted) {
      m.status = r.chance(0.5) ? STATUS_EXITED : STATUS_TRAPPED;
      m.exitCode = m.status === STATUS_EXITED ? r.u32() : 0;
      m.pc = r.u32();
    } else if (wanted === VectorTag.MisalignedPc) {
      m.pc = (pc | (1 + r.below(3))) >>> 0;
    } else {
      const inner = wanted === VectorTag.BadInput ? pickRunnable(r) : wanted;
      const built = build(r, m, inner, pc);
      if (wanted !== VectorTag.BadInput) tag = built.tag;
      m.mem.store32(pc | 0, built.word | 0);
      m.pc = pc;
    }
    const d = generateStepProof(m);
    let v: StepVector;
    if (wanted === VectorTag.BadInput) {
      const bad = corrupt(r, d.preState, d.proof);
      const t = twinOutcome(bad.preState, bad.proof);
      v = t.ok
        ? { kind: VectorKind.Post, tag, preState: bad.preState, proof: bad.proof, postStateHash: t.hash }
        : {
            kind: VectorKind.Revert,
            tag,
            preState: bad.preState,
            proof: bad.proof,
            postStateHash: new Uint8Array(0),
          };
    } else {
      const post = hexToBytes(d.postStateHash);
      const t = twinOutcome(d.preState, d.proof);
      if (!t.ok || bytesToHex(t.hash) !== d.postStateHash) {
        stats.twinDisagreements.push({
          index,
          tag,
          interpreter: d.postStateHash,
          twin: t.ok ? bytesToHex(t.hash) : t.error,
        });
      }
      v = { kind: VectorKind.Post, tag, preState: d.preState, proof: d.proof, postStateHash: post };
    }
    stats.generated++;
    stats.byTag[tag] = (stats.byTag[tag] ?? 0) + 1;
    yield v;
  }
}

function pickRunnable(r: Prng): VectorTag {
  for (;;) {
    const t = pickTag(r);
    if (t !== VectorTag.BadInput && t !== VectorTag.Halted && t !== VectorTag.MisalignedPc) return t;
  }
}
