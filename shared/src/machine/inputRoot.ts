// Roots of the input/output regions computed from bytes alone (spec §1.3),
// without a machine: what the contract computes from calldata.

import type { Hex } from "viem";
import { bytesToHex } from "./bytesToHex.ts";
import { IO_HEADER_SIZE, IO_REGION_SIZE } from "./constants.ts";
import { MachineInputError } from "./errors.ts";
import { hash2, hash64At } from "./keccak.ts";
import { zeroHashes } from "./zeroHashes.ts";

/** Height of the input and output subtrees (2^25 leaves of 32 bytes = 1 GiB). */
export const IO_REGION_HEIGHT = 25;
/** Largest input the input region can hold. */
export const MAX_INPUT_BYTES = IO_REGION_SIZE - IO_HEADER_SIZE;

/** The region image: le64 length, 24 zero bytes, then the payload. */
export function ioRegionBytes(payload: Uint8Array): Uint8Array {
  if (payload.length > MAX_INPUT_BYTES)
    throw new MachineInputError(`Input of ${payload.length} bytes does not fit the 1 GiB input region.`);
  const out = new Uint8Array(IO_HEADER_SIZE + payload.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(payload.length), true);
  out.set(payload, IO_HEADER_SIZE);
  return out;
}

/**
 * Root of a subtree of height `height` whose memory starts with `bytes` and
 * is zero after them. Costs about one hash per 32 bytes plus `height`.
 */
export function subtreeRoot(bytes: Uint8Array, height: number): Uint8Array {
  if (bytes.length > 32 * 2 ** height)
    throw new MachineInputError(`${bytes.length} bytes exceed a height-${height} subtree.`);
  // Pad to a whole number of leaf pairs so level 1 hashes straight from the bytes.
  const padded = new Uint8Array(Math.max(64, Math.ceil(bytes.length / 64) * 64));
  padded.set(bytes);
  if (height === 0) return padded.slice(0, 32);
  let n = padded.length >> 6;
  let level = new Uint8Array(n * 32);
  for (let i = 0; i < n; i++) level.set(hash64At(padded, i << 6), i << 5);
  for (let h = 1; h < height; h++) {
    const m = (n + 1) >> 1;
    const next = new Uint8Array(m * 32);
    for (let i = 0; i < m; i++) {
      const l = level.subarray(i << 6, (i << 6) + 32);
      const r = 2 * i + 1 < n ? level.subarray((i << 6) + 32, (i << 6) + 64) : zeroHashes[h];
      next.set(hash2(l, r), i << 5);
    }
    level = next;
    n = m;
  }
  return level.slice(0, 32);
}

/** Input root of `input` (height-25 root of the input region), as bytes. */
export function inputRootBytes(input: Uint8Array): Uint8Array {
  return subtreeRoot(ioRegionBytes(input), IO_REGION_HEIGHT);
}

/** Input root of `input`, hex. */
export function inputRoot(input: Uint8Array): Hex {
  return bytesToHex(inputRootBytes(input));
}

/** Initial memory root H(programRoot, H(inputRoot, Z25)) (spec §1.3). */
export function initialMemRoot(programRoot: Uint8Array, inputRootB: Uint8Array): Uint8Array {
  return hash2(programRoot, hash2(inputRootB, zeroHashes[IO_REGION_HEIGHT]));
}
