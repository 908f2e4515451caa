// One job as the explorer shows it: its row (status, program, fee, result),
// the proposals that carried it, the games on its leaves, and the audit
// timeline (audit/buildTimeline.ts over audit/collectJobHistory.ts, at the
// block the index reached). The audit's re-execution is not run here: it
// needs the program's ELF and can take minutes; `verdict audit` does it.

import type { Address, Chain, PublicClient, Transport } from "viem";
import { buildTimeline, type TimelineEntry } from "../audit/buildTimeline.ts";
import { collectJobHistory } from "../audit/collectJobHistory.ts";
import type { IndexDb } from "../indexer/openIndexDb.ts";
import { type JobRow, listJobs } from "../indexer/queryIndex.ts";
import { ExplorerNotFoundError } from "./errors.ts";
import { type ProposalView, readProposals } from "./readProposals.ts";

export type JobView = JobRow & {
  proposals: ProposalView[];
  games: { gameId: bigint; proposalId: bigint; opener: string }[];
  timeline: TimelineEntry[];
};

export type ReadJobViewParameters = {
  db: IndexDb;
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  outputs?: Address;
  fromBlock: bigint;
  jobId: bigint;
  /** The block the index reached: the timeline is read as of it. */
  blockNumber: bigint;
};

export async function readJobView(p: ReadJobViewParameters): Promise<JobView> {
  const row = listJobs(p.db).find((j) => j.jobId === p.jobId);
  if (!row) throw new ExplorerNotFoundError(`Job #${p.jobId} is not in the index (yet).`);
  const history = await collectJobHistory({
    publicClient: p.publicClient,
    verdict: p.verdict,
    outputs: p.outputs,
    jobId: p.jobId,
    fromBlock: p.fromBlock,
    blockNumber: p.blockNumber,
  });
  return {
    ...row,
    proposals: readProposals(p.db, { jobId: p.jobId }),
    games: p.db
      .prepare(
        "SELECT game_id AS gameId, proposal_id AS proposalId, opener FROM games WHERE job_id = ? ORDER BY game_id",
      )
      .all(p.jobId) as JobView["games"],
    timeline: buildTimeline(history),
  };
}
