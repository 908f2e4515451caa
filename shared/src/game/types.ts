// Types of the game layer shared by both daemons: what the solver sees of a
// game and what it may answer. The trace it reads is the machine's
// TraceProvider (shared/src/machine/trace.ts): get, getStepData,
// absolutePrestate, as in op-challenger.

import type { Hex } from "viem";
import type { Position } from "./position.ts";

export type { TraceProvider } from "../machine/trace.ts";

/** Whose move it is (Solidity `IVerdict.Turn`, same order). */
export const TURNS = ["None", "Dissect", "Pick", "Step", "Close"] as const;
export type Turn = (typeof TURNS)[number];

/** Game status (Solidity `GameStatus`, same order). */
export const GAME_STATUSES = ["None", "Active", "ChallengerWon", "ProposerWon", "Closed"] as const;
export type GameStatus = (typeof GAME_STATUSES)[number];

export type Role = "proposer" | "challenger";

/** Everything the solver needs to know about one game, read from the chain. */
export type GameView = {
  gameId: bigint;
  status: GameStatus;
  turn: Turn;
  /** Seconds left on the clock of the side on move (0 = a timeout can be claimed). */
  leftSeconds: bigint;
  position: Position;
  startHash: Hex;
  endHash: Hex;
  /** log2 of the deployment's k. */
  log2K: number;
  /** The interior hashes of the current dissection (needed to pick); undefined before one. */
  interior?: readonly Hex[];
};

export type Action =
  | { type: "dissect"; interior: Hex[] }
  | { type: "pick"; index: number; interior: Hex[] }
  | { type: "step"; position: bigint; stateData: Hex; proof: Hex }
  | { type: "claimTimeout" }
  | { type: "close" }
  /** Nothing to do now (opponent's move, or game over). */
  | { type: "wait"; reason: string };

/** The side whose move `turn` is. */
export function moverOf(turn: Turn): Role | undefined {
  if (turn === "Dissect") return "proposer";
  if (turn === "Pick" || turn === "Step") return "challenger";
  return undefined;
}
