// The proposer daemon's core. All of its state is rebuilt from chain events
// (backfilled from the start block) plus deterministic re-execution, so it can
// be killed at any moment and started again:
//
//   monitor (confirmed block ranges) ──► jobs, our proposals, games, records
//   tick ──► execute new jobs on the worker pool
//        ──► propose full (or old enough) batches with the bond
//        ──► defend every game on our proposals (games/createDefender: scheduler → player → solver → responder)
//        ──► finalize expired proposals, record their results, open outputs (and publish them, --publish-outputs)
//        ──► withdraw credited fees, stakes and bonds from both ledgers (Verdict, DisputeGame)

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { outputsAbi, programRegistryAbi, rv32imAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { isRetryableError } from "@verdict/shared/src/chain/classifyError.ts";
import { isBenignRevert } from "@verdict/shared/src/chain/classifyRevert.ts";
import { type BlockMonitor, createBlockMonitor } from "@verdict/shared/src/chain/createBlockMonitor.ts";
import {
  createTxSender,
  type SendTxParameters,
  type TxSender,
  type WriteFunctionName,
} from "@verdict/shared/src/chain/createTxSender.ts";
import { ContractRevertError, InsufficientFundsError } from "@verdict/shared/src/chain/errors.ts";
import { buildResultTree, type ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { STATUS_EXITED, STATUS_RUNNING, STATUS_TRAPPED } from "@verdict/shared/src/machine/constants.ts";
import { observeAccount } from "@verdict/shared/src/metrics/observeAccount.ts";
import type { Logger } from "pino";
import {
  type Abi,
  type AbiEvent,
  type Address,
  type Chain,
  decodeEventLog,
  type Hex,
  type Log,
  type PublicClient,
  type Transport,
} from "viem";
import type { PrivateKeyAccount } from "viem/accounts";
import { commitAndPropose } from "./commitAndPropose.ts";
import type { ProposerConfig } from "./config.ts";
import { createExecutor, type ExecJob, type Executor } from "./createExecutor.ts";
import { createFeeClaimer } from "./createFeeClaimer.ts";
import { createDefender } from "./games/createDefender.ts";
import type { ProposerMetrics } from "./metrics.ts";
import type { ExecutedResult } from "./worker/types.ts";

/** A program this proposer can run: its ELF and the root it loads to. */
export type ServedProgram = { path: string; programRoot: Hex; entry: number };

export type CreateProposerParameters = {
  config: ProposerConfig;
  account: PrivateKeyAccount;
  publicClient: PublicClient<Transport, Chain>;
  logger: Logger;
  metrics: ProposerMetrics;
  programs: ServedProgram[];
  /** Receipt polling (ms); tests on automine anvil use a small value. */
  txPollMs?: number;
};

type JobInfo = {
  jobId: bigint;
  programId: bigint;
  inputRoot: Hex;
  input: Hex;
  /** Submitted after the last block a previous run of this proposer counted (metrics). */
  fresh: boolean;
};
type ProgramInfo =
  | { served: true; programRoot: Hex; entry: number; depth: number; path: string; machineVersion: bigint }
  | { served: false; reason: string };
type OurProposal = {
  id: bigint;
  leaves: ResultLeaf[];
  bond: bigint;
  status: number;
  settled: boolean;
  recorded: boolean;
  /** Ticks in a row the chain did not know the proposal (reorg). */
  missingTicks?: number;
  /** Learned from a block a previous run already counted: its first status read is not counted again. */
  fromBackfill?: boolean;
};

const PROPOSAL_STATUS = ["None", "Pending", "Finalized", "Defeated", "Invalidated", "RolledBack"] as const;
const PENDING = 1;
const STATUS_NAMES: Record<number, string> = {
  [STATUS_RUNNING]: "RUNNING",
  [STATUS_EXITED]: "EXITED",
  [STATUS_TRAPPED]: "TRAPPED",
};
const FINALIZED = 2;

export type Proposer = {
  monitor: BlockMonitor;
  sender: TxSender;
  /** One monitor poll and one round of actions (tests drive this directly). */
  tick: () => Promise<void>;
  run: (signal: AbortSignal) => Promise<void>;
  close: () => Promise<void>;
  /** Read-only view for tests and logs. */
  state: () => {
    jobs: number;
    executed: number;
    proposals: { id: bigint; status: string; leaves: number; jobIds: bigint[] }[];
    games: { id: bigint; done: boolean }[];
  };
  /** Waits for running game moves and executions. */
  idle: () => Promise<void>;
};

export async function createProposer(p: CreateProposerParameters): Promise<Proposer> {
  const { config, account, publicClient, metrics, programs } = p;
  const log = p.logger.child({ component: "proposer" });
  if (config.openOutputs && !config.outputs)
    log.warn("no Outputs address configured (--outputs): recorded results' outputs will not be opened");
  if (config.publishOutputs && !config.outputs)
    log.warn("--publish-outputs without --outputs: no output will be published");
  // Typed ABIs for every read, decode and transaction: viem checks names and arguments.
  const verdict = config.verdict;
  const me = account.address;
  const onVerdict = { address: verdict, abi: verdictAbi } as const;
  const registry = await publicClient.readContract({ ...onVerdict, functionName: "registry" });

  const sender = createTxSender({
    publicClient,
    account,
    logger: p.logger,
    metrics,
    bumpAfterMs: config.bumpAfterSeconds * 1000,
    pollMs: p.txPollMs ?? Math.min(1000, config.pollMs),
  });
  const fees = createFeeClaimer({
    me,
    sender,
    verdict,
    activeNow: () => publicClient.readContract({ ...onVerdict, functionName: "activeNow" }),
    logger: p.logger,
  });
  const executor: Executor = createExecutor({
    workers: config.workers,
    cacheDir: `${config.dataDir}/cache`,
    logger: p.logger,
    onCache: (o) => metrics.cacheEvents.inc({ outcome: o }),
  });

  // ---- state rebuilt from events ----
  const jobs = new Map<bigint, JobInfo>();
  const programsById = new Map<bigint, ProgramInfo>();
  const results = new Map<bigint, ExecutedResult>();
  const readyAt = new Map<bigint, number>();
  const executing = new Set<bigint>();
  const covered = new Map<bigint, bigint>(); // jobId -> our proposal covering it
  const recorded = new Map<bigint, bigint>(); // jobId -> proposal its result was recorded from
  const opened = new Set<bigint>();
  const proposals = new Map<bigint, OurProposal>();
  const executions = new Set<Promise<unknown>>();
  const published = new Set<bigint>();
  let closed = false;

  // Counters count each event once across restarts: the highest block whose
  // events were counted is kept in the data directory, and a restart's
  // backfill of blocks up to it leaves the counters alone.
  const countedFile = `${config.dataDir}/counted-through-block`;
  let countedThrough = -1n;
  try {
    countedThrough = BigInt(readFileSync(countedFile, "utf8").trim());
  } catch {
    // first run (or the data directory was wiped): count everything
  }
  function markCounted(toBlock: bigint) {
    if (toBlock <= countedThrough) return;
    countedThrough = toBlock;
    try {
      mkdirSync(config.dataDir, { recursive: true });
      writeFileSync(countedFile, `${toBlock}\n`);
    } catch (err) {
      log.warn({ err: errMsg(err) }, "cannot save the metrics watermark");
    }
  }
  const startCountedThrough = countedThrough;

  const events = verdictAbi.filter((x) => x.type === "event") as AbiEvent[];

  function errMsg(err: unknown): string {
    return (
      (err as { shortMessage?: string })?.shortMessage ??
      (err as Error)?.message?.split("\n")[0] ??
      String(err)
    );
  }

  function addProposal(id: bigint, leaves: ResultLeaf[], bond: bigint, fromBackfill = false) {
    if (proposals.has(id)) return;
    proposals.set(id, { id, leaves, bond, status: PENDING, settled: false, recorded: false, fromBackfill });
    for (const l of leaves) covered.set(l.jobId, id);
  }

  async function onRange({ fromBlock, toBlock }: { fromBlock: bigint; toBlock: bigint }) {
    const logs = await publicClient.getLogs({ address: verdict, events, fromBlock, toBlock });
    for (const raw of logs as Log[]) {
      let ev: ReturnType<typeof decodeEventLog<typeof verdictAbi>>;
      try {
        ev = decodeEventLog({ abi: verdictAbi, data: raw.data, topics: raw.topics });
      } catch {
        continue;
      }
      const fresh = (raw.blockNumber ?? 0n) > startCountedThrough;
      switch (ev.eventName) {
        case "JobSubmitted": {
          const a = ev.args;
          if (!jobs.has(a.jobId)) {
            jobs.set(a.jobId, {
              jobId: a.jobId,
              programId: a.programId,
              inputRoot: a.inputRoot,
              input: a.input,
              fresh,
            });
            if (fresh) metrics.jobsSeen.inc();
            log.info(
              { jobId: a.jobId, programId: a.programId, inputBytes: (a.input.length - 2) / 2 },
              "job seen",
            );
          }
          break;
        }
        case "Proposed": {
          const a = ev.args;
          if (a.proposer.toLowerCase() === me.toLowerCase())
            addProposal(
              a.proposalId,
              a.leaves.map((l) => ({ jobId: l.jobId, finalStateHash: l.finalStateHash })),
              a.bond,
              !fresh,
            );
          break;
        }
        case "ResultRecorded": {
          const a = ev.args;
          recorded.set(a.jobId, a.proposalId);
          fees.onRecorded({ jobId: a.jobId, proposer: a.proposer, fee: a.fee });
          break;
        }
        case "FeeClaimed":
          fees.onClaimed(ev.args.jobId);
          break;
        case "ProposalRolledBack": {
          const { proposalId } = ev.args;
          for (const [jobId, pid] of recorded) if (pid === proposalId) recorded.delete(jobId);
          const ours = proposals.get(proposalId);
          if (ours) ours.settled = false; // re-read: its jobs need proposing again
          break;
        }
      }
    }
    // Games on our proposals live in DisputeGame: applied after the range's Proposed events.
    defender.onLogs(await publicClient.getLogs({ address: defender.game, fromBlock, toBlock }));
    markCounted(toBlock);
  }

  async function programOf(programId: bigint): Promise<ProgramInfo> {
    const known = programsById.get(programId);
    if (known) return known;
    const prog = await publicClient.readContract({
      address: registry,
      abi: programRegistryAbi,
      functionName: "getProgram",
      args: [programId],
    });
    const served = programs.find((x) => x.programRoot.toLowerCase() === prog.programRoot.toLowerCase());
    let info: ProgramInfo;
    if (!served) info = { served: false, reason: "unknown-program" };
    else if (served.entry !== Number(prog.entry)) info = { served: false, reason: "entry-mismatch" };
    else if (Number(prog.depth) > config.maxDepth.capFor(prog.programRoot)) {
      // Above the operator's cap: every job of it is counted as skipped and said here, once.
      info = { served: false, reason: "above-depth-cap" };
      log.error(
        { programId, depth: Number(prog.depth), cap: config.maxDepth.capFor(prog.programRoot) },
        "program's D is above --max-depth: its jobs are not executed or proposed",
      );
    } else {
      const machineVersion = await publicClient.readContract({
        address: prog.verifier,
        abi: rv32imAbi,
        functionName: "machineVersion",
      });
      info = {
        served: true,
        programRoot: prog.programRoot,
        entry: served.entry,
        depth: Number(prog.depth),
        path: served.path,
        machineVersion,
      };
    }
    if (!info.served)
      log.warn({ programId, programRoot: prog.programRoot, reason: info.reason }, "program not served");
    programsById.set(programId, info);
    return info;
  }

  async function execJobOf(jobId: bigint): Promise<ExecJob | undefined> {
    const job = jobs.get(jobId);
    if (!job) return undefined;
    const prog = await programOf(job.programId);
    if (!prog.served) return undefined;
    return {
      programPath: prog.path,
      programRoot: prog.programRoot,
      entry: prog.entry,
      machineVersion: prog.machineVersion,
      input: job.input,
      inputRoot: job.inputRoot,
      depth: prog.depth,
      checkpointInterval: config.checkpointInterval,
      injectFault: config.injectFault?.toString(),
    };
  }

  const defender = await createDefender({
    publicClient,
    sender,
    verdict,
    logger: p.logger,
    metrics,
    metricsPrefix: "verdict_proposer_",
    concurrency: config.gameConcurrency,
    gasBudget: BigInt(config.gasBudget),
    isOurProposal: (proposalId) => proposals.has(proposalId),
    traceFor: async (jobId) => {
      const job = await execJobOf(jobId);
      return job ? executor.traceFor(job) : undefined;
    },
  });

  // ---- actions ----
  const skipped = new Set<bigint>();
  // Refilled as each execution finishes, not only on ticks, so the workers
  // never idle between polls.
  let refilling = false;
  async function refill() {
    if (refilling) return;
    refilling = true;
    try {
      await scheduleExecutions();
    } catch (err) {
      log.warn({ err: errMsg(err) }, "scheduling executions failed");
    } finally {
      refilling = false;
    }
  }

  async function scheduleExecutions() {
    const limit = config.workers * 4;
    for (const job of jobs.values()) {
      if (executing.size >= limit) break;
      if (results.has(job.jobId) || executing.has(job.jobId) || skipped.has(job.jobId)) continue;
      if (covered.has(job.jobId) && proposals.get(covered.get(job.jobId) as bigint)?.settled) continue;
      if (recorded.has(job.jobId) && !covered.has(job.jobId)) continue; // someone else's result stands
      const spec = await execJobOf(job.jobId);
      if (!spec) {
        const prog = programsById.get(job.programId);
        if (job.fresh) metrics.jobsSkipped.inc({ reason: prog && !prog.served ? prog.reason : "unknown" });
        skipped.add(job.jobId);
        continue;
      }
      executing.add(job.jobId);
      const run = executor
        .execute(spec)
        .then((r) => {
          results.set(job.jobId, r);
          readyAt.set(job.jobId, Date.now());
          if (!r.cached) metrics.jobsExecuted.inc();
          const status = STATUS_NAMES[r.status] ?? String(r.status);
          log.info(
            {
              jobId: job.jobId,
              status,
              exitCode: r.exitCode,
              steps: r.steps,
              stateHash: r.stateHash,
              cached: !!r.cached,
            },
            "job executed",
          );
          if (r.status === STATUS_RUNNING) {
            if (!r.cached) metrics.runningResults.inc();
            log.warn(
              { jobId: job.jobId, programId: job.programId, steps: r.steps },
              "job's result is RUNNING: the program did not halt within its step budget 2^D; the result is proposed as it is (register the program with a larger D: `verdict program --suggest-depth`)",
            );
          }
        })
        .catch((err) => log.error({ jobId: job.jobId, err: errMsg(err) }, "job execution failed"))
        .finally(() => {
          executing.delete(job.jobId);
          executions.delete(run);
          if (!closed) void refill();
        });
      executions.add(run);
    }
  }

  let paramsCache: { proposerBond: bigint; maxBatchSize: number } | undefined;
  async function params() {
    const pr = await publicClient.readContract({ ...onVerdict, functionName: "params" });
    paramsCache = { proposerBond: pr.proposerBond, maxBatchSize: Number(pr.maxBatchSize) };
    return paramsCache;
  }

  async function proposeBatches() {
    const ready = [...results.keys()]
      .filter((j) => !covered.has(j) && !recorded.has(j))
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    metrics.pendingResults.set(ready.length);
    if (ready.length === 0) return;
    const { proposerBond, maxBatchSize } = paramsCache ?? (await params());
    const size = Math.min(config.batchSize, maxBatchSize);
    const oldest = Math.min(...ready.map((j) => readyAt.get(j) ?? Date.now()));
    while (
      ready.length >= size ||
      (ready.length > 0 && Date.now() - oldest >= config.maxWaitSeconds * 1000)
    ) {
      const batch = ready.splice(0, size);
      if (config.maxBond !== undefined && proposerBond > config.maxBond) {
        log.error({ proposerBond, maxBond: config.maxBond }, "protocol bond above --max-bond: not proposing");
        return;
      }
      const balance = await publicClient.getBalance({ address: me });
      if (balance < proposerBond) {
        log.error(
          {
            err: new InsufficientFundsError({
              account: me,
              balance,
              needed: proposerBond,
              what: "a proposal bond",
            }).shortMessage,
          },
          "cannot propose",
        );
        return;
      }
      const leaves = batch.map((jobId) => ({
        jobId,
        finalStateHash: (results.get(jobId) as ExecutedResult).stateHash,
      }));
      // Covered before sending: a lost receipt must not make the next tick propose them again.
      for (const l of leaves) covered.set(l.jobId, -1n);
      try {
        // Commit, then reveal once the commitment is mined (a copier earns none of the fees).
        const { proposalId: id, receipt } = await commitAndPropose({
          sender,
          getBlockNumber: () => publicClient.getBlockNumber({ cacheTime: 0 }),
          verdict,
          leaves,
          bond: proposerBond,
          pollMs: config.pollMs,
        });
        for (const l of leaves) covered.delete(l.jobId);
        addProposal(id, leaves, proposerBond);
        metrics.proposals.inc();
        metrics.proposedResults.inc(leaves.length);
        log.info(
          {
            proposalId: id,
            jobIds: leaves.map((l) => l.jobId.toString()),
            bond: proposerBond,
            gasUsed: receipt.gasUsed,
          },
          "proposed",
        );
      } catch (err) {
        // Unknown outcome on RPC failure: keep them covered until the monitor
        // shows whether the proposal landed (its Proposed event re-covers them).
        if (!isRetryableError(err)) for (const l of leaves) covered.delete(l.jobId);
        else
          setTimeout(
            () => {
              for (const l of leaves) if (covered.get(l.jobId) === -1n) covered.delete(l.jobId);
            },
            Math.max(60_000, config.pollMs * (config.confirmations + 5)),
          );
        if (isBenignRevert(err))
          log.info(
            { error: (err as ContractRevertError).errorName },
            "propose refused by a race; retrying next tick",
          );
        else log.error({ err: errMsg(err) }, "propose failed");
        return;
      }
    }
  }

  async function settleProposals() {
    const open = [...proposals.values()].filter((x) => !x.settled);
    if (open.length === 0) return;
    const now = await publicClient.readContract({ ...onVerdict, functionName: "activeNow" });
    let atStake = 0n;
    for (const prop of open) {
      const onchain = await publicClient.readContract({
        ...onVerdict,
        functionName: "getProposal",
        args: [prop.id],
      });
      const status = Number(onchain.status);
      if (status !== 0) prop.missingTicks = 0;
      if (status !== prop.status && status !== 0) {
        log.info(
          {
            proposalId: prop.id,
            status: PROPOSAL_STATUS[status],
            jobIds: prop.leaves.map((l) => l.jobId.toString()),
          },
          status === FINALIZED ? "proposal finalized" : "proposal status",
        );
        // A proposal a previous run already knew: its first status read here may be one it counted.
        if (!(prop.fromBackfill && prop.status === PENDING)) {
          if (status === FINALIZED) metrics.proposalsFinalized.inc();
          if (status === 3) metrics.proposalsDefeated.inc();
        }
        prop.status = status;
      }
      if (status !== 0) prop.fromBackfill = false;
      if (status === PENDING) {
        atStake += prop.bond;
        if (
          BigInt(onchain.deadline) <= now &&
          (await defender.canFinalize(prop.id, now, BigInt(onchain.clockSeconds)))
        )
          await tryTx({ ...onVerdict, functionName: "finalize", args: [prop.id] });
      } else if (status === FINALIZED) {
        if (!prop.recorded) await recordResults(prop);
        if (prop.recorded && (!config.openOutputs || !config.outputs || (await openOutputs(prop))))
          prop.settled = true;
      } else if (status === 0) {
        // Not (or no longer) on chain: our propose was reorged out. Usually it
        // is mined again from the mempool; only give the jobs up after a while.
        prop.missingTicks = (prop.missingTicks ?? 0) + 1;
        if (prop.missingTicks > config.confirmations + 20) {
          log.warn(
            { proposalId: prop.id },
            "proposal vanished from the chain; its jobs will be proposed again",
          );
          for (const l of prop.leaves) if (covered.get(l.jobId) === prop.id) covered.delete(l.jobId);
          proposals.delete(prop.id);
        }
      } else {
        // Defeated, invalidated or rolled back: its jobs need a new proposal.
        for (const l of prop.leaves) if (covered.get(l.jobId) === prop.id) covered.delete(l.jobId);
        prop.settled = true;
      }
    }
    metrics.bondAtStakeWei.set(Number(atStake));
  }

  async function recordResults(prop: OurProposal) {
    const tree = buildResultTree(prop.leaves);
    const idx = prop.leaves.map((_, i) => i).filter((i) => !recorded.has(prop.leaves[i].jobId));
    if (idx.length === 0) {
      prop.recorded = true;
      return;
    }
    const ok = await tryTx({
      ...onVerdict,
      functionName: "recordResults",
      args: [prop.id, idx.map((i) => prop.leaves[i]), idx.map((i) => tree.proof(i))],
    });
    if (ok) {
      prop.recorded = true;
      for (const i of idx) recorded.set(prop.leaves[i].jobId, prop.id);
      metrics.resultsRecorded.inc(idx.length);
    }
  }

  /** Opens outputs of the proposal's jobs whose recorded result is ours; true when none is left. */
  async function openOutputs(prop: OurProposal): Promise<boolean> {
    let done = true;
    for (const leaf of prop.leaves) {
      if (opened.has(leaf.jobId)) continue;
      const r = results.get(leaf.jobId);
      if (!r) {
        // Restarted with a lost cache: re-execute first.
        done = false;
        continue;
      }
      if (r.stateHash.toLowerCase() !== r.honestStateHash.toLowerCase()) {
        opened.add(leaf.jobId); // fault-injection result: there is no honest state to open it with
        continue;
      }
      const [final, hash] = await publicClient.readContract({
        ...onVerdict,
        functionName: "result",
        args: [leaf.jobId],
      });
      if (!final || hash.toLowerCase() !== r.stateHash.toLowerCase()) {
        opened.add(leaf.jobId);
        continue;
      }
      // Outputs live in their own contract; OutputOpened is not among the events we index, so ask it.
      const outputs = { address: config.outputs as Address, abi: outputsAbi } as const;
      const [, current] = await publicClient.readContract({
        ...outputs,
        functionName: "output",
        args: [leaf.jobId],
      });
      if (current) {
        opened.add(leaf.jobId);
        if (!(await publishIfAsked(leaf.jobId, r))) done = false;
        continue;
      }
      const ok = await tryTx({
        ...outputs,
        functionName: "openOutput",
        args: [leaf.jobId, r.finalState, r.programSubroot, r.inputSubroot, r.outputRoot],
      });
      if (ok) {
        opened.add(leaf.jobId);
        metrics.outputsOpened.inc();
        log.info({ jobId: leaf.jobId, exitCode: r.exitCode, outputRoot: r.outputRoot }, "output opened");
        if (!(await publishIfAsked(leaf.jobId, r))) done = false;
      } else done = false;
    }
    return done;
  }

  /** With --publish-outputs, publishes an opened output's bytes once (Outputs.publishOutput); true when done. */
  async function publishIfAsked(jobId: bigint, r: ExecutedResult): Promise<boolean> {
    if (!config.publishOutputs || !config.outputs || published.has(jobId)) return true;
    if (r.outputHex === null) {
      // The output region holds no well-formed output (spec §1.2): the root is opened, there are no bytes.
      published.add(jobId);
      log.info({ jobId }, "no output bytes to publish (the output region holds none)");
      return true;
    }
    const outputHex = r.outputHex;
    // Published before a restart? OutputData is indexed by job.
    const before = await publicClient.getContractEvents({
      address: config.outputs,
      abi: outputsAbi,
      eventName: "OutputData",
      args: { jobId },
      fromBlock: config.startBlock,
    });
    if (before.some((e) => e.args.outputRoot?.toLowerCase() === r.outputRoot.toLowerCase())) {
      published.add(jobId);
      return true;
    }
    const ok = await tryTx({
      address: config.outputs,
      abi: outputsAbi,
      functionName: "publishOutput",
      args: [jobId, outputHex],
    });
    if (!ok) return false;
    published.add(jobId);
    metrics.outputsPublished.inc();
    log.info({ jobId, bytes: (outputHex.length - 2) / 2 }, "output published");
    return true;
  }

  async function withdraw() {
    const w = await defender.withdraw();
    const total = w.verdict + w.game;
    if (total === 0n) return;
    metrics.withdrawnWei.inc(Number(total));
    log.info({ verdict: w.verdict, game: w.game }, "withdrew fees, stakes and bonds");
  }

  /** Sends a transaction; a revert is logged (the next tick re-reads the state), RPC trouble rethrown. */
  async function tryTx<const abi extends Abi, functionName extends WriteFunctionName<abi>>(
    call: SendTxParameters<abi, functionName>,
  ): Promise<boolean> {
    const { functionName } = call;
    try {
      await sender.send(call);
      return true;
    } catch (err) {
      if (err instanceof ContractRevertError) {
        // A lost race (someone finalized first) is routine; anything else is worth a look.
        if (isBenignRevert(err)) log.info({ functionName, error: err.errorName }, "refused: state moved on");
        else
          log.warn(
            { functionName, error: err.errorName, args: err.errorArgs.map(String) },
            "transaction reverted",
          );
        return false;
      }
      throw err;
    }
  }

  async function observe() {
    await observeAccount({ publicClient, verdict, account: me, bond: "proposerBond", metrics });
  }

  async function onTick() {
    const phases: [string, () => Promise<void> | void][] = [
      ["account", observe],
      ["execute", refill],
      ["games", defender.tick],
      ["propose", proposeBatches],
      ["settle", settleProposals],
      ["fees", fees.claimDue],
      ["withdraw", withdraw],
    ];
    for (const [name, fn] of phases) {
      try {
        await fn();
      } catch (err) {
        if (!isRetryableError(err)) log.error({ phase: name, err: errMsg(err) }, "phase failed");
        else log.warn({ phase: name, err: errMsg(err) }, "phase failed (retrying next tick)");
      }
    }
  }

  const monitor = createBlockMonitor({
    publicClient,
    fromBlock: config.startBlock,
    confirmations: config.confirmations,
    pollMs: config.pollMs,
    logger: p.logger,
    metrics,
    onRange,
    // A game opened in the replaced blocks may be gone, or opened again elsewhere under the same
    // id: its opening block must be learnt again (proposals re-check themselves: missingTicks).
    onRewind: (fromBlock) => defender.forget(fromBlock),
    onTick: async () => onTick(),
  });

  return {
    monitor,
    sender,
    tick: async () => {
      await monitor.tick();
    },
    run: (signal) => monitor.run(signal),
    close: async () => {
      closed = true;
      await defender.idle();
      await executor.close();
    },
    state: () => ({
      jobs: jobs.size,
      executed: results.size,
      proposals: [...proposals.values()].map((x) => ({
        id: x.id,
        status: PROPOSAL_STATUS[x.status],
        leaves: x.leaves.length,
        jobIds: x.leaves.map((l) => l.jobId),
      })),
      games: defender.games().map(({ id, done }) => ({ id, done })),
    }),
    idle: async () => {
      while (executions.size) await Promise.all([...executions]);
      await defender.idle();
    },
  };
}
