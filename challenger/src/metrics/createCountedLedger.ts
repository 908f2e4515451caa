// What the challenger's counters already counted, kept across restarts (issue
// 11). A restart rebuilds everything from the chain: the backfill hands out
// the Credited events again and every still-pending proposal is checked
// again, and without this the restarted daemon would count them a second
// time. Two records, as the proposer's counted-through block:
// - the block through which events were counted: an event at or below the one
//   a previous run reached is not counted again (bonds_won_wei_total);
// - the checks counted, one key per (proposal, root, leaf) and per (proposal,
//   root): a re-check counts nothing (proposals_checked_total,
//   leaves_checked_total). Keys of settled proposals are dropped, since a
//   proposal out of Pending is never checked again, so the file stays small.
// Both are kept in one JSON file, written whole (temp file, then rename). The
// file names the newest block with our contracts' logs and its hash: on start
// the chain must still have that block, or the record is of another chain (a
// fresh anvil with the same addresses) or of a branch a reorg replaced while
// we were down, and everything is counted afresh.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import type { Hex } from "viem";

export type CountedAnchor = { block: bigint; hash: Hex };

export type CreateCountedLedgerParameters = {
  /** The JSON file; undefined = kept in memory only (counted once per process). */
  file?: string;
  /** The hash of the chain's block `block` now; undefined when the chain has no such block. */
  blockHash: (block: bigint) => Promise<Hex | undefined>;
  logger: Logger;
};

export type CountedLedger = {
  /** True when events of `block` are still to be counted: it is after the last block a previous run counted. */
  uncounted: (block: bigint) => boolean;
  /**
   * Records that every event through `toBlock` is counted; `anchor` is the newest block of the
   * range with our contracts' logs (nothing is counted without one, so nothing is saved before one).
   */
  countedThrough: (toBlock: bigint, anchor?: CountedAnchor) => void;
  /** True the first time `key`, a check of proposal `proposalId`, is offered, in this run or a previous one. */
  once: (proposalId: bigint, key: string) => boolean;
  /** Forgets the check keys of the proposals `settled` says are out of Pending. */
  prune: (settled: (proposalId: bigint) => boolean) => void;
};

export type CreateCountedLedgerReturnType = CountedLedger;

/** The file's layout (bigints as decimal strings). */
type Saved = {
  anchor: { block: string; hash: Hex };
  countedThrough: string;
  checks: Record<string, string[]>;
};

export async function createCountedLedger({
  file,
  blockHash,
  logger,
}: CreateCountedLedgerParameters): Promise<CreateCountedLedgerReturnType> {
  const log = logger.child({ component: "counted" });
  let anchor: CountedAnchor | undefined;
  let through = -1n;
  /** Check keys by proposal id. */
  const checks = new Map<bigint, Set<string>>();

  const saved = file ? read(file) : undefined;
  if (saved) {
    const at = { block: BigInt(saved.anchor.block), hash: saved.anchor.hash };
    const now = await blockHash(at.block);
    if (now?.toLowerCase() === at.hash.toLowerCase()) {
      anchor = at;
      through = BigInt(saved.countedThrough);
      for (const [id, keys] of Object.entries(saved.checks)) checks.set(BigInt(id), new Set(keys));
      log.info(
        { file, countedThrough: through, proposals: checks.size },
        "counters resume after what was counted",
      );
    } else
      log.warn(
        { file, block: at.block, was: at.hash, now: now ?? null },
        "the counted record is of another chain or a replaced branch: counting everything again",
      );
  }
  /** Events through this block were counted by a previous run. */
  const startThrough = through;

  function read(path: string): Saved | undefined {
    try {
      const s = JSON.parse(readFileSync(path, "utf8")) as Saved;
      BigInt(s.anchor.block);
      BigInt(s.countedThrough);
      return s;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "ENOENT")
        log.warn(
          { file: path, err: (err as Error).message },
          "cannot read the counted record: counting everything again",
        );
      return undefined;
    }
  }

  function save() {
    if (!file || !anchor) return;
    const s: Saved = {
      anchor: { block: anchor.block.toString(), hash: anchor.hash },
      countedThrough: through.toString(),
      checks: Object.fromEntries([...checks].map(([id, keys]) => [id.toString(), [...keys]])),
    };
    try {
      mkdirSync(dirname(file), { recursive: true });
      const tmp = `${file}.${process.pid}.tmp`;
      writeFileSync(tmp, `${JSON.stringify(s)}\n`);
      renameSync(tmp, file);
    } catch (err) {
      // Losing the record only risks counting again after a restart, never a missed count.
      log.warn({ file, err: (err as Error).message }, "cannot save the counted record");
    }
  }

  return {
    uncounted: (block) => block > startThrough,
    countedThrough(toBlock, at) {
      // Ranges come in block order, a rewound one again after a reorg: the last range's anchor is
      // on the branch the chain has now.
      if (at) anchor = at;
      if (toBlock > through) through = toBlock;
      save();
    },
    once(proposalId, key) {
      let keys = checks.get(proposalId);
      if (keys?.has(key)) return false;
      if (!keys) {
        keys = new Set();
        checks.set(proposalId, keys);
      }
      keys.add(key);
      save();
      return true;
    },
    prune(settled) {
      let dropped = false;
      for (const id of checks.keys())
        if (settled(id)) {
          checks.delete(id);
          dropped = true;
        }
      if (dropped) save();
    },
  };
}
