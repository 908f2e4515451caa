// The proposals the index holds, newest first: proposer, stake, leaves, the
// latest status event, and the games opened on them. Read from the
// append-only rows only (no RPC), like queryIndex.ts.

import type { IndexDb } from "../indexer/openIndexDb.ts";

export type ProposalView = {
  proposalId: bigint;
  proposer: string;
  root: string;
  /** Unit: wei (decimal string). */
  bond: string;
  leafCount: bigint;
  blockNumber: bigint;
  /** Unix seconds of the proposing block (null if unknown). */
  time: bigint | null;
  /** Pending | Finalized | Defeated | Invalidated | RolledBack */
  status: string;
  leaves: { jobId: bigint; finalStateHash: string }[];
  games: bigint[];
};

export function readProposals(db: IndexDb, opts: { jobId?: bigint } = {}): ProposalView[] {
  const rows = db
    .prepare(
      `SELECT p.proposal_id AS proposalId, p.proposer, p.root, p.bond, p.leaf_count AS leafCount,
              p.block_number AS blockNumber, b.timestamp AS time,
              (SELECT s.status FROM proposal_status s WHERE s.proposal_id = p.proposal_id
                 ORDER BY s.block_number DESC, s.log_index DESC LIMIT 1) AS status
         FROM proposals p LEFT JOIN blocks b ON b.number = p.block_number
        ${opts.jobId === undefined ? "" : "WHERE p.proposal_id IN (SELECT proposal_id FROM proposal_leaves WHERE job_id = ?)"}
        ORDER BY p.proposal_id DESC`,
    )
    .all(...(opts.jobId === undefined ? [] : [opts.jobId])) as Omit<ProposalView, "leaves" | "games">[];
  const leaves = db.prepare(
    "SELECT job_id AS jobId, final_state_hash AS finalStateHash FROM proposal_leaves WHERE proposal_id = ? ORDER BY job_id",
  );
  const games = db.prepare("SELECT game_id AS gameId FROM games WHERE proposal_id = ? ORDER BY game_id");
  return rows.map((r) => ({
    ...r,
    time: r.time ?? null,
    status: r.status ?? "Pending",
    leaves: leaves.all(r.proposalId) as ProposalView["leaves"],
    games: (games.all(r.proposalId) as { gameId: bigint }[]).map((g) => g.gameId),
  }));
}
