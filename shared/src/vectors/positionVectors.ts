// Differential vectors of the claim-tree positions (issue 14, item 4): random
// nodes of random games, with everything the TypeScript position code
// (shared/src/game/position.ts, ancestryOf.ts) says about them. The forge test
// protocol/test/lib/LibPosition.t.sol replays the committed file against
// `LibPosition` and DisputeGame's own `_parentOf` and `_segmentHashes`, so the
// two position libraries are compared on the same random inputs; the mocha
// test beside this file regenerates the set and fails if it no longer matches
// the committed bytes (the TS side changed without the Solidity side being
// checked again).
//
//   tsx shared/src/vectors/positionVectors.ts --publish    rewrite protocol/test/vectors/position-v1.bin

import { writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { encodeAbiParameters, type Hex, hexToBytes } from "viem";
import { decidingLevels } from "../game/ancestryOf.ts";
import {
  child,
  end,
  indexIn,
  interiorPositions,
  log2Len,
  log2Parts,
  type Position,
  parentOf,
  rootPosition,
  start,
} from "../game/position.ts";
import { createPrng } from "./prng.ts";

export const POSITION_VECTORS_SEED = 0x9051;
export const POSITION_VECTORS_COUNT = 400;
export const POSITION_VECTORS_FILE = join(
  dirname(fileURLToPath(import.meta.url)),
  "../../../protocol/test/vectors/position-v1.bin",
);

/** Largest D a program may register (ProgramRegistry MAX_DEPTH) and largest log2 k (DisputeGame). */
const MAX_DEPTH = 48;
const MAX_LOG2_K = 6;

export type PositionVector = {
  depth: number;
  log2K: number;
  position: Position;
  start: bigint;
  log2Len: number;
  end: bigint;
  /** Ancestors root first (empty for the root); `parentOf` applied repeatedly. */
  path: Position[];
  /** Index of each path step's child in its parent (`indexIn`), root first. */
  indices: bigint[];
  /** Whether the interior of each ancestor decides the node's start or end (`decidingLevels`). */
  deciding: boolean[];
  /** Trace positions of each deciding ancestor's interior hashes (`interiorPositions`); empty for the
   *  others, which the contract must not read (what `ancestryOf` sends). */
  interiors: bigint[][];
  /** A random `child(position, childIndex, childParts)` query; childParts = 0 when log2Len = 0. */
  childIndex: bigint;
  childParts: number;
  child: Position;
};

/** Random nodes of random games; edge depths and branching factors are forced into the first vectors. */
export function generatePositionVectors(
  seed = POSITION_VECTORS_SEED,
  count = POSITION_VECTORS_COUNT,
): PositionVector[] {
  const rng = createPrng(seed);
  const out: PositionVector[] = [];
  const edgeDepths = [1, 2, MAX_DEPTH, MAX_DEPTH - 1];
  for (let v = 0; v < count; v++) {
    const depth = v < edgeDepths.length * MAX_LOG2_K ? edgeDepths[v % 4] : 1 + rng.below(MAX_DEPTH);
    const log2K = v < edgeDepths.length * MAX_LOG2_K ? 1 + Math.floor(v / 4) : 1 + rng.below(MAX_LOG2_K);
    // Walk down from the root: to a random level, or to a leaf, with each index at random
    // (biased to the first and last part, where start and end inherit from the parent).
    let p = rootPosition(depth);
    const stopAt = rng.chance(0.3) ? 0 : rng.below(depth + 1);
    while (log2Len(p) > stopAt) {
      const parts = log2Parts(p, log2K);
      const n = 1 << parts;
      const r = rng.below(4);
      const i = r === 0 ? 0 : r === 1 ? n - 1 : rng.below(n);
      p = child(p, i, parts);
    }
    out.push(describe(p, depth, log2K, rng.u32()));
  }
  return out;
}

function describe(p: Position, depth: number, log2K: number, r: number): PositionVector {
  const path: Position[] = [];
  for (let c = p; log2Len(c) < depth; c = parentOf(c, depth, log2K)) path.unshift(parentOf(c, depth, log2K));
  const steps = path.map((parent, i) => ({ parent, child: i + 1 < path.length ? path[i + 1] : p }));
  const deciding = decidingLevels(steps);
  const childParts = log2Len(p) === 0 ? 0 : 1 + (r % log2Len(p));
  const childIndex = childParts === 0 ? 0n : BigInt(Math.floor(r / 64) % (1 << Math.min(childParts, 24)));
  return {
    depth,
    log2K,
    position: p,
    start: start(p),
    log2Len: log2Len(p),
    end: end(p),
    path,
    indices: steps.map((s) => BigInt(indexIn(s.parent, s.child))),
    deciding: steps.map((_, i) => deciding.has(i)),
    interiors: path.map((a, i) => (deciding.has(i) ? interiorPositions(a, log2K) : [])),
    childIndex,
    childParts,
    child: childParts === 0 ? p : child(p, childIndex, childParts),
  };
}

const VECTOR_ABI = [
  {
    type: "tuple[]",
    components: [
      { name: "depth", type: "uint8" },
      { name: "log2K", type: "uint8" },
      { name: "position", type: "uint64" },
      { name: "start", type: "uint64" },
      { name: "log2Len", type: "uint8" },
      { name: "end", type: "uint64" },
      { name: "path", type: "uint64[]" },
      { name: "indices", type: "uint256[]" },
      { name: "deciding", type: "bool[]" },
      { name: "interiors", type: "uint64[][]" },
      { name: "childIndex", type: "uint256" },
      { name: "childParts", type: "uint8" },
      { name: "child", type: "uint64" },
    ],
  },
] as const;

/** ABI encoding of the set, read in forge with `abi.decode(vm.readFileBinary(..), (PositionVector[]))`. */
export function encodePositionVectors(vectors: readonly PositionVector[]): Uint8Array {
  const hex: Hex = encodeAbiParameters(VECTOR_ABI, [vectors]);
  return hexToBytes(hex);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (!process.argv.includes("--publish")) {
    console.error("usage: tsx shared/src/vectors/positionVectors.ts --publish");
    process.exit(2);
  }
  const bytes = encodePositionVectors(generatePositionVectors());
  writeFileSync(POSITION_VECTORS_FILE, bytes);
  console.log(`wrote ${POSITION_VECTORS_COUNT} vectors (${bytes.length} bytes) to ${POSITION_VECTORS_FILE}`);
}
