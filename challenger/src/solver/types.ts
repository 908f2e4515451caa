// Types of the challenger's pure decision layer: a snapshot of one game as the
// chain shows it, and the action the challenger takes on it. Names follow the
// Solidity side (IVerdict.Turn, Types.sol Position/GameStatus).

import type { Hex } from "viem";

/** IVerdict.Turn, same order as the Solidity enum. */
export const Turn = { None: 0, Dissect: 1, Pick: 2, Step: 3, Close: 4 } as const;
export type Turn = (typeof Turn)[keyof typeof Turn];

/** Types.sol GameStatus, same order as the Solidity enum. */
export const GameStatus = { None: 0, Active: 1, ChallengerWon: 2, ProposerWon: 3, Closed: 4 } as const;
export type GameStatus = (typeof GameStatus)[keyof typeof GameStatus];

/** A disputed trace segment [start, start + 2^log2Len]. */
export type Segment = { start: bigint; log2Len: number };

/** One game as the challenger sees it at one block. */
export type GameView = {
  status: GameStatus;
  turn: Turn;
  /** Seconds left on the clock of the side on move (0 = timeout claimable). */
  moverLeftSeconds: bigint;
  segment: Segment;
  /** Agreed hash at segment.start. */
  startHash: Hex;
  /** The proposer's hash at segment.start + 2^log2Len. */
  endHash: Hex;
  /** Dissection arity of the deployment (IVerdict.K). */
  k: number;
  /** The proposer's interior hashes h_1..h_{n-1} of the current segment; set on a Pick turn. */
  interior?: readonly Hex[];
};

/** What the challenger does next in one game. */
export type ChallengerAction =
  /** Not our move and no timeout to claim. */
  | { kind: "wait"; reason: string }
  /** Pick sub-segment `index` (the first one whose end we dispute). */
  | { kind: "pick"; index: number; interior: readonly Hex[]; child: Segment; disputed: number[] }
  /** Submit the one-step proof for the pre-state at `position`. */
  | { kind: "step"; position: bigint }
  /** The proposer's clock ran out. */
  | { kind: "claimTimeout" }
  /** The proposal is no longer pending: close the game (challenger refunded). */
  | { kind: "close" }
  /** The game is over. */
  | { kind: "done"; status: GameStatus }
  /**
   * Our own trace does not support any move: never sign. `reason` says why
   * (for example the agreed start hash is not ours, or we agree with the
   * proposer's end hash). This is an alert, not a retry.
   */
  | { kind: "refuse"; reason: string };
