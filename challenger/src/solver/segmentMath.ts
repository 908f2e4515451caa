// Segment arithmetic of the challenger's solver, the same rules as the
// Solidity LibPosition.child: a segment of 2^log2Len steps is cut into
// n = min(k, 2^log2Len) equal parts.

import type { Segment } from "./types.ts";

/** log2 of the number of parts a segment is cut into. */
export function log2Parts(segment: Segment, k: number): number {
  const log2K = Math.log2(k);
  if (!Number.isInteger(log2K) || log2K < 1) throw new RangeError(`k must be a power of two >= 2, got ${k}`);
  return Math.min(log2K, segment.log2Len);
}

/** Trace position of boundary i (0..n) of the segment's n parts. */
export function boundary(segment: Segment, k: number, i: number): bigint {
  const childLog2 = segment.log2Len - log2Parts(segment, k);
  return segment.start + (BigInt(i) << BigInt(childLog2));
}

/** Sub-segment `index` of the segment's n parts. */
export function childSegment(segment: Segment, k: number, index: number): Segment {
  const childLog2 = segment.log2Len - log2Parts(segment, k);
  return { start: segment.start + (BigInt(index) << BigInt(childLog2)), log2Len: childLog2 };
}
