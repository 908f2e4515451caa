// planResolutions on hand-built claim trees (turns and counters as the chain
// would report them) and on random toy games: children come before parents,
// every node that can resolve now is planned exactly once, and a dissected
// node whose last open parts resolve in the same plan is unlocked in it, with
// the outcome its parts decide (spec §2.3).

import { expect } from "chai";
import type { Address, Hex } from "viem";
import { createToyGame, type ToyGame } from "./createToyGame.ts";
import { toyHash } from "./createToyTrace.ts";
import { planResolutions } from "./planResolutions.ts";
import { child, log2Len, log2Parts, type Position, parentOf, start, wrap } from "./position.ts";
import {
  type Action,
  type GameTree,
  NODE_STATUSES,
  type NodeStatus,
  type TreeNode,
  type Turn,
} from "./types.ts";

const PROPOSER = "0x00000000000000000000000000000000000000a1" as Address;
const C1 = "0x00000000000000000000000000000000000000c1" as Address;
const C2 = "0x00000000000000000000000000000000000000c2" as Address;
const ZERO = `0x${"00".repeat(32)}` as Hex;

// D = 6, k = 4: levels of log2Len 6 (the root), 4, 2 and 0.
const DEPTH = 6;
const LOG2K = 2;

type NodeSpec = { status: NodeStatus; turn?: Turn; openChildren?: number; defeatedChildren?: number };

/** A node at [s, s + 2^l] as the tree reader reports it; closed nodes have no turn. */
function node(s: number, l: number, spec: NodeSpec): TreeNode {
  const position = wrap(BigInt(s), l);
  const parent = l === DEPTH ? undefined : parentOf(position, DEPTH, LOG2K);
  return {
    position,
    parent,
    index: parent === undefined ? 0 : Number((start(position) - start(parent)) >> BigInt(l)),
    status: spec.status,
    challenger: C1,
    startHash: ZERO,
    endHash: ZERO,
    interior: undefined,
    openChildren: spec.openChildren ?? 0,
    defeatedChildren: spec.defeatedChildren ?? 0,
    turn: spec.turn ?? "None",
    leftSeconds: 0n,
  };
}

/** The tree holding `nodes`, in the order given (the plan must not depend on it). */
function treeOf(nodes: TreeNode[], invalidated = false): GameTree {
  return {
    game: {
      gameId: 7n,
      proposalId: 1n,
      jobId: 1n,
      proposer: PROPOSER,
      opener: C1,
      depth: DEPTH,
      startHash: ZERO,
      endHash: ZERO,
      openedAt: 0n,
      clockSeconds: 3600n,
      claimBond: 1000n,
      dissectionBond: 250n,
      openedBlock: 1n,
    },
    log2K: LOG2K,
    nodes: new Map(nodes.map((n) => [n.position, n])),
    activeNow: 0n,
    blockNumber: 1n,
    invalidated,
  };
}

const planned = (tree: GameTree) =>
  planResolutions(tree).map((r) => [`[${start(r.node.position)}, 2^${log2Len(r.node.position)}]`, r.outcome]);

/**
 * Every clock has run out. The root's parts: A undissected (Defeated), B dissected with a Defeated
 * part B0 and a part B1 that is itself dissected into two length-1 parts nobody stepped (Upheld),
 * C already Defeated onchain, D dissected with all its parts resolved onchain, one Defeated.
 * Listed parents first, right to left: the reverse of the order the plan must use.
 */
function dissectedTree(invalidated = false): GameTree {
  return treeOf(
    [
      node(0, 6, { status: "Dissected", turn: "Children", openChildren: 3, defeatedChildren: 1 }),
      node(48, 4, { status: "Dissected", turn: "Resolve", defeatedChildren: 1 }),
      node(32, 4, { status: "Defeated" }),
      node(16, 4, { status: "Dissected", turn: "Children", openChildren: 2 }),
      node(0, 4, { status: "Challenged", turn: "Resolve" }),
      node(52, 2, { status: "Defeated" }),
      node(20, 2, { status: "Dissected", turn: "Children", openChildren: 2 }),
      node(16, 2, { status: "Challenged", turn: "Resolve" }),
      node(22, 0, { status: "Challenged", turn: "Resolve" }),
      node(21, 0, { status: "Upheld" }),
      node(20, 0, { status: "Challenged", turn: "Resolve" }),
    ],
    invalidated,
  );
}

