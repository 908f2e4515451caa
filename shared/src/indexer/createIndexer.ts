// Chain events into the SQLite index (openIndexDb.ts): backfill from the
// deployment block, then follow the head, reorg-safe. Each sync step:
//
// 1. reorg check: the block the index reached (and, walking down, every block
//    that produced rows) must still have the hash stored for it; the highest
//    one that does is the common ancestor, and every row above it is deleted;
// 2. fetch the logs of the four contracts over the next range, decode them,
//    and write them with the hashes of their blocks in one transaction — after
//    checking those hashes against the headers read after the logs, so a
//    reorg in the middle of a range is retried rather than stored.
//
// `confirmations` keeps the index that many blocks behind the head (0 on a dev
// chain); the reorg check makes any depth safe, it only saves work.

import {
  type Abi,
  type Address,
  type Chain,
  type Hex,
  type Log,
  numberToHex,
  type PublicClient,
  parseEventLogs,
  type Transport,
} from "viem";
import { disputeGameAbi, outputsAbi, programRegistryAbi, verdictAbi } from "../bindings/abis.ts";
import { BLOCK_TABLES, type IndexDb } from "./openIndexDb.ts";

export type IndexedContracts = { verdict: Address; game: Address; registry: Address; outputs?: Address };

export type CreateIndexerParameters = {
  publicClient: PublicClient<Transport, Chain>;
  db: IndexDb;
  contracts: IndexedContracts;
  /** First block to index (the deployment block). */
  fromBlock: bigint;
  /** Blocks per eth_getLogs. */
  maxRange?: bigint;
  /** Stay this many blocks behind the head. */
  confirmations?: bigint;
  pollMs?: number;
  /** Called after every sync step that changed the index. */
  onUpdate?: (u: { cursor: bigint; reorgedTo: bigint | null }) => void;
  /** Called when a sync step of `follow` failed (it is retried at the next poll). */
  onError?: (err: unknown) => void;
};

export type Indexer = {
  db: IndexDb;
  /** One step: reorg check, then index up to the head (or `toBlock`). Returns the new cursor. */
  sync: (toBlock?: bigint) => Promise<bigint>;
  /** Follows the head until `stop`. */
  follow: () => Promise<void>;
  stop: () => void;
  /** Highest block the index covers (fromBlock - 1 when empty). */
  cursor: () => bigint;
};

const json = (v: unknown) => JSON.stringify(v, (_k, x) => (typeof x === "bigint" ? x.toString() : x));

