// What the challenger knows from the chain's event history: jobs (with their
// input bytes, which live only in calldata and events), proposals (with their
// leaves and fate) from Verdict, and games (one per disputed leaf, with the
// outcome of their root) from DisputeGame. It is rebuilt from the deployment
// block on every start, so a restart loses nothing; applying the same logs
// twice (a reorg re-hands a range) changes nothing, since every record is
// keyed by its onchain id. Node-level state is not kept here: the player
// reads each game's tree at one block when it plays it.

import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { ResultLeaf as Leaf } from "@verdict/shared/src/game/resultTree.ts";
import { NODE_STATUSES, type NodeStatus } from "@verdict/shared/src/game/types.ts";
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
  /** Active time its challenge window closes. Unit: seconds. */
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
  /** Who opened it (challenged the root). */
  opener: Address;
  /** The disputed leaf's final state hash. */
  endHash: Hex;
  depth: number;
  block: bigint;
  /** How its root resolved, once it did. */
  root?: NodeStatus;
};

/** Wei credited to `me` (bonds, shares and leaf rewards), by ledger, and the block of the credit. */
export type Credit = { ledger: "verdict" | "game"; amount: bigint; block: bigint };

export type ApplyReturnType = {
  newProposals: ProposalRecord[];
  newGames: GameRecord[];
  /** Games whose root resolved in these logs. */
  resolved: GameRecord[];
  credited: Credit[];
};

export type ChainIndex = {
  jobs: Map<bigint, JobRecord>;
  proposals: Map<bigint, ProposalRecord>;
  games: Map<bigint, GameRecord>;
  /** The game of a leaf of a proposal, if one was opened. */
  gameOfLeaf: (proposalId: bigint, leaf: Leaf) => GameRecord | undefined;
  /** Decodes and applies the Verdict and DisputeGame logs of one block range; returns what was new. */
  apply: (logs: readonly Log[]) => ApplyReturnType;
  /**
   * Forgets every job, proposal and game first seen at or after `fromBlock`: a reorg
   * replaced those blocks, and what they carried is learnt again (or not) from the new ones.
   * Returns the ids of the games forgotten (an id may come back as another game).
   */
  forget: (fromBlock: bigint) => { games: bigint[] };
};

export type CreateChainIndexParameters = {
  /** Our address: credits to it are reported. */
  me?: Address;
  /** DisputeGame's address (its Credited events are told apart from Verdict's). */
  game?: Address;
};

const ABI = [
  ...verdictAbi,
  ...disputeGameAbi.filter(
    (x) => x.type === "event" && !["Credited", "Withdrawn", "Burned"].includes(x.name),
  ),
];

const leafKey = (proposalId: bigint, jobId: bigint, hash: Hex) =>
  `${proposalId}:${jobId}:${hash.toLowerCase()}`;

export function createChainIndex({ me, game }: CreateChainIndexParameters = {}): ChainIndex {
  const jobs = new Map<bigint, JobRecord>();
  const proposals = new Map<bigint, ProposalRecord>();
  const games = new Map<bigint, GameRecord>();
  const byLeaf = new Map<string, GameRecord>();
  const seenCredits = new Set<string>();
  const mine = (a: string) => me !== undefined && a.toLowerCase() === me.toLowerCase();

  function apply(logs: readonly Log[]): ApplyReturnType {
    const newProposals: ProposalRecord[] = [];
    const newGames: GameRecord[] = [];
    const resolved: GameRecord[] = [];
    const credited: Credit[] = [];
    const parsed = parseEventLogs({ abi: ABI, logs: logs as Log[], strict: true });
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
            opener: a.opener,
            endHash: a.endHash,
            depth: Number(a.depth),
            block,
          };
          games.set(a.gameId, rec);
          byLeaf.set(leafKey(rec.proposalId, rec.jobId, rec.endHash), rec);
          newGames.push(rec);
          break;
        }
        case "NodeResolved": {
          const g = games.get(log.args.gameId);
          // The root is (0, D): its packed position is D.
          if (g && !g.root && log.args.position === BigInt(g.depth)) {
            g.root = NODE_STATUSES[Number(log.args.status)];
            resolved.push(g);
          }
          break;
        }
        case "Credited": {
          // Verdict's Credited (DisputeGame's has the same signature; told apart by address).
          const key = `${log.transactionHash}:${log.logIndex}`;
          if (mine(log.args.account) && !seenCredits.has(key)) {
            seenCredits.add(key);
            const ledger = game && log.address.toLowerCase() === game.toLowerCase() ? "game" : "verdict";
            credited.push({ ledger, amount: log.args.amount, block });
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
    return { newProposals, newGames, resolved, credited };
  }

  function markSettled(id: bigint, how: NonNullable<ProposalRecord["settled"]>) {
    const p = proposals.get(id);
    if (p) p.settled = how;
  }

  function forget(fromBlock: bigint) {
    const forgotten: bigint[] = [];
    for (const [id, j] of jobs) if (j.block >= fromBlock) jobs.delete(id);
    for (const [id, p] of proposals) if (p.block >= fromBlock) proposals.delete(id);
    for (const [id, g] of games)
      if (g.block >= fromBlock) {
        games.delete(id);
        forgotten.push(id);
      }
    for (const [key, g] of byLeaf) if (g.block >= fromBlock) byLeaf.delete(key);
    return { games: forgotten };
  }

  return {
    forget,
    jobs,
    proposals,
    games,
    gameOfLeaf: (proposalId, leaf) => byLeaf.get(leafKey(proposalId, leaf.jobId, leaf.finalStateHash)),
    apply,
  };
}
