// Paged, Merkleized memory of the machine (spec §1.2-1.4).
//
// Layout: the 2^32-byte space is split into 2^20 pages of 4 KiB. A flat page
// table (Int32Array, so a new memory costs a calloc, not a 1M-entry JS array
// that V8 would keep in slow dictionary mode) maps `addr >>> 12` to a slot;
// `u8[slot]` / `i32[slot]` are the page's bytes and its int32 view (aligned
// words, little-endian host assumed, as on every platform Node runs on).
// Slot 0 is the shared zero page that every untouched page maps to.
//
// The interpreter stores directly into a page only when `writable[p] === 1`;
// every other store takes the slow path (`prepareWrite`), which
//   - allocates a page on first write (zero page is never written),
//   - copies a page shared with a snapshot (copy-on-write),
//   - records the page as dirty for the incremental Merkle root,
//   - invalidates decoded instructions when the page holds decoded code
//     (such pages stay non-writable so every store into them is seen).
//
// Merkle tree: heights 0..6 live inside a page and are rehashed per dirty page
// (127 hashes); heights 7..27 are kept as sparse maps (absent = zero hash)
// and only the paths above dirty pages are rehashed.
//
// Snapshots hash nothing: a checkpoint only records the page buffers and
// marks them shared (copy-on-write), so the first pass of a trace costs
// little more than plain execution. A page root is computed when a query
// first needs it and then cached per buffer (`frozenPageRoot`); that is
// sound because a buffer held by a snapshot is never written again (every
// store to a shared page copies it first), so its root never changes.

import { PAGE_COUNT, PAGE_HEIGHT, PAGE_SHIFT, PAGE_SIZE } from "./constants.ts";
import { hash2, hash64At } from "./keccak.ts";
import { TREE_DEPTH, zeroHashes } from "./zeroHashes.ts";

const ZERO_PAGE = new Uint8Array(PAGE_SIZE);
const ZERO_PAGE_I32 = new Int32Array(ZERO_PAGE.buffer);
const UPPER_LEVELS = TREE_DEPTH - PAGE_HEIGHT + 1; // heights 7..27

/**
 * What a checkpoint keeps of memory: the allocated pages and their buffers
 * (shared, never written again). Page roots are not part of it: they are
 * computed on demand and cached per buffer (frozenPageRoot).
 */
export type MemorySnapshot = {
  readonly pages: Int32Array;
  readonly bufs: readonly Uint8Array[];
};

/** Roots of page buffers that are never written again (held by a snapshot), by buffer identity. */
let frozenRoots = new WeakMap<Uint8Array, Uint8Array>();

/** Test hook (fault injection), see setSnapshotFaultForTesting. */
let snapshotFault: "shareNothing" | "staleRoot" | null = null;

/**
 * Root of a page buffer held by a snapshot (height 7, 127 hashes the first
 * time, then cached). Only for buffers that are never written again.
 */
export function frozenPageRoot(buf: Uint8Array): Uint8Array {
  let r = frozenRoots.get(buf);
  if (r === undefined) {
    r = pageRoot(buf);
    frozenRoots.set(buf, r);
  }
  return r;
}

/** The root of a frozen page buffer if it was computed (or recorded) already; never hashes. */
export function knownFrozenPageRoot(buf: Uint8Array): Uint8Array | undefined {
  return frozenRoots.get(buf);
}

/**
 * Records the root of a frozen page buffer computed elsewhere (the checkpoint
 * codec stores page roots with the pages; the cache's checksum guards them).
 */
export function setFrozenPageRoot(buf: Uint8Array, root: Uint8Array): void {
  frozenRoots.set(buf, root);
}

/**
 * Test hook: break the snapshot mechanism on purpose, so tests can prove they
 * catch a wrong snapshot. "shareNothing": snapshots stop marking pages
 * copy-on-write (later stores then change what a checkpoint holds);
 * "staleRoot": the cached root of a frozen page is the root of the page as it
 * was first seen by root(), even if it changed. null restores the real
 * mechanism and clears the root cache.
 */
export function setSnapshotFaultForTesting(fault: "shareNothing" | "staleRoot" | null): void {
  snapshotFault = fault;
  frozenRoots = new WeakMap();
}

/** Root of page bytes `buf`'s subtree (height 7), all 127 hashes. */
function pageRoot(buf: Uint8Array): Uint8Array {
  const scratch = new Uint8Array(PAGE_SIZE >> 1);
  let n = PAGE_SIZE >> 6; // 64 nodes at height 1
  for (let i = 0; i < n; i++) scratch.set(hash64At(buf, i << 6), i << 5);
  while (n > 1) {
    n >>= 1;
    for (let i = 0; i < n; i++) scratch.set(hash64At(scratch, i << 6), i << 5);
  }
  return scratch.slice(0, 32);
}

