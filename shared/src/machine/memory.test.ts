import { expect } from "chai";
import { bytesToHex } from "viem";
import { hash2 } from "./keccak.ts";
import { frozenPageRoot, PagedMemory, setSnapshotFaultForTesting } from "./memory.ts";
import {
  encodePairProof,
  encodeSingleProof,
  readPairProof,
  readSingleProof,
  rootFromPair,
  rootFromSingle,
} from "./proofs.ts";
import { rng } from "./testUtil.ts";
import { zeroHashes } from "./zeroHashes.ts";

/** Root rebuilt from scratch by a naive sparse Merkle tree over the non-zero leaves. */
function naiveRoot(mem: PagedMemory, touched: Iterable<number>): Uint8Array {
  let level = new Map<number, Uint8Array>();
  for (const addr of touched) {
    const i = addr >>> 5;
    if (!level.has(i)) level.set(i, mem.leaf(i));
  }
  for (let h = 0; h < 27; h++) {
    const next = new Map<number, Uint8Array>();
    for (const i of level.keys()) {
      const p = i >>> 1;
      if (next.has(p)) continue;
      next.set(p, hash2(level.get(p * 2) ?? zeroHashes[h], level.get(p * 2 + 1) ?? zeroHashes[h]));
    }
    level = next;
  }
  return level.get(0) ?? zeroHashes[27];
}

describe("PagedMemory", () => {
  it("empty memory has root Z27 and reads zero everywhere", () => {
    const m = new PagedMemory();
    expect(m.root()).to.deep.equal(zeroHashes[27]);
    expect(m.load32(0xfffffffc | 0)).to.equal(0);
    expect(m.load8(0x12345678)).to.equal(0);
  });

  it("incremental root equals the root rebuilt from scratch after random writes", () => {
    const r = rng(42);
    const m = new PagedMemory();
    const touched = new Set<number>();
    const hot = [0x0, 0x1000, 0x7ffff000, 0x80000000, 0xc0000000, 0xfffff000];
    for (let round = 0; round < 12; round++) {
      const writes = 1 + (r() % 200);
      for (let k = 0; k < writes; k++) {
        const addr = (hot[r() % hot.length] + (r() % 0x3000)) | 0;
        const v = r();
        const kind = r() % 3;
        if (kind === 0) m.store8(addr, v);
        else if (kind === 1) m.store16(addr, v);
        else m.store32(addr, v);
        for (let b = 0; b < 4; b++) touched.add((addr + b) >>> 0);
      }
      expect(bytesToHex(m.root()), `round ${round}`).to.equal(bytesToHex(naiveRoot(m, touched)));
    }
  });

  it("writing zeros back gives the empty root again", () => {
    const m = new PagedMemory();
    m.store32(0x5000, -1);
    expect(m.root()).to.not.deep.equal(zeroHashes[27]);
    m.store32(0x5000, 0);
    expect(m.root()).to.deep.equal(zeroHashes[27]);
  });

  it("snapshots are copy-on-write: later writes change neither the snapshot nor its restored copies", () => {
    const m = new PagedMemory();
    m.store32(0x2000, 0x11111111);
    m.store32(0x3000, 0x22222222);
    const root1 = m.root().slice();
    const snap = m.snapshot();
    m.store32(0x2000, 0x33333333);
    m.store32(0x9000, 0x44444444);
    const root2 = m.root().slice();
    expect(root2).to.not.deep.equal(root1);
    const a = PagedMemory.fromSnapshot(snap);
    expect(a.root()).to.deep.equal(root1);
    expect(a.load32(0x2000)).to.equal(0x11111111);
    a.store32(0x3000, 0x55555555);
    const b = PagedMemory.fromSnapshot(snap);
    expect(b.load32(0x3000)).to.equal(0x22222222);
    expect(b.root()).to.deep.equal(root1);
    expect(m.load32(0x3000)).to.equal(0x22222222);
    expect(m.root()).to.deep.equal(root2);
  });

  it("single and pair proofs of every kind of leaf recompute the root", () => {
    const r = rng(9);
    const m = new PagedMemory();
    for (let k = 0; k < 300; k++) m.store32((r() & 0xffff) | 0, r());
    m.store32(0xfffffffc | 0, r());
    m.store32(0, r());
    const root = m.root();
    const last = (1 << 27) - 1;
    for (const i of [0, 1, 5, 127, 128, 200, 2047, 0x3ff, last, r() & last]) {
      const p = encodeSingleProof(m.leaf(i), m.siblings(i));
      const parsed = readSingleProof(p, 0);
      expect(parsed.end).to.equal(p.length);
      expect(rootFromSingle(parsed.leaf, i, parsed.siblings)).to.deep.equal(root);
      const j = (i + 1) & last;
      const q = encodePairProof(i, m.leaf(i), m.leaf(j), m.siblings(i), m.siblings(j));
      const pp = readPairProof(q, 0, i);
      expect(pp.end).to.equal(q.length);
      expect(rootFromPair(i, pp.leafA, pp.leafB, pp.siblingsA, pp.siblingsB), `pair ${i}`).to.deep.equal(
        root,
      );
    }
  });

  it("absent siblings are omitted: a lone leaf's proof is leaf + mask + one sibling per present subtree", () => {
    const m = new PagedMemory();
    m.store8(0x40, 1);
    m.root();
    const p = encodeSingleProof(m.leaf(0), m.siblings(0));
    // Leaf 0 is zero; its only non-zero sibling is leaf 2's parent at height 1.
    expect(p.length).to.equal(32 + 4 + 32);
    expect(Array.from(p.slice(32, 36))).to.deep.equal([0, 0, 0, 2]);
  });
});

