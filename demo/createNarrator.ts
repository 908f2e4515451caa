// The demo's storyteller: follows the chain's events (Verdict and the program
// registry) and prints each step of the story as it happens, independent of
// the daemons it describes. It also keeps what the summary table needs.

import { programRegistryAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
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
export type GameInfo = {
  id: bigint;
  proposalId: bigint;
  jobId: bigint;
  challenger: Address;
  rounds: number;
  stepAt?: bigint;
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
  burnedWei: () => bigint;
};

export type CreateNarratorParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  registry: Address;
  fromBlock: bigint;
  /** Role name of known addresses ("honest proposer", …). */
  names: Map<string, string>;
  /** Program names by program id (filled as programs register). */
  programNames: Map<bigint, string>;
  print: (line: string) => void;
};

export function createNarrator(p: CreateNarratorParameters): Narrator {
  const { publicClient, verdict, registry, names, programNames, print } = p;
  let next = p.fromBlock;
  const jobs = new Map<bigint, JobInfo>();
  const proposals = new Map<bigint, ProposalInfo>();
  const games = new Map<bigint, GameInfo>();
  const outputs = new Map<bigint, OutputInfo>();
  const recorded = new Set<bigint>();
  let burned = 0n;
  const who = (a: string) => names.get(a.toLowerCase()) ?? short(a);
  const abi = [
    ...verdictAbi,
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
          `📥 job #${a.jobId}: ${c.bold(program)} on ${(input.length - 2) / 2} input bytes${signed ? `, attested (EIP-712) by ${who(a.signer)}` : ""}, fee ${eth(a.fee)}`,
        );
        break;
      }
      case "Proposed": {
        const leaves = a.leaves as unknown[];
        proposals.set(a.proposalId, {
          id: a.proposalId,
          proposer: a.proposer,
          leaves: leaves.length,
          status: "pending",
        });
        print(
          `📝 proposal #${a.proposalId} by ${c.bold(who(a.proposer))}: ${leaves.length} result(s), bond ${eth(a.bond)}`,
        );
        break;
      }
      case "GameOpened": {
        games.set(a.gameId, {
          id: a.gameId,
          proposalId: a.proposalId,
          jobId: a.jobId,
          challenger: a.challenger,
          rounds: 0,
          result: "in play",
        });
        print(
          c.yellow(
            `⚔️  game #${a.gameId}: ${who(a.challenger)} disputes job #${a.jobId} of proposal #${a.proposalId} (bond ${eth(a.bond)}, ${a.clockSeconds}s on each clock, trace of 2^${a.depth} steps)`,
          ),
        );
        break;
      }
      case "Dissected": {
        const g = games.get(a.gameId);
        if (g) g.rounds++;
        const interior = a.interior as Hex[];
        print(
          c.dim(
            `   game #${a.gameId} round ${g?.rounds ?? "?"}: proposer commits ${interior.length} hashes inside steps [${a.start}, ${BigInt(a.start) + (1n << BigInt(a.log2Len))}]`,
          ),
        );
        break;
      }
      case "Picked": {
        const len = 1n << BigInt(a.log2Len);
        print(
          c.dim(
            `   game #${a.gameId}: challenger agrees up to step ${a.start}, disputes part ${a.index} → steps [${a.start}, ${BigInt(a.start) + len}]${len === 1n ? " — down to one instruction" : ""}`,
          ),
        );
        break;
      }
      case "Stepped": {
        const g = games.get(a.gameId);
        if (g) g.stepAt = a.position;
        const agrees = (a.postStateHash as string).toLowerCase() === (a.endHash as string).toLowerCase();
        print(
          c.cyan(
            `   game #${a.gameId}: one-step proof for step ${a.position} → ${BigInt(a.position) + 1n}: the chain executes the instruction itself; post-state ${short(a.postStateHash)} ${agrees ? "=" : "≠"} proposer's ${short(a.endHash)}`,
          ),
        );
        break;
      }
      case "GameResolved": {
        const g = games.get(a.gameId);
        const status = Number(a.status) === 2 ? "challenger won" : "proposer won";
        const how = Number(a.resolution) === 0 ? "by the one-step proof" : "on time";
        if (g) g.result = `${status} ${how}`;
        burned += a.burned as bigint;
        print(
          c.bold(
            `🏆 game #${a.gameId}: ${who(a.winner)} wins ${how}; paid ${eth(a.paid)}, burned ${eth(a.burned)}`,
          ),
        );
        break;
      }
      case "GameClosed": {
        const g = games.get(a.gameId);
        if (g) g.result = a.byGovernance ? "closed by governance" : "closed (proposal already settled)";
        print(`   game #${a.gameId} closed without a winner; challenger refunded ${eth(a.refund)}`);
        break;
      }
      case "ProposalDefeated": {
        const pr = proposals.get(a.proposalId);
        if (pr) pr.status = "defeated";
        print(c.red(`✗ proposal #${a.proposalId} defeated: none of its results will ever count`));
        break;
      }
      case "ProposalFinalized": {
        const pr = proposals.get(a.proposalId);
        if (pr) pr.status = "finalized";
        print(c.green(`✓ proposal #${a.proposalId} finalized: window over, no successful challenge`));
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
            `   result of job #${a.jobId} recorded: final state ${short(a.finalStateHash)}, fee ${eth(a.fee)} to ${who(a.proposer)}`,
          ),
        );
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

  return {
    jobs,
    proposals,
    games,
    outputs,
    recorded,
    burnedWei: () => burned,
    async poll() {
      const head = await publicClient.getBlockNumber({ cacheTime: 0 });
      if (head < next) return;
      const logs = await publicClient.getLogs({
        address: [verdict, registry],
        fromBlock: next,
        toBlock: head,
      });
      next = head + 1n;
      for (const l of parseEventLogs({ abi, logs })) handle(l as never);
    },
  };
}