export class PagedMemory {
  /** Page table: page number -> slot (0 = the zero page). */
  readonly table: Int32Array;
  /** Bytes of each slot. */
  readonly u8: Uint8Array[] = [ZERO_PAGE];
  /** Same pages as little-endian int32 words. */
  readonly i32: Int32Array[] = [ZERO_PAGE_I32];
  /** 1 when the interpreter may store into page p directly. */
  readonly writable: Uint8Array;
  /** Decoded-instruction cache per page number (owned by the interpreter, invalidated here). */
  private readonly decoded = new Map<number, Int32Array>();
  /** Words compiled into JS by the block compiler, per page (1 per 4-byte slot). */
  private readonly codeMarks = new Map<number, Uint8Array>();
  /** Bumped whenever a store hits a compiled word; compiled code re-checks it after slow-path stores. */
  codeEpoch = 0;
  /** Told the page whose compiled code a store just made stale (set by the machine). */
  onCodeWrite: ((page: number) => void) | null = null;
  private readonly shared: Uint8Array;
  private readonly dirty: Uint8Array;
  private dirtyPages: number[] = [];
  private readonly allocated: number[] = [];
  /** levels[h - 7]: node index -> hash at height h (absent = Zh). levels[0] are page roots. */
  private readonly levels: Map<number, Uint8Array>[];

  /**
   * An empty memory. `recycle`, a memory that will never be used again, gives
   * up its four page-indexed arrays (7 MiB: allocating and zeroing them is
   * most of what a checkpoint restore costs); only its pages' entries are
   * cleared.
   */
  constructor(recycle?: PagedMemory) {
    if (recycle !== undefined) {
      // Only allocated pages ever have nonzero entries (writable, shared and dirty are set by
      // prepareWrite and snapshots, which allocate or hold the page first).
      for (const p of recycle.allocated) {
        recycle.table[p] = 0;
        recycle.writable[p] = 0;
        recycle.shared[p] = 0;
        recycle.dirty[p] = 0;
      }
      recycle.allocated.length = 0;
      this.table = recycle.table;
      this.writable = recycle.writable;
      this.shared = recycle.shared;
      this.dirty = recycle.dirty;
    } else {
      this.table = new Int32Array(PAGE_COUNT);
      this.writable = new Uint8Array(PAGE_COUNT);
      this.shared = new Uint8Array(PAGE_COUNT);
      this.dirty = new Uint8Array(PAGE_COUNT);
    }
    this.levels = [];
    for (let i = 0; i < UPPER_LEVELS; i++) this.levels.push(new Map());
  }

  /**
   * Rebuilds a memory from a snapshot; the snapshot's pages are shared
   * copy-on-write. `recycle`: see the constructor.
   */
  static fromSnapshot(s: MemorySnapshot, recycle?: PagedMemory): PagedMemory {
    const m = new PagedMemory(recycle);
    const lv0 = m.levels[0];
    for (let i = 0; i < s.pages.length; i++) {
      const p = s.pages[i];
      const buf = s.bufs[i];
      m.table[p] = m.u8.length;
      m.u8.push(buf);
      m.i32.push(new Int32Array(buf.buffer, buf.byteOffset, PAGE_SIZE >> 2));
      m.shared[p] = 1;
      m.allocated.push(p);
      lv0.set(p, frozenPageRoot(buf));
    }
    m.rebuildUpper();
    return m;
  }

  /**
   * Makes page p safe to write: allocate, copy-on-write, mark dirty. Leaves
   * `writable[p]` at 0 for pages with decoded code so every store is seen.
   */
  prepareWrite(p: number): Uint8Array {
    let slot = this.table[p];
    let buf = this.u8[slot];
    if (slot === 0) {
      buf = new Uint8Array(PAGE_SIZE);
      slot = this.u8.length;
      this.table[p] = slot;
      this.u8.push(buf);
      this.i32.push(new Int32Array(buf.buffer, 0, PAGE_SIZE >> 2));
      this.allocated.push(p);
    } else if (this.shared[p] === 1) {
      buf = buf.slice();
      this.u8[slot] = buf;
      this.i32[slot] = new Int32Array(buf.buffer, 0, PAGE_SIZE >> 2);
      this.shared[p] = 0;
    }
    if (this.dirty[p] === 0) {
      this.dirty[p] = 1;
      this.dirtyPages.push(p);
    }
    if (!this.decoded.has(p)) this.writable[p] = 1;
    return buf;
  }

