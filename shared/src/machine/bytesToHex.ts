// 0x-hex of bytes for the machine's hashes and roots. Node's own encoder, not
// viem's: `verdict run` loads the machine and nothing of viem, and importing
// even one viem helper pulls ~300 KB of its modules into the CLI's start-up
// (esbuild's code splitting keeps viem's barrel together).

import type { Hex } from "viem";

/** `0x` followed by two lowercase hex digits per byte. */
export function bytesToHex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}
