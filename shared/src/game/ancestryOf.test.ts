// Which dissection levels a step's ancestry must carry: the deepest level that
// moved the node's start and the deepest that moved its end, nothing else (the
// contract checks exactly those two; an extra or missing level is a failed step).

import { expect } from "chai";
import { ancestryOf, decidingLevels } from "./ancestryOf.ts";
import { GameError } from "./errors.ts";
import { child, wrap } from "./position.ts";
import type { GameTree } from "./types.ts";

describe("game/ancestryOf", () => {
  const root = wrap(0n, 4); // [0, 16], k = 4: parts of 4, then of 1
  const first = child(root, 0, 2); // [0, 4]
  const last = child(root, 3, 2); // [12, 16]

  it("a first part keeps its parent's start, a last part its parent's end", () => {
    expect([...decidingLevels([{ parent: root, child: first }])]).to.deep.equal([0]);
    expect([...decidingLevels([{ parent: root, child: last }])]).to.deep.equal([0]);
    // First part, then the last part of it: level 1 moved the start, level 0 the end.
    const path = [
      { parent: root, child: first },
      { parent: first, child: child(first, 3, 2) },
    ];
    expect([...decidingLevels(path)].sort()).to.deep.equal([0, 1]);
    // Last part, then the last part of it: only level 1 moved the start, nothing moved the end.
    const lastOfLast = [
      { parent: root, child: last },
      { parent: last, child: child(last, 3, 2) },
    ];
    expect([...decidingLevels(lastOfLast)]).to.deep.equal([1]);
    // An inner part of a part of 2 (binary last level): index 1 is the last of 2, not of 4.
    const half = wrap(0n, 1);
    expect([...decidingLevels([{ parent: half, child: child(half, 1, 1) }])]).to.deep.equal([0]);
  });

  it("throws a GameError for a node it does not hold or whose parent was not dissected", () => {
    const node = (position: bigint, parent?: bigint, interior?: `0x${string}`[]) => ({
      position,
      parent,
      interior,
    });
    const tree = {
      game: { gameId: 7n },
      nodes: new Map([
        [root, node(root)],
        [first, node(first, root)],
        // A node whose parent the tree does not hold (a reader that lost a node).
        [last, node(last, wrap(16n, 4))],
      ]),
    } as unknown as GameTree;
    expect(() => ancestryOf(tree, child(root, 1, 2))).to.throw(GameError);
    expect(() => ancestryOf(tree, first)).to.throw(GameError);
    expect(() => ancestryOf(tree, last)).to.throw(GameError);
  });

  it("sends the deciding levels' interiors and the others empty", () => {
    const h = (b: string) => `0x${b.repeat(32)}` as `0x${string}`;
    const a = child(root, 3, 2); // [12, 16]: moved the start
    const b = child(a, 3, 2); // [15, 16]: moved the start again (deepest)
    const rootInterior = [h("01"), h("02"), h("03")];
    const aInterior = [h("04"), h("05"), h("06")];
    const tree = {
      game: { gameId: 7n },
      nodes: new Map<bigint, unknown>([
        [root, { position: root, interior: rootInterior }],
        [a, { position: a, parent: root, interior: aInterior }],
        [b, { position: b, parent: a }],
      ]),
    } as unknown as GameTree;
    expect(ancestryOf(tree, b)).to.deep.equal([[], aInterior]);
    expect(ancestryOf(tree, root)).to.deep.equal([]);
  });
});
