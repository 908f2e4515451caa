// The `ancestry` argument of `DisputeGame.step`: one entry per dissection
// level above the node, root first. Walking down, a part's start is the
// parent's interior hash before it (or the parent's start for part 0) and its
// end the hash after it (or the parent's end for the last part), so only the
// deepest level that moved the start and the deepest that moved the end
// decide the node's hashes. The contract checks exactly those two levels
// against their stored commitments and ignores the rest; we send the rest
// empty, which keeps the step's calldata to at most two interiors (it is the
// largest transaction of a game, priced at the EIP-7623 calldata floor).

import type { Hex } from "viem";
import { GameError } from "./errors.ts";
import { indexIn, log2Len, type Position } from "./position.ts";
import type { GameTree } from "./types.ts";

export type AncestryOfReturnType = Hex[][];

/** Levels whose interiors decide a node's start and end, given each level's (parent, child) on its path. */
export function decidingLevels(path: readonly { parent: Position; child: Position }[]): Set<number> {
  let startLevel: number | undefined;
  let endLevel: number | undefined;
  path.forEach(({ parent, child }, level) => {
    const index = indexIn(parent, child);
    const parts = 1 << (log2Len(parent) - log2Len(child));
    if (index !== 0) startLevel = level;
    if (index !== parts - 1) endLevel = level;
  });
  return new Set([startLevel, endLevel].filter((l): l is number => l !== undefined));
}

export function ancestryOf(tree: GameTree, position: Position): AncestryOfReturnType {
  const levels: { parent: Position; child: Position; interior: readonly Hex[] }[] = [];
  let node = tree.nodes.get(position);
  if (!node) throw new GameError(`Game ${tree.game.gameId}: no node at ${position}.`);
  while (node.parent !== undefined) {
    const parent = tree.nodes.get(node.parent);
    if (!parent?.interior)
      throw new GameError(`Game ${tree.game.gameId}: node ${node.position} has no dissected parent.`);
    levels.push({ parent: parent.position, child: node.position, interior: parent.interior });
    node = parent;
  }
  levels.reverse();
  const deciding = decidingLevels(levels);
  return levels.map((l, i) => (deciding.has(i) ? [...l.interior] : []));
}
