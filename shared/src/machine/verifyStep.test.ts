import { expect } from "chai";
import { asm } from "./asm.ts";
import {
  InvalidProofError,
  InvalidStateError,
  ProofMaskError,
  ProofRootMismatchError,
  ProofTrailingBytesError,
  ProofTruncatedError,
  StepCounterOverflowError,
} from "./errors.ts";
import { decodeState, encodeState } from "./state.ts";
import { generateStepProof, type StepData } from "./stepProof.ts";
import { machineWith, rng } from "./testUtil.ts";
import { stepTs, verifyStepTs } from "./verifyStep.ts";

/** Step data for a store/load at `addr` with some neighbouring memory filled in. */
function memStep(word: number, addr: number): StepData {
  const m = machineWith([word], { 1: addr, 2: 0xa1b2c3d4 });
  for (let k = -40; k < 40; k++) m.mem.store8((addr + k) | 0, (k * 13) & 0xff);
  m.mem.store32(0x20000, 0x1234);
  return generateStepProof(m);
}

describe("one-step proofs (spec §1.6)", () => {
  const cases: [string, StepData][] = [];
  before(() => {
    cases.push(["ALU", generateStepProof(machineWith([asm.add(3, 1, 2)], { 1: 1, 2: 2 }))]);
    cases.push(["SW single", memStep(asm.sw(2, 1, 0), 0x8004)]);
    cases.push(["SW pair across leaves", memStep(asm.sw(2, 1, 0), 0x801e)]);
    cases.push(["SH pair across pages", memStep(asm.sh(2, 1, 0), 0x8fff)]);
    cases.push(["LW pair wrapping 2^32", memStep(asm.lw(3, 1, 0), 0xfffffffe)]);
    cases.push(["LB single", memStep(asm.lb(3, 1, 0), 0xffffffff)]);
    cases.push(["LW into x0", memStep(asm.lw(0, 1, 0), 0x4444)]);
  });

  it("generated proofs verify and have the documented shape", () => {
    for (const [name, d] of cases) {
      expect(verifyStepTs(d.preState, d.proof), name).to.equal(d.postStateHash);
      expect(d.preState.length).to.equal(173);
    }
    // ALU: fetch proof only; pair proofs carry two leaves and two masks.
    const alu = cases[0][1];
    const fetchLen = alu.proof.length;
    const pair = cases[2][1];
    expect(pair.proof.length).to.be.greaterThan(fetchLen + 64 + 8);
  });

  it("a flipped bit anywhere in the proof makes it invalid", () => {
    const r = rng(5);
    for (const [name, d] of cases) {
      const positions = new Set<number>([0, d.proof.length - 1]);
      for (let k = 0; k < 40; k++) positions.add(r() % d.proof.length);
      for (const pos of positions) {
        const bad = d.proof.slice();
        bad[pos] ^= 1 << (r() % 8);
        expect(() => verifyStepTs(d.preState, bad), `${name} byte ${pos}`).to.throw(InvalidProofError);
      }
    }
  });

  it("a wrong pre-state root is rejected (the proof is bound to the state)", () => {
    const d = cases[1][1];
    const pre = d.preState.slice();
    pre[5] ^= 0x80;
    expect(() => verifyStepTs(pre, d.proof)).to.throw(ProofRootMismatchError);
  });

  it("malformed proofs give typed errors: truncated, trailing bytes, bad masks", () => {
    const d = cases[2][1];
    expect(() => verifyStepTs(d.preState, d.proof.slice(0, d.proof.length - 1))).to.throw(
      ProofTruncatedError,
    );
    expect(() => verifyStepTs(d.preState, new Uint8Array(0))).to.throw(ProofTruncatedError);
    const longer = new Uint8Array(d.proof.length + 1);
    longer.set(d.proof);
    expect(() => verifyStepTs(d.preState, longer)).to.throw(ProofTrailingBytesError);
    const badMask = d.proof.slice();
    badMask[32] |= 0x08; // bit 27 of the fetch mask
    expect(() => verifyStepTs(d.preState, badMask)).to.throw(ProofMaskError);
    // Halted or misaligned-pc states take no proof at all.
    const halted = generateStepProof(machineWith([asm.ecall()], { 17: 93 }));
    const after = machineWith([asm.ecall()], { 17: 93 });
    after.run(1);
    const h = generateStepProof(after);
    expect(h.proof.length).to.equal(0);
    expect(() => verifyStepTs(h.preState, new Uint8Array(1))).to.throw(ProofTrailingBytesError);
    expect(verifyStepTs(halted.preState, halted.proof)).to.equal(halted.postStateHash);
    expect(() => verifyStepTs(d.preState.slice(1), d.proof)).to.throw(InvalidStateError);
  });

  it("the step counter never wraps: a RUNNING state at 2^64-1 has no next step (§1.1)", () => {
    const d = cases[0][1];
    const at = (step: bigint, status: 0 | 1 | 2 = 0, pcDelta = 0) => {
      const s = decodeState(d.preState);
      return encodeState({ ...s, step, status, exitCode: status === 1 ? 5 : 0, pc: s.pc + pcDelta });
    };
    const max = (1n << 64n) - 1n;
    expect(() => verifyStepTs(at(max), d.proof)).to.throw(StepCounterOverflowError);
    expect(() => verifyStepTs(at(max, 0, 2), new Uint8Array(0))).to.throw(StepCounterOverflowError);
    expect(decodeState(stepTs(at(max - 1n), d.proof)).step).to.equal(max);
    for (const status of [1, 2] as const) {
      const halted = at(max, status);
      expect(() => verifyStepTs(halted, d.proof), "halted state with a proof").to.throw(
        ProofTrailingBytesError,
      );
      expect(stepTs(halted, new Uint8Array(0))).to.deep.equal(halted);
    }
  });

  it("a pair proof's B mask may not reach height m-1", () => {
    // Leaves 0x400 and 0x401 (addr 0x801e) meet at height 1: maskB must be 0.
    const d = cases[2][1];
    // Find maskB: after fetch proof (leaf + mask + sibs) and leafA, leafB, maskA, sibsA.
    const view = new DataView(d.proof.buffer, d.proof.byteOffset);
    const fetchMask = view.getUint32(32);
    let o = 36 + 32 * popcount(fetchMask);
    o += 64;
    const maskA = view.getUint32(o);
    o += 4 + 32 * popcount(maskA);
    expect(view.getUint32(o)).to.equal(0);
    const bad = new Uint8Array(d.proof.length + 32);
    bad.set(d.proof.slice(0, o));
    new DataView(bad.buffer).setUint32(o, 1);
    bad.set(d.proof.slice(o + 4), o + 4 + 32);
    expect(() => verifyStepTs(d.preState, bad)).to.throw(ProofMaskError);
  });
});

function popcount(x: number): number {
  let n = 0;
  for (let v = x >>> 0; v !== 0; v &= v - 1) n++;
  return n;
}
