// The challenger's decision for one game: pure (no I/O), so correctness is
// unit-tested here and the player only fetches data and sends what this says.
//
// Rule: never sign a move our own trace does not support. We must agree with
// the segment's start hash (it is either the onchain initial state or a hash we
// picked ourselves); we pick the FIRST part whose end hash we dispute; at
// length 1 we step only if our post-state differs from the proposer's claim.

import type { Hex } from "viem";
import { boundary, childSegment, log2Parts } from "./segmentMath.ts";
import { type ChallengerAction, GameStatus, type GameView, Turn } from "./types.ts";

export type TraceHashes = ReadonlyMap<bigint, Hex>;

/** Trace positions whose hash solveChallengerMove needs for this view. */
export function requiredPositions(view: GameView): bigint[] {
  if (view.status !== GameStatus.Active) return [];
  if (view.turn === Turn.Pick) {
    const n = 1 << log2Parts(view.segment, view.k);
    return Array.from({ length: n + 1 }, (_, i) => boundary(view.segment, view.k, i));
  }
  if (view.turn === Turn.Step) return [view.segment.start, view.segment.start + 1n];
  return [];
}

function eq(a: Hex, b: Hex) {
  return a.toLowerCase() === b.toLowerCase();
}

function need(hashes: TraceHashes, position: bigint): Hex {
  const h = hashes.get(position);
  if (h === undefined) throw new RangeError(`trace hash at position ${position} was not provided`);
  return h;
}

export function solveChallengerMove(view: GameView, hashes: TraceHashes): ChallengerAction {
  if (view.status !== GameStatus.Active) return { kind: "done", status: view.status };
  switch (view.turn) {
    case Turn.Close:
      return { kind: "close" };
    case Turn.None:
      return { kind: "wait", reason: "game not active" };
    case Turn.Dissect:
      return view.moverLeftSeconds === 0n
        ? { kind: "claimTimeout" }
        : { kind: "wait", reason: "proposer to dissect" };
    case Turn.Pick:
      return solvePick(view, hashes);
    case Turn.Step:
      return solveStep(view, hashes);
    default:
      return { kind: "refuse", reason: `unknown turn ${String(view.turn)}` };
  }
}

function solvePick(view: GameView, hashes: TraceHashes): ChallengerAction {
  const { segment, k } = view;
  const n = 1 << log2Parts(segment, k);
  const interior = view.interior;
  if (!interior) return { kind: "wait", reason: "interior hashes not yet known" };
  if (interior.length !== n - 1)
    return {
      kind: "refuse",
      reason: `expected ${n - 1} interior hashes, the chain shows ${interior.length}`,
    };
  const ours0 = need(hashes, segment.start);
  if (!eq(ours0, view.startHash))
    return {
      kind: "refuse",
      reason: `our trace at ${segment.start} is ${ours0}, not the agreed start hash ${view.startHash}`,
    };
  // claims[i] is the proposer's hash at boundary i (h_0 = start, h_n = end).
  const claims = [view.startHash, ...interior, view.endHash];
  const disputed: number[] = [];
  for (let i = 1; i <= n; i++) {
    if (!eq(claims[i], need(hashes, boundary(segment, k, i)))) disputed.push(i);
  }
  if (disputed.length === 0)
    return { kind: "refuse", reason: "we agree with every hash of this dissection, including its end" };
  const index = disputed[0] - 1;
  return { kind: "pick", index, interior, child: childSegment(segment, k, index), disputed };
}

function solveStep(view: GameView, hashes: TraceHashes): ChallengerAction {
  const { segment } = view;
  if (segment.log2Len !== 0)
    return { kind: "refuse", reason: `step turn on a segment of 2^${segment.log2Len}` };
  const pre = need(hashes, segment.start);
  const post = need(hashes, segment.start + 1n);
  if (!eq(pre, view.startHash))
    return {
      kind: "refuse",
      reason: `our pre-state at ${segment.start} is ${pre}, not the agreed ${view.startHash}`,
    };
  if (eq(post, view.endHash))
    return { kind: "refuse", reason: `our post-state at ${segment.start + 1n} equals the proposer's claim` };
  return { kind: "step", position: segment.start };
}
