// Read side of the index: what the explorer and scripts ask for. Statuses are
// derived here from the append-only rows (the latest status event of each
// proposal, the latest recorded result of each job), so a rolled-back reorg
// never leaves a stale status behind.

import type { IndexDb } from "./openIndexDb.ts";

export type JobRow = {
  jobId: bigint;
  programId: bigint;
  requester: string;
  fee: string;
  inputBytes: bigint;
  blockNumber: bigint;
  /** submitted | proposed | final | rolled-back */
  status: string;
  /** Final state hash of the valid result, if any. */
  result: string | null;
};

export function listJobs(db: IndexDb): JobRow[] {
  const rows = db
    .prepare(
      `SELECT j.job_id AS jobId, j.program_id AS programId, j.requester, j.fee, j.input_bytes AS inputBytes,
              j.block_number AS blockNumber,
              (SELECT r.final_state_hash || ' ' || r.proposal_id FROM results r WHERE r.job_id = j.job_id
                 ORDER BY r.block_number DESC, r.log_index DESC LIMIT 1) AS lastResult,
              (SELECT COUNT(*) FROM proposal_leaves l WHERE l.job_id = j.job_id) AS proposed
         FROM jobs j ORDER BY j.job_id`,
    )
    .all() as (Omit<JobRow, "status" | "result"> & { lastResult: string | null; proposed: bigint })[];
  const statusOf = db.prepare(
    "SELECT status FROM proposal_status WHERE proposal_id = ? ORDER BY block_number DESC, log_index DESC LIMIT 1",
  );
  return rows.map(({ lastResult, proposed, ...r }) => {
    let status = proposed > 0n ? "proposed" : "submitted";
    let result: string | null = null;
    if (lastResult) {
      const [hash, proposalId] = lastResult.split(" ");
      const s = (statusOf.get(BigInt(proposalId)) as { status: string } | undefined)?.status;
      if (s === "Finalized") {
        status = "final";
        result = hash;
      } else if (s === "RolledBack") status = "rolled-back";
    }
    return { ...r, status, result };
  });
}

/** Every row of every table, in a stable order: what two indexes of one chain must agree on. */
export function dumpIndex(db: IndexDb): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const [t, order] of [
    ["blocks", "number"],
    ["events", "block_number, log_index"],
    ["jobs", "job_id"],
    ["proposals", "proposal_id"],
    ["proposal_leaves", "proposal_id, job_id"],
    ["proposal_status", "block_number, log_index"],
    ["results", "block_number, log_index"],
    ["games", "game_id"],
    ["moves", "block_number, log_index"],
  ] as const)
    out[t] = db.prepare(`SELECT * FROM ${t} ORDER BY ${order}`).all();
  return out;
}