  /** Bytes of page p (the shared zero page if never written; do not write into it). */
  page(p: number): Uint8Array {
    return this.u8[this.table[p]];
  }

  /** Byte load at any address. */
  load8(addr: number): number {
    return this.u8[this.table[addr >>> PAGE_SHIFT]][addr & (PAGE_SIZE - 1)];
  }

  /** Little-endian 16-bit load (zero-extended), any alignment, wrapping at 2^32. */
  load16(addr: number): number {
    return this.load8(addr) | (this.load8((addr + 1) | 0) << 8);
  }

  /** Little-endian 32-bit load (as int32), any alignment, wrapping at 2^32. */
  load32(addr: number): number {
    return (
      this.load8(addr) |
      (this.load8((addr + 1) | 0) << 8) |
      (this.load8((addr + 2) | 0) << 16) |
      (this.load8((addr + 3) | 0) << 24)
    );
  }

  /** Byte store through the slow path (COW, dirty tracking, decode invalidation). */
  store8(addr: number, value: number): void {
    const p = addr >>> PAGE_SHIFT;
    const buf = this.writable[p] === 1 ? this.u8[this.table[p]] : this.prepareWrite(p);
    const o = addr & (PAGE_SIZE - 1);
    buf[o] = value;
    const d = this.decoded.get(p);
    if (d !== undefined) {
      // Each instruction slot is two int32s; 0 marks "decode again".
      const k = (o >> 2) << 1;
      d[k] = 0;
      d[k + 1] = 0;
      const marks = this.codeMarks.get(p);
      if (marks !== undefined && marks[o >> 2] === 1) this.codeWritten(p);
    }
  }

  /**
   * Block compiler: the words `slots` (1 per word) of the 4-byte-aligned
   * window at `addr` are now compiled code. Their page stays on the store slow
   * path (as a page with decoded code does), so a store into them is seen.
   */
  markCode(addr: number, slots: Uint8Array): void {
    const p = addr >>> PAGE_SHIFT;
    this.decodedPage(p);
    let marks = this.codeMarks.get(p);
    if (marks === undefined) {
      marks = new Uint8Array(PAGE_SIZE >> 2);
      this.codeMarks.set(p, marks);
    }
    const first = (addr & (PAGE_SIZE - 1)) >> 2;
    for (let i = 0; i < slots.length; i++) if (slots[i] === 1) marks[first + i] = 1;
  }

  /** A store changed compiled code in page p: forget its marks, tell the machine. */
  private codeWritten(p: number): void {
    this.codeMarks.delete(p);
    this.codeEpoch++;
    this.onCodeWrite?.(p);
  }

  store16(addr: number, value: number): void {
    this.store8(addr, value);
    this.store8((addr + 1) | 0, value >> 8);
  }

  store32(addr: number, value: number): void {
    this.store8(addr, value);
    this.store8((addr + 1) | 0, value >> 8);
    this.store8((addr + 2) | 0, value >> 16);
    this.store8((addr + 3) | 0, value >> 24);
  }

  /** Copies `data` to `addr` (used by the loader; no wrap handling needed there but done anyway). */
  writeBytes(addr: number, data: Uint8Array): void {
    let off = 0;
    let a = addr >>> 0;
    while (off < data.length) {
      const p = a >>> PAGE_SHIFT;
      const o = a & (PAGE_SIZE - 1);
      const n = Math.min(PAGE_SIZE - o, data.length - off);
      const buf = this.prepareWrite(p);
      buf.set(data.subarray(off, off + n), o);
      this.decoded.get(p)?.fill(0);
      if (this.codeMarks.has(p)) this.codeWritten(p);
      off += n;
      a = (a + n) >>> 0;
    }
  }

  /** Reads `length` bytes starting at `addr` (wrapping at 2^32). */
  readBytes(addr: number, length: number): Uint8Array {
    const out = new Uint8Array(length);
    let off = 0;
    let a = addr >>> 0;
    while (off < length) {
      const p = a >>> PAGE_SHIFT;
      const o = a & (PAGE_SIZE - 1);
      const n = Math.min(PAGE_SIZE - o, length - off);
      out.set(this.page(p).subarray(o, o + n), off);
      off += n;
      a = (a + n) >>> 0;
    }
    return out;
  }

  /** Decode cache of page p, created on first use; the page then stays on the store slow path. */
  decodedPage(p: number): Int32Array {
    let d = this.decoded.get(p);
    if (d === undefined) {
      d = new Int32Array(PAGE_SIZE >> 1);
      this.decoded.set(p, d);
      this.writable[p] = 0;
    }
    return d;
  }

  // ---- Merkle tree -------------------------------------------------------

