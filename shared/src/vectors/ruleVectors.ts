// Named one-step vectors (docs/spec.md §1.8), one per rule that the random set
// reaches only by chance or not at all: the state rules of §1.1 (exit code
// only when EXITED, no step past 2^64 − 1), the proof-shape rules of §1.6
// (halted and misaligned-pc states take no proof, a proof is consumed exactly)
// and the mask rules of §1.4 (present zero siblings, pair-proof mask ranges,
// the wrap from leaf 2^27 − 1 to leaf 0).
//
// Each vector is built on purpose and carries the outcome the spec demands.
// The generator checks that the TS verifier twin (`stepTs`) and, for valid
// steps, the fast interpreter give exactly that outcome, so a vector can never
// silently pin a behaviour the spec does not state.

import { bytesToHex, hexToBytes } from "viem";
import { asm, encodeI } from "../machine/asm.ts";
import { STATUS_EXITED, STATUS_RUNNING, STATUS_TRAPPED } from "../machine/constants.ts";
import { keccak256Bytes } from "../machine/keccak.ts";
import { Machine } from "../machine/machine.ts";
import { encodePairProof, encodeSingleProof, pairMeetHeight } from "../machine/proofs.ts";
import { decodeState, encodeState } from "../machine/state.ts";
import { generateStepProof } from "../machine/stepProof.ts";
import { stepTs } from "../machine/verifyStep.ts";
import { zeroHashes } from "../machine/zeroHashes.ts";
import { type StepVector, VectorKind, VectorTag } from "./format.ts";

/** One named rule vector: what it pins and where the spec says so. */
export type RuleVector = StepVector & {
  name: string;
  /** Spec section of the rule. */
  section: string;
};

const PC = 0x1000;
const MAX_STEP = (1n << 64n) - 1n;

export class RuleVectorError extends Error {
  override name = "RuleVectorError";
}

/** A machine with `word` at `pc`, registers set, and memory around it so proofs carry siblings. */
function machine(word: number, regs: Record<number, number> = {}, pc = PC): Machine {
  const m = new Machine();
  for (const a of [0x2000, 0x4_0000, 0x7fff_fff0, 0x8000_0000, 0xc000_0000, 0xffff_ffe0])
    m.mem.store32(a | 0, 0x5a5a_0000 | (a >>> 20));
  m.mem.store32(pc | 0, word | 0);
  for (const [r, v] of Object.entries(regs)) m.x[Number(r)] = v | 0;
  m.pc = pc;
  m.step = 41;
  return m;
}

function withState(pre: Uint8Array, edit: Partial<ReturnType<typeof decodeState>>): Uint8Array {
  // encodeState refuses some of the states these vectors need, so fields are written raw.
  const s = { ...decodeState(pre), ...edit };
  const out = encodeState({ ...s, exitCode: 0, status: STATUS_RUNNING });
  const v = new DataView(out.buffer);
  out[168] = s.status;
  v.setUint32(169, s.exitCode >>> 0);
  return out;
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function u32be(v: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0);
  return b;
}

/** Siblings of `mask`, ascending height: the real one where nonzero, else Zh (a present zero sibling). */
function masked(mask: number, sibs: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [u32be(mask)];
  for (let h = 0; h < 32; h++) if ((mask >>> h) & 1) parts.push(sibs[h] ?? zeroHashes[Math.min(h, 26)]);
  return concat(...parts);
}

/** The mask a generator would write: bits of the nonzero siblings within `allowed`. */
function naturalMask(sibs: readonly Uint8Array[], allowed: number): number {
  let mask = 0;
  for (let h = 0; h < 27; h++)
    if ((allowed >>> h) & 1 && bytesToHex(sibs[h]) !== bytesToHex(zeroHashes[h])) mask |= 1 << h;
  return mask >>> 0;
}

/** Single proof of leaf `i` with an explicit mask. */
function singleWith(m: Machine, i: number, mask: (natural: number) => number): Uint8Array {
  m.mem.root();
  const sibs = m.mem.siblings(i);
  return concat(m.mem.leaf(i), masked(mask(naturalMask(sibs, 0x7ff_ffff)), sibs));
}

/** Pair proof of leaves i, i+1 with explicit masks (functions of the natural ones). */
function pairWith(
  m: Machine,
  i: number,
  maskA: (natural: number) => number,
  maskB: (natural: number) => number,
): Uint8Array {
  m.mem.root();
  const j = (i + 1) & 0x7ff_ffff;
  const meet = pairMeetHeight(i) - 1;
  const sa = m.mem.siblings(i);
  const sb = m.mem.siblings(j);
  const a = maskA(naturalMask(sa, 0x7ff_ffff & ~(1 << meet)));
  const b = maskB(naturalMask(sb, (1 << meet) - 1));
  return concat(m.mem.leaf(i), m.mem.leaf(j), masked(a, sa), masked(b, sb));
}