describe("game/planResolutions", () => {
  it("plans children before parents, by level then start, each open node once, with the outcome its parts decide", () => {
    expect(planned(dissectedTree())).to.deep.equal([
      // Length 1, nobody stepped in time: the proposer's claim stands.
      ["[20, 2^0]", "Upheld"],
      ["[22, 2^0]", "Upheld"],
      // Length 4, not dissected in time: the proposer's claim fails.
      ["[16, 2^2]", "Defeated"],
      // Both its parts upheld in this plan: unlocked, and upheld.
      ["[20, 2^2]", "Upheld"],
      ["[0, 2^4]", "Defeated"],
      // Unlocked by its parts in this plan; B0 defeated here decides it (none onchain).
      ["[16, 2^4]", "Defeated"],
      // Every part resolved onchain (Turn.Resolve), one of them Defeated.
      ["[48, 2^4]", "Defeated"],
      // Its last three open parts all resolve above; one part was already Defeated onchain.
      ["[0, 2^6]", "Defeated"],
    ]);
  });

  it("upholds a dissected node whose parts were all upheld, onchain or in the plan", () => {
    const tree = treeOf([
      node(0, 6, { status: "Dissected", turn: "Children", openChildren: 2 }),
      node(32, 4, { status: "Dissected", turn: "Resolve" }),
      node(16, 4, { status: "Upheld" }),
      node(0, 4, { status: "Dissected", turn: "Children", openChildren: 1 }),
      node(4, 2, { status: "Dissected", turn: "Children", openChildren: 1 }),
      node(6, 0, { status: "Challenged", turn: "Resolve" }),
    ]);
    expect(planned(tree)).to.deep.equal([
      ["[6, 2^0]", "Upheld"],
      ["[4, 2^2]", "Upheld"],
      ["[0, 2^4]", "Upheld"],
      ["[32, 2^4]", "Upheld"],
      ["[0, 2^6]", "Upheld"],
    ]);
  });

  it("leaves out what must wait: a clock still running, a dissected node with a part that cannot resolve yet", () => {
    const tree = treeOf([
      // The challenger may still pick parts of the root (and of B, whose one open part resolves now).
      node(0, 6, { status: "Dissected", turn: "Pick", openChildren: 4 }),
      node(48, 4, { status: "Dissected", turn: "Resolve" }),
      // One part resolves now, one waits on its own part (a step still due), one on a dissection.
      node(32, 4, { status: "Dissected", turn: "Children", openChildren: 3 }),
      node(16, 4, { status: "Dissected", turn: "Pick", openChildren: 1 }),
      node(0, 4, { status: "Challenged", turn: "Resolve" }),
      node(40, 2, { status: "Challenged", turn: "Dissect" }),
      node(36, 2, { status: "Dissected", turn: "Children", openChildren: 1 }),
      node(32, 2, { status: "Challenged", turn: "Resolve" }),
      node(16, 2, { status: "Challenged", turn: "Resolve" }),
      node(37, 0, { status: "Challenged", turn: "Step" }),
    ]);
    expect(planned(tree)).to.deep.equal([
      ["[16, 2^2]", "Defeated"],
      ["[32, 2^2]", "Defeated"],
      ["[0, 2^4]", "Defeated"],
      // Dissected, every part resolved onchain, none defeated.
      ["[48, 2^4]", "Upheld"],
    ]);
  });

  it("plans nothing while the root waits on a move", () => {
    expect(planned(treeOf([node(0, 6, { status: "Challenged", turn: "Dissect" })]))).to.deep.equal([]);
    expect(planned(treeOf([node(0, 6, { status: "Defeated" })]))).to.deep.equal([]);
  });

  it("refunds every open node of an invalidated game, children first, whatever their turns, and no closed one", () => {
    expect(planned(dissectedTree(true))).to.deep.equal([
      ["[20, 2^0]", "Refunded"],
      ["[22, 2^0]", "Refunded"],
      ["[16, 2^2]", "Refunded"],
      ["[20, 2^2]", "Refunded"],
      ["[0, 2^4]", "Refunded"],
      ["[16, 2^4]", "Refunded"],
      ["[48, 2^4]", "Refunded"],
      ["[0, 2^6]", "Refunded"],
    ]);
    const waiting = treeOf([node(0, 6, { status: "Challenged", turn: "Dissect" })], true);
    expect(planned(waiting)).to.deep.equal([["[0, 2^6]", "Refunded"]]);
  });

  describe("on random toy games (the contract's rules)", () => {
    /** mulberry32: reproducible random plays. */
    const prng = (seed: number) => {
      let a = seed >>> 0;
      return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
      };
    };

    /** Random moves while clocks run: dissections (some hashes wrong), challenges by two challengers. */
    function play(seed: number): { g: ToyGame; depth: number; log2K: number } {
      const rnd = prng(seed);
      const depth = 3 + Math.floor(rnd() * 4);
      const log2K = 1 + Math.floor(rnd() * 2);
      const g = createToyGame({ depth, log2K, proposer: PROPOSER, opener: C1, endHash: toyHash(1n << 60n) });
      for (let move = 0; move < 40; move++) {
        const tree = g.tree();
        const choices: { sender: Address; action: Action }[] = [];
        for (const n of tree.nodes.values()) {
          if (n.turn === "Dissect") {
            const parts = log2Parts(n.position, log2K);
            const interior = Array.from({ length: (1 << parts) - 1 }, (_, i) =>
              toyHash(BigInt(i), rnd() < 0.5),
            );
            choices.push({
              sender: PROPOSER,
              action: {
                type: "dissect",
                gameId: 1n,
                position: n.position,
                interior,
                deadline: undefined,
                bond: 0n,
              },
            });
          } else if (n.turn === "Pick") {
            const parts = log2Parts(n.position, log2K);
            for (let index = 0; index < 1 << parts; index++)
              if (!tree.nodes.has(child(n.position, index, parts)))
                choices.push({
                  sender: rnd() < 0.5 ? C1 : C2,
                  action: {
                    type: "challenge",
                    gameId: 1n,
                    parent: n.position,
                    index,
                    deadline: undefined,
                    bond: 0n,
                  },
                });
          }
        }
        if (choices.length === 0 || rnd() < 0.15) g.advance(BigInt(Math.floor(rnd() * 2400)));
        else {
          const c = choices[Math.floor(rnd() * choices.length)];
          g.apply(c.sender, c.action);
        }
        // Now and then resolve part of what can resolve, as a daemon would, so closed nodes and
        // onchain-defeated parts show up below open ones.
        if (rnd() < 0.1)
          for (const r of planResolutions(g.tree()).slice(0, 2))
            g.apply(C1, resolveAction(r.node.position, r.outcome));
      }
      return { g, depth, log2K };
    }

    const resolveAction = (position: Position, outcome: "Defeated" | "Upheld" | "Refunded"): Action => ({
      type: "resolveNode",
      gameId: 1n,
      position,
      outcome,
      reason: "gain",
      deadline: undefined,
      bond: 0n,
    });

    /**
     * Sends the whole plan in its order: the toy game (the contract's rules) takes every one (no
     * ChildrenOpen, no ClockNotExpired) and resolves each node to the planned outcome; nothing is
     * left that could resolve now; every node is planned once.
     */
    function checkPlan(g: ToyGame, depth: number, log2K: number, seed: number) {
      const tree = g.tree();
      const plan = planResolutions(tree);
      const positions = plan.map((r) => r.node.position);
      expect(new Set(positions).size, `seed ${seed}: a node planned twice`).to.equal(positions.length);
      for (const [i, r] of plan.entries()) {
        if (log2Len(r.node.position) < depth) {
          const at = positions.indexOf(parentOf(r.node.position, depth, log2K));
          expect(at === -1 || at > i, `seed ${seed}: a parent planned before its part`).to.equal(true);
        }
        g.apply(C2, resolveAction(r.node.position, r.outcome));
        const ev = g.events().at(-1);
        expect(ev?.eventName).to.equal("NodeResolved");
        const status = NODE_STATUSES[Number((ev?.args as { status?: number } | undefined)?.status)];
        expect(status, `seed ${seed}: outcome of ${r.node.position}`).to.equal(r.outcome);
      }
      expect(planResolutions(g.tree()), `seed ${seed}: resolvable after the plan`).to.deep.equal([]);
    }

    it("a plan sent in order is accepted whole, predicts every outcome, and leaves nothing resolvable", () => {
      let nonTrivial = 0;
      for (let seed = 1; seed <= 150; seed++) {
        const { g, depth, log2K } = play(seed);
        // Somewhere mid-game (some clocks still running), then once every clock has run out.
        const mid = planResolutions(g.tree()).length;
        checkPlan(g, depth, log2K, seed);
        g.advance(100_000n);
        const end = planResolutions(g.tree());
        if (end.some((r) => r.node.turn === "Children") || mid > 2) nonTrivial++;
        checkPlan(g, depth, log2K, seed);
        expect(["Defeated", "Upheld"], `seed ${seed}: root open`).to.include(g.rootStatus());
      }
      // The plays reach dissected nodes unlocked by their parts in the same plan.
      expect(nonTrivial).to.be.greaterThan(30);
    });

    it("after an invalidation, refunds every open node and the refunds are all accepted", () => {
      for (let seed = 1; seed <= 60; seed++) {
        const { g } = play(seed);
        const open = [...g.tree().nodes.values()].filter(
          (n) => n.status === "Challenged" || n.status === "Dissected",
        );
        g.invalidate();
        const plan = planResolutions(g.tree());
        expect(plan.map((r) => r.outcome)).to.deep.equal(open.map(() => "Refunded"));
        expect(new Set(plan.map((r) => r.node.position))).to.deep.equal(new Set(open.map((n) => n.position)));
        for (const r of plan) g.apply(C2, resolveAction(r.node.position, r.outcome));
        const after = g.tree().nodes;
        expect(open.map((n) => after.get(n.position)?.status)).to.deep.equal(open.map(() => "Refunded"));
        expect(planResolutions(g.tree())).to.deep.equal([]);
      }
    });
  });
});
