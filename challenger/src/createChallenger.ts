// The watchtower, wired: the shared block monitor hands confirmed ranges to
// the chain index (jobs, proposals, games); every tick the challenger offers
// work to bounded schedulers: recompute the leaves of each pending proposal
// (worker pool), open a game on each wrong leaf it has no game on yet, play
// each of its games one move at a time, and withdraw what it has won.
// Everything is derived from the chain, so a restart (or a reorg) loses
// nothing: the index is rebuilt by backfill and games are re-read each tick.

import { programRegistryAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { isRetryableError, rpcErrorKind } from "@verdict/shared/src/chain/classifyError.ts";
import { createBlockMonitor } from "@verdict/shared/src/chain/createBlockMonitor.ts";
import { createGamePlayer, type GamePlayer } from "@verdict/shared/src/game/createGamePlayer.ts";
import { createScheduler } from "@verdict/shared/src/game/createScheduler.ts";
import { GameError } from "@verdict/shared/src/game/errors.ts";
import { interiorPositions, log2Len, log2Of, start } from "@verdict/shared/src/game/position.ts";
import { buildResultTree } from "@verdict/shared/src/game/resultTree.ts";
import type { GameView } from "@verdict/shared/src/game/types.ts";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import type { MachineTraceProvider } from "@verdict/shared/src/machine/trace.ts";
import { Counter } from "prom-client";
import type { Address, Chain, PublicClient, Transport } from "viem";
import type { Alerter } from "./alert/createAlerter.ts";
import { checkLeaf, type LeafVerdict, type OnchainProgram } from "./checker/checkLeaf.ts";
import type { ChallengerMetrics } from "./metrics/createChallengerMetrics.ts";
import { createChainIndex, type GameRecord, type ProposalRecord } from "./monitor/createChainIndex.ts";
import type { ProgramImages } from "./programs/loadProgramImages.ts";
import type { Responder } from "./responder/createResponder.ts";
import type { JobSpec, TraceSource } from "./trace/createTraceSource.ts";

export type CreateChallengerParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  /** Our address: games we opened are ours to play. */
  account: Address;
  /** undefined = watch-only (alerts, no transactions). */
  responder: Responder | undefined;
  programs: ProgramImages;
  traces: TraceSource;
  alerter: Alerter;
  metrics: ChallengerMetrics;
  logger: Logger;
  fromBlock: bigint;
  confirmations: number;
  pollMs: number;
  maxGames: number;
  /** Concurrent leaf checks (each waits for the worker pool). */
  maxChecks?: number;
  challengeMarginSeconds: number;
};

export type ChallengerStatus = {
  proposalsSeen: number;
  proposalsChecked: number;
  wrongLeaves: number;
  gamesOpened: number;
  activeGames: number;
  gamesWon: number;
  gamesLost: number;
};

export type Challenger = {
  run: (signal: AbortSignal) => Promise<void>;
  /** One poll (tests drive the daemon with it). */
  tick: () => Promise<void>;
  status: () => ChallengerStatus;
  /** Waits for in-flight checks and moves (tests, shutdown). */
  idle: () => Promise<void>;
};

type ProposalState = {
  /** Per leaf index: the verdict once known. */
  verdicts: Map<number, LeafVerdict>;
  done: boolean;
};

function unregistered() {
  return new Counter({ name: "unregistered", help: "not exported", registers: [] });
}

