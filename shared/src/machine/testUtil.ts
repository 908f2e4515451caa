// Test helpers shared by the machine's test files (not part of the public API).

import { expect } from "chai";
import { imageFromWords } from "./asm.ts";
import { createMachine } from "./createMachine.ts";
import type { Machine } from "./machine.ts";
import { generateStepProof } from "./stepProof.ts";
import { verifyStepTs } from "./verifyStep.ts";

/** Deterministic PRNG (xorshift32) so failures reproduce. */
export function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** Machine with `words` at `base` (entry) and preset registers. */
export function machineWith(
  words: readonly (number | readonly number[])[],
  regs: Record<number, number> = {},
  base = 0x1000,
): Machine {
  const m = createMachine(imageFromWords(words, base));
  for (const [r, v] of Object.entries(regs)) m.setReg(Number(r), v);
  return m;
}

/**
 * Steps `n` times, each step through generateStepProof and checked against the
 * independent TS verifier: interpreter and verifier must agree bit for bit.
 */
export function stepChecked(m: Machine, n = 1): void {
  for (let k = 0; k < n; k++) {
    const d = generateStepProof(m);
    expect(verifyStepTs(d.preState, d.proof), `step ${k} at pc 0x${m.pc.toString(16)}`).to.equal(
      d.postStateHash,
    );
  }
}
