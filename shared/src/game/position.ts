// Trace positions of the claim tree, with the same names and packing as the
// Solidity `LibPosition` (protocol/src/lib/Types.sol: wrap, start, log2Len,
// child, end): a Position is the segment [start, start + 2^log2Len], packed as
// start << 8 | log2Len in a uint64, and it is also the key of a node inside a
// game. `parentOf` mirrors DisputeGame's `_parentOf`. Positions never exceed
// 2^48 (D <= 48), but bigint keeps the arithmetic exact without reasoning
// about it.

/** Packed position, as stored onchain (uint64). */
export type Position = bigint;

export function wrap(start: bigint, log2Len: number): Position {
  if (start < 0n || start >= 1n << 56n)
    throw new RangeError(`position start ${start} out of range [0, 2^56)`);
  if (!Number.isInteger(log2Len) || log2Len < 0 || log2Len > 48)
    throw new RangeError(`log2Len ${log2Len} out of range 0..48`);
  return (start << 8n) | BigInt(log2Len);
}

export function start(p: Position): bigint {
  return p >> 8n;
}

export function log2Len(p: Position): number {
  return Number(p & 0xffn);
}

/** Segment length 2^log2Len. */
export function len(p: Position): bigint {
  return 1n << BigInt(log2Len(p));
}

/** Last trace position of the segment (start + len). */
export function end(p: Position): bigint {
  return start(p) + len(p);
}

/** Parts a dissection of `p` splits into, as a power of two: min(log2K, log2Len). */
export function log2Parts(p: Position, log2K: number): number {
  return Math.min(log2K, log2Len(p));
}

/** Sub-segment `index` of `2^log2Parts_` equal parts (Solidity `LibPosition.child`). */
export function child(p: Position, index: number | bigint, log2Parts_: number): Position {
  const childLog2 = log2Len(p) - log2Parts_;
  if (childLog2 < 0) throw new RangeError(`cannot split 2^${log2Len(p)} into 2^${log2Parts_} parts`);
  const i = BigInt(index);
  if (i < 0n || i >= 1n << BigInt(log2Parts_)) throw new RangeError(`index ${index} out of range`);
  return wrap(start(p) + (i << BigInt(childLog2)), childLog2);
}

/**
 * Trace positions of the n - 1 interior hashes a dissection of `p` posts:
 * start + i * len / n for i = 1 .. n - 1, with n = 2^min(log2K, log2Len).
 */
export function interiorPositions(p: Position, log2K: number): bigint[] {
  const parts = log2Parts(p, log2K);
  const step = 1n << BigInt(log2Len(p) - parts);
  const s = start(p);
  const out: bigint[] = [];
  for (let i = 1n; i < 1n << BigInt(parts); i++) out.push(s + i * step);
  return out;
}

/** log2 of k, checking that k is a power of two >= 2. */
export function log2Of(k: bigint | number): number {
  const v = BigInt(k);
  if (v < 2n || (v & (v - 1n)) !== 0n) throw new RangeError(`k = ${k} is not a power of two >= 2`);
  return v.toString(2).length - 1;
}

/** The root of a game on a program of depth D: the whole trace [0, 2^D]. */
export function rootPosition(depth: number): Position {
  return wrap(0n, depth);
}

/**
 * The parent of a non-root node (DisputeGame `_parentOf`): levels are fixed by
 * D, the root has log2Len D and each level below takes min(log2K, log2Len) off.
 */
export function parentOf(p: Position, depth: number, log2K: number): Position {
  const target = log2Len(p);
  if (target >= depth)
    throw new RangeError(`position ${p} is the root (or above it) of a depth-${depth} game`);
  let l = depth;
  for (;;) {
    const parts = Math.min(log2K, l);
    if (l - parts === target) break;
    if (l - parts < target) throw new RangeError(`log2Len ${target} is not a level of a depth-${depth} game`);
    l -= parts;
  }
  const mask = (1n << BigInt(l)) - 1n;
  return wrap(start(p) & ~mask, l);
}

/** Index of `c` among the parts of its parent `p` (the `index` of `challenge`). */
export function indexIn(p: Position, c: Position): number {
  const shift = BigInt(log2Len(c));
  return Number((start(c) - start(p)) >> shift);
}

/** The log2Len of every level of a depth-D game, root first (dissections go one level down each). */
export function levels(depth: number, log2K: number): number[] {
  const out = [depth];
  let l = depth;
  while (l > 0) {
    l -= Math.min(log2K, l);
    out.push(l);
  }
  return out;
}
