// Zero hashes Z0..Z27 of the memory tree (spec §1.3): Z0 is 32 zero bytes,
// Z(h+1) = H(Zh, Zh); an empty subtree of height h hashes to Zh.

import { hash2 } from "./keccak.ts";

/** Tree depth: 2^27 leaves of 32 bytes cover the 2^32-byte address space. */
export const TREE_DEPTH = 27;

function build(): readonly Uint8Array[] {
  const z: Uint8Array[] = [new Uint8Array(32)];
  for (let h = 0; h < TREE_DEPTH; h++) z.push(hash2(z[h], z[h]));
  return Object.freeze(z);
}

/** `zeroHashes[h]` = Zh for h = 0..27. Treat the arrays as read-only. */
export const zeroHashes: readonly Uint8Array[] = build();
