// The demo's storyteller: follows the chain's events (Verdict, DisputeGame,
// Outputs and the program registry) and prints each step of the story as it
// happens, independent of the daemons it describes. It keeps each game's
// claim tree (who challenged which segment, what the proposer posted, how
// each node resolved) so the summary can draw it, and what the tables need.

import {
  disputeGameAbi,
  outputsAbi,
  programRegistryAbi,
  verdictAbi,
} from "@verdict/shared/src/bindings/abis.ts";
import {
  type Abi,
  type Address,
  type Chain,
  type Hex,
  hexToBytes,
  type Log,
  type PublicClient,
  parseEventLogs,
  type Transport,
} from "viem";
import { c, eth, short } from "./format.ts";

export type JobInfo = { jobId: bigint; program: string; inputBytes: number; signed: boolean };
export type ProposalInfo = { id: bigint; proposer: Address; leaves: number; status: string };
/** One node of a game's claim tree: the proposer's claim over the segment [start, start + 2^log2Len]. */
export type TreeNodeInfo = {
  position: bigint;
  parent: bigint | undefined;
  index: number;
  challenger: Address;
  dissected: boolean;
  /** Set once a one-step proof ran here: did the chain's post-state match the proposer's claim? */
  stepAgreed?: boolean;
  status: "challenged" | "dissected" | "Defeated" | "Upheld" | "Refunded";
};
export type GameInfo = {
  id: bigint;
  proposalId: bigint;
  jobId: bigint;
  opener: Address;
  depth: number;
  nodes: Map<bigint, TreeNodeInfo>;
  stepAt?: bigint;
  /** "in play", "challenger won by the one-step proof", "challenger won (the proposer ran out of time)", "proposer won", "refunded". */
  result: string;
};
export type OutputInfo = {
  jobId: bigint;
  exitCode: number;
  steps: bigint;
  outputRoot: Hex;
  bytes?: Uint8Array;
};

export type Narrator = {
  /** Reads new logs and prints them. */
  poll: () => Promise<void>;
  jobs: Map<bigint, JobInfo>;
  proposals: Map<bigint, ProposalInfo>;
  games: Map<bigint, GameInfo>;
  outputs: Map<bigint, OutputInfo>;
  recorded: Set<bigint>;
  feesClaimed: Set<bigint>;
  burnedWei: () => bigint;
  /** The claim tree of a game, one line per node, indented by depth. */
  drawTree: (gameId: bigint) => string[];
};

export type CreateNarratorParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  game: Address;
  outputs: Address;
  registry: Address;
  fromBlock: bigint;
  /** Role name of known addresses ("honest proposer", …). */
  names: Map<string, string>;
  /** Program names by program id (filled as programs register). */
  programNames: Map<bigint, string>;
  print: (line: string) => void;
};

const NODE_STATUS = ["None", "Challenged", "Dissected", "Defeated", "Upheld", "Refunded"] as const;

const startOf = (p: bigint) => p >> 8n;
const log2LenOf = (p: bigint) => Number(p & 0xffn);
/** "[s, s + 2^l]" with the length spelled out when short. */
export function segment(p: bigint): string {
  const s = startOf(p);
  const l = log2LenOf(p);
  return l <= 4 ? `[${s}, ${s + (1n << BigInt(l))}]` : `[${s}, ${s} + 2^${l}]`;
}

