// The challenger's games: for every leaf we found wrong, the one game of that
// leaf — opened by us if nobody has (openGame is a move like any other: it goes
// through the responder, bonded, with the window's deadline), joined otherwise
// (a `GameExists` or a game seen in the index) — and then played by the shared
// player on our honest path until no node is left open, collecting our bonds.
// Everything is derived from the chain each tick: after a restart, games on
// proposals that settled meanwhile are found in the index and played again
// until our bonds are collected. It alerts on every wrong interior hash it sees,
// on a game lost on a leaf we dispute, on moves the chain refuses for a reason
// other than a race, and when a move cannot be sent before its clock runs out.

import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { GamePlayer } from "@verdict/shared/src/game/createGamePlayer.ts";
import type { Responder } from "@verdict/shared/src/game/createResponder.ts";
import type { Scheduler } from "@verdict/shared/src/game/createScheduler.ts";
import { TraceDisagreementError } from "@verdict/shared/src/game/errors.ts";
import { log2Len, start } from "@verdict/shared/src/game/position.ts";
import { buildResultTree, leafHash, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import type { GameTree } from "@verdict/shared/src/game/types.ts";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import type { Address, Chain, PublicClient, Transport } from "viem";
import type { Alerter } from "../alert/createAlerter.ts";
import type { ProposalChecker } from "../checker/createProposalChecker.ts";
import type { ChallengerMetrics } from "../metrics/createChallengerMetrics.ts";
import type { ChainIndex, GameRecord, ProposalRecord } from "../monitor/createChainIndex.ts";

export type CreateChallengerGamesParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  game: Address;
  me: Address;
  index: ChainIndex;
  checker: ProposalChecker;
  player: GamePlayer;
  /** undefined = watch-only: games are read and alerted on, never moved in. */
  responder: Responder | undefined;
  scheduler: Scheduler;
  alerter: Alerter;
  metrics: ChallengerMetrics;
  logger: Logger;
  /** Alert when a wrong leaf is found with less than this left of its window. Unit: seconds. */
  challengeMarginSeconds: number;
  /**
   * A game (or a wrong leaf's opening) handled at a head is handled again at the same head only
   * after this long: what it reads, and so what it decides, changes only with the chain. A safety
   * net, not a clock: moves never wait for it. Unit: milliseconds. Default 10 000.
   */
  redoAfterMs?: number;
};

export type ChallengerGames = {
  /**
   * Offers every open and every playable game to the scheduler, except those handled at `head`
   * already (when given: the chain has not moved for them since).
   */
  tick: (p: { paused: boolean; head?: bigint }) => void;
  /** A batch of ours was mined (counts openings). */
  onSent: (actions: readonly { type: string; proposalId?: bigint }[]) => void;
  counters: { gamesOpened: number; gamesWon: number; gamesLost: number };
  /** Games we play that still have open nodes. */
  active: () => number;
  /**
   * Drops what we concluded about games a reorg removed (finished, not ours, seen open): their ids
   * may come back as other games, which are judged afresh.
   */
  forget: (gameIds: readonly bigint[]) => void;
};

