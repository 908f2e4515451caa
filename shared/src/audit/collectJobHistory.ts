// Reads everything the chain holds about one job, at one block: its program's
// registration, the submission (event and calldata), every proposal whose
// leaves carry it, every game on its leaves with every move, the result and
// output records, and the governance actions that could touch it (pauses,
// invalidations, rollbacks, verifier retirements). Events are fetched with
// topic filters (indexed job, proposal and game ids) so a long chain is not
// scanned whole per event, except `Proposed`, whose leaves are not indexed.

import {
  type Abi,
  type Address,
  type Chain,
  decodeFunctionData,
  encodeEventTopics,
  getAddress,
  type Hex,
  type PublicClient,
  parseEventLogs,
  type Transport,
} from "viem";
import { disputeGameAbi, outputsAbi, programRegistryAbi, verdictAbi } from "../bindings/abis.ts";
import { leafHash } from "../game/resultTree.ts";
import { JobNotFoundError, NotAVerdictContractError } from "./errors.ts";
import { getLogsChunked } from "./getLogsChunked.ts";

/** Where an event happened. */
export type EventAt = { blockNumber: bigint; logIndex: number; transactionHash: Hex };

export type ProgramRecord = {
  programId: bigint;
  programRoot: Hex;
  manifestHash: Hex;
  verifier: Address;
  entry: number;
  depth: number;
  signed: boolean;
  registrant: Address;
  /** From ProgramRegistered (null if the event was not found in the scanned range). */
  registered: (EventAt & { signers: readonly Address[] }) | null;
  /** `machineVersion()` of the verifier. */
  machineVersion: bigint;
  /** VerifierRetired of this verifier (existing programs keep it). */
  verifierRetired: EventAt | null;
};

export type Submission = EventAt & {
  requester: Address;
  inputRoot: Hex;
  signer: Address;
  nonce: bigint;
  fee: bigint;
  input: Hex;
  /** What the submitting transaction's calldata says, when it called Verdict directly. */
  calldata:
    | { kind: "submitJob"; input: Hex }
    | {
        kind: "submitSignedJob";
        input: Hex;
        signer: Address;
        nonce: bigint;
        deadline: bigint;
        signature: Hex;
      }
    | { kind: "indirect"; to: Address | null };
};

export type ProposalRecord = EventAt & {
  proposalId: bigint;
  proposer: Address;
  /** The final state hash this proposal claims for the job. */
  claimedHash: Hex;
  leafHash: Hex;
  leafCount: number;
  bond: bigint;
  /** Status at the audit block: None, Pending, Finalized, Defeated, Invalidated, RolledBack. */
  status: ProposalStatusName;
  finalizedAt: bigint;
  events: { name: string; at: EventAt; args: Record<string, unknown> }[];
};

export const PROPOSAL_STATUSES = [
  "None",
  "Pending",
  "Finalized",
  "Defeated",
  "Invalidated",
  "RolledBack",
] as const;
export type ProposalStatusName = (typeof PROPOSAL_STATUSES)[number];

export const NODE_STATUS_NAMES = [
  "None",
  "Challenged",
  "Dissected",
  "Defeated",
  "Upheld",
  "Refunded",
] as const;

export type GameMove =
  | ({
      kind: "challenged";
      position: bigint;
      parent: bigint;
      index: bigint;
      by: Address;
      proposerUsed: bigint;
      challengerUsed: bigint;
    } & EventAt)
  | ({
      kind: "dissected";
      position: bigint;
      interior: readonly Hex[];
      by: Address;
      proposerUsed: bigint;
    } & EventAt)
  | ({
      kind: "stepped";
      position: bigint;
      by: Address;
      preStateHash: Hex;
      postStateHash: Hex;
      endHash: Hex;
    } & EventAt)
  | ({
      kind: "resolved";
      position: bigint;
      status: string;
      challenger: Address;
      challengerPaid: bigint;
      proposerPaid: bigint;
      burned: bigint;
    } & EventAt)
  | ({ kind: "invalidated"; by: Address } & EventAt);

export type GameRecord = EventAt & {
  gameId: bigint;
  proposalId: bigint;
  opener: Address;
  proposer: Address;
  startHash: Hex;
  endHash: Hex;
  depth: number;
  openedAt: bigint;
  clockSeconds: bigint;
  claimBond: bigint;
  dissectionBond: bigint;
  verifier: Address;
  machineVersion: bigint;
  moves: GameMove[];
};

