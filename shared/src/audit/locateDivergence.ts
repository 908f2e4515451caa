// Where a claimed trace parts from ours, found the way a game finds it: from
// the root segment [0, 2^D], whose end the claim gets wrong, descend into the
// first part of each posted dissection whose end hash differs from our trace
// (we agree at its start, because the part before it agreed at its end). The
// claimed hashes are the dissection interiors posted onchain; our hashes come
// from the trace provider, which answers each query from its nearest
// checkpoint. Without dissections the segment stays the whole trace.

import type { Hex } from "viem";
import { child, end, len, log2Parts, rootPosition, start } from "../game/position.ts";
import type { TraceProvider } from "../machine/trace.ts";

export type Divergence = {
  /** Our trace and the claim agree at `start` and differ at `end`. */
  start: bigint;
  end: bigint;
  /** `end = start + 1`: the step start → start + 1 is where they part. */
  exact: boolean;
  /** Our hash and the claimed hash at `end`. */
  ours: Hex;
  claimed: Hex;
  /** Dissections followed (levels of the claim tree). */
  levels: number;
};

export type LocateDivergenceParameters = {
  trace: TraceProvider;
  depth: number;
  log2K: number;
  /** The claimed T(2^D). */
  claimedEnd: Hex;
  /** Posted dissections: packed position → interior hashes. */
  dissections: ReadonlyMap<bigint, readonly Hex[]>;
};

/** null when the claim's end agrees with our trace. */
export async function locateDivergence(p: LocateDivergenceParameters): Promise<Divergence | null> {
  let pos = rootPosition(p.depth);
  let claimed = p.claimedEnd;
  let ours = await p.trace.get(end(pos));
  if (ours === claimed) return null;
  let levels = 0;
  for (;;) {
    const interior = p.dissections.get(pos);
    if (!interior) break;
    const lp = log2Parts(pos, p.log2K);
    const parts = 1 << lp;
    const partLen = len(pos) >> BigInt(lp);
    let next: { index: number; claimed: Hex; ours: Hex } | undefined;
    for (let i = 0; i < parts; i++) {
      const c = i < parts - 1 ? interior[i] : claimed;
      if (c === undefined) break;
      const o = await p.trace.get(start(pos) + BigInt(i + 1) * partLen);
      if (o !== c) {
        next = { index: i, claimed: c, ours: o };
        break;
      }
    }
    if (!next) break;
    pos = child(pos, next.index, lp);
    claimed = next.claimed;
    ours = next.ours;
    levels++;
  }
  return { start: start(pos), end: end(pos), exact: len(pos) === 1n, ours, claimed, levels };
}
