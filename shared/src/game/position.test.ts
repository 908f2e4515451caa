import { expect } from "chai";
import {
  child,
  end,
  indexIn,
  interiorPositions,
  len,
  levels,
  log2Len,
  log2Of,
  log2Parts,
  parentOf,
  rootPosition,
  start,
  wrap,
} from "./position.ts";

describe("game/position (mirrors LibPosition)", () => {
  it("packs start << 8 | log2Len like the Solidity type", () => {
    const p = wrap(0x1234n, 7);
    expect(p).to.equal((0x1234n << 8n) | 7n);
    expect(start(p)).to.equal(0x1234n);
    expect(log2Len(p)).to.equal(7);
    expect(len(p)).to.equal(128n);
    expect(end(p)).to.equal(0x1234n + 128n);
  });
  it("child(p, i, log2Parts) matches LibPosition.child", () => {
    const p = wrap(64n, 6);
    expect(child(p, 0, 2)).to.equal(wrap(64n, 4));
    expect(child(p, 3, 2)).to.equal(wrap(64n + 48n, 4));
    expect(() => child(p, 4, 2)).to.throw(RangeError);
    expect(() => child(wrap(0n, 1), 0, 2)).to.throw(RangeError);
  });
  it("interior positions split the segment in min(k, len) equal parts", () => {
    expect(interiorPositions(wrap(0n, 4), 2)).to.deep.equal([4n, 8n, 12n]);
    expect(interiorPositions(wrap(8n, 1), 4)).to.deep.equal([9n]);
    expect(log2Parts(wrap(8n, 1), 4)).to.equal(1);
    expect(interiorPositions(wrap(0n, 48), 4)).to.have.length(15);
  });
  it("rejects out-of-range values and non-power-of-two k", () => {
    expect(() => wrap(-1n, 0)).to.throw(RangeError);
    expect(() => wrap(0n, 49)).to.throw(RangeError);
    expect(log2Of(16n)).to.equal(4);
    expect(() => log2Of(12)).to.throw(RangeError);
    expect(() => log2Of(1)).to.throw(RangeError);
  });
  it("parentOf mirrors DisputeGame._parentOf: levels fixed by D and k, the last level may be shorter", () => {
    // D = 5, k = 4: levels 5 → 3 → 1 → 0.
    expect(levels(5, 2)).to.deep.equal([5, 3, 1, 0]);
    const root = rootPosition(5);
    const a = child(root, 3, 2); // [24, 32]
    const b = child(a, 2, 2); // [28, 30]
    const c = child(b, 1, 1); // [29, 30]
    expect([a, b, c].map((x) => [start(x), log2Len(x)])).to.deep.equal([
      [24n, 3],
      [28n, 1],
      [29n, 0],
    ]);
    expect(parentOf(c, 5, 2)).to.equal(b);
    expect(parentOf(b, 5, 2)).to.equal(a);
    expect(parentOf(a, 5, 2)).to.equal(root);
    expect(indexIn(b, c)).to.equal(1);
    expect(indexIn(root, a)).to.equal(3);
    expect(() => parentOf(root, 5, 2)).to.throw(RangeError);
    expect(() => parentOf(wrap(0n, 2), 5, 2)).to.throw(RangeError); // not a level of this game
  });
  // Bad input must throw, not wrap around: a position is also a key onchain, and a silently
  // wrong one is a move on another node.
  it("rejects a start at 2^56, a negative or fractional log2Len, a negative child index", () => {
    expect(start(wrap((1n << 56n) - 1n, 0))).to.equal((1n << 56n) - 1n);
    expect(() => wrap(1n << 56n, 0)).to.throw(RangeError);
    expect(() => wrap(0n, -1)).to.throw(RangeError);
    expect(() => wrap(0n, 1.5)).to.throw(RangeError);
    expect(log2Len(wrap(0n, 48))).to.equal(48);
    expect(() => child(wrap(16n, 4), -1, 2)).to.throw(RangeError);
    expect(log2Of(2)).to.equal(1);
    // A depth-0 game is a single step: its root has no parent.
    expect(() => parentOf(wrap(0n, 0), 0, 2)).to.throw(RangeError);
  });
});
