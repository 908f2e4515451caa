// Memory proof encoding and checking (spec §1.4). Pure functions over bytes:
// the generator side (from a PagedMemory's siblings) and the verifier side
// (parse + recompute the root), shared by stepProof.ts and verifyStep.ts.
//
// Byte layout: leaves and siblings 32 bytes, masks uint32 big-endian.

import { ProofMaskError, ProofTruncatedError } from "./errors.ts";
import { hash2 } from "./keccak.ts";
import { TREE_DEPTH, zeroHashes } from "./zeroHashes.ts";

const LEAF_MASK = (1 << TREE_DEPTH) - 1;
const FULL_MASK = LEAF_MASK; // bits 0..26

function eq32(a: Uint8Array, b: Uint8Array): boolean {
  for (let k = 0; k < 32; k++) if (a[k] !== b[k]) return false;
  return true;
}

/** Height where the paths of leaf i and leaf (i+1) mod 2^27 meet (1..27). */
export function pairMeetHeight(i: number): number {
  const j = (i + 1) & LEAF_MASK;
  return 32 - Math.clz32(i ^ j);
}

function encodeMasked(parts: Uint8Array[], sibs: readonly Uint8Array[], allowed: number): void {
  let mask = 0;
  const present: Uint8Array[] = [];
  for (let h = 0; h < TREE_DEPTH; h++) {
    if (((allowed >>> h) & 1) === 0) continue;
    if (!eq32(sibs[h], zeroHashes[h])) {
      mask |= 1 << h;
      present.push(sibs[h]);
    }
  }
  const m = new Uint8Array(4);
  new DataView(m.buffer).setUint32(0, mask >>> 0);
  parts.push(m, ...present);
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** Single proof: leaf ‖ mask ‖ present siblings (zero-hash siblings omitted). */
export function encodeSingleProof(leaf: Uint8Array, siblings: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [leaf];
  encodeMasked(parts, siblings, FULL_MASK);
  return concat(parts);
}

/** Pair proof for leaves i and (i+1) mod 2^27, from each leaf's full sibling list. */
export function encodePairProof(
  i: number,
  leafA: Uint8Array,
  leafB: Uint8Array,
  siblingsA: readonly Uint8Array[],
  siblingsB: readonly Uint8Array[],
): Uint8Array {
  const m = pairMeetHeight(i);
  const parts: Uint8Array[] = [leafA, leafB];
  encodeMasked(parts, siblingsA, FULL_MASK & ~(1 << (m - 1)));
  encodeMasked(parts, siblingsB, (1 << (m - 1)) - 1);
  return concat(parts);
}

function need(buf: Uint8Array, off: number, n: number, what: string): void {
  if (off + n > buf.length) throw new ProofTruncatedError({ what, offset: off, need: n, length: buf.length });
}

function readMasked(buf: Uint8Array, off: number, allowed: number, what: string, out: Uint8Array[]): number {
  need(buf, off, 4, `${what} mask`);
  const mask = new DataView(buf.buffer, buf.byteOffset + off, 4).getUint32(0);
  off += 4;
  if ((mask & ~allowed) !== 0) throw new ProofMaskError({ what: `${what} mask`, mask, allowed });
  for (let h = 0; h < TREE_DEPTH; h++) {
    if (((mask >>> h) & 1) === 1) {
      need(buf, off, 32, `${what} sibling at height ${h}`);
      out[h] = buf.slice(off, off + 32);
      off += 32;
    } else out[h] = zeroHashes[h];
  }
  return off;
}

export type ParsedSingleProof = { leaf: Uint8Array; siblings: Uint8Array[]; end: number };

/** Parses a single proof at `off`; absent siblings are filled with Zh. */
export function readSingleProof(buf: Uint8Array, off: number, what = "proof"): ParsedSingleProof {
  need(buf, off, 32, `${what} leaf`);
  const leaf = buf.slice(off, off + 32);
  const siblings: Uint8Array[] = new Array(TREE_DEPTH);
  const end = readMasked(buf, off + 32, FULL_MASK, what, siblings);
  return { leaf, siblings, end };
}

export type ParsedPairProof = {
  leafA: Uint8Array;
  leafB: Uint8Array;
  siblingsA: Uint8Array[];
  siblingsB: Uint8Array[];
  end: number;
};

/** Parses a pair proof for leaves i, (i+1) mod 2^27 at `off`. */
export function readPairProof(buf: Uint8Array, off: number, i: number, what = "pair proof"): ParsedPairProof {
  const m = pairMeetHeight(i);
  need(buf, off, 64, `${what} leaves`);
  const leafA = buf.slice(off, off + 32);
  const leafB = buf.slice(off + 32, off + 64);
  const siblingsA: Uint8Array[] = new Array(TREE_DEPTH);
  const siblingsB: Uint8Array[] = new Array(TREE_DEPTH);
  let o = readMasked(buf, off + 64, FULL_MASK & ~(1 << (m - 1)), `${what} A`, siblingsA);
  o = readMasked(buf, o, (1 << (m - 1)) - 1, `${what} B`, siblingsB);
  return { leafA, leafB, siblingsA, siblingsB, end: o };
}

/** Root from a leaf, its index and 27 siblings. */
export function rootFromSingle(leaf: Uint8Array, i: number, siblings: readonly Uint8Array[]): Uint8Array {
  let node = leaf;
  for (let h = 0; h < TREE_DEPTH; h++)
    node = ((i >>> h) & 1) === 0 ? hash2(node, siblings[h]) : hash2(siblings[h], node);
  return node;
}

/** Root from a pair proof (leaves i and (i+1) mod 2^27). */
export function rootFromPair(
  i: number,
  leafA: Uint8Array,
  leafB: Uint8Array,
  siblingsA: readonly Uint8Array[],
  siblingsB: readonly Uint8Array[],
): Uint8Array {
  const j = (i + 1) & LEAF_MASK;
  const m = pairMeetHeight(i);
  let a = leafA;
  let b = leafB;
  for (let h = 0; h < m - 1; h++) {
    a = ((i >>> h) & 1) === 0 ? hash2(a, siblingsA[h]) : hash2(siblingsA[h], a);
    b = ((j >>> h) & 1) === 0 ? hash2(b, siblingsB[h]) : hash2(siblingsB[h], b);
  }
  // At height m-1 the two nodes are each other's sibling; i's bit m-1 says which is left.
  let node = ((i >>> (m - 1)) & 1) === 0 ? hash2(a, b) : hash2(b, a);
  for (let h = m; h < TREE_DEPTH; h++)
    node = ((i >>> h) & 1) === 0 ? hash2(node, siblingsA[h]) : hash2(siblingsA[h], node);
  return node;
}