export function createIndexer(p: CreateIndexerParameters): Indexer {
  const { publicClient: client, db, contracts } = p;
  const maxRange = p.maxRange ?? 2_000n;
  const confirmations = p.confirmations ?? 0n;
  const abiOf = new Map<string, { name: string; abi: Abi }>([
    [contracts.verdict.toLowerCase(), { name: "verdict", abi: verdictAbi as Abi }],
    [contracts.game.toLowerCase(), { name: "game", abi: disputeGameAbi as Abi }],
    [contracts.registry.toLowerCase(), { name: "registry", abi: programRegistryAbi as Abi }],
  ]);
  if (contracts.outputs)
    abiOf.set(contracts.outputs.toLowerCase(), { name: "outputs", abi: outputsAbi as Abi });
  let stopped = false;
  // Chain quantities come back as bigint, never as a rounded double.
  db.defaultSafeIntegers(true);

  const getMeta = db.prepare("SELECT value FROM meta WHERE key = ?");
  const setMeta = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  const cursor = () => {
    const v = (getMeta.get("cursor") as { value: string } | undefined)?.value;
    return v === undefined ? p.fromBlock - 1n : BigInt(v);
  };
  const storedBlocksDesc = db.prepare(
    "SELECT number, hash FROM blocks WHERE number <= ? ORDER BY number DESC",
  );
  const insBlock = db.prepare("INSERT OR REPLACE INTO blocks (number, hash, timestamp) VALUES (?, ?, ?)");
  const insEvent = db.prepare(
    "INSERT INTO events (block_number, log_index, tx_hash, contract, name, args) VALUES (?, ?, ?, ?, ?, ?)",
  );
  const ins = {
    job: db.prepare(
      "INSERT INTO jobs (job_id, program_id, requester, input_root, signer, fee, input_bytes, block_number) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
    ),
    proposal: db.prepare(
      "INSERT INTO proposals (proposal_id, proposer, root, bond, leaf_count, block_number) VALUES (?, ?, ?, ?, ?, ?)",
    ),
    leaf: db.prepare(
      "INSERT OR IGNORE INTO proposal_leaves (proposal_id, job_id, final_state_hash, block_number) VALUES (?, ?, ?, ?)",
    ),
    status: db.prepare(
      "INSERT INTO proposal_status (proposal_id, status, block_number, log_index) VALUES (?, ?, ?, ?)",
    ),
    result: db.prepare(
      "INSERT INTO results (job_id, proposal_id, final_state_hash, block_number, log_index) VALUES (?, ?, ?, ?, ?)",
    ),
    game: db.prepare(
      "INSERT INTO games (game_id, proposal_id, job_id, opener, depth, end_hash, block_number) VALUES (?, ?, ?, ?, ?, ?, ?)",
    ),
    move: db.prepare(
      "INSERT INTO moves (game_id, kind, position, data, block_number, log_index) VALUES (?, ?, ?, ?, ?, ?)",
    ),
  };
  const deleteAbove = db.transaction((n: bigint) => {
    for (const t of BLOCK_TABLES)
      db.prepare(`DELETE FROM ${t} WHERE ${t === "blocks" ? "number" : "block_number"} > ?`).run(n);
    setMeta.run("cursor", n.toString());
  });

  type Decoded = { log: Log; contract: string; eventName: string; args: Record<string, unknown> };
  const write = db.transaction(
    (events: Decoded[], hashes: Map<bigint, { hash: Hex; timestamp: bigint }>, to: bigint) => {
      for (const [n, b] of hashes) insBlock.run(n, b.hash, b.timestamp);
      for (const { log, contract, eventName, args: a } of events) {
        const bn = log.blockNumber as bigint;
        const li = log.logIndex as number;
        insEvent.run(bn, li, log.transactionHash, contract, eventName, json(a));
        const S = STATUS_EVENTS[eventName];
        if (contract === "verdict" && eventName === "JobSubmitted")
          ins.job.run(
            a.jobId,
            a.programId,
            a.requester,
            a.inputRoot,
            a.signer,
            String(a.fee),
            ((a.input as string).length - 2) / 2,
            bn,
          );
        else if (contract === "verdict" && eventName === "Proposed") {
          const leaves = a.leaves as { jobId: bigint; finalStateHash: Hex }[];
          ins.proposal.run(a.proposalId, a.proposer, a.root, String(a.bond), leaves.length, bn);
          for (const l of leaves) ins.leaf.run(a.proposalId, l.jobId, l.finalStateHash, bn);
          ins.status.run(a.proposalId, "Pending", bn, li);
        } else if (contract === "verdict" && S) ins.status.run(a.proposalId, S, bn, li);
        else if (contract === "verdict" && eventName === "ResultRecorded")
          ins.result.run(a.jobId, a.proposalId, a.finalStateHash, bn, li);
        else if (contract === "game" && eventName === "GameOpened")
          ins.game.run(a.gameId, a.proposalId, a.jobId, a.opener, a.depth, a.endHash, bn);
        else if (contract === "game" && MOVE_EVENTS[eventName])
          ins.move.run(a.gameId, MOVE_EVENTS[eventName], String(a.position ?? 0n), json(a), bn, li);
      }
      setMeta.run("cursor", to.toString());
    },
  );

  async function blockHash(n: bigint): Promise<Hex | null> {
    const b = await client.getBlock({ blockNumber: n }).catch(() => null);
    return b?.hash ?? null;
  }

  /** Deletes what a reorg orphaned; returns the block the index was rolled back to, or null. */
  async function checkReorg(): Promise<bigint | null> {
    const c = cursor();
    if (c < p.fromBlock) return null;
    const rows = storedBlocksDesc.all(c) as { number: number | bigint; hash: Hex }[];
    if (rows.length === 0) return null;
    const top = rows[0];
    if (BigInt(top.number) === c && (await blockHash(c)) === top.hash) return null;
    for (const r of rows) {
      if ((await blockHash(BigInt(r.number))) === r.hash) {
        deleteAbove(BigInt(r.number));
        return BigInt(r.number);
      }
    }
    deleteAbove(p.fromBlock - 1n);
    return p.fromBlock - 1n;
  }

  async function sync(toBlock?: bigint): Promise<bigint> {
    const reorgedTo = await checkReorg();
    const head = (await client.getBlockNumber({ cacheTime: 0 })) - confirmations;
    const target = toBlock !== undefined && toBlock < head ? toBlock : head;
    let changed = reorgedTo !== null;
    while (cursor() < target) {
      const from = cursor() + 1n;
      const to = from + maxRange - 1n < target ? from + maxRange - 1n : target;
      const raw = (await client.request({
        method: "eth_getLogs",
        params: [
          { address: [...abiOf.keys()] as Address[], fromBlock: numberToHex(from), toBlock: numberToHex(to) },
        ],
      })) as unknown as Log[];
      const events: Decoded[] = [];
      for (const l of raw) {
        const c = abiOf.get(l.address.toLowerCase());
        if (!c) continue;
        const [ev] = parseEventLogs({ abi: c.abi, logs: [l], strict: true }) as unknown as {
          eventName: string;
          args: Record<string, unknown>;
        }[];
        if (ev)
          events.push({
            log: { ...l, blockNumber: BigInt(l.blockNumber ?? 0n), logIndex: Number(l.logIndex) },
            contract: c.name,
            eventName: ev.eventName,
            args: ev.args,
          });
      }
      // Hashes of the blocks that produced rows, and of the range's end (the new cursor).
      const hashes = new Map<bigint, { hash: Hex; timestamp: bigint }>();
      const want = new Set<bigint>([to, ...events.map((e) => e.log.blockNumber as bigint)]);
      let consistent = true;
      for (const n of want) {
        const b = await client.getBlock({ blockNumber: n }).catch(() => null);
        if (!b?.hash) {
          consistent = false;
          break;
        }
        hashes.set(n, { hash: b.hash, timestamp: b.timestamp });
      }
      for (const e of events)
        if (hashes.get(e.log.blockNumber as bigint)?.hash !== e.log.blockHash) consistent = false;
      if (!consistent) {
        // The chain moved under us: check again from the last good point.
        await checkReorg();
        break;
      }
      write(events, hashes, to);
      changed = true;
    }
    const c = cursor();
    if (changed) p.onUpdate?.({ cursor: c, reorgedTo });
    return c;
  }

  async function follow(): Promise<void> {
    stopped = false;
    while (!stopped) {
      try {
        await sync();
      } catch (err) {
        // An RPC hiccup: the next poll starts again from the reorg check; nothing half-written stays.
        p.onError?.(err);
      }
      await new Promise((r) => setTimeout(r, p.pollMs ?? 1000));
    }
  }

  return {
    db,
    sync,
    follow,
    stop: () => {
      stopped = true;
    },
    cursor,
  };
}

/** Verdict events that move a proposal to a status. */
const STATUS_EVENTS: Record<string, string> = {
  ProposalFinalized: "Finalized",
  ProposalDefeated: "Defeated",
  ProposalInvalidated: "Invalidated",
  ProposalRolledBack: "RolledBack",
};

/** DisputeGame events that are moves of a game. */
const MOVE_EVENTS: Record<string, string> = {
  NodeChallenged: "challenged",
  NodeDissected: "dissected",
  NodeStepped: "stepped",
  NodeResolved: "resolved",
  GameInvalidated: "invalidated",
};