function fetchOf(m: Machine): Uint8Array {
  m.mem.root();
  return encodeSingleProof(m.mem.leaf(m.pc >>> 5), m.mem.siblings(m.pc >>> 5));
}

type Spec = { name: string; section: string; pre: Uint8Array; proof: Uint8Array } & (
  | { expect: "revert" }
  | { expect: "post"; post?: Uint8Array }
);

function finish(c: Spec): RuleVector {
  let twin: Uint8Array | null = null;
  let error = "";
  try {
    twin = keccak256Bytes(stepTs(c.pre, c.proof));
  } catch (err) {
    error = err instanceof Error ? err.name : String(err);
  }
  if (c.expect === "revert") {
    if (twin !== null) throw new RuleVectorError(`${c.name}: the TS twin accepts a vector that must revert`);
    return {
      name: c.name,
      section: c.section,
      kind: VectorKind.Revert,
      tag: VectorTag.Rule,
      preState: c.pre,
      proof: c.proof,
      postStateHash: new Uint8Array(0),
    };
  }
  if (twin === null) throw new RuleVectorError(`${c.name}: the TS twin rejects a valid step (${error})`);
  if (c.post && bytesToHex(c.post) !== bytesToHex(twin))
    throw new RuleVectorError(`${c.name}: the TS twin gives another post-state than the interpreter`);
  return {
    name: c.name,
    section: c.section,
    kind: VectorKind.Post,
    tag: VectorTag.Rule,
    preState: c.pre,
    proof: c.proof,
    postStateHash: twin,
  };
}

/** A valid step of `m` through the interpreter (the expectation) and its pieces. */
function valid(m: Machine): { pre: Uint8Array; proof: Uint8Array; post: Uint8Array } {
  const d = generateStepProof(m);
  return { pre: d.preState, proof: d.proof, post: hexToBytes(d.postStateHash) };
}

