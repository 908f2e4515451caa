import { expect } from "chai";
import type { Address } from "viem";
import { buildGameTree, type NodeRead } from "./buildGameTree.ts";
import { createToyGame } from "./createToyGame.ts";
import { createToyTrace, toyHash } from "./createToyTrace.ts";
import { child, rootPosition } from "./position.ts";
import { solveProposer } from "./solveProposer.ts";
import { NODE_STATUSES, TURNS } from "./types.ts";

const P = "0x00000000000000000000000000000000000000a1" as Address;
const C = "0x00000000000000000000000000000000000000c1" as Address;

describe("game/buildGameTree", () => {
  it("derives every node's start and end hashes from the root's and the posted interiors", async () => {
    const g = createToyGame({ depth: 4, log2K: 2, proposer: P, opener: C, endHash: toyHash(16n) });
    const trace = createToyTrace();
    for (const a of (await solveProposer({ tree: g.tree(), trace })).actions) g.apply(P, a);
    g.apply(C, {
      type: "challenge",
      gameId: 1n,
      parent: rootPosition(4),
      index: 2,
      deadline: undefined,
      bond: 1000n,
    });
    const t = g.tree();
    const n = t.nodes.get(child(rootPosition(4), 2, 2));
    expect(n?.startHash).to.equal(toyHash(8n));
    expect(n?.endHash).to.equal(toyHash(12n));
    expect(n?.parent).to.equal(rootPosition(4));
    expect(n?.index).to.equal(2);
    expect(n?.turn).to.equal("Dissect");
  });

  it("1000 challenge events on 50 nodes (a range handed out again and again) make 50 nodes, each dissected once", async () => {
    // D = 12, k = 4: open 50 of the 64 level-3 parts, as in solveProposer's test, then replay every
    // NodeChallenged event 20 times over.
    const trace = createToyTrace();
    const g = createToyGame({ depth: 12, log2K: 2, proposer: P, opener: C, endHash: toyHash(4096n) });
    const dissect = async () => {
      for (const a of (await solveProposer({ tree: g.tree(), trace })).actions) g.apply(P, a);
    };
    await dissect();
    const root = rootPosition(12);
    for (let i = 0; i < 4; i++)
      g.apply(C, { type: "challenge", gameId: 1n, parent: root, index: i, deadline: undefined, bond: 1000n });
    await dissect();
    for (let i = 0; i < 4; i++)
      for (let j = 0; j < 4; j++)
        g.apply(C, {
          type: "challenge",
          gameId: 1n,
          parent: child(root, i, 2),
          index: j,
          deadline: undefined,
          bond: 1000n,
        });
    await dissect();
    for (let c = 0; c < 50; c++) {
      const parent = child(child(root, Math.floor(c / 16), 2), Math.floor(c / 4) % 4, 2);
      g.apply(C, { type: "challenge", gameId: 1n, parent, index: c % 4, deadline: undefined, bond: 1000n });
    }
    const once = g.tree();
    const events = g.events();
    const level3 = events.filter((e) => e.eventName === "NodeChallenged" && (e.args.position & 0xffn) === 6n);
    expect(level3).to.have.length(50);
    const replayed = [...events];
    for (let r = 0; r < 19; r++) replayed.push(...level3);
    expect(
      replayed.filter((e) => e.eventName === "NodeChallenged" && (e.args.position & 0xffn) === 6n),
    ).to.have.length(1000);
    const reads = new Map<bigint, NodeRead>();
    for (const n of once.nodes.values())
      reads.set(n.position, {
        status: NODE_STATUSES.indexOf(n.status),
        challenger: n.challenger,
        openChildren: n.openChildren,
        defeatedChildren: n.defeatedChildren,
        turn: TURNS.indexOf(n.turn),
        leftSeconds: n.leftSeconds,
      });
    const tree = buildGameTree({ ...once, events: replayed, reads });
    expect(tree.nodes.size).to.equal(once.nodes.size);
    const { actions } = await solveProposer({ tree, trace });
    const dissects = actions.filter((a) => a.type === "dissect");
    expect(dissects).to.have.length(50);
    expect(new Set(dissects.map((a) => a.type === "dissect" && a.position)).size).to.equal(50);
  });
});