export function createChallenger(p: CreateChallengerParameters): Challenger {
  const { publicClient, verdict, account, responder, programs, traces, alerter, metrics, logger } = p;
  const log = logger.child({ component: "challenger" });
  const index = createChainIndex();
  const checks = createScheduler({
    concurrency: p.maxChecks ?? 4,
    onError: (key, err) => onTaskError("check", key, err),
  });
  const plays = createScheduler({
    concurrency: p.maxGames,
    onError: (key, err) => onTaskError("game", key, err),
  });
  const opens = createScheduler({ concurrency: 4, onError: (key, err) => onTaskError("open", key, err) });
  const proposalState = new Map<bigint, ProposalState>();
  const programCache = new Map<bigint, Promise<OnchainProgram>>();
  const alerted = new Set<string>();
  const counters = { proposalsChecked: 0, wrongLeaves: 0, gamesOpened: 0, gamesWon: 0, gamesLost: 0 };
  let log2K: number | undefined;
  let registry: Address | undefined;
  let withdrawDue = true;
  let stopping = false;
  const player: GamePlayer | undefined = responder
    ? createGamePlayer({
        role: "challenger",
        publicClient,
        sender: responder.sender,
        verdict,
        abi: verdictAbi,
        logger,
        // Wins and losses are counted from GameResolved events (settleGame), once.
        metrics: {
          movesSent: metrics.movesSent,
          clockRemainingSeconds: metrics.clockRemainingSeconds,
          gamesWon: unregistered(),
          gamesLost: unregistered(),
        },
        traceFor: (record) => traceOf(BigInt(record.jobId)),
        fromBlock: p.fromBlock,
      })
    : undefined;
  const me = account.toLowerCase();

  function onTaskError(kind: string, key: string, err: unknown) {
    const retryable = isRetryableError(err);
    if (retryable) metrics.rpcErrors.inc({ kind: rpcErrorKind(err) });
    const e = err as { shortMessage?: string; message?: string };
    log[retryable ? "warn" : "error"](
      { task: kind, key, err: e.shortMessage ?? e.message?.split("\n")[0] },
      `${kind} task failed; retrying next tick`,
    );
  }

  async function ensureConstants() {
    if (log2K === undefined)
      log2K = log2Of(
        await publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "K" }),
      );
    if (registry === undefined)
      registry = await publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "registry",
      });
  }

  function program(programId: bigint): Promise<OnchainProgram> {
    let hit = programCache.get(programId);
    if (!hit) {
      hit = publicClient
        .readContract({
          address: registry as Address,
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

  function jobSpecOf(jobId: bigint): Promise<JobSpec | undefined> {
    const job = index.jobs.get(jobId);
    if (!job) return Promise.resolve(undefined);
    return program(job.programId).then((pr) => {
      const local = programs.find(pr.programRoot, pr.entry);
      return local ? { jobId, image: local.image, input: job.input, depth: pr.depth } : undefined;
    });
  }

  const isMine = (g: GameRecord) => g.challenger.toLowerCase() === me;
  const lostOnTime = (g: GameRecord | undefined) =>
    !!g?.resolved &&
    "resolution" in g.resolved &&
    g.resolved.resolution === 1 &&
    g.resolved.winner.toLowerCase() !== me;

  async function checkProposal(prop: ProposalRecord, st: ProposalState) {
    const [onchain, now] = await Promise.all([
      publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "getProposal",
        args: [prop.proposalId],
      }),
      publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "activeNow" }),
    ]);
    // ProposalStatus.Pending = 1: anything else cannot be challenged any more.
    if (Number(onchain.status) !== 1) {
      st.done = true;
      return;
    }
    const results = await Promise.all(
      prop.leaves.map(async (leaf, i) => {
        // Verdicts are final: the programs we hold and the jobs' inputs never change.
        const known = st.verdicts.get(i);
        if (known) return known;
        const t0 = performance.now();
        const v = await checkLeaf({
          leaf,
          jobCount: prop.jobCount,
          job: index.jobs.get(leaf.jobId),
          program,
          programs,
          traces,
        });
        if (v.outcome === "correct" || v.outcome === "wrong")
          metrics.recomputeSeconds.observe((performance.now() - t0) / 1000);
        metrics.leavesChecked.inc({ outcome: v.outcome === "unknown" ? "unknown_program" : v.outcome });
        st.verdicts.set(i, v);
        if (v.outcome === "wrong") {
          counters.wrongLeaves++;
          metrics.wrongLeaves.inc();
          const leftSeconds = BigInt(prop.deadline) - BigInt(now);
          alerter.alert({
            kind: "wrong_leaf",
            message: `proposal ${prop.proposalId} by ${prop.proposer} claims a wrong result for job ${leaf.jobId}`,
            data: {
              proposalId: prop.proposalId,
              proposer: prop.proposer,
              jobId: leaf.jobId,
              claimed: leaf.finalStateHash,
              ours: v.ours,
              windowLeftSeconds: leftSeconds,
            },
          });
        } else if (v.outcome === "unknown") {
          log.warn(
            { proposal: prop.proposalId.toString(), job: leaf.jobId.toString(), reason: v.reason },
            "cannot check leaf",
          );
        }
        return v;
      }),
    );
    if (!st.done) {
      counters.proposalsChecked++;
      metrics.proposalsChecked.inc();
      const wrong = results.filter((v) => v.outcome === "wrong").length;
      const unknown = results.filter((v) => v.outcome === "unknown").length;
      log.info(
        { proposal: prop.proposalId.toString(), leaves: results.length, wrong, unchecked: unknown },
        wrong
          ? "proposal has wrong results"
          : unknown
            ? "proposal checked: no wrong result among those we can recompute"
            : "proposal checked: all results correct",
      );
    }
    st.done = true;
  }

  async function openGameOn(prop: ProposalRecord, leafIndex: number) {
    if (!responder) return;
    const leaf = prop.leaves[leafIndex];
    // Authoritative check at the head (the index lags by `confirmations`): do we already have a game on this leaf?
    const opened = await publicClient.getContractEvents({
      address: verdict,
      abi: verdictAbi,
      eventName: "GameOpened",
      args: { proposalId: prop.proposalId, jobId: leaf.jobId },
      fromBlock: prop.block,
      toBlock: "latest",
    });
    if (
      opened.some(
        (l) =>
          l.args.challenger?.toLowerCase() === me &&
          l.args.endHash?.toLowerCase() === leaf.finalStateHash.toLowerCase() &&
          !lostOnTime(index.games.get(l.args.gameId as bigint)),
      )
    )
      return;
    const [onchain, now, params] = await Promise.all([
      publicClient.readContract({
        address: verdict,
        abi: verdictAbi,
        functionName: "getProposal",
        args: [prop.proposalId],
      }),
      publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "activeNow" }),
      publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "params" }),
    ]);
    if (Number(onchain.status) !== 1) return;
    const left = BigInt(onchain.deadline) - BigInt(now);
    if (left <= 0n) {
      alerter.alert({
        kind: "late_challenge",
        message: `proposal ${prop.proposalId}: challenge window closed before we could open a game on job ${leaf.jobId}`,
        data: { proposalId: prop.proposalId, jobId: leaf.jobId },
      });
      return;
    }
    if (left < BigInt(p.challengeMarginSeconds))
      alerter.alert({
        kind: "late_challenge",
        message: `proposal ${prop.proposalId}: only ${left}s of the challenge window left for job ${leaf.jobId}`,
        data: { proposalId: prop.proposalId, jobId: leaf.jobId, windowLeftSeconds: left },
      });
    const proof = buildResultTree(prop.leaves).proof(leafIndex);
    const receipt = await responder.openGame({
      proposalId: prop.proposalId,
      leaf,
      proof,
      bond: BigInt(params.challengerBond),
    });
    if (receipt === "stale") return;
    counters.gamesOpened++;
    metrics.gamesOpened.inc();
    metrics.timeToChallengeSeconds.observe((Date.now() - prop.seenAtMs) / 1000);
    // Learn our game at once rather than when its block is confirmed.
    const { newGames } = index.apply(receipt.logs);
    for (const g of newGames)
      log.info(
        {
          game: g.gameId.toString(),
          proposal: prop.proposalId.toString(),
          job: leaf.jobId.toString(),
          tx: receipt.transactionHash,
        },
        "game opened",
      );
  }

  async function traceOf(jobId: bigint): Promise<MachineTraceProvider> {
    const spec = await jobSpecOf(jobId);
    if (!spec) throw new GameError(`job ${jobId}: no local program image or input, cannot play its game`);
    return traces.trace(spec);
  }

  /** Alerts once per dissection on every interior hash that contradicts our trace. */
  async function checkDissection(g: GameRecord, view: GameView) {
    if (!view.interior) return;
    const key = `${g.gameId}:${view.position}`;
    if (alerted.has(key)) return;
    alerted.add(key);
    const trace = await traceOf(g.jobId);
    const positions = interiorPositions(view.position, view.log2K);
    const wrong: bigint[] = [];
    for (let i = 0; i < positions.length; i++) {
      const ours = await trace.get(positions[i]);
      if (ours.toLowerCase() !== view.interior[i].toLowerCase()) wrong.push(positions[i]);
    }
    if (wrong.length)
      alerter.alert({
        kind: "wrong_dissection",
        message: `game ${g.gameId}: ${wrong.length} of ${positions.length} interior hashes of [${start(view.position)}, +2^${log2Len(view.position)}] are wrong`,
        data: { gameId: g.gameId, proposalId: g.proposalId, jobId: g.jobId, wrongPositions: wrong },
      });
  }

  async function playOne(g: GameRecord) {
    if (!player) return;
    try {
      const r = await player.progress(g.gameId);
      if (r.view.turn === "Pick" || r.action.type === "pick") await checkDissection(g, r.view);
    } catch (err) {
      if (err instanceof GameError && !err.retryable) {
        const key = `refuse:${g.gameId}`;
        if (!alerted.has(key)) {
          alerted.add(key);
          alerter.alert({
            kind: "refused_move",
            message: `game ${g.gameId}: refusing to move, our recomputation does not support any move`,
            data: {
              gameId: g.gameId,
              proposalId: g.proposalId,
              jobId: g.jobId,
              reason: err.shortMessage,
              details: err.details,
            },
          });
        }
        return;
      }
      throw err;
    }
  }

  function settleGame(g: GameRecord) {
    if (!isMine(g) || !g.resolved) return;
    metrics.clockRemainingSeconds.remove({ game: g.gameId.toString() });
    if ("closed" in g.resolved) {
      log.info(
        { game: g.gameId.toString(), refund: g.resolved.refund.toString() },
        "game closed, bond refunded",
      );
    } else if (g.resolved.winner.toLowerCase() === me) {
      counters.gamesWon++;
      metrics.gamesWon.inc();
      metrics.bondsWonWei.inc(Number(g.resolved.paid));
      log.info({ game: g.gameId.toString(), paid: g.resolved.paid.toString() }, "game won");
    } else {
      counters.gamesLost++;
      metrics.gamesLost.inc();
      alerter.alert({
        kind: "game_lost",
        message: `game ${g.gameId} on proposal ${g.proposalId} was lost`,
        data: { gameId: g.gameId, proposalId: g.proposalId, jobId: g.jobId, status: g.resolved.status },
      });
    }
    withdrawDue = true;
  }

  async function onRange({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) {
    const logs = await publicClient.getLogs({ address: verdict, fromBlock, toBlock });
    const { newProposals, resolved } = index.apply(logs);
    for (const prop of newProposals)
      log.info(
        { proposal: prop.proposalId.toString(), proposer: prop.proposer, leaves: prop.leaves.length },
        "proposal seen",
      );
    for (const g of resolved) settleGame(g);
  }

  async function onTick() {
    await ensureConstants();
    // 1. Check every pending proposal's leaves; open games on wrong ones.
    let pendingChecks = 0;
    for (const prop of index.proposals.values()) {
      if (prop.settled) continue;
      let st = proposalState.get(prop.proposalId);
      if (!st) {
        st = { verdicts: new Map(), done: false };
        proposalState.set(prop.proposalId, st);
      }
      const state = st;
      if (!state.done) {
        pendingChecks += prop.leaves.length - state.verdicts.size;
        checks.schedule(`proposal:${prop.proposalId}`, () => checkProposal(prop, state));
      }
      for (const [i, v] of state.verdicts) {
        if (v.outcome !== "wrong") continue;
        // A game of ours that we lost on time (we were down too long) does not count: the leaf is
        // still wrong, so challenge it again while the window is open. One lost by the step does
        // count: our machine disagrees with the verifier and another bond would be lost the same way.
        const ours = [...index.games.values()].some(
          (g) => isMine(g) && g.proposalId === prop.proposalId && g.jobId === v.leaf.jobId && !lostOnTime(g),
        );
        if (!ours && responder) opens.schedule(`open:${prop.proposalId}:${i}`, () => openGameOn(prop, i));
      }
    }
    metrics.pendingChecks.set(pendingChecks);
    // 2. Play every active game of ours (a paused protocol freezes clocks and refuses moves).
    const paused = await publicClient.readContract({
      address: verdict,
      abi: verdictAbi,
      functionName: "paused",
    });
    let active = 0;
    for (const g of index.games.values()) {
      if (!isMine(g) || g.resolved) continue;
      active++;
      if (!paused) plays.schedule(`game:${g.gameId}`, () => playOne(g));
    }
    metrics.gamesActive.set(active);
    // 3. Collect winnings (as a task: a slow receipt must not hold up the games).
    if (withdrawDue && responder && !paused) {
      withdrawDue = false;
      const r = opens.schedule("withdraw", async () => {
        const credit = await publicClient.readContract({
          address: verdict,
          abi: verdictAbi,
          functionName: "credit",
          args: [account],
        });
        if (credit === 0n) return;
        const receipt = await responder.withdraw().catch((err) => {
          withdrawDue = true;
          throw err;
        });
        if (receipt === "stale") {
          withdrawDue = true;
          return;
        }
        metrics.withdrawnWei.inc(Number(credit));
        log.info({ amount: credit.toString(), tx: receipt.transactionHash }, "credit withdrawn");
      });
      if (r !== "started") withdrawDue = true;
    }
  }

  const monitor = createBlockMonitor({
    publicClient,
    fromBlock: p.fromBlock,
    confirmations: p.confirmations,
    onRange,
    onTick: async () => {
      try {
        await onTick();
      } catch (err) {
        // A failed tick is retried on the next one: the daemon must outlive any one bad read.
        onTaskError("tick", "tick", err);
      }
    },
    logger,
    metrics,
    pollMs: p.pollMs,
  });

  return {
    run: async (signal) => {
      log.info(
        {
          verdict,
          account,
          watchOnly: !responder,
          programs: programs.list.length,
          fromBlock: p.fromBlock.toString(),
        },
        "challenger started",
      );
      signal.addEventListener("abort", () => (stopping = true), { once: true });
      try {
        await monitor.run(signal);
      } finally {
        await Promise.all([checks.idle(), plays.idle(), opens.idle()]);
      }
    },
    tick: async () => {
      await monitor.tick();
    },
    idle: async () => {
      await Promise.all([checks.idle(), plays.idle(), opens.idle()]);
    },
    status: () => ({
      proposalsSeen: index.proposals.size,
      proposalsChecked: counters.proposalsChecked,
      wrongLeaves: counters.wrongLeaves,
      gamesOpened: counters.gamesOpened,
      activeGames: [...index.games.values()].filter((g) => isMine(g) && !g.resolved).length,
      gamesWon: counters.gamesWon,
      gamesLost: counters.gamesLost,
    }),
  };
}
