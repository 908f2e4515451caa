// The `ancestry` argument of `DisputeGame.step`: the interior hashes posted by
// every dissection on the path from the root down to the node's parent, root
// first, so the contract can re-derive the node's start and end hashes from
// its stored commitments (one level per dissection above the node).

import type { Hex } from "viem";
import { GameError } from "./errors.ts";
import type { Position } from "./position.ts";
import type { GameTree } from "./types.ts";

export type AncestryOfReturnType = Hex[][];

export function ancestryOf(tree: GameTree, position: Position): AncestryOfReturnType {
  const out: Hex[][] = [];
  let node = tree.nodes.get(position);
  if (!node) throw new GameError(`Game ${tree.game.gameId}: no node at ${position}.`);
  while (node.parent !== undefined) {
    const parent = tree.nodes.get(node.parent);
    if (!parent?.interior)
      throw new GameError(`Game ${tree.game.gameId}: node ${node.position} has no dissected parent.`);
    out.push([...parent.interior]);
    node = parent;
  }
  return out.reverse();
}