export type GovernanceRecord = { name: string; at: EventAt; args: Record<string, unknown> };

export type JobHistory = {
  chainId: number;
  /** Every read and event is at or below this block. */
  blockNumber: bigint;
  contracts: { verdict: Address; registry: Address; game: Address; outputs: Address | null };
  /** log2 of DisputeGame.K(). */
  log2K: number;
  jobId: bigint;
  job: {
    requester: Address;
    programId: bigint;
    inputRoot: Hex;
    signer: Address;
    fee: bigint;
    resultHash: Hex;
    resultProposalId: bigint;
  };
  program: ProgramRecord;
  submission: Submission | null;
  proposals: ProposalRecord[];
  games: GameRecord[];
  /** `result(jobId)` at the audit block. */
  result: { final: boolean; finalStateHash: Hex; proposalId: bigint };
  recorded: (EventAt & { proposalId: bigint; finalStateHash: Hex; proposer: Address; fee: bigint })[];
  fees: GovernanceRecord[];
  output: {
    opened: (EventAt & {
      finalStateHash: Hex;
      status: number;
      exitCode: number;
      steps: bigint;
      outputRoot: Hex;
    })[];
    published: (EventAt & { outputRoot: Hex; output: Hex })[];
    /** `output(jobId)` at the audit block; null without the Outputs address. */
    current: {
      stateHash: Hex;
      outputRoot: Hex;
      steps: bigint;
      exitCode: number;
      status: number;
      current: boolean;
    } | null;
  };
  governance: GovernanceRecord[];
  /** Unix seconds of each block an event above happened in. */
  blockTimes: Map<bigint, bigint>;
};

export type CollectJobHistoryParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  outputs?: Address;
  jobId: bigint;
  /** First block to scan (the deployment block); default 0. */
  fromBlock?: bigint;
  /** Audit as of this block; default the head. */
  blockNumber?: bigint;
  maxRange?: bigint;
};

const stepperAbi = [
  {
    type: "function",
    name: "machineVersion",
    inputs: [],
    outputs: [{ name: "", type: "uint256" }],
    stateMutability: "view",
  },
] as const;

function at(l: {
  blockNumber: bigint | null;
  logIndex: number | null;
  transactionHash: Hex | null;
}): EventAt {
  return {
    blockNumber: l.blockNumber ?? 0n,
    logIndex: l.logIndex ?? 0,
    transactionHash: l.transactionHash ?? "0x",
  };
}

function plain(args: object): Record<string, unknown> {
  return { ...(args as Record<string, unknown>) };
}

