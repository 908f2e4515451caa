// The watchtower, wired: monitor → index → scheduler → player → solver →
// responder. The shared block monitor hands confirmed ranges of Verdict and
// DisputeGame logs to the chain index (jobs, proposals, games); every tick the
// challenger offers work to its schedulers: recompute the leaves of each
// pending proposal (worker pool, alert on every wrong one), open or join the
// game of each wrong leaf, play every such game on our honest path (the
// player reads the tree, the pure solver derives the moves, the responder
// batches every game's moves into multicalls, most urgent first), and
// withdraw from both ledgers. Everything is derived from the chain, so a
// restart (or a reorg) loses nothing: the index is rebuilt by backfill and
// games are re-read each tick. What the counters already counted is the one
// thing kept on disk (createCountedLedger), so a restart counts nothing twice.

import { tmpdir } from "node:os";
import { join } from "node:path";
import { disputeGameAbi, programRegistryAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { isRetryableError, rpcErrorKind } from "@verdict/shared/src/chain/classifyError.ts";
import { createBlockMonitor } from "@verdict/shared/src/chain/createBlockMonitor.ts";
import type { TxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { createActiveClock } from "@verdict/shared/src/game/createActiveClock.ts";
import { createGameMetrics } from "@verdict/shared/src/game/createGameMetrics.ts";
import { createGamePlayer } from "@verdict/shared/src/game/createGamePlayer.ts";
import { createGameTreeReader } from "@verdict/shared/src/game/createGameTreeReader.ts";
import { createResponder, type Responder } from "@verdict/shared/src/game/createResponder.ts";
import { createResponderChain } from "@verdict/shared/src/game/createResponderChain.ts";
import { createScheduler } from "@verdict/shared/src/game/createScheduler.ts";
import { GameError } from "@verdict/shared/src/game/errors.ts";
import { log2Of } from "@verdict/shared/src/game/position.ts";
import { withdrawCredits } from "@verdict/shared/src/game/withdrawCredits.ts";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import { observeAccount } from "@verdict/shared/src/metrics/observeAccount.ts";
import type { Address, Chain, Hex, PublicClient, Transport } from "viem";
import type { Alerter } from "./alert/createAlerter.ts";
import type { OnchainProgram } from "./checker/checkLeaf.ts";
import { createProposalChecker } from "./checker/createProposalChecker.ts";
import { createChallengerGames } from "./games/createChallengerGames.ts";
import type { ChallengerMetrics } from "./metrics/createChallengerMetrics.ts";
import { createCountedLedger } from "./metrics/createCountedLedger.ts";
import { createChainIndex, type ProposalRecord } from "./monitor/createChainIndex.ts";
import type { ProgramImages } from "./programs/loadProgramImages.ts";
import type { TraceSource } from "./trace/createTraceSource.ts";

/**
 * Reads whose answers depend only on the chain (the protocol's clock, our balance, a game's tree)
 * are redone at an unchanged head only after this long: a safety net, never on a move's path.
 * Unit: milliseconds.
 */
const REDO_AFTER_MS = 10_000;

export type CreateChallengerParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  /** Our address: the nodes we challenged are ours to collect. */
  account: Address;
  /** Signs and sends our transactions; undefined = watch-only (alerts, no transactions). */
  sender: TxSender | undefined;
  programs: ProgramImages;
  traces: TraceSource;
  alerter: Alerter;
  metrics: ChallengerMetrics;
  logger: Logger;
  fromBlock: bigint;
  confirmations: number;
  pollMs: number;
  /** Games (and openings) progressed at once. */
  maxGames: number;
  /** Concurrent leaf checks (each waits for the worker pool). */
  maxChecks?: number;
  /** Steps per second one check slot is assumed to run until a check has been timed (capacity alarm). */
  assumedStepsPerSecond?: number;
  /** The operator's cap on D per program root (--max-depth); jobs above it are reported, not run. */
  depthCap?: (programRoot: Hex) => number;
  challengeMarginSeconds: number;
  /** Gas one multicall of moves may use. Unit: gas. */
  gasBudget?: bigint;
  /**
   * Where what the counters counted is kept across restarts (counted/<verdict>-<account>.json);
   * null = in memory only. Default: verdict-challenger-cache-<chain id> in the OS temp directory,
   * the default --cache-dir (the alert keys live there too).
   */
  stateDir?: string | null;
};

export type ChallengerStatus = {
  proposalsSeen: number;
  proposalsChecked: number;
  wrongLeaves: number;
  gamesOpened: number;
  activeGames: number;
  gamesWon: number;
  gamesLost: number;
  /** Moves waiting in the responder's queue. */
  queuedMoves: number;
};

export type Challenger = {
  run: (signal: AbortSignal) => Promise<void>;
  /** One poll (tests drive the daemon with it). */
  tick: () => Promise<void>;
  status: () => ChallengerStatus;
  /** Waits for in-flight checks, games and moves (tests, shutdown). */
  idle: () => Promise<void>;
};

export async function createChallenger(p: CreateChallengerParameters): Promise<Challenger> {
  const { publicClient, verdict, account, sender, programs, traces, alerter, metrics, logger } = p;
  const log = logger.child({ component: "challenger" });
  const [game, registry] = await Promise.all([
    publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "game" }),
    publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "registry" }),
  ]);
  const log2K = log2Of(
    await publicClient.readContract({ address: game, abi: disputeGameAbi, functionName: "K" }),
  );
  const index = createChainIndex({ me: account, game });
  const stateDir =
    p.stateDir === undefined
      ? join(tmpdir(), `verdict-challenger-cache-${publicClient.chain.id}`)
      : p.stateDir;
  const counted = await createCountedLedger({
    file:
      stateDir === null
        ? undefined
        : join(stateDir, "counted", `${verdict.toLowerCase()}-${account.toLowerCase()}.json`),
    blockHash: async (blockNumber) => {
      try {
        return (await publicClient.getBlock({ blockNumber })).hash ?? undefined;
      } catch (err) {
        if ((err as Error).name === "BlockNotFoundError") return undefined;
        throw err;
      }
    },
    logger,
  });
  const clock = createActiveClock();
  const gameMetrics = createGameMetrics({
    registry: metrics.registry,
    prefix: "verdict_challenger_",
    movesSent: metrics.movesSent,
  });
  let withdrawDue = true;
  const refusedMoves = new Set<string>();

  function onTaskError(kind: string, key: string, err: unknown) {
    const retryable = isRetryableError(err);
    if (retryable) metrics.rpcErrors.inc({ kind: rpcErrorKind(err) });
    const e = err as { shortMessage?: string; message?: string };
    log[retryable ? "warn" : "error"](
      { task: kind, work: key, err: e.shortMessage ?? e.message?.split("\n")[0] },
      `${kind} task failed; retrying next tick`,
    );
  }

  // Checks: one queue ordered by each proposal's window, never dropping; each check's cost is the
  // machine steps its leaves are expected to take, so the capacity alarm compares steps queued with
  // the measured steps per second and fires as soon as a window cannot be met.
  const checks = createScheduler({
    concurrency: p.maxChecks ?? 4,
    now: clock.now,
    unitsPerSecond: p.assumedStepsPerSecond ?? 50_000_000,
    onError: (key, err) => onTaskError("check", key, err),
    onLate: (key, { deadline, eta, shortfall, queued }) => {
      metrics.capacityAlarms.inc();
      if (Number(shortfall) > shortfallSeconds) shortfallSeconds = Number(shortfall);
      metrics.capacityShortfall.set(shortfallSeconds);
      const proposalId = key.slice("proposal:".length);
      alerter.alert({
        kind: "capacity_shortfall",
        message: `proposal ${proposalId} cannot be checked before its window closes: short by ${shortfall} s at the measured throughput (add workers or raise --max-checks)`,
        data: { proposalId, deadline, eta, shortfallSeconds: shortfall, queuedChecks: queued },
      });
    },
  });
  let shortfallSeconds = 0;
  /** Largest step count seen per program id (from recomputations): the cost model of a check. */
  const observedSteps = new Map<bigint, number>();
  /** Bumped whenever observedSteps changes: a check's cost is recomputed only then or when verdicts arrive. */
  let stepsVersion = 0;
  const costs = new Map<bigint, { stepsVersion: number; verdicts: number; steps: number }>();
  const work = createScheduler({
    concurrency: p.maxGames,
    now: clock.now,
    onError: (key, err) => onTaskError("game", key, err),
    onLate: (key, { deadline, eta, queued }) =>
      alerter.alert({
        kind: "deadline_at_risk",
        message: `${key} waits for a free slot past its deadline (raise --game-concurrency)`,
        data: { work: key, deadline, eta, queued },
      }),
  });

  const programCache = new Map<bigint, Promise<OnchainProgram>>();
  function program(programId: bigint): Promise<OnchainProgram> {
    let hit = programCache.get(programId);
    if (!hit) {
      hit = publicClient
        .readContract({
          address: registry,
          abi: programRegistryAbi,
          functionName: "getProgram",
          args: [programId],
        })
        .then((pr) => ({ programRoot: pr.programRoot, entry: Number(pr.entry), depth: Number(pr.depth) }));
      hit.catch(() => programCache.delete(programId));
      programCache.set(programId, hit);
    }
    return hit;
  }

  const checker = createProposalChecker({
    proposalStatus: async (proposalId) => {
      const [onchain, activeNow] = await Promise.all([
        publicClient.readContract({
          address: verdict,
          abi: verdictAbi,
          functionName: "getProposal",
          args: [proposalId],
        }),
        publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "activeNow" }),
      ]);
      // ProposalStatus.None = 0 (not on this node's chain), Pending = 1.
      const status = Number(onchain.status);
      return { pending: status === 1, missing: status === 0, activeNow: BigInt(activeNow) };
    },
    index,
    program,
    programs,
    // Every recomputation teaches the cost model how many steps its program takes.
    traces: {
      ...traces,
      recompute: async (job) => {
        const r = await traces.recompute(job);
        const programId = index.jobs.get(job.jobId)?.programId;
        if (programId !== undefined && Number(r.steps) > (observedSteps.get(programId) ?? -1)) {
          observedSteps.set(programId, Number(r.steps));
          stepsVersion++;
        }
        return r;
      },
    },
    depthCap: p.depthCap,
    alerter,
    metrics,
    counted,
    logger,
  });

  /**
   * Machine steps a proposal's check is expected to take: per leaf, the most steps its program took
   * before, or 2^D for a program not run yet (the budget bound; the capacity alarm errs early).
   */
  async function checkCost(prop: ProposalRecord): Promise<number> {
    const known = checker.verdicts(prop.proposalId);
    const memo = costs.get(prop.proposalId);
    if (memo && memo.stepsVersion === stepsVersion && memo.verdicts === known.size) return memo.steps;
    const at = { stepsVersion, verdicts: known.size };
    let steps = 0;
    let complete = true;
    for (const [i, leaf] of prop.leaves.entries()) {
      if (known.has(i)) continue;
      const job = index.jobs.get(leaf.jobId);
      if (!job) continue;
      const seen = observedSteps.get(job.programId);
      if (seen !== undefined) {
        steps += seen;
        continue;
      }
      const pr = await program(job.programId).catch(() => undefined);
      if (!pr) complete = false; // unknown for now: not remembered
      // A job above the operator's cap is reported, not run: it costs nothing here.
      if (pr && !(p.depthCap && pr.depth > p.depthCap(pr.programRoot))) steps += 2 ** pr.depth;
    }
    if (complete) costs.set(prop.proposalId, { ...at, steps });
    return steps;
  }

  let games: ReturnType<typeof createChallengerGames> | undefined;
  const responder: Responder | undefined = sender
    ? createResponder({
        chain: createResponderChain({ publicClient, sender, game, reserveGas: p.gasBudget }),
        logger,
        metrics: gameMetrics,
        now: clock.now,
        gasBudget: p.gasBudget,
        onSent: (actions) => {
          withdrawDue = true;
          games?.onSent(actions);
        },
        onAlarm: (late) =>
          alerter.alert({
            kind: "deadline_at_risk",
            message: `${late.length} move(s) cannot be sent before their clock runs out at the measured rate`,
            data: { moves: late.map((l) => ({ move: l.key, deadline: l.action.deadline, eta: l.eta })) },
          }),
        onDropped: (d) => {
          if (d.race || refusedMoves.has(`${d.key}:${d.errorName}`)) return;
          refusedMoves.add(`${d.key}:${d.errorName}`);
          alerter.alert({
            kind: "move_failed",
            message: `the chain refused our ${d.action.type} (${d.errorName})`,
            data: { move: d.key, error: d.errorName },
          });
        },
      })
    : undefined;

  async function traceOf(jobId: bigint) {
    const job = index.jobs.get(jobId);
    if (!job) throw new GameError(`job ${jobId}: no JobSubmitted event in our range, cannot play its game`);
    const pr = await program(job.programId);
    const local = programs.find(pr.programRoot, pr.entry);
    if (!local) throw new GameError(`job ${jobId}: no local program image, cannot play its game`);
    return traces.trace({ jobId, image: local.image, input: job.input, depth: pr.depth });
  }

  const player = createGamePlayer({
    role: "challenger",
    me: account,
    reader: createGameTreeReader({ publicClient, game, log2K }),
    responder,
    clock,
    logger,
    traceFor: (g) => traceOf(g.jobId),
  });
  games = createChallengerGames({
    publicClient,
    verdict,
    game,
    me: account,
    index,
    checker,
    player,
    responder,
    scheduler: work,
    alerter,
    metrics,
    logger,
    challengeMarginSeconds: p.challengeMarginSeconds,
    redoAfterMs: REDO_AFTER_MS,
  });
  const g = games;

  async function onRange({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) {
    const logs = await publicClient.getLogs({ address: [verdict, game], fromBlock, toBlock });
    // The range is the truth for its blocks. A game joinOrOpen learned ahead of the monitor sits
    // in blocks the monitor never handled, so a reorg of them fires no rewind: drop such
    // provisional records here, or a game dropped with its block stays "open" and its leaf is
    // never opened again. A game still on the chain comes back with these logs (or a later range).
    g.forget(index.forget(fromBlock).games);
    const { newProposals, credited } = index.apply(logs);
    for (const prop of newProposals)
      log.info(
        { proposal: prop.proposalId.toString(), proposer: prop.proposer, leaves: prop.leaves.length },
        "proposal seen",
      );
    for (const c of credited) {
      // A credit in a block a previous run counted through was counted then.
      if (counted.uncounted(c.block)) metrics.bondsWonWei.inc(Number(c.amount));
      withdrawDue = true;
    }
    // A proposal out of Pending is never checked again: its check keys can go.
    counted.prune((id) => index.proposals.get(id)?.settled !== undefined);
    // The newest block with our logs anchors the record to this chain (checked on the next start).
    let anchor: { block: bigint; hash: Hex } | undefined;
    for (const l of logs)
      if (l.blockNumber !== null && l.blockHash !== null && (!anchor || l.blockNumber > anchor.block))
        anchor = { block: l.blockNumber, hash: l.blockHash };
    counted.countedThrough(toBlock, anchor);
  }

  /** Last successful read of the protocol's clock and our balance: the head it was read at. */
  let chainRead: { head: bigint; atMs: number } | undefined;
  let paused = false;

  async function onTick(head: bigint, changed: boolean) {
    // What the chain says changes only with the chain: read it again on a new head (and, as a
    // safety net, every REDO_AFTER_MS); the active clock projects time in between.
    if (changed) chainRead = undefined;
    if (!chainRead || chainRead.head !== head || Date.now() - chainRead.atMs >= REDO_AFTER_MS) {
      const [activeNow, isPaused] = await publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "clockState",
      });
      paused = isPaused;
      clock.observe(BigInt(activeNow), paused);
      metrics.protocolPaused.set(paused ? 1 : 0);
      // Balance against the next claim bond, for the alert that fires before a challenge is missed.
      if (sender)
        await observeAccount({ publicClient, verdict, account, bond: "claimBond", metrics }).catch((err) =>
          log.debug({ err: (err as Error).message.split("\n")[0] }, "account balance not read"),
        );
      chainRead = { head, atMs: Date.now() };
    }
    // 1. Check every pending proposal's leaves.
    let waiting = false;
    for (const prop of index.proposals.values())
      if (!prop.settled && !checker.done(prop.proposalId)) {
        waiting = true;
        checks.schedule(`proposal:${prop.proposalId}`, () => checker.check(prop), {
          deadline: BigInt(prop.deadline),
          cost: await checkCost(prop),
        });
      } else costs.delete(prop.proposalId);
    if (!waiting && shortfallSeconds > 0) {
      shortfallSeconds = 0;
      metrics.capacityShortfall.set(0);
    }
    metrics.pendingChecks.set(checker.pending());
    metrics.checkStepsPerSecond.set(checks.throughput().unitsPerSecond ?? 0);
    // 2. Open, join and play games.
    g.tick({ paused, head });
    // 3. Collect from both ledgers (as a task: a slow receipt must not hold up the games).
    if (withdrawDue && sender && responder && !paused) {
      // A request while a withdrawal runs must not be lost: that run may have read the credit
      // before the new one landed. Clear the flag only when this request is taken.
      const taken = work.schedule("withdraw", async () => {
        try {
          const w = await withdrawCredits({ publicClient, sender, verdict, responder });
          const total = w.verdict + w.game;
          if (total > 0n) {
            metrics.withdrawnWei.inc(Number(total));
            log.info({ verdict: w.verdict.toString(), game: w.game.toString() }, "credit withdrawn");
          }
          if (responder.needsCredit()) withdrawDue = true; // the game ledger waits for the queue
        } catch (err) {
          withdrawDue = true;
          throw err;
        }
      });
      if (taken !== "running") withdrawDue = false;
    }
  }

  const monitor = createBlockMonitor({
    publicClient,
    fromBlock: p.fromBlock,
    confirmations: p.confirmations,
    onRange,
    // What the replaced blocks carried (a game we opened, a proposal) may be gone.
    onRewind: (fromBlock) => g.forget(index.forget(fromBlock).games),
    onTick: async (head, { changed }) => {
      try {
        await onTick(head, changed);
      } catch (err) {
        // A failed tick is retried on the next one: the daemon must outlive any one bad read.
        onTaskError("tick", "tick", err);
      }
    },
    logger,
    metrics,
    pollMs: p.pollMs,
  });

  const idle = async () => {
    await Promise.all([checks.idle(), work.idle(), responder?.flush()]);
  };

  return {
    run: async (signal) => {
      log.info(
        {
          verdict,
          game,
          account,
          watchOnly: !sender,
          programs: programs.list.length,
          fromBlock: p.fromBlock.toString(),
        },
        "challenger started",
      );
      try {
        await monitor.run(signal);
      } finally {
        await idle();
      }
    },
    tick: async () => {
      await monitor.tick();
    },
    idle,
    status: () => ({
      proposalsSeen: index.proposals.size,
      proposalsChecked: checker.counters.proposalsChecked,
      wrongLeaves: checker.counters.wrongLeaves,
      gamesOpened: g.counters.gamesOpened,
      activeGames: g.active(),
      gamesWon: g.counters.gamesWon,
      gamesLost: g.counters.gamesLost,
      queuedMoves: responder?.pending().length ?? 0,
    }),
  };
}
