// The proposer's solver (pure: tree + our trace → actions, no chain access).
// It never challenges. It dissects every Challenged node of length > 1 whose
// clock still runs, with its own hashes at the part boundaries — once per node,
// however many challengers stand behind it, since a node is keyed by position
// — after checking that the node's start and end hashes (T(0), the leaf, or
// interiors it posted itself) are what its trace says. And it resolves the
// nodes it gains from: those that resolve Upheld (the challenger's bond is
// ours, a dissection bond comes back) and, after an invalidation, the nodes it
// dissected (their dissection bond is refunded).

import { TraceDisagreementError } from "./errors.ts";
import { planResolutions } from "./planResolutions.ts";
import { end, interiorPositions, log2Len, start } from "./position.ts";
import { selectResolutions } from "./selectResolutions.ts";
import type { Action, GameTree, TraceProvider, TreeNode } from "./types.ts";

export type SolveProposerParameters = {
  tree: GameTree;
  /** Our trace of the game's job (the one we proposed from). */
  trace: TraceProvider;
};

export type SolveProposerReturnType = { actions: Action[] };

async function expectOurs(tree: GameTree, trace: TraceProvider, t: bigint, onchain: string, what: string) {
  const ours = await trace.get(t);
  if (ours.toLowerCase() !== onchain.toLowerCase())
    throw new TraceDisagreementError({
      gameId: tree.game.gameId,
      position: t,
      expected: onchain,
      actual: ours,
      what,
    });
}

export async function solveProposer({
  tree,
  trace,
}: SolveProposerParameters): Promise<SolveProposerReturnType> {
  const actions: Action[] = [];
  const toDissect = [...tree.nodes.values()].filter(
    (n: TreeNode) =>
      n.status === "Challenged" && log2Len(n.position) > 0 && n.turn === "Dissect" && n.leftSeconds > 0n,
  );
  for (const n of toDissect) {
    await expectOurs(
      tree,
      trace,
      start(n.position),
      n.startHash,
      "the node's start hash (T(0) or our own interior)",
    );
    await expectOurs(tree, trace, end(n.position), n.endHash, "our own claim at the node's end");
    const interior = await Promise.all(interiorPositions(n.position, tree.log2K).map((t) => trace.get(t)));
    actions.push({
      type: "dissect",
      gameId: tree.game.gameId,
      position: n.position,
      interior,
      deadline: tree.activeNow + n.leftSeconds,
      bond: tree.game.dissectionBond,
    });
  }
  actions.push(
    ...selectResolutions({
      tree,
      plan: planResolutions(tree),
      want: ({ node, outcome }) =>
        outcome === "Upheld" || (outcome === "Refunded" && node.status === "Dissected") ? "gain" : undefined,
    }),
  );
  return { actions };
}