export async function collectJobHistory(p: CollectJobHistoryParameters): Promise<JobHistory> {
  const { publicClient: client, verdict, jobId } = p;
  const fromBlock = p.fromBlock ?? 0n;
  const blockNumber = p.blockNumber ?? (await client.getBlockNumber({ cacheTime: 0 }));
  // By name over a plain Abi: the audit reads many contracts generically and names each result's type.
  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    client.readContract({ address, abi, functionName, args, blockNumber }) as Promise<T>;

  let registry: Address;
  let game: Address;
  let jobCount: bigint;
  try {
    [registry, game, jobCount] = await Promise.all([
      read<Address>(verdict, verdictAbi, "registry"),
      read<Address>(verdict, verdictAbi, "game"),
      read<bigint>(verdict, verdictAbi, "jobCount"),
    ]);
  } catch (cause) {
    throw new NotAVerdictContractError({ address: verdict, cause });
  }
  if (jobId < 1n || jobId > jobCount) throw new JobNotFoundError({ jobId, jobCount });
  const range = { fromBlock, toBlock: blockNumber, maxRange: p.maxRange };
  const logs = (address: Address, topics: (Hex | Hex[] | null)[]) =>
    getLogsChunked(client, { address, topics, ...range });
  const topic0 = (abi: Abi, eventName: string) => encodeEventTopics({ abi, eventName })[0] as Hex;
  const idTopic = (v: bigint) => `0x${v.toString(16).padStart(64, "0")}` as Hex;

  const [chainId, log2K, jobRaw, resultRaw] = await Promise.all([
    client.getChainId(),
    read<bigint>(game, disputeGameAbi, "K").then((k) => Math.log2(Number(k))),
    read<{
      requester: Address;
      programId: bigint;
      inputRoot: Hex;
      signer: Address;
      fee: bigint;
      resultHash: Hex;
      resultProposalId: bigint;
    }>(verdict, verdictAbi, "getJob", [jobId]),
    read<readonly [boolean, Hex, bigint]>(verdict, verdictAbi, "result", [jobId]),
  ]);
  const programId = BigInt(jobRaw.programId);

  // Program and its verifier.
  const prog = await read<{
    programRoot: Hex;
    manifestHash: Hex;
    verifier: Address;
    entry: number;
    depth: number;
    signed: boolean;
    registrant: Address;
  }>(registry, programRegistryAbi, "getProgram", [programId]);
  const [regLogs, retiredLogs, machineVersion] = await Promise.all([
    logs(registry, [topic0(programRegistryAbi, "ProgramRegistered"), idTopic(programId)]),
    logs(registry, [
      topic0(programRegistryAbi, "VerifierRetired"),
      `0x${prog.verifier.slice(2).toLowerCase().padStart(64, "0")}` as Hex,
    ]),
    read<bigint>(prog.verifier, stepperAbi, "machineVersion"),
  ]);
  const [reg] = parseEventLogs({ abi: programRegistryAbi, eventName: "ProgramRegistered", logs: regLogs });
  const [retired] = parseEventLogs({
    abi: programRegistryAbi,
    eventName: "VerifierRetired",
    logs: retiredLogs,
  });
  const program: ProgramRecord = {
    programId,
    programRoot: prog.programRoot,
    manifestHash: prog.manifestHash,
    verifier: prog.verifier,
    entry: Number(prog.entry),
    depth: Number(prog.depth),
    signed: prog.signed,
    registrant: prog.registrant,
    registered: reg ? { ...at(reg), signers: reg.args.signers } : null,
    machineVersion,
    verifierRetired: retired ? at(retired) : null,
  };

  // Submission: the event, then the calldata of its transaction.
  const [subLog] = parseEventLogs({
    abi: verdictAbi,
    eventName: "JobSubmitted",
    logs: await logs(verdict, [topic0(verdictAbi, "JobSubmitted"), idTopic(jobId)]),
  });
  let submission: Submission | null = null;
  if (subLog) {
    const tx = await client.getTransaction({ hash: subLog.transactionHash });
    let calldata: Submission["calldata"] = { kind: "indirect", to: tx.to };
    if (tx.to?.toLowerCase() === verdict.toLowerCase()) {
      try {
        const d = decodeFunctionData({ abi: verdictAbi, data: tx.input });
        if (d.functionName === "submitJob") calldata = { kind: "submitJob", input: d.args[1] };
        else if (d.functionName === "submitSignedJob")
          calldata = {
            kind: "submitSignedJob",
            input: d.args[1],
            signer: d.args[2],
            nonce: d.args[3],
            deadline: d.args[4],
            signature: d.args[5],
          };
      } catch {
        // another function (multicall through a wrapper): stays indirect
      }
    }
    submission = {
      ...at(subLog),
      requester: subLog.args.requester,
      inputRoot: subLog.args.inputRoot,
      signer: subLog.args.signer,
      nonce: subLog.args.nonce,
      fee: subLog.args.fee,
      input: subLog.args.input,
      calldata,
    };
  }

  // Proposals carrying the job (leaves are not indexed: every Proposed is read).
  const proposed = parseEventLogs({
    abi: verdictAbi,
    eventName: "Proposed",
    logs: await logs(verdict, [topic0(verdictAbi, "Proposed")]),
  });
  const proposals: ProposalRecord[] = [];
  for (const l of proposed) {
    const leaf = l.args.leaves.find((x) => x.jobId === jobId);
    if (!leaf) continue;
    const pr = await read<{ status: number; finalizedAt: bigint }>(verdict, verdictAbi, "getProposal", [
      l.args.proposalId,
    ]);
    proposals.push({
      ...at(l),
      proposalId: l.args.proposalId,
      proposer: l.args.proposer,
      claimedHash: leaf.finalStateHash,
      leafHash: leafHash({ jobId, finalStateHash: leaf.finalStateHash }),
      leafCount: l.args.leaves.length,
      bond: l.args.bond,
      status: PROPOSAL_STATUSES[Number(pr.status)] ?? "None",
      finalizedAt: BigInt(pr.finalizedAt),
      events: [],
    });
  }
  const PROPOSAL_EVENTS = [
    "ProposalDefeated",
    "LeafRewardPaid",
    "StakeSettled",
    "ProposalFinalized",
    "ProposalInvalidated",
    "ProposalRolledBack",
  ] as const;
  if (proposals.length > 0) {
    const raw = await logs(verdict, [
      PROPOSAL_EVENTS.map((e) => topic0(verdictAbi, e)),
      proposals.map((x) => idTopic(x.proposalId)),
    ]);
    for (const ev of parseEventLogs({ abi: verdictAbi, logs: raw })) {
      const id = (ev.args as { proposalId?: bigint }).proposalId;
      const pr = proposals.find((x) => x.proposalId === id);
      pr?.events.push({ name: ev.eventName, at: at(ev), args: plain(ev.args) });
    }
  }

  // Games on the job's leaves, and every move in them.
  const opened = parseEventLogs({
    abi: disputeGameAbi,
    eventName: "GameOpened",
    logs: await logs(game, [topic0(disputeGameAbi, "GameOpened"), null, null, idTopic(jobId)]),
  });
  const games: GameRecord[] = [];
  for (const g of opened) {
    const info = await read<{
      proposer: Address;
      clockSeconds: number;
      claimBond: bigint;
      verifier: Address;
    }>(game, disputeGameAbi, "getGame", [g.args.gameId]);
    const [dissectionBond, version] = await Promise.all([
      read<bigint>(game, disputeGameAbi, "dissectionBond", [g.args.gameId]),
      read<bigint>(info.verifier, stepperAbi, "machineVersion"),
    ]);
    games.push({
      ...at(g),
      gameId: g.args.gameId,
      proposalId: g.args.proposalId,
      opener: g.args.opener,
      proposer: info.proposer,
      startHash: g.args.startHash,
      endHash: g.args.endHash,
      depth: Number(g.args.depth),
      openedAt: g.args.openedAt,
      clockSeconds: BigInt(info.clockSeconds),
      claimBond: info.claimBond,
      dissectionBond,
      verifier: info.verifier,
      machineVersion: version,
      moves: [],
    });
  }
  if (games.length > 0) {
    const GAME_EVENTS = [
      "NodeChallenged",
      "NodeDissected",
      "NodeStepped",
      "NodeResolved",
      "GameInvalidated",
    ] as const;
    const raw = await logs(game, [
      GAME_EVENTS.map((e) => topic0(disputeGameAbi, e)),
      games.map((x) => idTopic(x.gameId)),
    ]);
    const senders = new Map<Hex, Address>();
    for (const ev of parseEventLogs({ abi: disputeGameAbi, logs: raw })) {
      const g = games.find((x) => x.gameId === (ev.args as { gameId?: bigint }).gameId);
      if (!g) continue;
      const where = at(ev);
      if (ev.eventName === "NodeChallenged")
        g.moves.push({
          kind: "challenged",
          ...where,
          position: ev.args.position,
          parent: ev.args.parent,
          index: ev.args.index,
          by: ev.args.challenger,
          proposerUsed: ev.args.proposerUsed,
          challengerUsed: ev.args.challengerUsed,
        });
      else if (ev.eventName === "NodeDissected") {
        // The dissector is always the game's proposer; the event does not name it, the transaction does.
        let by = senders.get(where.transactionHash);
        if (!by) {
          by = getAddress((await client.getTransaction({ hash: where.transactionHash })).from);
          senders.set(where.transactionHash, by);
        }
        g.moves.push({
          kind: "dissected",
          ...where,
          position: ev.args.position,
          interior: ev.args.interior,
          by,
          proposerUsed: ev.args.proposerUsed,
        });
      } else if (ev.eventName === "NodeStepped")
        g.moves.push({
          kind: "stepped",
          ...where,
          position: ev.args.position,
          by: ev.args.stepper,
          preStateHash: ev.args.preStateHash,
          postStateHash: ev.args.postStateHash,
          endHash: ev.args.endHash,
        });
      else if (ev.eventName === "NodeResolved")
        g.moves.push({
          kind: "resolved",
          ...where,
          position: ev.args.position,
          status: NODE_STATUS_NAMES[Number(ev.args.status)] ?? "None",
          challenger: ev.args.challenger,
          challengerPaid: ev.args.challengerPaid,
          proposerPaid: ev.args.proposerPaid,
          burned: ev.args.burned,
        });
      else if (ev.eventName === "GameInvalidated")
        g.moves.push({ kind: "invalidated", ...where, by: ev.args.by });
    }
  }

  // Results, fees, outputs.
  const jobTopics = ["ResultRecorded", "FeeClaimed", "FeeReclaimed"] as const;
  const resultLogs = parseEventLogs({
    abi: verdictAbi,
    logs: await logs(verdict, [jobTopics.map((e) => topic0(verdictAbi, e)), idTopic(jobId)]),
  });
  const recorded: JobHistory["recorded"] = [];
  const fees: GovernanceRecord[] = [];
  for (const ev of resultLogs) {
    if (ev.eventName === "ResultRecorded")
      recorded.push({
        ...at(ev),
        proposalId: ev.args.proposalId,
        finalStateHash: ev.args.finalStateHash,
        proposer: ev.args.proposer,
        fee: ev.args.fee,
      });
    else fees.push({ name: ev.eventName, at: at(ev), args: plain(ev.args) });
  }
  const output: JobHistory["output"] = { opened: [], published: [], current: null };
  if (p.outputs) {
    const raw = await logs(p.outputs, [
      [topic0(outputsAbi, "OutputOpened"), topic0(outputsAbi, "OutputData")],
      idTopic(jobId),
    ]);
    for (const ev of parseEventLogs({ abi: outputsAbi, logs: raw })) {
      if (ev.eventName === "OutputOpened")
        output.opened.push({
          ...at(ev),
          finalStateHash: ev.args.finalStateHash,
          status: Number(ev.args.status),
          exitCode: Number(ev.args.exitCode),
          steps: ev.args.steps,
          outputRoot: ev.args.outputRoot,
        });
      else if (ev.eventName === "OutputData")
        output.published.push({ ...at(ev), outputRoot: ev.args.outputRoot, output: ev.args.output });
    }
    const [o, current] = await read<
      readonly [{ stateHash: Hex; outputRoot: Hex; steps: bigint; exitCode: number; status: number }, boolean]
    >(p.outputs, outputsAbi, "output", [jobId]);
    output.current = {
      stateHash: o.stateHash,
      outputRoot: o.outputRoot,
      steps: BigInt(o.steps),
      exitCode: Number(o.exitCode),
      status: Number(o.status),
      current,
    };
  }

  // Governance that can touch any job: pauses, rollbacks (and the parameter changes in force).
  const GOV = ["ProtocolPausedAt", "ProtocolUnpaused", "RollbackProgress", "ParamsSet"] as const;
  const governance: GovernanceRecord[] = parseEventLogs({
    abi: verdictAbi,
    logs: await logs(verdict, [GOV.map((e) => topic0(verdictAbi, e))]),
  })
    .filter((ev) => !submission || (ev.blockNumber ?? 0n) >= submission.blockNumber)
    .map((ev) => ({ name: ev.eventName, at: at(ev), args: plain(ev.args) }));

  const blockTimes = new Map<bigint, bigint>();
  const blocks = new Set<bigint>();
  const note = (e: { blockNumber: bigint } | null | undefined) => e && blocks.add(e.blockNumber);
  note(program.registered);
  note(program.verifierRetired);
  note(submission);
  for (const x of proposals) {
    note(x);
    for (const e of x.events) note(e.at);
  }
  for (const g of games) {
    note(g);
    for (const m of g.moves) note(m);
  }
  for (const r of recorded) note(r);
  for (const f of fees) note(f.at);
  for (const o of [...output.opened, ...output.published]) note(o);
  for (const gv of governance) note(gv.at);
  await Promise.all(
    [...blocks].map(async (b) => blockTimes.set(b, (await client.getBlock({ blockNumber: b })).timestamp)),
  );

  return {
    chainId,
    blockNumber,
    contracts: { verdict, registry, game, outputs: p.outputs ?? null },
    log2K,
    jobId,
    job: {
      requester: jobRaw.requester,
      programId,
      inputRoot: jobRaw.inputRoot,
      signer: jobRaw.signer,
      fee: BigInt(jobRaw.fee),
      resultHash: jobRaw.resultHash,
      resultProposalId: BigInt(jobRaw.resultProposalId),
    },
    program,
    submission,
    proposals,
    games,
    result: { final: resultRaw[0], finalStateHash: resultRaw[1], proposalId: resultRaw[2] },
    recorded,
    fees,
    output,
    governance,
    blockTimes,
  };
}