/** The root of `m`'s bytes computed from nothing (no cache, no incremental state): pages, then 20 levels. */
function scratchRoot(m: PagedMemory, pages: readonly number[]): string {
  let level = new Map<number, Uint8Array>();
  for (const p of pages) level.set(p, m.pageLevels(p)[7]);
  for (let h = 7; h < 27; h++) {
    const up = new Map<number, Uint8Array>();
    for (const i of level.keys())
      up.set(i >>> 1, hash2(level.get(i & ~1) ?? zeroHashes[h], level.get(i | 1) ?? zeroHashes[h]));
    level = up;
  }
  return bytesToHex(level.get(0) as Uint8Array);
}

/**
 * Random stores over a few pages with snapshots and root() calls in between;
 * then every snapshot restored in random order. Returns the first
 * disagreement with a from-scratch root (live or restored), or null.
 */
function snapshotMismatch(seed: number): string | null {
  const r = rng(seed);
  const pages = [0x2, 0x3, 0x40, 0x41, 0x80000, 0xfffff];
  const m = new PagedMemory();
  const snaps: { snap: ReturnType<PagedMemory["snapshot"]>; root: string; bytes: Uint8Array[] }[] = [];
  for (let round = 0; round < 40; round++) {
    for (let k = 0; k < 1 + (r() % 20); k++) {
      const p = pages[r() % pages.length];
      m.store32((p << 12) | (r() & 0xffc) | 0, r());
    }
    if (r() % 3 === 0) {
      const want = scratchRoot(m, pages);
      if (bytesToHex(m.root()) !== want) return `live root wrong after round ${round}`;
    }
    if (r() % 2 === 0)
      snaps.push({
        snap: m.snapshot(),
        root: scratchRoot(m, pages),
        bytes: pages.map((p) => m.page(p).slice()),
      });
  }
  if (bytesToHex(m.root()) !== scratchRoot(m, pages)) return "final live root wrong";
  const order = snaps.map((_, i) => i).sort(() => (r() & 1) - 0.5);
  for (const i of order) {
    const a = PagedMemory.fromSnapshot(snaps[i].snap);
    for (let k = 0; k < pages.length; k++)
      if (bytesToHex(a.page(pages[k])) !== bytesToHex(snaps[i].bytes[k]))
        return `snapshot ${i} holds other bytes than at its time (page ${pages[k]})`;
    if (bytesToHex(a.root()) !== snaps[i].root) return `snapshot ${i} restores to a wrong root`;
    // A restored copy written to must not disturb the snapshot either.
    a.store32(pages[0] << 12, r());
    a.root();
  }
  return null;
}

describe("PagedMemory snapshots without hashing (lazy, cached page roots)", () => {
  afterEach(() => setSnapshotFaultForTesting(null));

  it("restores and the live root agree with roots from scratch, in any order of stores, snapshots and root()", () => {
    for (let seed = 1; seed <= 4; seed++) expect(snapshotMismatch(seed), `seed ${seed}`).to.equal(null);
  });

  it("a frozen page's root is computed once and shared by every snapshot holding its buffer", () => {
    const m = new PagedMemory();
    m.store32(0x2000, 7);
    m.store32(0x9000, 9);
    const s1 = m.snapshot();
    m.store32(0x9000, 10); // copies page 9 only
    const s2 = m.snapshot();
    expect(s2.bufs[0]).to.equal(s1.bufs[0]);
    expect(s2.bufs[1]).to.not.equal(s1.bufs[1]);
    const r = frozenPageRoot(s1.bufs[0]);
    expect(frozenPageRoot(s2.bufs[0])).to.equal(r); // the same object: cached, not recomputed
    expect(PagedMemory.fromSnapshot(s2).root()).to.deep.equal(m.root());
  });

  it("a restore into a recycled memory equals a fresh restore and keeps nothing of the old pages", () => {
    const m = new PagedMemory();
    m.store32(0x2000, 1);
    const s1 = m.snapshot();
    const old = PagedMemory.fromSnapshot(s1);
    old.store32(0x2004, 2); // copies page 2 (dirty, writable)
    old.store32(0x7000, 3); // a page s1 does not have
    old.root();
    const m2 = new PagedMemory();
    m2.store32(0x9000, 4);
    const s2 = m2.snapshot();
    const re = PagedMemory.fromSnapshot(s2, old);
    const fresh = PagedMemory.fromSnapshot(s2);
    expect(re.load32(0x7000)).to.equal(0);
    expect(re.load32(0x2000)).to.equal(0);
    expect(re.load32(0x9000)).to.equal(4);
    expect(re.root()).to.deep.equal(fresh.root());
    // Stores still take the slow path where they must: the snapshot is not written through.
    re.store32(0x9000, 5);
    re.store32(0x2000, 6);
    expect(PagedMemory.fromSnapshot(s2).load32(0x9000)).to.equal(4);
    fresh.store32(0x9000, 5);
    fresh.store32(0x2000, 6);
    expect(re.root()).to.deep.equal(fresh.root());
  });

  for (const fault of ["shareNothing", "staleRoot"] as const) {
    it(`an injected snapshot fault (${fault}) is caught by the check above`, () => {
      setSnapshotFaultForTesting(fault);
      const found = [1, 2, 3, 4, 5, 6].map(snapshotMismatch).find((x) => x !== null);
      expect(found, `${fault} not detected`).to.be.a("string");
    });
  }
});
