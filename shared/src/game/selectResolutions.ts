// Turns the part of a resolution plan a role wants into resolveNode actions:
// the nodes it wants, plus every planned node under them (a dissected node can
// only resolve after its open parts, which the plan resolves first). Plan
// order is kept, so children always come before their parents.

import type { PlannedResolution } from "./planResolutions.ts";
import type { Action, GameTree } from "./types.ts";

export type ResolveReason = Extract<Action, { type: "resolveNode" }>["reason"];

export type SelectResolutionsParameters = {
  tree: GameTree;
  plan: readonly PlannedResolution[];
  /** Why the role resolves this node, or undefined when it does not care for it. */
  want: (r: PlannedResolution) => Exclude<ResolveReason, "unlock"> | undefined;
};

export function selectResolutions({ tree, plan, want }: SelectResolutionsParameters): Action[] {
  const reason = new Map<bigint, ResolveReason>();
  // Parents come after their children in the plan: walk it backwards so a
  // wanted parent marks its planned children before they are visited.
  for (let i = plan.length - 1; i >= 0; i--) {
    const r = plan[i];
    const own = want(r);
    if (own) reason.set(r.node.position, own);
    else if (r.node.parent !== undefined && reason.has(r.node.parent) && !tree.invalidated)
      reason.set(r.node.position, "unlock");
  }
  const out: Action[] = [];
  for (const r of plan) {
    const why = reason.get(r.node.position);
    if (!why) continue;
    out.push({
      type: "resolveNode",
      gameId: tree.game.gameId,
      position: r.node.position,
      outcome: r.outcome,
      reason: why,
      deadline: undefined,
      bond: 0n,
    });
  }
  return out;
}
