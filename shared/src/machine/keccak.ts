// keccak256 for the machine's hot paths (Merkle nodes, state hashes). Uses the
// hash-wasm keccak (about 5x faster than a pure-JS keccak here); one hasher
// instance is created at module load, so every caller stays synchronous.
// Semantics are Ethereum keccak256 (original Keccak padding, not SHA3-256),
// checked bit for bit against viem in keccak.test.ts.

import { createKeccak } from "hash-wasm";

const hasher = await createKeccak(256);
const pair = new Uint8Array(64);

/** keccak256 of arbitrary bytes, as 32 fresh bytes. */
export function keccak256Bytes(data: Uint8Array): Uint8Array {
  hasher.init();
  hasher.update(data);
  return hasher.digest("binary");
}

/** H(a, b) = keccak256(a ‖ b) for two 32-byte values (spec: node hash). */
export function hash2(a: Uint8Array, b: Uint8Array): Uint8Array {
  pair.set(a, 0);
  pair.set(b, 32);
  hasher.init();
  hasher.update(pair);
  return hasher.digest("binary");
}

/** keccak256 of the 64 bytes at `buf[off .. off+64)` (two adjacent leaves or nodes). */
export function hash64At(buf: Uint8Array, off: number): Uint8Array {
  hasher.init();
  hasher.update(buf.subarray(off, off + 64));
  return hasher.digest("binary");
}
