// The manifest hash registered onchain with a program (spec §2.1):
// keccak256 over the UTF-8 bytes of the manifest's canonical JSON.

import { type Hex, keccak256, stringToBytes } from "viem";
import { canonicalJson } from "./canonicalJson.ts";

export type ManifestHashReturnType = Hex;

/** keccak256(utf8(canonicalJson(manifest))) as 0x-prefixed hex. */
export function manifestHash(manifest: unknown): ManifestHashReturnType {
  return keccak256(stringToBytes(canonicalJson(manifest)));
}
