// selectResolutions on a hand-written plan (children before parents, as
// planResolutions lists them): a wanted node brings every planned node under it
// along ("unlock": a dissected node resolves only after its open parts), nothing
// above or beside it; plan order is kept; after an invalidation refunds need no
// order, so nothing is unlocked.

import { expect } from "chai";
import type { Address, Hex } from "viem";
import type { PlannedResolution } from "./planResolutions.ts";
import { log2Len, type Position, parentOf, start, wrap } from "./position.ts";
import { type ResolveReason, selectResolutions } from "./selectResolutions.ts";
import type { GameTree, Outcome, TreeNode } from "./types.ts";

const PROPOSER = "0x00000000000000000000000000000000000000a1" as Address;
const ZERO = `0x${"00".repeat(32)}` as Hex;

// D = 6, k = 4: levels of log2Len 6 (the root), 4, 2 and 0.
const DEPTH = 6;
const LOG2K = 2;

const at = (s: number, l: number): Position => wrap(BigInt(s), l);

function planned(p: Position, outcome: Outcome): PlannedResolution {
  const parent = log2Len(p) === DEPTH ? undefined : parentOf(p, DEPTH, LOG2K);
  const node: TreeNode = {
    position: p,
    parent,
    index: 0,
    status: "Dissected",
    challenger: PROPOSER,
    startHash: ZERO,
    endHash: ZERO,
    interior: undefined,
    openChildren: 0,
    defeatedChildren: 0,
    turn: "Resolve",
    leftSeconds: 0n,
  };
  return { node, outcome };
}

/** The root, and under it B = [16, 32] whose parts [16, 20] and [20, 24] (and the latter's) resolve first. */
const PLAN: PlannedResolution[] = [
  planned(at(20, 0), "Upheld"),
  planned(at(22, 0), "Upheld"),
  planned(at(16, 2), "Defeated"),
  planned(at(20, 2), "Upheld"),
  planned(at(0, 4), "Defeated"),
  planned(at(16, 4), "Defeated"),
  planned(at(48, 4), "Defeated"),
  planned(at(0, 6), "Defeated"),
];

function treeOf(plan: readonly PlannedResolution[], invalidated = false): GameTree {
  return {
    game: {
      gameId: 7n,
      proposalId: 1n,
      jobId: 1n,
      proposer: PROPOSER,
      opener: PROPOSER,
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
    nodes: new Map(plan.map((r) => [r.node.position, r.node])),
    activeNow: 0n,
    blockNumber: 1n,
    invalidated,
  };
}

/** `want` from a table of positions to reasons. */
const wanting =
  (table: [Position, Exclude<ResolveReason, "unlock">][]) =>
  (r: PlannedResolution): Exclude<ResolveReason, "unlock"> | undefined =>
    table.find(([p]) => p === r.node.position)?.[1];

const selected = (
  plan: readonly PlannedResolution[],
  want: ReturnType<typeof wanting>,
  invalidated = false,
) =>
  selectResolutions({ tree: treeOf(plan, invalidated), plan, want }).map((a) =>
    a.type === "resolveNode"
      ? [`[${start(a.position)}, 2^${log2Len(a.position)}]`, a.outcome, a.reason]
      : a.type,
  );

describe("game/selectResolutions", () => {
  it("a wanted root brings every planned node under it, as unlock, in plan order (children first)", () => {
    expect(selected(PLAN, wanting([[at(0, 6), "gain"]]))).to.deep.equal([
      ["[20, 2^0]", "Upheld", "unlock"],
      ["[22, 2^0]", "Upheld", "unlock"],
      ["[16, 2^2]", "Defeated", "unlock"],
      ["[20, 2^2]", "Upheld", "unlock"],
      ["[0, 2^4]", "Defeated", "unlock"],
      ["[16, 2^4]", "Defeated", "unlock"],
      ["[48, 2^4]", "Defeated", "unlock"],
      ["[0, 2^6]", "Defeated", "gain"],
    ]);
  });

  it("unlocks only what is under the wanted node: not its parent, not its siblings", () => {
    expect(selected(PLAN, wanting([[at(16, 4), "path"]]))).to.deep.equal([
      ["[20, 2^0]", "Upheld", "unlock"],
      ["[22, 2^0]", "Upheld", "unlock"],
      ["[16, 2^2]", "Defeated", "unlock"],
      ["[20, 2^2]", "Upheld", "unlock"],
      ["[16, 2^4]", "Defeated", "path"],
    ]);
    expect(selected(PLAN, wanting([[at(20, 2), "gain"]]))).to.deep.equal([
      ["[20, 2^0]", "Upheld", "unlock"],
      ["[22, 2^0]", "Upheld", "unlock"],
      ["[20, 2^2]", "Upheld", "gain"],
    ]);
  });

  it("keeps a node's own reason under a wanted parent, and takes a wanted node whose parent is not", () => {
    expect(
      selected(
        PLAN,
        wanting([
          [at(0, 6), "gain"],
          [at(16, 2), "timeout"],
        ]),
      ),
    ).to.deep.equal([
      ["[20, 2^0]", "Upheld", "unlock"],
      ["[22, 2^0]", "Upheld", "unlock"],
      ["[16, 2^2]", "Defeated", "timeout"],
      ["[20, 2^2]", "Upheld", "unlock"],
      ["[0, 2^4]", "Defeated", "unlock"],
      ["[16, 2^4]", "Defeated", "unlock"],
      ["[48, 2^4]", "Defeated", "unlock"],
      ["[0, 2^6]", "Defeated", "gain"],
    ]);
    // The first planned node alone (nothing above it wanted).
    expect(selected(PLAN, wanting([[at(20, 0), "gain"]]))).to.deep.equal([["[20, 2^0]", "Upheld", "gain"]]);
  });

  it("wants nothing, sends nothing", () => {
    expect(selected(PLAN, wanting([]))).to.deep.equal([]);
    expect(selected([], wanting([[at(0, 6), "gain"]]))).to.deep.equal([]);
  });

  it("after an invalidation refunds need no order: only the wanted nodes, nothing unlocked", () => {
    const refunds = PLAN.map((r) => ({ ...r, outcome: "Refunded" as const }));
    expect(
      selected(
        refunds,
        wanting([
          [at(16, 4), "gain"],
          [at(20, 0), "gain"],
        ]),
        true,
      ),
    ).to.deep.equal([
      ["[20, 2^0]", "Refunded", "gain"],
      ["[16, 2^4]", "Refunded", "gain"],
    ]);
  });

  it("makes resolveNode actions of the game, with no deadline and no bond", () => {
    const actions = selectResolutions({
      tree: treeOf(PLAN),
      plan: PLAN,
      want: wanting([[at(20, 2), "gain"]]),
    });
    expect(actions[2]).to.deep.equal({
      type: "resolveNode",
      gameId: 7n,
      position: at(20, 2),
      outcome: "Upheld",
      reason: "gain",
      deadline: undefined,
      bond: 0n,
    });
  });
});