export function createNarrator(p: CreateNarratorParameters): Narrator {
  const { publicClient, names, programNames, print } = p;
  let next = p.fromBlock;
  const jobs = new Map<bigint, JobInfo>();
  const proposals = new Map<bigint, ProposalInfo>();
  const games = new Map<bigint, GameInfo>();
  const outputs = new Map<bigint, OutputInfo>();
  const recorded = new Set<bigint>();
  const feesClaimed = new Set<bigint>();
  let burned = 0n;
  const who = (a: string) => names.get(a.toLowerCase()) ?? short(a);
  // Events only: both ledgers emit Credited/Withdrawn/Burned, decoded by either ABI.
  const abi = [
    ...verdictAbi.filter((x) => x.type === "event"),
    ...disputeGameAbi.filter(
      (x) => x.type === "event" && !["Credited", "Withdrawn", "Burned"].includes(x.name),
    ),
    ...outputsAbi.filter((x) => x.type === "event"),
    ...programRegistryAbi.filter((x) => x.type === "event" && x.name === "ProgramRegistered"),
  ] as Abi;

  function handle(log: Log & { eventName: string; args: Record<string, unknown> }) {
    const a = log.args as Record<string, never>;
    switch (log.eventName) {
      case "ProgramRegistered": {
        const signers = a.signers as Address[];
        print(
          `📜 program #${a.programId} registered: ${c.bold(programNames.get(a.programId) ?? "?")} (trace 2^${a.depth} steps, root ${short(a.programRoot)})${signers.length ? `, inputs must be signed by ${signers.map(who).join(", ")}` : ""}`,
        );
        break;
      }
      case "JobSubmitted": {
        const program = programNames.get(a.programId) ?? `program #${a.programId}`;
        const input = a.input as Hex;
        const signed = a.signer !== "0x0000000000000000000000000000000000000000";
        jobs.set(a.jobId, { jobId: a.jobId, program, inputBytes: (input.length - 2) / 2, signed });
        print(
          `📥 job #${a.jobId}: ${c.bold(program)} on ${(input.length - 2) / 2} input bytes${signed ? `, attested (EIP-712, bound to the requester and the fee) by ${who(a.signer)}` : ""}, fee ${eth(a.fee)}`,
        );
        break;
      }
      case "ProposalCommitted":
        print(
          c.dim(
            `   ${who(a.by)} commits to a batch (hash ${short(a.commitment)}) in block ${a.blockNumber}: it reveals it next block, so nobody can copy it first`,
          ),
        );
        break;
      case "Proposed": {
        const leaves = a.leaves as unknown[];
        proposals.set(a.proposalId, {
          id: a.proposalId,
          proposer: a.proposer,
          leaves: leaves.length,
          status: "pending",
        });
        print(
          `📝 proposal #${a.proposalId} by ${c.bold(who(a.proposer))}: ${leaves.length} result(s), stake ${eth(a.bond)}`,
        );
        break;
      }
      case "GameOpened": {
        const root = BigInt(a.depth);
        games.set(a.gameId, {
          id: a.gameId,
          proposalId: a.proposalId,
          jobId: a.jobId,
          opener: a.opener,
          depth: Number(a.depth),
          nodes: new Map(),
          result: "in play",
        });
        print(
          c.yellow(
            `⚔️  game #${a.gameId}: ${who(a.opener)} disputes job #${a.jobId} of proposal #${a.proposalId}: it challenges the root claim ${segment(root)} (the proposer's final state ${short(a.endHash)} is not what its own machine computes)`,
          ),
        );
        break;
      }
      case "NodeChallenged": {
        const g = games.get(a.gameId);
        const pos = BigInt(a.position);
        const isRoot = g !== undefined && log2LenOf(pos) === g.depth;
        g?.nodes.set(pos, {
          position: pos,
          parent: isRoot ? undefined : BigInt(a.parent),
          index: isRoot ? 0 : Number(a.index),
          challenger: a.challenger,
          dissected: false,
          status: "challenged",
        });
        if (!isRoot)
          print(
            c.dim(
              `   game #${a.gameId}: ${who(a.challenger)} agrees up to step ${startOf(pos)}, challenges part ${a.index} → ${segment(pos)}${log2LenOf(pos) === 0 ? " — down to one instruction" : ""}`,
            ),
          );
        break;
      }
      case "NodeDissected": {
        const n = games.get(a.gameId)?.nodes.get(BigInt(a.position));
        if (n) {
          n.dissected = true;
          n.status = "dissected";
        }
        const interior = a.interior as Hex[];
        print(
          c.dim(
            `   game #${a.gameId}: proposer dissects ${segment(BigInt(a.position))}: ${interior.length} interior hashes, posted once for every challenger (${a.proposerUsed}s of its clock used on this path)`,
          ),
        );
        break;
      }
      case "NodeStepped": {
        const g = games.get(a.gameId);
        const pos = BigInt(a.position);
        const agrees = (a.postStateHash as string).toLowerCase() === (a.endHash as string).toLowerCase();
        if (g) {
          g.stepAt = startOf(pos);
          const n = g.nodes.get(pos);
          if (n) n.stepAgreed = agrees;
        }
        print(
          c.cyan(
            `   game #${a.gameId}: one-step proof for step ${startOf(pos)} → ${startOf(pos) + 1n}: the chain executes the instruction itself; post-state ${short(a.postStateHash)} ${agrees ? "=" : "≠"} proposer's ${short(a.endHash)}`,
          ),
        );
        break;
      }
      case "NodeResolved": {
        const g = games.get(a.gameId);
        const pos = BigInt(a.position);
        const status = NODE_STATUS[Number(a.status)] as TreeNodeInfo["status"];
        const n = g?.nodes.get(pos);
        if (n) n.status = status;
        const isRoot = g !== undefined && log2LenOf(pos) === g.depth;
        if (g && isRoot)
          g.result =
            status === "Defeated"
              ? `challenger won ${g.stepAt !== undefined ? "by the one-step proof" : "(the proposer ran out of time)"}`
              : status === "Upheld"
                ? "proposer won"
                : "refunded";
        // Why: a step decided it, a part below failed, or the proposer never dissected it in time.
        const why =
          status !== "Defeated" || !n
            ? ""
            : n.stepAgreed === false
              ? " (by the one-step proof)"
              : n.dissected
                ? " (a part of it failed)"
                : " (the proposer did not dissect it in time)";
        const what =
          status === "Defeated"
            ? c.green(`the proposer's claim failed${why}: ${who(a.challenger)} gets ${eth(a.challengerPaid)}`)
            : status === "Upheld"
              ? `the challenge failed: the proposer gets ${eth(a.proposerPaid)}`
              : `refunded (governance)`;
        print(
          `${isRoot ? "🏆" : "  "} game #${a.gameId}: ${isRoot ? "root " : ""}${segment(pos)} resolved ${status}: ${what}${a.burned ? `, burned ${eth(a.burned)}` : ""}`,
        );
        break;
      }
      case "ProposalDefeated": {
        const pr = proposals.get(a.proposalId);
        if (pr) pr.status = "defeated";
        print(
          c.red(
            `✗ proposal #${a.proposalId} defeated: none of its results will ever count (${eth(a.burned)} of its stake to be burned, ${eth(a.rewardShare)} for the opener of each defeated leaf)`,
          ),
        );
        break;
      }
      case "LeafRewardPaid":
        print(c.green(`   ${who(a.opener)} receives ${eth(a.amount)} of proposal #${a.proposalId}'s stake`));
        break;
      case "Burned":
        // Both ledgers burn (the same event signature): forfeited stakes and claim bonds.
        burned += a.amount as bigint;
        break;
      case "ProposalFinalized": {
        const pr = proposals.get(a.proposalId);
        if (pr) pr.status = "finalized";
        print(c.green(`✓ proposal #${a.proposalId} finalized: window over, every game on it decided`));
        break;
      }
      case "ProposalInvalidated": {
        const pr = proposals.get(a.proposalId);
        if (pr) pr.status = "invalidated";
        print(c.red(`✗ proposal #${a.proposalId} invalidated by governance`));
        break;
      }
      case "ResultRecorded":
        recorded.add(a.jobId);
        print(
          c.green(
            `   result of job #${a.jobId} recorded: final state ${short(a.finalStateHash)}; its fee ${eth(a.fee)} is for ${who(a.proposer)} once the claim lock passes`,
          ),
        );
        break;
      case "FeeClaimed":
        feesClaimed.add(a.jobId);
        print(c.green(`   fee of job #${a.jobId} paid to ${who(a.proposer)}: ${eth(a.fee)}`));
        break;
      case "FeeReclaimed":
        print(`   fee of job #${a.jobId} taken back by ${who(a.requester)}: ${eth(a.fee)}`);
        break;
      case "OutputOpened":
        outputs.set(a.jobId, {
          jobId: a.jobId,
          exitCode: Number(a.exitCode),
          steps: a.steps,
          outputRoot: a.outputRoot,
        });
        print(
          `   output of job #${a.jobId} opened: exit code ${a.exitCode} after ${a.steps} steps, output root ${short(a.outputRoot)}`,
        );
        break;
      case "OutputData": {
        const o = outputs.get(a.jobId);
        if (o) o.bytes = hexToBytes(a.output);
        break;
      }
      case "Withdrawn":
        print(c.dim(`   ${who(a.account)} withdrew ${eth(a.amount)}`));
        break;
      case "ProtocolPausedAt":
        print(c.magenta(`⏸  protocol paused by ${who(a.by)}: every clock and window frozen`));
        break;
      case "ProtocolUnpaused":
        print(c.magenta(`▶  protocol unpaused after ${a.pausedSeconds}s; clocks resume where they stopped`));
        break;
      default:
        break;
    }
  }

  function drawTree(gameId: bigint): string[] {
    const g = games.get(gameId);
    if (!g) return [];
    const kids = new Map<bigint | undefined, TreeNodeInfo[]>();
    for (const n of g.nodes.values()) {
      const list = kids.get(n.parent) ?? [];
      list.push(n);
      kids.set(n.parent, list);
    }
    const lines: string[] = [];
    const walk = (parent: bigint | undefined, depth: number) => {
      for (const n of (kids.get(parent) ?? []).sort((x, y) => x.index - y.index)) {
        const label = `${"  ".repeat(depth)}${depth ? "└ " : ""}${segment(n.position)}`;
        const facts = [
          parent === undefined ? "root" : `part ${n.index}`,
          `challenged by ${who(n.challenger)}`,
          n.dissected ? "dissected by the proposer" : undefined,
          n.stepAgreed === undefined
            ? undefined
            : `one-step proof: ${n.stepAgreed ? "post-state = claim" : "post-state ≠ claim"}`,
          n.status === "Defeated" ? c.green("Defeated") : n.status === "Upheld" ? c.red("Upheld") : n.status,
        ].filter(Boolean);
        lines.push(`${label.padEnd(34)} ${facts.join(" · ")}`);
        walk(n.position, depth + 1);
      }
    };
    walk(undefined, 0);
    return lines;
  }

  return {
    jobs,
    proposals,
    games,
    outputs,
    recorded,
    feesClaimed,
    burnedWei: () => burned,
    drawTree,
    async poll() {
      const head = await publicClient.getBlockNumber({ cacheTime: 0 });
      if (head < next) return;
      const logs = await publicClient.getLogs({
        address: [p.verdict, p.game, p.outputs, p.registry],
        fromBlock: next,
        toBlock: head,
      });
      next = head + 1n;
      for (const l of parseEventLogs({ abi, logs })) handle(l as never);
    },
  };
}
