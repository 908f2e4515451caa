// The player: progresses one game by one move. Reads the game (readGameView),
// asks the solver, sends the answer (respond), and keeps the game metrics. A
// move that lost a race (the state changed between read and send: NotYourTurn,
// GameNotActive, ClockNotExpired…) is not an error: the next tick re-reads.
// Both daemons use it; `role` says which side we play.

import type { Logger } from "pino";
import type { Abi, Address, Chain, PublicClient, Transport } from "viem";
import type { TxSender } from "../chain/createTxSender.ts";
import { ContractRevertError } from "../chain/errors.ts";
import type { DaemonMetrics } from "../metrics/createDaemonMetrics.ts";
import { log2Len, start } from "./position.ts";
import { type GameRecord, readGameView } from "./readGameView.ts";
import { respond } from "./respond.ts";
import { solve } from "./solve.ts";
import { type Action, type GameView, moverOf, type Role, type TraceProvider } from "./types.ts";

/**
 * Reverts that mean "someone moved first" (or governance paused the protocol,
 * which freezes clocks): the game is simply re-read next tick.
 */
export const RACE_ERRORS = new Set([
  "NotYourTurn",
  "ProtocolPaused",
  "GameNotActive",
  "ClockNotExpired",
  "ProposalNotPending",
  "ProposalStillPending",
  "InteriorMismatch",
]);

export type CreateGamePlayerParameters = {
  role: Role;
  publicClient: PublicClient<Transport, Chain>;
  sender: TxSender;
  verdict: Address;
  abi: Abi;
  logger: Logger;
  metrics?: Pick<DaemonMetrics, "movesSent" | "clockRemainingSeconds" | "gamesWon" | "gamesLost">;
  /** Our trace for the game's job. */
  traceFor: (game: GameRecord) => Promise<TraceProvider>;
  /** Block to search Dissected events from. */
  fromBlock?: bigint;
  /** Warn when our clock has less than this left. Unit: seconds. */
  lowClockSeconds?: bigint;
};

export type ProgressResult = { view: GameView; action: Action; done: boolean; won?: boolean };

export type GamePlayer = {
  /** Reads the game, makes at most one move. */
  progress: (gameId: bigint) => Promise<ProgressResult>;
};

export function createGamePlayer(p: CreateGamePlayerParameters): GamePlayer {
  const { role, publicClient, sender, verdict, abi, metrics, traceFor, lowClockSeconds = 60n } = p;
  const log = p.logger.child({ component: "player", role });
  let k: bigint | undefined;
  const counted = new Set<bigint>();
  // Wins and losses count only for games this process saw in play, so a
  // restart that re-reads old games does not count them again.
  const seenActive = new Set<bigint>();

  async function progress(gameId: bigint): Promise<ProgressResult> {
    if (k === undefined)
      k = (await publicClient.readContract({ address: verdict, abi, functionName: "K" })) as bigint;
    const { view, record } = await readGameView({
      publicClient,
      verdict,
      abi,
      gameId,
      fromBlock: p.fromBlock,
      k,
    });
    const glog = log.child({ gameId: gameId.toString() });

    if (view.status !== "Active") {
      const won =
        view.status === "ProposerWon"
          ? role === "proposer"
          : view.status === "ChallengerWon"
            ? role === "challenger"
            : undefined;
      if (!counted.has(gameId)) {
        counted.add(gameId);
        if (!seenActive.has(gameId))
          return { view, action: { type: "wait", reason: `game is ${view.status}` }, done: true, won };
        metrics?.clockRemainingSeconds.remove({ game: gameId.toString() });
        if (won === true) metrics?.gamesWon.inc();
        if (won === false) metrics?.gamesLost.inc();
        glog.info(
          { status: view.status },
          won === undefined ? "game closed" : won ? "game won" : "game lost",
        );
      }
      return { view, action: { type: "wait", reason: `game is ${view.status}` }, done: true, won };
    }

    seenActive.add(gameId);
    const ourTurn = moverOf(view.turn) === role;
    const ourLeft = ourTurn ? view.leftSeconds : record.idle;
    metrics?.clockRemainingSeconds.set({ game: gameId.toString() }, Number(ourLeft));
    if (ourTurn && ourLeft < lowClockSeconds) glog.warn({ leftSeconds: ourLeft }, "our clock is low");

    const trace = await traceFor(record);
    const action = await solve({ role, game: view, trace });
    if (action.type === "wait") return { view, action, done: false };
    glog.info(
      {
        action: action.type,
        start: start(view.position),
        log2Len: log2Len(view.position),
        ...(action.type === "pick" ? { index: action.index } : {}),
      },
      "move",
    );
    try {
      await respond({ sender, verdict, abi, gameId, action });
      metrics?.movesSent.inc({ kind: action.type });
    } catch (err) {
      if (err instanceof ContractRevertError && RACE_ERRORS.has(err.errorName)) {
        glog.info({ error: err.errorName }, "move overtaken by another transaction; re-reading");
        return { view, action: { type: "wait", reason: err.errorName }, done: false };
      }
      throw err;
    }
    return { view, action, done: false };
  }

  return { progress };
}
