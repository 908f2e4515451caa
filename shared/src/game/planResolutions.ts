// Which open nodes of a tree can be resolved now, and to what — bottom-up, as
// `resolveNode` decides them (docs/spec.md §2.3):
//   Challenged, length > 1, Turn.Resolve  → Defeated (the proposer did not dissect in time)
//   Challenged, length 1,   Turn.Resolve  → Upheld   (nobody stepped in time)
//   Dissected,  Turn.Resolve              → Defeated if a part was Defeated, else Upheld
//   Dissected,  Turn.Children             → resolvable in the same batch once every open part
//                                           before it in this plan is resolved
//   proposal invalidated                  → Refunded, in any order
// The plan lists children before parents, so a batch sent in plan order never
// trips `ChildrenOpen`. Pure: the solvers pick from it what their role wants.

import { log2Len, start } from "./position.ts";
import { type GameTree, isOpen, type Outcome, type TreeNode } from "./types.ts";

export type PlannedResolution = { node: TreeNode; outcome: Outcome };

export type PlanResolutionsReturnType = PlannedResolution[];

export function planResolutions(tree: GameTree): PlanResolutionsReturnType {
  const open = [...tree.nodes.values()]
    .filter((n) => isOpen(n.status))
    .sort(
      (a, b) => log2Len(a.position) - log2Len(b.position) || Number(start(a.position) - start(b.position)),
    );
  if (tree.invalidated) return open.map((node) => ({ node, outcome: "Refunded" as const }));
  const resolvedChildren = new Map<bigint, number>();
  const defeatedChildren = new Map<bigint, number>();
  const plan: PlannedResolution[] = [];
  for (const node of open) {
    let outcome: Outcome | undefined;
    if (node.status === "Challenged") {
      if (node.turn === "Resolve") outcome = log2Len(node.position) > 0 ? "Defeated" : "Upheld";
    } else {
      const closed =
        node.turn === "Resolve" ||
        (node.turn === "Children" && resolvedChildren.get(node.position) === node.openChildren);
      if (closed)
        outcome =
          node.defeatedChildren + (defeatedChildren.get(node.position) ?? 0) > 0 ? "Defeated" : "Upheld";
    }
    if (!outcome) continue;
    plan.push({ node, outcome });
    if (node.parent !== undefined) {
      resolvedChildren.set(node.parent, (resolvedChildren.get(node.parent) ?? 0) + 1);
      if (outcome === "Defeated")
        defeatedChildren.set(node.parent, (defeatedChildren.get(node.parent) ?? 0) + 1);
    }
  }
  return plan;
}
