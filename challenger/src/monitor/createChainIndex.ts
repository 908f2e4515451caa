// What the challenger knows from the chain's event history: jobs (with their
// input bytes, which live only in calldata and events), proposals (with their
// leaves) and games. It is rebuilt from the deployment block on every start,
// so a restart loses nothing; applying the same logs twice (a reorg re-hands a
// range) changes nothing, since every record is keyed by its onchain id.

import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { ResultLeaf as Leaf } from "@verdict/shared/src/game/resultTree.ts";
import { type Address, type Hex, hexToBytes, type Log, parseEventLogs } from "viem";

export type JobRecord = {
  jobId: bigint;
  programId: bigint;
  inputRoot: Hex;
  input: Uint8Array;
  block: bigint;
};

export type ProposalRecord = {
  proposalId: bigint;
  proposer: Address;
  root: Hex;
  deadline: bigint;
  jobCount: bigint;
  leaves: Leaf[];
  block: bigint;
  /** Wall time we first saw it (time-to-challenge metric). Unit: ms since epoch. */
  seenAtMs: number;
  /** Set once it left Pending (finalized, defeated, invalidated): nothing more to check. */
  settled?: "finalized" | "defeated" | "invalidated" | "rolledBack";
};

export type GameRecord = {
  gameId: bigint;
  proposalId: bigint;
  jobId: bigint;
  challenger: Address;
  endHash: Hex;
  block: bigint;
  /** resolution: 0 = by the one-step proof, 1 = on time (Types.sol Resolution). */
  resolved?:
    | { status: number; resolution: number; winner: Address; paid: bigint }
    | { closed: true; refund: bigint };
};

export type ChainIndex = {
  jobs: Map<bigint, JobRecord>;
  proposals: Map<bigint, ProposalRecord>;
  games: Map<bigint, GameRecord>;
  /** Decodes and applies the Verdict logs of one block range; returns what was new. */
  apply: (logs: readonly Log[]) => {
    newProposals: ProposalRecord[];
    newGames: GameRecord[];
    resolved: GameRecord[];
  };
};

export function createChainIndex(): ChainIndex {
  const jobs = new Map<bigint, JobRecord>();
  const proposals = new Map<bigint, ProposalRecord>();
  const games = new Map<bigint, GameRecord>();

  function apply(logs: readonly Log[]) {
    const newProposals: ProposalRecord[] = [];
    const newGames: GameRecord[] = [];
    const resolved: GameRecord[] = [];
    const parsed = parseEventLogs({ abi: verdictAbi, logs: logs as Log[], strict: true });
    for (const log of parsed) {
      const block = log.blockNumber ?? 0n;
      switch (log.eventName) {
        case "JobSubmitted": {
          const a = log.args;
          if (!jobs.has(a.jobId))
            jobs.set(a.jobId, {
              jobId: a.jobId,
              programId: a.programId,
              inputRoot: a.inputRoot,
              input: hexToBytes(a.input),
              block,
            });
          break;
        }
        case "Proposed": {
          const a = log.args;
          if (proposals.has(a.proposalId)) break;
          const rec: ProposalRecord = {
            proposalId: a.proposalId,
            proposer: a.proposer,
            root: a.root,
            deadline: BigInt(a.deadline),
            jobCount: a.jobCount,
            leaves: a.leaves.map((l) => ({ jobId: l.jobId, finalStateHash: l.finalStateHash })),
            block,
            seenAtMs: Date.now(),
          };
          proposals.set(a.proposalId, rec);
          newProposals.push(rec);
          break;
        }
        case "GameOpened": {
          const a = log.args;
          if (games.has(a.gameId)) break;
          const rec: GameRecord = {
            gameId: a.gameId,
            proposalId: a.proposalId,
            jobId: a.jobId,
            challenger: a.challenger,
            endHash: a.endHash,
            block,
          };
          games.set(a.gameId, rec);
          newGames.push(rec);
          break;
        }
        case "GameResolved": {
          const g = games.get(log.args.gameId);
          if (g && !g.resolved) {
            g.resolved = {
              status: Number(log.args.status),
              resolution: Number(log.args.resolution),
              winner: log.args.winner,
              paid: log.args.paid,
            };
            resolved.push(g);
          }
          break;
        }
        case "GameClosed": {
          const g = games.get(log.args.gameId);
          if (g && !g.resolved) {
            g.resolved = { closed: true, refund: log.args.refund };
            resolved.push(g);
          }
          break;
        }
        case "ProposalDefeated":
          markSettled(log.args.proposalId, "defeated");
          break;
        case "ProposalFinalized":
          markSettled(log.args.proposalId, "finalized");
          break;
        case "ProposalInvalidated":
          markSettled(log.args.proposalId, "invalidated");
          break;
        case "ProposalRolledBack":
          markSettled(log.args.proposalId, "rolledBack");
          break;
        default:
          break;
      }
    }
    return { newProposals, newGames, resolved };
  }

  function markSettled(id: bigint, how: NonNullable<ProposalRecord["settled"]>) {
    const p = proposals.get(id);
    if (p) p.settled = how;
  }

  return { jobs, proposals, games, apply };
}
