// One-step proof generation (spec §1.6): packed pre-state, fetch proof and
// data proof for the instruction at the machine's pc, then the post-state
// hash after executing it with the fast interpreter.

import type { Hex } from "viem";
import { bytesToHex } from "viem";
import { STATUS_RUNNING } from "./constants.ts";
import { keccak256Bytes } from "./keccak.ts";
import type { Machine } from "./machine.ts";
import { encodePairProof, encodeSingleProof } from "./proofs.ts";
import { dataAccessOf } from "./verifyStep.ts";

export type StepData = {
  /** Packed pre-state, 173 bytes. */
  preState: Uint8Array;
  /** fetchProof ‖ dataProof. */
  proof: Uint8Array;
  /** State hash after the step, as the verifier must compute it. */
  postStateHash: Hex;
};

/** Proof bytes for the step the machine is about to take (does not move the machine). */
export function stepProofBytes(m: Machine): Uint8Array {
  if (m.status !== STATUS_RUNNING || (m.pc & 3) !== 0) return new Uint8Array(0);
  const mem = m.mem;
  mem.root();
  const fi = m.pc >>> 5;
  const fetch = encodeSingleProof(mem.leaf(fi), mem.siblings(fi));
  const word = mem.load32(m.pc | 0) >>> 0;
  const access = dataAccessOf(word, m.reg((word >>> 15) & 31));
  if (access === null) return fetch;
  const i = access.addr >>> 5;
  let data: Uint8Array;
  if ((access.addr & 31) + access.size <= 32) {
    data = encodeSingleProof(mem.leaf(i), mem.siblings(i));
  } else {
    const j = (i + 1) & ((1 << 27) - 1);
    data = encodePairProof(i, mem.leaf(i), mem.leaf(j), mem.siblings(i), mem.siblings(j));
  }
  const out = new Uint8Array(fetch.length + data.length);
  out.set(fetch);
  out.set(data, fetch.length);
  return out;
}

/** Step data for the machine's next step; ADVANCES the machine by one step. */
export function generateStepProof(m: Machine): StepData {
  const preState = m.encode();
  const proof = stepProofBytes(m);
  m.run(1);
  return { preState, proof, postStateHash: bytesToHex(keccak256Bytes(m.encode())) };
}
