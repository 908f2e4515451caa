// The proposer's side of the games (docs/spec.md §3): every game opened on one
// of our proposals is played by the shared player with the proposer's pure
// solver — each challenged node of length > 1 dissected once from our own
// trace, every node that resolves in our favour resolved — and every game's
// moves go through one responder, most urgent first, batched into multicalls
// carrying the bonds beyond our DisputeGame credit. Games are learned from
// DisputeGame's GameOpened events (restart-safe: backfilled from the start
// block like everything else); a game is dropped once no node in it is open.
// It also withdraws what we are owed from both ledgers.
//
//   monitor (logs) ─► defender.onLogs ─► games
//   tick ─► scheduler (deadline-first) ─► player ─► solveProposer ─► responder ─► multicall

import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { isRetryableError } from "@verdict/shared/src/chain/classifyError.ts";
import type { TxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { createActiveClock } from "@verdict/shared/src/game/createActiveClock.ts";
import { createGameMetrics } from "@verdict/shared/src/game/createGameMetrics.ts";
import { createGamePlayer } from "@verdict/shared/src/game/createGamePlayer.ts";
import { createGameTreeReader } from "@verdict/shared/src/game/createGameTreeReader.ts";
import { createResponder, type Responder } from "@verdict/shared/src/game/createResponder.ts";
import { createResponderChain } from "@verdict/shared/src/game/createResponderChain.ts";
import { createScheduler } from "@verdict/shared/src/game/createScheduler.ts";
import { TraceDisagreementError } from "@verdict/shared/src/game/errors.ts";
import { log2Of, rootPosition } from "@verdict/shared/src/game/position.ts";
import type { TraceProvider } from "@verdict/shared/src/game/types.ts";
import { type WithdrawCreditsReturnType, withdrawCredits } from "@verdict/shared/src/game/withdrawCredits.ts";
import type { DaemonMetrics } from "@verdict/shared/src/metrics/createDaemonMetrics.ts";
import type { Logger } from "pino";
import { type Address, type Chain, type Log, type PublicClient, parseEventLogs, type Transport } from "viem";
import { canFinalizeAfter } from "./canFinalizeAfter.ts";

export type CreateDefenderParameters = {
  publicClient: PublicClient<Transport, Chain>;
  sender: TxSender;
  verdict: Address;
  logger: Logger;
  metrics: Pick<DaemonMetrics, "registry" | "movesSent" | "gamesActive" | "gamesWon" | "gamesLost">;
  /** Prometheus prefix of the daemon ("verdict_proposer_"). */
  metricsPrefix: string;
  /** Games read and solved at once. */
  concurrency: number;
  /** Gas one multicall of moves may use. Unit: gas. */
  gasBudget?: bigint;
  /** True for the proposals we made (their games are ours to defend). */
  isOurProposal: (proposalId: bigint) => boolean;
  /** Our trace of a job (the one we proposed from); undefined when we do not serve its program. */
  traceFor: (jobId: bigint) => Promise<TraceProvider | undefined>;
};

export type DefendedGame = {
  id: bigint;
  proposalId: bigint;
  jobId: bigint;
  done: boolean;
  /** The block of its GameOpened event (where the player reads the opening). */
  openedBlock: bigint;
};

export type Defender = {
  /** The DisputeGame contract. */
  game: Address;
  /** Applies DisputeGame logs of a confirmed range (after the range's Verdict logs). */
  onLogs: (logs: readonly Log[]) => void;
  /**
   * Forgets every game opened at or after `fromBlock`: a reorg replaced those blocks, and a game
   * opened in them is learnt again (maybe in another block, under the same id) from the new ones.
   */
  forget: (fromBlock: bigint) => void;
  /** Offers every open game to the scheduler (nothing moves while the protocol is paused). */
  tick: () => Promise<void>;
  /** Whether finalize can pass for a proposal now (its games can no longer change its fate). */
  canFinalize: (proposalId: bigint, activeNow: bigint, clockSeconds: bigint) => Promise<boolean>;
  /** Withdraws from both ledgers (the game ledger once no queued move needs it). */
  withdraw: () => Promise<WithdrawCreditsReturnType>;
  games: () => DefendedGame[];
  responder: Responder;
  /** Waits for running game work and queued moves. */
  idle: () => Promise<void>;
};

type Known = Omit<DefendedGame, "openedBlock"> & {
  opener: Address;
  /** Its GameOpened event's block. */
  block: bigint;
  depth: number;
  nextDeadline?: bigint;
  seenOpen: boolean;
};

export async function createDefender(p: CreateDefenderParameters): Promise<Defender> {
  const { publicClient, sender, verdict, metrics } = p;
  const log = p.logger.child({ component: "defender" });
  const game = await publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "game" });
  const log2K = log2Of(
    await publicClient.readContract({ address: game, abi: disputeGameAbi, functionName: "K" }),
  );
  const clock = createActiveClock();
  const gameMetrics = createGameMetrics({
    registry: metrics.registry,
    prefix: p.metricsPrefix,
    movesSent: metrics.movesSent,
  });
  const known = new Map<bigint, Known>();
  const refused = new Set<bigint>();
  const refusedMoves = new Set<string>();

  const responder = createResponder({
    chain: createResponderChain({ publicClient, sender, game, reserveGas: p.gasBudget }),
    logger: p.logger,
    metrics: gameMetrics,
    now: clock.now,
    gasBudget: p.gasBudget,
    onDropped: (d) => {
      // Not a race: a bug or a trace the chain disagrees with. Said once per move and error.
      if (d.race || refusedMoves.has(`${d.key}:${d.errorName}`)) return;
      refusedMoves.add(`${d.key}:${d.errorName}`);
      log.error({ move: d.key, error: d.errorName }, "the chain refused our move");
    },
  });
  const scheduler = createScheduler({
    concurrency: p.concurrency,
    now: clock.now,
    onError: (key, err) =>
      log.warn(
        { work: key, err: (err as Error).message?.split("\n")[0], retryable: isRetryableError(err) },
        "game work failed; retrying next tick",
      ),
    onLate: (key, { deadline, eta }) =>
      log.error(
        { work: key, deadline, eta },
        "capacity alarm: a game waits for a free slot past its deadline",
      ),
  });
  const player = createGamePlayer({
    role: "proposer",
    me: sender.address,
    reader: createGameTreeReader({ publicClient, game, log2K }),
    responder,
    clock,
    logger: p.logger,
    traceFor: async (g) => {
      const t = await p.traceFor(g.jobId);
      if (!t) throw new Error(`game ${g.gameId} on job ${g.jobId}, whose program we do not serve`);
      return t;
    },
  });

  function onLogs(logs: readonly Log[]) {
    for (const ev of parseEventLogs({ abi: disputeGameAbi, logs: logs as Log[], eventName: "GameOpened" })) {
      const a = ev.args;
      if (known.has(a.gameId) || !p.isOurProposal(a.proposalId)) continue;
      known.set(a.gameId, {
        id: a.gameId,
        proposalId: a.proposalId,
        jobId: a.jobId,
        opener: a.opener,
        block: ev.blockNumber ?? 0n,
        depth: Number(a.depth),
        done: false,
        seenOpen: false,
      });
      log.warn(
        { gameId: a.gameId, proposalId: a.proposalId, jobId: a.jobId, opener: a.opener },
        "game opened on our proposal",
      );
    }
  }

  async function play(g: Known) {
    let r: Awaited<ReturnType<typeof player.progress>>;
    try {
      r = await player.progress({ gameId: g.id, opener: g.opener, openedBlock: g.block });
    } catch (err) {
      if (!(err instanceof TraceDisagreementError)) throw err;
      // Our trace contradicts our own claims: never sign a move we cannot check. An operator must look.
      if (!refused.has(g.id))
        log.error({ gameId: g.id, err: err.shortMessage, details: err.details }, "refusing to move");
      refused.add(g.id);
      gameMetrics.refusedGames.set(refused.size);
      return;
    }
    g.nextDeadline = r.nextDeadline;
    if (!r.done) {
      g.seenOpen = true;
      return;
    }
    g.done = true;
    const root = r.tree.nodes.get(rootPosition(g.depth))?.status;
    // Counted only for games seen in play (a restart re-reads old games without counting them again).
    if (g.seenOpen && root === "Upheld") metrics.gamesWon.inc();
    if (g.seenOpen && root === "Defeated") metrics.gamesLost.inc();
    log.info({ gameId: g.id, root }, "game over");
  }

  async function tick() {
    const [activeNow, paused] = await publicClient.readContract({
      address: verdict,
      abi: verdictAbi,
      functionName: "clockState",
    });
    clock.observe(BigInt(activeNow), paused);
    let active = 0;
    for (const g of known.values()) {
      if (g.done) continue;
      active++;
      if (!paused) scheduler.schedule(`game:${g.id}`, () => play(g), { deadline: g.nextDeadline });
    }
    metrics.gamesActive.set(active);
  }

  async function canFinalize(proposalId: bigint, activeNow: bigint, clockSeconds: bigint): Promise<boolean> {
    const d = await publicClient.readContract({
      address: game,
      abi: disputeGameAbi,
      functionName: "disputes",
      args: [proposalId],
    });
    return canFinalizeAfter({ games: d.games, lastOpenAt: BigInt(d.lastOpenAt), activeNow, clockSeconds });
  }

  function forget(fromBlock: bigint) {
    for (const [id, g] of known)
      if (g.block >= fromBlock) {
        known.delete(id);
        refused.delete(id);
        log.warn(
          { gameId: id, block: g.block },
          "game opening reorged out; re-learning it from the new blocks",
        );
      }
  }

  return {
    game,
    onLogs,
    forget,
    tick,
    canFinalize,
    withdraw: () => withdrawCredits({ publicClient, sender, verdict, responder }),
    games: () =>
      [...known.values()].map(({ id, proposalId, jobId, done, block }) => ({
        id,
        proposalId,
        jobId,
        done,
        openedBlock: block,
      })),
    responder,
    idle: async () => {
      await scheduler.idle();
      await responder.flush();
    },
  };
}
