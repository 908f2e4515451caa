// Types of the game layer shared by both daemons (docs/spec.md §2.3): what the
// solvers see of a game (its claim tree, read at one block) and what they may
// answer (actions, as data). Enum orders are the Solidity ones, so a value read
// from the chain indexes these lists directly. The trace the solvers read is
// the machine's TraceProvider (shared/src/machine/trace.ts).

import type { Address, Hex } from "viem";
import type { Position } from "./position.ts";
import type { ResultLeaf } from "./resultTree.ts";

export type { TraceProvider } from "../machine/trace.ts";

/** What can happen next at a node (Solidity `IDisputeGame.Turn`, same order). */
export const TURNS = ["None", "Dissect", "Pick", "Step", "Resolve", "Children"] as const;
export type Turn = (typeof TURNS)[number];

/** Lifecycle of a node (Solidity `NodeStatus`, same order). */
export const NODE_STATUSES = ["None", "Challenged", "Dissected", "Defeated", "Upheld", "Refunded"] as const;
export type NodeStatus = (typeof NODE_STATUSES)[number];

/** A resolved node's outcome. */
export type Outcome = "Defeated" | "Upheld" | "Refunded";

export type Role = "proposer" | "challenger";

/** What a game copies from its proposal when it opens (Solidity `Game`), plus its opening. */
export type GameInfo = {
  gameId: bigint;
  proposalId: bigint;
  jobId: bigint;
  /** The only party that may dissect. */
  proposer: Address;
  /** Who opened the game (challenged its root). */
  opener: Address;
  /** D of the job's program: the root covers [0, 2^D]. */
  depth: number;
  /** T(0), derived onchain from the job. */
  startHash: Hex;
  /** The leaf's final state hash: the proposer's claim. */
  endHash: Hex;
  /** Active time the root was challenged. Unit: seconds. */
  openedAt: bigint;
  /** Each side's time along each path. Unit: seconds. */
  clockSeconds: bigint;
  /** Bond of every challenge (and of the game's opening). Unit: wei. */
  claimBond: bigint;
  /** Bond of every dissection: claimBond / k. Unit: wei. */
  dissectionBond: bigint;
  /** Block of the GameOpened event (events are read from there). */
  openedBlock: bigint;
};

/** One node of the claim tree: the proposer's claim that `startHash` at its start leads to `endHash` at its end. */
export type TreeNode = {
  position: Position;
  /** undefined for the root. */
  parent: Position | undefined;
  /** Part index in the parent's dissection (0 for the root). */
  index: number;
  status: NodeStatus;
  /** Who challenged it (and posted the bond). */
  challenger: Address;
  /** The proposer's hash at the node's start (T(0) or a posted interior hash). */
  startHash: Hex;
  /** The proposer's hash at the node's end (the leaf or a posted interior hash). */
  endHash: Hex;
  /** The dissection's interior hashes, once Dissected. */
  interior: readonly Hex[] | undefined;
  /** Unresolved challenged parts. */
  openChildren: number;
  /** Parts resolved Defeated. */
  defeatedChildren: number;
  /** `nodeTurn` at the tree's block. */
  turn: Turn;
  /** Seconds left on the clock that bounds `turn`. Unit: seconds. */
  leftSeconds: bigint;
};

/** A game's claim tree as the chain held it at `blockNumber`. */
export type GameTree = {
  game: GameInfo;
  /** log2 of the deployment's k (`DisputeGame.K()`). */
  log2K: number;
  nodes: ReadonlyMap<Position, TreeNode>;
  /** Active time at `blockNumber`. Unit: seconds. */
  activeNow: bigint;
  blockNumber: bigint;
  /** Governance invalidated the proposal: every node resolves Refunded. */
  invalidated: boolean;
};

/** Fields every action carries. */
type ActionBase = {
  /**
   * Active time at which the clock bounding this action runs out (the move is
   * refused from then on); undefined when no clock bounds it (resolutions).
   * Unit: seconds.
   */
  deadline: bigint | undefined;
  /** ETH the action takes from our credit in DisputeGame. Unit: wei. */
  bond: bigint;
};

/** A move, as data: the responder turns lists of them into multicall transactions. */
export type Action = ActionBase &
  (
    | { type: "openGame"; proposalId: bigint; leaf: ResultLeaf; proof: Hex[] }
    | { type: "dissect"; gameId: bigint; position: Position; interior: Hex[] }
    | { type: "challenge"; gameId: bigint; parent: Position; index: number }
    | {
        type: "step";
        gameId: bigint;
        position: Position;
        ancestry: Hex[][];
        stateData: Hex;
        proof: Hex;
      }
    | {
        type: "resolveNode";
        gameId: bigint;
        position: Position;
        /** What the node resolves to (predicted from the tree). */
        outcome: Outcome;
        /** Why we resolve it: our own bond, a proposer timeout or a defeat on our path, or to unlock a parent. */
        reason: "gain" | "timeout" | "path" | "unlock";
      }
  );

export type ActionType = Action["type"];

/** Identity of an action: the same key is never sent twice. */
export function actionKey(a: Action): string {
  switch (a.type) {
    case "openGame":
      return `open:${a.proposalId}:${a.leaf.jobId}:${a.leaf.finalStateHash.toLowerCase()}`;
    case "dissect":
      return `dissect:${a.gameId}:${a.position}`;
    case "challenge":
      return `challenge:${a.gameId}:${a.parent}:${a.index}`;
    case "step":
      return `step:${a.gameId}:${a.position}`;
    case "resolveNode":
      return `resolve:${a.gameId}:${a.position}`;
  }
}

/** True for the statuses of a node that still has to be resolved. */
export function isOpen(status: NodeStatus): boolean {
  return status === "Challenged" || status === "Dissected";
}
