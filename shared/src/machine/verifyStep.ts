// The TypeScript twin of the onchain one-step verifier (spec §1.5-1.6): pure,
// from the packed pre-state and the proof bytes to the post-state, decoding
// the proof exactly as the chain does. Written independently of the fast
// interpreter (plain unsigned arithmetic, BigInt for the high multiplies) so
// that differential tests between the two mean something.

import { bytesToHex, type Hex } from "viem";
import { ENOSYS_U32, STATUS_EXITED, STATUS_RUNNING, STATUS_TRAPPED } from "./constants.ts";
import { ProofRootMismatchError, ProofTrailingBytesError, StepCounterOverflowError } from "./errors.ts";
import { keccak256Bytes } from "./keccak.ts";
import { readPairProof, readSingleProof, rootFromPair, rootFromSingle } from "./proofs.ts";
import { decodeState, encodeState, type MachineState } from "./state.ts";

function eq32(a: Uint8Array, b: Uint8Array): boolean {
  for (let k = 0; k < 32; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Memory access of a LOAD/STORE word, or null when the word is not a valid load/store. */
export function dataAccessOf(
  word: number,
  rs1Value: number,
): { addr: number; size: number; store: boolean } | null {
  const opcode = word & 0x7f;
  const f3 = (word >>> 12) & 7;
  if (opcode === 0x03) {
    const size = [1, 2, 4, 0, 1, 2, 0, 0][f3];
    if (size === 0) return null;
    return { addr: (rs1Value + (word >> 20)) >>> 0, size, store: false };
  }
  if (opcode === 0x23) {
    const size = [1, 2, 4, 0, 0, 0, 0, 0][f3];
    if (size === 0) return null;
    const imm = ((word >> 25) << 5) | ((word >>> 7) & 0x1f);
    return { addr: (rs1Value + imm) >>> 0, size, store: true };
  }
  return null;
}

type Exec = { kind: "next" } | { kind: "jump"; target: number } | { kind: "trap" } | { kind: "exit" };

const u32 = (v: number) => v >>> 0;
const MAX_STEP = (1n << 64n) - 1n;
const s32 = (v: number) => v | 0;

/** Executes one non-memory instruction on `r` (r[0] stays 0); returns what happens to pc/status. */
function execAlu(word: number, pc: number, r: number[]): Exec {
  const opcode = word & 0x7f;
  const rd = (word >>> 7) & 31;
  const f3 = (word >>> 12) & 7;
  const a = r[(word >>> 15) & 31];
  const b = r[(word >>> 20) & 31];
  const f7 = word >>> 25;
  const immI = word >> 20;
  const set = (v: number) => {
    if (rd !== 0) r[rd] = u32(v);
  };
  switch (opcode) {
    case 0x37:
      set(word & 0xfffff000);
      return { kind: "next" };
    case 0x17:
      set(pc + (word & 0xfffff000));
      return { kind: "next" };
    case 0x6f: {
      const off =
        ((word >> 31) << 20) |
        (((word >>> 12) & 0xff) << 12) |
        (((word >>> 20) & 1) << 11) |
        (((word >>> 21) & 0x3ff) << 1);
      set(pc + 4);
      return { kind: "jump", target: u32(pc + off) };
    }
    case 0x67: {
      if (f3 !== 0) return { kind: "trap" };
      const target = u32(a + immI) & 0xfffffffe;
      set(pc + 4);
      return { kind: "jump", target: u32(target) };
    }
    case 0x63: {
      const off =
        ((word >> 31) << 12) |
        (((word >>> 7) & 1) << 11) |
        (((word >>> 25) & 0x3f) << 5) |
        (((word >>> 8) & 0xf) << 1);
      let taken: boolean;
      if (f3 === 0) taken = a === b;
      else if (f3 === 1) taken = a !== b;
      else if (f3 === 4) taken = s32(a) < s32(b);
      else if (f3 === 5) taken = s32(a) >= s32(b);
      else if (f3 === 6) taken = a < b;
      else if (f3 === 7) taken = a >= b;
      else return { kind: "trap" };
      return taken ? { kind: "jump", target: u32(pc + off) } : { kind: "next" };
    }
    case 0x13: {
      const sh = (word >>> 20) & 31;
      switch (f3) {
        case 0:
          set(a + immI);
          break;
        case 2:
          set(s32(a) < immI ? 1 : 0);
          break;
        case 3:
          set(a < u32(immI) ? 1 : 0);
          break;
        case 4:
          set(a ^ immI);
          break;
        case 6:
          set(a | immI);
          break;
        case 7:
          set(a & immI);
          break;
        case 1:
          if (f7 !== 0) return { kind: "trap" };
          set(a << sh);
          break;
        case 5:
          if (f7 === 0) set(a >>> sh);
          else if (f7 === 0x20) set(s32(a) >> sh);
          else return { kind: "trap" };
          break;
      }
      return { kind: "next" };
    }
    case 0x33: {
      const sh = b & 31;
      if (f7 === 0) {
        const v = [a + b, a << sh, s32(a) < s32(b) ? 1 : 0, a < b ? 1 : 0, a ^ b, a >>> sh, a | b, a & b][f3];
        set(v);
        return { kind: "next" };
      }
      if (f7 === 0x20) {
        if (f3 === 0) set(a - b);
        else if (f3 === 5) set(s32(a) >> sh);
        else return { kind: "trap" };
        return { kind: "next" };
      }
      if (f7 === 1) {
        const sa = BigInt(s32(a));
        const sb = BigInt(s32(b));
        const ua = BigInt(a);
        const ub = BigInt(b);
        const hi = (p: bigint) => Number(BigInt.asUintN(32, p >> 32n));
        switch (f3) {
          case 0:
            set(Number(BigInt.asUintN(32, ua * ub)));
            break;
          case 1:
            set(hi(sa * sb));
            break;
          case 2:
            set(hi(sa * ub));
            break;
          case 3:
            set(hi(ua * ub));
            break;
          case 4:
            if (b === 0) set(0xffffffff);
            else if (a === 0x80000000 && b === 0xffffffff) set(0x80000000);
            else set(Number(BigInt.asUintN(32, sa / sb)));
            break;
          case 5:
            set(b === 0 ? 0xffffffff : Math.floor(a / b));
            break;
          case 6:
            if (b === 0) set(a);
            else if (a === 0x80000000 && b === 0xffffffff) set(0);
            else set(Number(BigInt.asUintN(32, sa % sb)));
            break;
          case 7:
            set(b === 0 ? a : a % b);
            break;
        }
        return { kind: "next" };
      }
      return { kind: "trap" };
    }
    case 0x0f:
      return f3 === 0 || f3 === 1 ? { kind: "next" } : { kind: "trap" };
    case 0x73:
      if (word !== 0x73) return { kind: "trap" };
      if (r[17] === 93 || r[17] === 94) return { kind: "exit" };
      r[10] = ENOSYS_U32;
      return { kind: "next" };
    default:
      return { kind: "trap" };
  }
}

/**
 * One step of the packed pre-state with `proof` (spec §1.6); returns the
 * packed post-state. Throws InvalidStateError, StepCounterOverflowError or an
 * InvalidProofError subclass on any input the chain would revert on.
 */
export function stepTs(preState: Uint8Array, proof: Uint8Array): Uint8Array {
  const s: MachineState = decodeState(preState);
  const done = (consumed: number): void => {
    if (consumed !== proof.length) throw new ProofTrailingBytesError({ consumed, length: proof.length });
  };
  if (s.status !== STATUS_RUNNING) {
    done(0);
    return preState.slice();
  }
  // The counter never wraps (§1.1): the chain reverts StepCounterOverflow.
  if (s.step === MAX_STEP) throw new StepCounterOverflowError();
  const post: MachineState = { ...s, regs: s.regs.slice(), step: s.step + 1n };
  if ((s.pc & 3) !== 0) {
    done(0);
    post.status = STATUS_TRAPPED;
    return encodeState(post);
  }
  const fetch = readSingleProof(proof, 0, "fetch proof");
  const fetchLeaf = s.pc >>> 5;
  if (!eq32(rootFromSingle(fetch.leaf, fetchLeaf, fetch.siblings), s.memRoot))
    throw new ProofRootMismatchError({ what: "Fetch proof", leafIndex: fetchLeaf });
  const o = s.pc & 31;
  const word =
    (fetch.leaf[o] | (fetch.leaf[o + 1] << 8) | (fetch.leaf[o + 2] << 16) | (fetch.leaf[o + 3] << 24)) >>> 0;
  const r = [0, ...s.regs];
  const access = dataAccessOf(word, r[(word >>> 15) & 31]);
  if (access === null) {
    done(fetch.end);
    const e = execAlu(word, s.pc, r);
    if (e.kind === "trap") {
      post.status = STATUS_TRAPPED;
      return encodeState(post);
    }
    if (e.kind === "exit") {
      post.status = STATUS_EXITED;
      post.exitCode = r[10];
      return encodeState(post);
    }
    post.regs = r.slice(1);
    post.pc = e.kind === "jump" ? e.target : u32(s.pc + 4);
    return encodeState(post);
  }

  // LOAD / STORE: a window of one or two leaves holds every accessed byte.
  const { addr, size, store } = access;
  const i = addr >>> 5;
  const off = addr & 31;
  let window: Uint8Array;
  let newRoot: (w: Uint8Array) => Uint8Array;
  if (off + size <= 32) {
    const d = readSingleProof(proof, fetch.end, "data proof");
    done(d.end);
    if (!eq32(rootFromSingle(d.leaf, i, d.siblings), s.memRoot))
      throw new ProofRootMismatchError({ what: "Data proof", leafIndex: i });
    window = d.leaf;
    newRoot = (w) => rootFromSingle(w, i, d.siblings);
  } else {
    const d = readPairProof(proof, fetch.end, i, "data pair proof");
    done(d.end);
    if (!eq32(rootFromPair(i, d.leafA, d.leafB, d.siblingsA, d.siblingsB), s.memRoot))
      throw new ProofRootMismatchError({ what: "Data pair proof", leafIndex: i });
    window = new Uint8Array(64);
    window.set(d.leafA);
    window.set(d.leafB, 32);
    newRoot = (w) => rootFromPair(i, w.slice(0, 32), w.slice(32, 64), d.siblingsA, d.siblingsB);
  }
  const rd = (word >>> 7) & 31;
  if (store) {
    const v = r[(word >>> 20) & 31];
    for (let k = 0; k < size; k++) window[off + k] = (v >>> (8 * k)) & 0xff;
    post.memRoot = newRoot(window);
  } else {
    let v = 0;
    for (let k = 0; k < size; k++) v += window[off + k] * 2 ** (8 * k);
    const f3 = (word >>> 12) & 7;
    if (f3 === 0) v = u32((v << 24) >> 24);
    else if (f3 === 1) v = u32((v << 16) >> 16);
    if (rd !== 0) r[rd] = v;
    post.regs = r.slice(1);
  }
  post.pc = u32(s.pc + 4);
  return encodeState(post);
}

/** Post-state hash of one step (what the onchain verifier returns). */
export function verifyStepTs(preState: Uint8Array, proof: Uint8Array): Hex {
  return bytesToHex(keccak256Bytes(stepTs(preState, proof)));
}