/** Every rule vector, in a fixed order (the order is part of the published file). */
export function ruleVectors(): RuleVector[] {
  const out: Spec[] = [];
  const addi = asm.addi(3, 1, 1);

  // ---- §1.1 state rules
  {
    const v = valid(machine(addi, { 1: 7 }));
    for (const code of [1, 0x8000_0000, 0xffff_ffff])
      out.push({
        name: `running-exit-code-0x${code.toString(16)}`,
        section: "1.1",
        pre: withState(v.pre, { exitCode: code }),
        proof: v.proof,
        expect: "revert",
      });
    for (const code of [1, 0xffff_ffff])
      out.push({
        name: `trapped-exit-code-0x${code.toString(16)}`,
        section: "1.1",
        pre: withState(v.pre, { status: STATUS_TRAPPED, exitCode: code }),
        proof: new Uint8Array(0),
        expect: "revert",
      });
    const exited = withState(v.pre, { status: STATUS_EXITED, exitCode: 0xffff_ffff });
    out.push({
      name: "exited-exit-code-identity",
      section: "1.1",
      pre: exited,
      proof: new Uint8Array(0),
      expect: "post",
      post: keccak256Bytes(exited),
    });
    out.push({
      name: "running-step-max-reverts",
      section: "1.1",
      pre: withState(v.pre, { step: MAX_STEP }),
      proof: v.proof,
      expect: "revert",
    });
    out.push({
      name: "running-step-max-misaligned-pc-reverts",
      section: "1.1",
      pre: withState(v.pre, { step: MAX_STEP, pc: PC + 2 }),
      proof: new Uint8Array(0),
      expect: "revert",
    });
    out.push({
      name: "running-step-max-minus-1-steps-to-max",
      section: "1.1",
      pre: withState(v.pre, { step: MAX_STEP - 1n }),
      proof: v.proof,
      expect: "post",
    });
    for (const status of [STATUS_EXITED, STATUS_TRAPPED] as const) {
      const h = withState(v.pre, { step: MAX_STEP, status, exitCode: status === STATUS_EXITED ? 3 : 0 });
      out.push({
        name: `${status === STATUS_EXITED ? "exited" : "trapped"}-step-max-identity`,
        section: "1.1",
        pre: h,
        proof: new Uint8Array(0),
        expect: "post",
        post: keccak256Bytes(h),
      });
    }
    const trap = valid(machine(asm.ebreak()));
    out.push({ name: "trap-exit-code-stays-0", section: "1.1", ...trap, expect: "post" });
    const exit = valid(machine(asm.ecall(), { 10: 0xffff_ffff, 17: 93 }));
    out.push({ name: "exit-sets-exit-code-a0", section: "1.1", ...exit, expect: "post" });
  }

  // ---- §1.6 proof shape
  {
    const m = machine(addi, { 1: 7 });
    const fetch = fetchOf(m);
    const v = valid(m);
    for (const status of [STATUS_EXITED, STATUS_TRAPPED] as const) {
      const h = withState(v.pre, { status, exitCode: 0 });
      const tag = status === STATUS_EXITED ? "exited" : "trapped";
      out.push({
        name: `${tag}-with-valid-fetch-proof-reverts`,
        section: "1.6",
        pre: h,
        proof: fetch,
        expect: "revert",
      });
      out.push({
        name: `${tag}-with-one-byte-reverts`,
        section: "1.6",
        pre: h,
        proof: new Uint8Array(1),
        expect: "revert",
      });
    }
    const mis = withState(v.pre, { pc: PC + 1 });
    out.push({
      name: "misaligned-pc-traps-without-proof",
      section: "1.6",
      pre: mis,
      proof: new Uint8Array(0),
      expect: "post",
    });
    out.push({
      name: "misaligned-pc-with-fetch-proof-reverts",
      section: "1.6",
      pre: mis,
      proof: fetch,
      expect: "revert",
    });
    out.push({
      name: "alu-with-trailing-byte-reverts",
      section: "1.6",
      pre: v.pre,
      proof: concat(v.proof, new Uint8Array(1)),
      expect: "revert",
    });

    const lw = machine(asm.lw(0, 1, 0), { 1: 0x2000 });
    const lwFetch = fetchOf(lw);
    const l = valid(lw);
    out.push({ name: "load-into-x0-needs-data-proof", section: "1.6", ...l, expect: "post" });
    out.push({
      name: "load-into-x0-without-data-proof-reverts",
      section: "1.6",
      pre: l.pre,
      proof: lwFetch,
      expect: "revert",
    });
    // LOAD funct3 = 3 traps in decoding: no data proof may follow.
    const bad = machine(encodeI(0x03, 3, 3, 1, 0), { 1: 0x2000 });
    const b = valid(bad);
    out.push({ name: "decode-trap-without-data-proof", section: "1.6", ...b, expect: "post" });
    out.push({
      name: "decode-trap-with-data-proof-reverts",
      section: "1.6",
      pre: b.pre,
      proof: concat(
        b.proof,
        singleWith(bad, 0x2000 >>> 5, (n) => n),
      ),
      expect: "revert",
    });
  }

  // ---- §1.4 masks and layouts
  {
    const m = machine(addi, { 1: 7 });
    const v = valid(machine(addi, { 1: 7 }));
    const leaf = PC >>> 5;
    out.push({
      name: "single-present-zero-sibling",
      section: "1.4",
      pre: v.pre,
      proof: singleWith(m, leaf, (n) => n | 1),
      expect: "post",
      post: v.post,
    });
    out.push({
      name: "single-all-27-siblings-present",
      section: "1.4",
      pre: v.pre,
      proof: singleWith(m, leaf, () => 0x7ff_ffff),
      expect: "post",
      post: v.post,
    });
    for (const bit of [27, 31])
      out.push({
        name: `single-mask-bit-${bit}-reverts`,
        section: "1.4",
        pre: v.pre,
        proof: singleWith(m, leaf, (n) => n | (1 << bit)),
        expect: "revert",
      });

    // The same rules on a single-leaf data proof: an aligned store rebuilds the new root from the
    // siblings it was given, so a present zero sibling must change nothing and a mask bit at or above
    // 27 must revert there too.
    const store = (): Machine => machine(asm.sw(2, 1, 0), { 1: 0x2000, 2: 0x0a0b_0c0d });
    const sv = valid(store());
    const storeM = store();
    const sFetch = fetchOf(storeM);
    const dLeaf = 0x2000 >>> 5;
    out.push({
      name: "store-data-proof-present-zero-sibling",
      section: "1.4",
      pre: sv.pre,
      proof: concat(
        sFetch,
        singleWith(storeM, dLeaf, (n) => n | 1),
      ),
      expect: "post",
      post: sv.post,
    });
    for (const bit of [27, 31])
      out.push({
        name: `store-data-proof-mask-bit-${bit}-reverts`,
        section: "1.4",
        pre: sv.pre,
        proof: concat(
          sFetch,
          singleWith(storeM, dLeaf, (n) => n | (1 << bit)),
        ),
        expect: "revert",
      });

    // Leaf 0x101 and 0x102 (addr 0x203e): m = 2, so maskB may use height 0 and maskA may not use height 1.
    const cross = (): Machine => machine(asm.lw(3, 1, 0), { 1: 0x203e });
    const c = valid(cross());
    const cm = cross();
    const cf = fetchOf(cm);
    const i = 0x203e >>> 5;
    const meet = pairMeetHeight(i) - 1;
    out.push({ name: "pair-load-m2", section: "1.4", ...c, expect: "post" });
    out.push({
      name: "pair-present-zero-sibling-in-a",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        pairWith(
          cm,
          i,
          (n) => n | (1 << 20),
          (n) => n,
        ),
      ),
      expect: "post",
      post: c.post,
    });
    out.push({
      name: "pair-present-zero-sibling-in-b",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        pairWith(
          cm,
          i,
          (n) => n,
          (n) => n | 1,
        ),
      ),
      expect: "post",
      post: c.post,
    });
    out.push({
      name: "pair-mask-a-meet-bit-reverts",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        pairWith(
          cm,
          i,
          (n) => n | (1 << meet),
          (n) => n,
        ),
      ),
      expect: "revert",
    });
    out.push({
      name: "pair-mask-b-meet-bit-reverts",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        pairWith(
          cm,
          i,
          (n) => n,
          (n) => n | (1 << meet),
        ),
      ),
      expect: "revert",
    });
    out.push({
      name: "pair-mask-b-above-meet-reverts",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        pairWith(
          cm,
          i,
          (n) => n,
          (n) => n | (1 << 20),
        ),
      ),
      expect: "revert",
    });
    out.push({
      name: "pair-mask-a-bit-27-reverts",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        pairWith(
          cm,
          i,
          (n) => n | (1 << 27),
          (n) => n,
        ),
      ),
      expect: "revert",
    });
    out.push({
      name: "single-proof-where-pair-needed-reverts",
      section: "1.4",
      pre: c.pre,
      proof: concat(
        cf,
        singleWith(cm, i, (n) => n),
      ),
      expect: "revert",
    });
    const s = valid(machine(asm.lw(3, 1, 0), { 1: 0x2020 }));
    const sm = machine(asm.lw(3, 1, 0), { 1: 0x2020 });
    out.push({
      name: "pair-proof-where-single-suffices-reverts",
      section: "1.4",
      pre: s.pre,
      proof: concat(
        fetchOf(sm),
        pairWith(
          sm,
          0x2020 >>> 5,
          (n) => n,
          (n) => n,
        ),
      ),
      expect: "revert",
    });

    // The wrap: leaf 2^27 − 1 and leaf 0 meet at the root (m = 27); leaf 0's node is the left one.
    const wrapLoad = (): Machine => machine(asm.lw(3, 1, 0), { 1: 0xffff_fffe });
    const w = valid(wrapLoad());
    const wm = wrapLoad();
    const wf = fetchOf(wm);
    out.push({ name: "pair-wrap-load", section: "1.4", ...w, expect: "post" });
    out.push({
      name: "pair-wrap-mask-a-bit-26-reverts",
      section: "1.4",
      pre: w.pre,
      proof: concat(
        wf,
        pairWith(
          wm,
          0x7ff_ffff,
          (n) => n | (1 << 26),
          (n) => n,
        ),
      ),
      expect: "revert",
    });
    out.push({
      name: "pair-wrap-mask-b-all-26-present",
      section: "1.4",
      pre: w.pre,
      proof: concat(
        wf,
        pairWith(
          wm,
          0x7ff_ffff,
          (n) => n,
          () => 0x3ff_ffff,
        ),
      ),
      expect: "post",
      post: w.post,
    });
    out.push({
      name: "pair-wrap-store",
      section: "1.4",
      ...valid(machine(asm.sw(2, 1, 0), { 1: 0xffff_fffd, 2: 0xa1b2_c3d4 })),
      expect: "post",
    });
    out.push({
      name: "pair-store-m2",
      section: "1.4",
      ...valid(machine(asm.sw(2, 1, 0), { 1: 0x203d, 2: 0x0102_0304 })),
      expect: "post",
    });
  }
  // Natural encodings must equal what the machine's generator writes (no hidden freedom).
  const check = machine(addi);
  check.mem.root();
  const natural = singleWith(check, PC >>> 5, (n) => n);
  const generated = encodeSingleProof(check.mem.leaf(PC >>> 5), check.mem.siblings(PC >>> 5));
  if (bytesToHex(natural) !== bytesToHex(generated))
    throw new RuleVectorError("natural single encoding differs");
  const cp = machine(addi);
  cp.mem.store32(0x2040, 1);
  cp.mem.root();
  const pi = 0x203e >>> 5;
  const pn = pairWith(
    cp,
    pi,
    (n) => n,
    (n) => n,
  );
  const pg = encodePairProof(
    pi,
    cp.mem.leaf(pi),
    cp.mem.leaf(pi + 1),
    cp.mem.siblings(pi),
    cp.mem.siblings(pi + 1),
  );
  if (bytesToHex(pn) !== bytesToHex(pg)) throw new RuleVectorError("natural pair encoding differs");
  return out.map(finish);
}
