// Packed machine state (spec §1.1): 173 bytes, big-endian integers, and its
// keccak256 hash, which is what the dispute game compares.

import type { Hex } from "viem";
import { bytesToHex } from "./bytesToHex.ts";
import { type MachineStatus, STATE_SIZE, STATUS_EXITED } from "./constants.ts";
import { InvalidStateError } from "./errors.ts";
import { keccak256Bytes } from "./keccak.ts";

export type MachineState = {
  /** 32-byte memory root. */
  memRoot: Uint8Array;
  /** uint32. */
  pc: number;
  /** x1..x31 as uint32 (31 entries; x0 is not stored). */
  regs: number[];
  /** uint64. */
  step: bigint;
  status: MachineStatus;
  /** uint32. */
  exitCode: number;
};

/** Packs a state; throws InvalidStateError on out-of-range fields or an exit code without EXITED. */
export function encodeState(s: MachineState): Uint8Array {
  if (s.memRoot.length !== 32)
    throw new InvalidStateError(`memRoot has ${s.memRoot.length} bytes, expected 32`);
  if (s.regs.length !== 31)
    throw new InvalidStateError(`${s.regs.length} registers given, expected 31 (x1..x31)`);
  if (s.status > 2 || s.status < 0) throw new InvalidStateError(`status ${s.status}`);
  if (s.step < 0n || s.step >= 1n << 64n) throw new InvalidStateError(`step ${s.step} is not a uint64`);
  if (s.exitCode >>> 0 !== 0 && s.status !== STATUS_EXITED)
    throw new InvalidStateError(`exit code ${s.exitCode >>> 0} on a state that has not exited`);
  const out = new Uint8Array(STATE_SIZE);
  const v = new DataView(out.buffer);
  out.set(s.memRoot, 0);
  v.setUint32(32, s.pc >>> 0);
  for (let i = 0; i < 31; i++) v.setUint32(36 + 4 * i, s.regs[i] >>> 0);
  v.setBigUint64(160, s.step);
  out[168] = s.status;
  v.setUint32(169, s.exitCode >>> 0);
  return out;
}

/** Unpacks a state; throws InvalidStateError on a wrong length, status > 2, or an exit code without EXITED. */
export function decodeState(packed: Uint8Array): MachineState {
  if (packed.length !== STATE_SIZE)
    throw new InvalidStateError(`${packed.length} bytes, expected ${STATE_SIZE}`);
  const v = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const status = packed[168];
  if (status > 2) throw new InvalidStateError(`status ${status}`);
  const exitCode = v.getUint32(169);
  // Only an exit writes the code (§1.5), so any other state with one is unreachable.
  if (exitCode !== 0 && status !== STATUS_EXITED)
    throw new InvalidStateError(`exit code ${exitCode} on a state that has not exited`);
  const regs: number[] = [];
  for (let i = 0; i < 31; i++) regs.push(v.getUint32(36 + 4 * i));
  return {
    memRoot: packed.slice(0, 32),
    pc: v.getUint32(32),
    regs,
    step: v.getBigUint64(160),
    status: status as MachineStatus,
    exitCode,
  };
}

/** keccak256 of a packed state (validated first). */
export function hashState(packed: Uint8Array): Hex {
  decodeState(packed);
  return bytesToHex(keccak256Bytes(packed));
}
