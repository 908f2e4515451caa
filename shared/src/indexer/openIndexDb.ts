// The indexer's store: SQLite through better-sqlite3 (embedded, nothing to
// install or run). Every table is append-only and every row carries the block
// it came from, so a reorg is undone by deleting the rows above the common
// ancestor, and statuses are derived at query time from the latest event
// rather than updated in place (an update could not be rolled back).
//
// `blocks` keeps the hash of every block that produced a row, plus the block
// the index reached (`cursor` in `meta`); a block whose stored hash still
// matches the chain vouches for all of its ancestors.

import Database from "better-sqlite3";

export type IndexDb = Database.Database;

/** Bump when the schema changes: an index of another version is rebuilt from scratch. */
export const INDEX_SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS blocks (
  number INTEGER PRIMARY KEY,
  hash TEXT NOT NULL,
  timestamp INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  block_number INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  tx_hash TEXT NOT NULL,
  contract TEXT NOT NULL,
  name TEXT NOT NULL,
  args TEXT NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS events_name ON events (name);
CREATE TABLE IF NOT EXISTS jobs (
  job_id INTEGER PRIMARY KEY,
  program_id INTEGER NOT NULL,
  requester TEXT NOT NULL,
  input_root TEXT NOT NULL,
  signer TEXT NOT NULL,
  fee TEXT NOT NULL,
  input_bytes INTEGER NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS proposals (
  proposal_id INTEGER PRIMARY KEY,
  proposer TEXT NOT NULL,
  root TEXT NOT NULL,
  bond TEXT NOT NULL,
  leaf_count INTEGER NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS proposal_leaves (
  proposal_id INTEGER NOT NULL,
  job_id INTEGER NOT NULL,
  final_state_hash TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  PRIMARY KEY (proposal_id, job_id)
);
CREATE INDEX IF NOT EXISTS proposal_leaves_job ON proposal_leaves (job_id);
CREATE TABLE IF NOT EXISTS proposal_status (
  proposal_id INTEGER NOT NULL,
  status TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS results (
  job_id INTEGER NOT NULL,
  proposal_id INTEGER NOT NULL,
  final_state_hash TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE TABLE IF NOT EXISTS games (
  game_id INTEGER PRIMARY KEY,
  proposal_id INTEGER NOT NULL,
  job_id INTEGER NOT NULL,
  opener TEXT NOT NULL,
  depth INTEGER NOT NULL,
  end_hash TEXT NOT NULL,
  block_number INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS moves (
  game_id INTEGER NOT NULL,
  kind TEXT NOT NULL,
  position TEXT NOT NULL,
  data TEXT NOT NULL,
  block_number INTEGER NOT NULL,
  log_index INTEGER NOT NULL,
  PRIMARY KEY (block_number, log_index)
);
CREATE INDEX IF NOT EXISTS moves_game ON moves (game_id);
`;

/** Tables whose rows carry `block_number` (all but meta). */
export const BLOCK_TABLES = [
  "blocks",
  "events",
  "jobs",
  "proposals",
  "proposal_leaves",
  "proposal_status",
  "results",
  "games",
  "moves",
] as const;

/** Opens (creating if needed) the index at `path` (":memory:" for a throwaway one). */
export function openIndexDb(path: string): IndexDb {
  const db = new Database(path);
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  const version = (() => {
    try {
      return (
        db.prepare("SELECT value FROM meta WHERE key = 'schema'").get() as { value: string } | undefined
      )?.value;
    } catch {
      return undefined;
    }
  })();
  if (version !== undefined && version !== String(INDEX_SCHEMA_VERSION)) {
    for (const t of [...BLOCK_TABLES, "meta"]) db.exec(`DROP TABLE IF EXISTS ${t}`);
  }
  db.exec(SCHEMA);
  db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema', ?)").run(
    String(INDEX_SCHEMA_VERSION),
  );
  return db;
}
