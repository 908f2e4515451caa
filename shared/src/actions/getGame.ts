// getGame: one dispute game, and optionally its moves (the DisputeGame events
// naming it) in chain order, a timeline of who claimed what.

import type { Address, Hex } from "viem";
import { disputeGameAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { NotFoundError } from "./errors.ts";

/** protocol/src/lib/Types.sol NodeStatus, by value. */
export const NODE_STATUS = ["None", "Challenged", "Dissected", "Defeated", "Upheld", "Refunded"] as const;

export type GetGameParameters = {
  disputeGame: Address;
  gameId: bigint;
  /** Also read the game's moves from events since this block (the deployment block). */
  movesFromBlock?: bigint;
};

export type GameMove = {
  blockNumber: bigint;
  txHash: Hex;
  kind:
    | "GameOpened"
    | "NodeChallenged"
    | "NodeDissected"
    | "NodeStepped"
    | "NodeResolved"
    | "GameInvalidated";
  /** The node the move is about (0 = root, also for GameOpened/GameInvalidated). */
  position: bigint;
  /** Decoded event arguments. */
  args: Record<string, unknown>;
};

export type Game = {
  gameId: bigint;
  proposalId: bigint;
  jobId: bigint;
  proposer: Address;
  depth: number;
  /** Unit: wei. */
  claimBondWei: bigint;
  /** Per side, per path. Unit: seconds. */
  clockSeconds: number;
  /** The proposer's claimed final state hash of the job. */
  endHash: Hex;
  /** Status of the root node: Challenged/Dissected while open, then Defeated, Upheld or Refunded. */
  rootStatus: (typeof NODE_STATUS)[number];
  verifier: Address;
  moves?: GameMove[];
};

export type GetGameReturnType = Game;
export type GetGameErrorType = NotFoundError | Error;

const MOVE_EVENTS = new Set<string>([
  "GameOpened",
  "NodeChallenged",
  "NodeDissected",
  "NodeStepped",
  "NodeResolved",
  "GameInvalidated",
]);

export async function getGame(clients: ReadClients, p: GetGameParameters): Promise<GetGameReturnType> {
  const at = { address: p.disputeGame, abi: disputeGameAbi } as const;
  const count = await clients.publicClient.readContract({ ...at, functionName: "gameCount" });
  if (p.gameId < 1n || p.gameId > count) throw new NotFoundError({ kind: "game", id: p.gameId, count });
  const g = await clients.publicClient.readContract({ ...at, functionName: "getGame", args: [p.gameId] });
  // The root node covers [0, 2^D]: position (start 0 << 8) | D, as LibPosition packs it.
  const root = await clients.publicClient.readContract({
    ...at,
    functionName: "getNode",
    args: [p.gameId, BigInt(g.depth)],
  });
  const game: Game = {
    gameId: p.gameId,
    proposalId: g.proposalId,
    jobId: g.jobId,
    proposer: g.proposer,
    depth: g.depth,
    claimBondWei: g.claimBond,
    clockSeconds: g.clockSeconds,
    endHash: g.endHash,
    rootStatus: NODE_STATUS[root.status] ?? "None",
    verifier: g.verifier,
  };
  if (p.movesFromBlock !== undefined) {
    const logs = await clients.publicClient.getContractEvents({ ...at, fromBlock: p.movesFromBlock });
    game.moves = logs
      .filter((l) => MOVE_EVENTS.has(l.eventName) && (l.args as { gameId?: bigint }).gameId === p.gameId)
      .map((l) => {
        const args = l.args as Record<string, unknown>;
        return {
          blockNumber: l.blockNumber,
          txHash: l.transactionHash,
          kind: l.eventName as GameMove["kind"],
          position: typeof args.position === "bigint" ? args.position : 0n,
          args,
        };
      });
  }
  return game;
}