export function createChallengerGames(p: CreateChallengerGamesParameters): ChallengerGames {
  const { publicClient, verdict, game, me, index, checker, player, responder, scheduler, alerter, metrics } =
    p;
  const log = p.logger.child({ component: "games" });
  const counters = { gamesOpened: 0, gamesWon: 0, gamesLost: 0 };
  const done = new Set<bigint>();
  const notOurs = new Set<bigint>();
  const seenOpen = new Set<bigint>();
  const nextDeadline = new Map<bigint, bigint | undefined>();
  const redoAfterMs = p.redoAfterMs ?? 10_000;
  /** Head at which each game (`game:id`) or wrong leaf (`leaf:…`) was last handled without error. */
  const handledAt = new Map<string, { head: bigint; atMs: number }>();
  const handledSince = (key: string, head: bigint | undefined) => {
    const h = handledAt.get(key);
    return head !== undefined && h !== undefined && h.head === head && Date.now() - h.atMs < redoAfterMs;
  };
  /** `fn`, remembering its success at `head`; a failure leaves the key to be handled again. */
  const recorded = (key: string, head: bigint | undefined, fn: () => Promise<void>) => async () => {
    await fn();
    if (head !== undefined) handledAt.set(key, { head, atMs: Date.now() });
  };
  const alerted = new Set<string>();
  const once = (key: string) => {
    if (alerted.has(key)) return false;
    alerted.add(key);
    return true;
  };

  async function joinOrOpen(prop: ProposalRecord, leafIndex: number, leaf: ResultLeaf) {
    if (!responder) return;
    const blockNumber = await publicClient.getBlockNumber({ cacheTime: 0 });
    const existing = await publicClient.readContract({
      address: game,
      abi: disputeGameAbi,
      functionName: "gameOf",
      args: [prop.proposalId, leafHash(leaf)],
      blockNumber,
    });
    if (existing !== 0n) {
      // Joined: learn its opening now (the index lags by the confirmation depth).
      const logs = await publicClient.getContractEvents({
        address: game,
        abi: disputeGameAbi,
        eventName: "GameOpened",
        args: { gameId: existing },
        fromBlock: prop.block,
        toBlock: blockNumber,
      });
      index.apply(logs);
      return;
    }
    const [onchain, now] = await Promise.all([
      publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "getProposal",
        args: [prop.proposalId],
        blockNumber,
      }),
      publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "activeNow",
        blockNumber,
      }),
    ]);
    if (Number(onchain.status) !== 1) return;
    const left = BigInt(onchain.deadline) - BigInt(now);
    if (left <= 0n) {
      if (once(`late:${prop.proposalId}:${leafIndex}`))
        alerter.alert({
          kind: "late_challenge",
          key: `late:${prop.proposalId}:${leafIndex}`,
          message: `proposal ${prop.proposalId}: challenge window closed before we could open a game on job ${leaf.jobId}`,
          data: { proposalId: prop.proposalId, jobId: leaf.jobId },
        });
      return;
    }
    if (left < BigInt(p.challengeMarginSeconds) && once(`margin:${prop.proposalId}:${leafIndex}`))
      alerter.alert({
        kind: "late_challenge",
        key: `margin:${prop.proposalId}:${leafIndex}`,
        message: `proposal ${prop.proposalId}: only ${left}s of the challenge window left for job ${leaf.jobId}`,
        data: { proposalId: prop.proposalId, jobId: leaf.jobId, windowLeftSeconds: left },
      });
    responder.submit(`open:${prop.proposalId}:${leafIndex}`, blockNumber, [
      {
        type: "openGame",
        proposalId: prop.proposalId,
        leaf,
        proof: buildResultTree(prop.leaves).proof(leafIndex),
        deadline: BigInt(onchain.deadline),
        bond: BigInt(onchain.claimBond),
      },
    ]);
  }

  const participated = (tree: GameTree) =>
    [...tree.nodes.values()].some((n) => n.challenger.toLowerCase() === me.toLowerCase());

  function report(g: GameRecord, tree: GameTree) {
    const root = tree.nodes.get(BigInt(g.depth));
    if (!root) return;
    if (root.status === "Upheld") {
      if (seenOpen.has(g.gameId) && participated(tree)) {
        counters.gamesLost++;
        metrics.gamesLost.inc();
      }
      if (once(`lost:${g.gameId}`))
        alerter.alert({
          kind: "game_lost",
          key: `game_lost:${g.gameId}`,
          message: `game ${g.gameId} on proposal ${g.proposalId}: the wrong leaf of job ${g.jobId} was upheld`,
          data: { gameId: g.gameId, proposalId: g.proposalId, jobId: g.jobId, claimed: g.endHash },
        });
    } else if (root.status === "Defeated" && seenOpen.has(g.gameId) && participated(tree)) {
      counters.gamesWon++;
      metrics.gamesWon.inc();
      log.info({ game: g.gameId.toString(), proposal: g.proposalId.toString() }, "game won");
    }
  }

  async function playOne(g: GameRecord) {
    // A reorg may have taken the opening away (the index forgot it); the new chain decides.
    if (index.games.get(g.gameId) !== g) return;
    const prop = index.proposals.get(g.proposalId);
    if (!prop) return; // proposed before our start block: we cannot know its leaves
    const v = await checker.verdictOf(prop, { jobId: g.jobId, finalStateHash: g.endHash });
    if (v.outcome !== "wrong") {
      // A leaf we agree with (or cannot check): the proposer defends it, not us.
      notOurs.add(g.gameId);
      return;
    }
    let r: Awaited<ReturnType<GamePlayer["progress"]>>;
    try {
      r = await player.progress({ gameId: g.gameId, opener: g.opener, openedBlock: g.block });
    } catch (err) {
      if (!(err instanceof TraceDisagreementError)) throw err;
      if (once(`refuse:${g.gameId}`))
        alerter.alert({
          kind: "refused_move",
          key: `refused_move:${g.gameId}`,
          message: `game ${g.gameId}: refusing to move, our recomputation contradicts the game`,
          data: {
            gameId: g.gameId,
            proposalId: g.proposalId,
            jobId: g.jobId,
            reason: err.shortMessage,
            details: err.details,
          },
        });
      return;
    }
    nextDeadline.set(g.gameId, r.nextDeadline);
    // One alert per game (a game is one wrong leaf): the proposer's later
    // rounds are wrong for the same reason and are only logged.
    for (const w of r.wrongClaims)
      if (
        once(`dissection:${g.gameId}:${w.node}:${w.at}`) &&
        !alerter.alert({
          kind: "wrong_dissection",
          key: `wrong_dissection:${g.gameId}`,
          message: `game ${g.gameId}: the proposer's hash at step ${w.at} (dissection of [${start(w.node)}, +2^${log2Len(w.node)}]) is wrong`,
          data: {
            gameId: g.gameId,
            proposalId: g.proposalId,
            jobId: g.jobId,
            at: w.at,
            claimed: w.claimed,
            ours: w.ours,
          },
        })
      )
        log.info(
          { game: g.gameId.toString(), at: w.at.toString(), claimed: w.claimed, ours: w.ours },
          "another wrong dissection hash in a game already alerted",
        );
    if (r.stalled && once(`stalled:${g.gameId}:${r.stalled}`))
      log.warn({ game: g.gameId.toString(), why: r.stalled }, "our path cannot go on");
    if (!r.done) {
      seenOpen.add(g.gameId);
      return;
    }
    done.add(g.gameId);
    nextDeadline.delete(g.gameId);
    report(g, r.tree);
  }

  function tick({ paused, head }: { paused: boolean; head?: bigint }) {
    // 1. Every wrong leaf of a pending proposal gets its game (ours or joined).
    for (const prop of index.proposals.values()) {
      if (prop.settled) continue;
      for (const [i, v] of checker.verdicts(prop.proposalId)) {
        const key = `leaf:${prop.proposalId}:${i}`;
        if (v.outcome !== "wrong" || index.gameOfLeaf(prop.proposalId, v.leaf)) {
          handledAt.delete(key);
          continue;
        }
        if (!responder || paused || handledSince(key, head)) continue;
        scheduler.schedule(
          key,
          recorded(key, head, () => joinOrOpen(prop, i, v.leaf)),
          {
            deadline: prop.deadline,
          },
        );
      }
    }
    // 2. Every game not finished is played (a paused protocol freezes clocks and refuses moves).
    let active = 0;
    for (const g of index.games.values()) {
      if (done.has(g.gameId) || notOurs.has(g.gameId)) {
        handledAt.delete(`game:${g.gameId}`);
        continue;
      }
      // Resolved before we ever looked (a restart): every node is resolved too, unless refunds are pending.
      if (g.root && g.root !== "Refunded" && !seenOpen.has(g.gameId)) {
        done.add(g.gameId);
        continue;
      }
      active++;
      const key = `game:${g.gameId}`;
      if (!paused && !handledSince(key, head))
        scheduler.schedule(
          key,
          recorded(key, head, () => playOne(g)),
          { deadline: nextDeadline.get(g.gameId) },
        );
    }
    metrics.gamesActive.set(active);
  }

  function onSent(actions: readonly { type: string; proposalId?: bigint }[]) {
    for (const a of actions) {
      if (a.type !== "openGame" || a.proposalId === undefined) continue;
      counters.gamesOpened++;
      metrics.gamesOpened.inc();
      const prop = index.proposals.get(a.proposalId);
      if (prop) metrics.timeToChallengeSeconds.observe((Date.now() - prop.seenAtMs) / 1000);
      log.info({ proposal: a.proposalId.toString() }, "game opened");
    }
  }

  function forget(gameIds: readonly bigint[]) {
    for (const id of gameIds) {
      handledAt.delete(`game:${id}`);
      done.delete(id);
      notOurs.delete(id);
      seenOpen.delete(id);
      nextDeadline.delete(id);
    }
  }

  return {
    tick,
    onSent,
    forget,
    counters,
    active: () =>
      [...index.games.values()].filter((g) => !done.has(g.gameId) && !notOurs.has(g.gameId)).length,
  };
}
