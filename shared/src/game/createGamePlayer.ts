// The player: progresses one game. Reads its claim tree at one block
// (createGameTreeReader), asks the role's pure solver what to do, and hands
// the actions to the responder, which batches them with every other game's.
// It returns what the daemon needs to schedule the game again (the earliest
// clock of the tree) and to report on it (wrong claims seen, the path, whether
// the game is over). Both daemons use it; `role` says which side we play.

import type { Logger } from "pino";
import type { Address } from "viem";
import type { ActiveClock } from "./createActiveClock.ts";
import type { GameTreeReader, ReadGameTreeParameters } from "./createGameTreeReader.ts";
import type { Responder } from "./createResponder.ts";
import { solveChallenger, type WrongClaim } from "./solveChallenger.ts";
import { solveProposer } from "./solveProposer.ts";
import { type Action, type GameInfo, type GameTree, isOpen, type Role, type TraceProvider } from "./types.ts";

export type CreateGamePlayerParameters = {
  role: Role;
  /** Our address (the challenger collects the nodes it challenged). */
  me: Address;
  reader: GameTreeReader;
  /** Where the actions go; undefined = watch-only (solve and report, never send). */
  responder: Pick<Responder, "submit"> | undefined;
  /** Fed with every tree's active time, so deadlines are compared with a fresh estimate. */
  clock?: ActiveClock;
  logger: Logger;
  /** Our trace of the game's job. */
  traceFor: (game: GameInfo) => Promise<TraceProvider>;
};

export type ProgressResult = {
  tree: GameTree;
  actions: Action[];
  /** No node left open: nothing more will ever happen in this game. */
  done: boolean;
  /** Earliest active time at which a clock of the tree runs out (undefined: none running). Unit: seconds. */
  nextDeadline: bigint | undefined;
  /** Challenger: interior hashes our trace contradicts. */
  wrongClaims: WrongClaim[];
  /** Challenger: why its path cannot go on, if it cannot. */
  stalled?: string;
};

export type GamePlayer = {
  progress: (game: ReadGameTreeParameters) => Promise<ProgressResult>;
};

export function createGamePlayer(p: CreateGamePlayerParameters): GamePlayer {
  const { role, me, reader, responder, clock } = p;
  const log = p.logger.child({ component: "player", role });

  async function progress(g: ReadGameTreeParameters): Promise<ProgressResult> {
    const tree = await reader.read(g);
    clock?.observe(tree.activeNow);
    const open = [...tree.nodes.values()].filter((n) => isOpen(n.status));
    let nextDeadline: bigint | undefined;
    for (const n of open)
      if (n.leftSeconds > 0n && (nextDeadline === undefined || tree.activeNow + n.leftSeconds < nextDeadline))
        nextDeadline = tree.activeNow + n.leftSeconds;
    if (open.length === 0) {
      reader.forget(g.gameId);
      responder?.submit(`game:${g.gameId}`, tree.blockNumber, []);
      return { tree, actions: [], done: true, nextDeadline, wrongClaims: [] };
    }
    const trace = await p.traceFor(tree.game);
    let actions: Action[];
    let wrongClaims: WrongClaim[] = [];
    let stalled: string | undefined;
    if (role === "proposer") ({ actions } = await solveProposer({ tree, trace }));
    else ({ actions, wrongClaims, stalled } = await solveChallenger({ tree, trace, me }));
    if (actions.length)
      log.debug(
        { gameId: g.gameId, block: tree.blockNumber, actions: actions.map((a) => a.type) },
        "moves derived",
      );
    responder?.submit(`game:${g.gameId}`, tree.blockNumber, actions);
    return { tree, actions, done: false, nextDeadline, wrongClaims, stalled };
  }

  return { progress };
}
