import { expect } from "chai";
import { bytesToHex } from "viem";
import { hash2 } from "./keccak.ts";
import { PagedMemory } from "./memory.ts";
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
