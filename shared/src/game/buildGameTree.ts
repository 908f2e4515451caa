// Rebuilds a game's claim tree from its events (pure: no I/O). Events give the
// shape (which nodes exist, who challenged them, what interiors were posted,
// how they resolved); `reads` — getNode and nodeTurn at the same block — give
// what changes with time (turn, seconds left, open/defeated children). Nodes
// are keyed by position, so an event seen twice (a re-handed block range)
// changes nothing. Start and end hashes of every node are derived here from
// the root's and the posted interiors, as the contract derives them for a step.

import type { Address, Hex } from "viem";
import { GameError } from "./errors.ts";
import { log2Parts, rootPosition } from "./position.ts";
import {
  type GameInfo,
  type GameTree,
  isOpen,
  NODE_STATUSES,
  type NodeStatus,
  type TreeNode,
  TURNS,
  type Turn,
} from "./types.ts";

/** The game events that shape a tree (decoded args, gameId already filtered). */
export type GameEvent =
  | {
      eventName: "NodeChallenged";
      args: { position: bigint; challenger: Address; parent: bigint; index: bigint };
    }
  | { eventName: "NodeDissected"; args: { position: bigint; interior: readonly Hex[] } }
  | { eventName: "NodeResolved"; args: { position: bigint; status: number } }
  | { eventName: "NodeStepped"; args: { position: bigint } };

/** What `getNode` and `nodeTurn` returned for an open node at the tree's block. */
export type NodeRead = {
  status: number;
  challenger: Address;
  openChildren: number;
  defeatedChildren: number;
  turn: number;
  leftSeconds: bigint;
};

export type BuildGameTreeParameters = {
  game: GameInfo;
  log2K: number;
  events: readonly GameEvent[];
  /** Reads of the nodes the events leave open (Challenged or Dissected), by position. */
  reads: ReadonlyMap<bigint, NodeRead>;
  activeNow: bigint;
  blockNumber: bigint;
  invalidated: boolean;
};

export type BuildGameTreeReturnType = GameTree;

type Draft = {
  position: bigint;
  parent: bigint | undefined;
  index: number;
  status: NodeStatus;
  challenger: Address;
  interior: readonly Hex[] | undefined;
};

export function buildGameTree(p: BuildGameTreeParameters): BuildGameTreeReturnType {
  const { game, log2K } = p;
  const root = rootPosition(game.depth);
  const drafts = new Map<bigint, Draft>();
  for (const ev of p.events) {
    const pos = ev.args.position;
    switch (ev.eventName) {
      case "NodeChallenged": {
        if (drafts.has(pos)) break;
        const isRoot = pos === root;
        drafts.set(pos, {
          position: pos,
          parent: isRoot ? undefined : ev.args.parent,
          index: isRoot ? 0 : Number(ev.args.index),
          status: "Challenged",
          challenger: ev.args.challenger,
          interior: undefined,
        });
        break;
      }
      case "NodeDissected": {
        const d = drafts.get(pos);
        if (!d) throw new GameError(`Game ${game.gameId}: dissection of unchallenged node ${pos}.`);
        d.interior = ev.args.interior;
        if (d.status === "Challenged") d.status = "Dissected";
        break;
      }
      case "NodeResolved": {
        const d = drafts.get(pos);
        if (!d) throw new GameError(`Game ${game.gameId}: resolution of unchallenged node ${pos}.`);
        d.status = NODE_STATUSES[ev.args.status] ?? d.status;
        break;
      }
      case "NodeStepped":
        break;
    }
  }

  const nodes = new Map<bigint, TreeNode>();
  // Parents before children: a parent covers a longer segment (larger log2Len).
  const ordered = [...drafts.values()].sort((a, b) => Number((b.position & 0xffn) - (a.position & 0xffn)));
  for (const d of ordered) {
    let startHash: Hex = game.startHash;
    let endHash: Hex = game.endHash;
    if (d.parent !== undefined) {
      const parent = nodes.get(d.parent);
      if (!parent?.interior)
        throw new GameError(`Game ${game.gameId}: node ${d.position} has no dissected parent ${d.parent}.`);
      const n = 1 << log2Parts(parent.position, log2K);
      if (d.index > 0) startHash = parent.interior[d.index - 1];
      else startHash = parent.startHash;
      if (d.index < n - 1) endHash = parent.interior[d.index];
      else endHash = parent.endHash;
    }
    const read = isOpen(d.status) ? p.reads.get(d.position) : undefined;
    // The reads are at the events' last block, so they agree; where they do not
    // (a read at a later block), the read is the newer truth for the status.
    const status = read ? (NODE_STATUSES[read.status] ?? d.status) : d.status;
    const turn: Turn = read ? (TURNS[read.turn] ?? "None") : "None";
    nodes.set(d.position, {
      position: d.position,
      parent: d.parent,
      index: d.index,
      status,
      challenger: d.challenger,
      startHash,
      endHash,
      interior: d.interior,
      openChildren: read?.openChildren ?? 0,
      defeatedChildren: read?.defeatedChildren ?? 0,
      turn,
      leftSeconds: read?.leftSeconds ?? 0n,
    });
  }
  return {
    game,
    log2K,
    nodes,
    activeNow: p.activeNow,
    blockNumber: p.blockNumber,
    invalidated: p.invalidated,
  };
}
