// The games the index holds, newest first, with the outcome of each root
// (from its NodeResolved row) and how many moves it has seen. No RPC.

import type { IndexDb } from "../indexer/openIndexDb.ts";

export type GameListRow = {
  gameId: bigint;
  proposalId: bigint;
  jobId: bigint;
  opener: string;
  depth: bigint;
  blockNumber: bigint;
  moves: bigint;
  /** challenger won | proposer won | invalidated | in progress */
  outcome: string;
};

export function listGames(db: IndexDb): GameListRow[] {
  const rows = db
    .prepare(
      `SELECT g.game_id AS gameId, g.proposal_id AS proposalId, g.job_id AS jobId, g.opener, g.depth,
              g.block_number AS blockNumber,
              (SELECT COUNT(*) FROM moves m WHERE m.game_id = g.game_id) AS moves,
              (SELECT json_extract(m.data, '$.status') FROM moves m
                WHERE m.game_id = g.game_id AND m.kind = 'resolved'
                  AND (CAST(m.position AS INTEGER) & 255) = g.depth) AS rootStatus,
              (SELECT COUNT(*) FROM moves m WHERE m.game_id = g.game_id AND m.kind = 'invalidated') AS invalidated
         FROM games g ORDER BY g.game_id DESC`,
    )
    .all() as (Omit<GameListRow, "outcome"> & { rootStatus: string | bigint | null; invalidated: bigint })[];
  return rows.map(({ rootStatus, invalidated, ...r }) => ({
    ...r,
    outcome:
      invalidated > 0n
        ? "invalidated"
        : rootStatus === null
          ? "in progress"
          : String(rootStatus) === "3"
            ? "challenger won"
            : String(rootStatus) === "4"
              ? "proposer won"
              : "refunded",
  }));
}