  /** The 32-byte leaf `i` (fresh copy). */
  leaf(i: number): Uint8Array {
    const p = i >>> (PAGE_SHIFT - 5);
    const o = (i << 5) & (PAGE_SIZE - 1);
    return this.page(p).slice(o, o + 32);
  }

  /** All nodes of page p at heights 0..7: result[h] holds 2^(7-h) nodes of 32 bytes. */
  pageLevels(p: number): Uint8Array[] {
    const out: Uint8Array[] = [this.page(p).slice()];
    for (let h = 1; h <= PAGE_HEIGHT; h++) {
      const below = out[h - 1];
      const n = below.length >> 6;
      const lv = new Uint8Array(n << 5);
      for (let i = 0; i < n; i++) lv.set(hash64At(below, i << 6), i << 5);
      out.push(lv);
    }
    return out;
  }

  /** Rehashes dirty pages and the paths above them; returns the memory root. */
  root(): Uint8Array {
    const dirty = this.dirtyPages;
    if (dirty.length > 0) {
      const lv0 = this.levels[0];
      let idx: number[] = [];
      for (const p of dirty) {
        // A page still shared with a snapshot is frozen: its root may come from (and go to) the cache.
        const buf = this.page(p);
        if (this.shared[p] === 1 || snapshotFault === "staleRoot") lv0.set(p, frozenPageRoot(buf));
        else lv0.set(p, pageRoot(buf));
        this.dirty[p] = 0;
        // Next store re-marks the page dirty via the slow path.
        this.writable[p] = 0;
        idx.push(p);
      }
      this.dirtyPages = [];
      for (let l = 1; l < UPPER_LEVELS; l++) {
        const below = this.levels[l - 1];
        const here = this.levels[l];
        const z = zeroHashes[PAGE_HEIGHT + l - 1];
        const next = new Set<number>();
        for (const c of idx) {
          const parent = c >>> 1;
          if (next.has(parent)) continue;
          next.add(parent);
          here.set(parent, hash2(below.get(parent << 1) ?? z, below.get((parent << 1) | 1) ?? z));
        }
        idx = Array.from(next);
      }
    }
    return this.levels[UPPER_LEVELS - 1].get(0) ?? zeroHashes[TREE_DEPTH];
  }

  /** Recomputes heights 8..27 from the page roots (after a restore). */
  private rebuildUpper(): void {
    for (let l = 1; l < UPPER_LEVELS; l++) {
      const below = this.levels[l - 1];
      const here = this.levels[l];
      here.clear();
      const z = zeroHashes[PAGE_HEIGHT + l - 1];
      for (const c of below.keys()) {
        const parent = c >>> 1;
        if (here.has(parent)) continue;
        here.set(parent, hash2(below.get(parent << 1) ?? z, below.get((parent << 1) | 1) ?? z));
      }
    }
  }

  /**
   * Node at height h >= 7, index idx (call `root()` first so it is current).
   * Heights below 7 are inside a page: use `pageLevels`.
   */
  upperNode(h: number, idx: number): Uint8Array {
    return this.levels[h - PAGE_HEIGHT].get(idx) ?? zeroHashes[h];
  }

  /** The 27 siblings of leaf i, ascending height (root must be current). */
  siblings(i: number): Uint8Array[] {
    const p = i >>> (PAGE_SHIFT - 5);
    const levels = this.pageLevels(p);
    const out: Uint8Array[] = [];
    for (let h = 0; h < PAGE_HEIGHT; h++) {
      const j = ((i >>> h) ^ 1) & ((1 << (PAGE_HEIGHT - h)) - 1);
      out.push(levels[h].slice(j << 5, (j << 5) + 32));
    }
    for (let h = PAGE_HEIGHT; h < TREE_DEPTH; h++) out.push(this.upperNode(h, (i >>> h) ^ 1));
    return out;
  }

  /**
   * Snapshot for a checkpoint: records the page buffers and marks every page
   * shared, so later writes (here or in a restored copy) copy first. Hashes
   * nothing (see the header); the live root stays incremental, its dirty
   * pages are rehashed when root() is next asked for.
   */
  snapshot(): MemorySnapshot {
    const n = this.allocated.length;
    const pages = new Int32Array(n);
    const bufs: Uint8Array[] = new Array(n);
    const share = snapshotFault === "shareNothing" ? 0 : 1;
    for (let k = 0; k < n; k++) {
      const p = this.allocated[k];
      pages[k] = p;
      bufs[k] = this.page(p);
      this.shared[p] = share;
      this.writable[p] = 0;
    }
    return { pages, bufs };
  }

  /** Number of pages ever written (memory footprint / 4 KiB). */
  get allocatedPages(): number {
    return this.allocated.length;
  }
}
