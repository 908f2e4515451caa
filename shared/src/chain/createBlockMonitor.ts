// Block monitor: hands confirmed block ranges to a handler, first backfilling
// from a start block, then following the head. Only blocks at least
// `confirmations` deep are handed out, so a reorg up to that depth never
// reaches the handler. A deeper reorg (the hash of the last handled block
// changed) is detected and the range is handed out again from before it;
// handlers are idempotent because all daemon state is derived from the chain.

import type { Logger } from "pino";
import type { Chain, PublicClient, Transport } from "viem";
import type { DaemonMetrics } from "../metrics/createDaemonMetrics.ts";
import { isRetryableError, rpcErrorKind } from "./classifyError.ts";
import { sleep } from "./withRetry.ts";

export type BlockRangeHandler = (range: {
  fromBlock: bigint;
  toBlock: bigint;
  head: bigint;
}) => Promise<void>;

export type CreateBlockMonitorParameters = {
  publicClient: PublicClient<Transport, Chain>;
  fromBlock: bigint;
  /** Depth a block needs before its events are handled (0 = at the head). */
  confirmations: number;
  onRange: BlockRangeHandler;
  /** Called after each tick, even when there was no new block (clocks tick without blocks). */
  onTick?: (head: bigint) => Promise<void>;
  logger: Logger;
  metrics?: Pick<DaemonMetrics, "rpcErrors" | "headBlock" | "processedBlock">;
  /** Unit: milliseconds. */
  pollMs?: number;
  /** Largest range per getLogs call. */
  maxRange?: bigint;
  /** Blocks to re-handle below the last handled block after a deep reorg. */
  reorgRewind?: bigint;
  /** Called after a deep reorg with the first block that will be handled again. */
  onRewind?: (fromBlock: bigint) => void;
};

export type BlockMonitor = {
  /** One poll: handle at most one range. Returns the new next block. */
  tick: () => Promise<bigint>;
  /** Polls until `signal` aborts; retryable errors are logged and retried with backoff. */
  run: (signal: AbortSignal) => Promise<void>;
  /** Next block that will be handled. */
  next: () => bigint;
};

export function createBlockMonitor(p: CreateBlockMonitorParameters): BlockMonitor {
  const {
    publicClient,
    confirmations,
    onRange,
    onTick,
    logger,
    metrics,
    pollMs = 1_000,
    maxRange = 2_000n,
  } = p;
  const reorgRewind = p.reorgRewind ?? BigInt(Math.max(confirmations, 1) * 2);
  const log = logger.child({ component: "monitor" });
  let next = p.fromBlock;
  let last: { number: bigint; hash: string } | undefined;
  let lastSafe = -1n;

  async function tick(): Promise<bigint> {
    const head = await publicClient.getBlockNumber({ cacheTime: 0 });
    metrics?.headBlock.set(Number(head));
    if (last) {
      const b = await publicClient.getBlock({ blockNumber: last.number });
      if (b.hash !== last.hash) {
        const rewound = last.number > reorgRewind ? last.number - reorgRewind : 0n;
        next = rewound < p.fromBlock ? p.fromBlock : rewound;
        log.warn(
          { block: last.number, was: last.hash, now: b.hash, next },
          "reorg deeper than the confirmation depth",
        );
        last = undefined;
        p.onRewind?.(next);
      }
    }
    const safe = head - BigInt(confirmations);
    lastSafe = safe;
    if (safe >= next) {
      const to = safe - next + 1n > maxRange ? next + maxRange - 1n : safe;
      await onRange({ fromBlock: next, toBlock: to, head });
      const b = await publicClient.getBlock({ blockNumber: to });
      last = { number: to, hash: b.hash as string };
      next = to + 1n;
      metrics?.processedBlock.set(Number(to));
    }
    await onTick?.(head);
    return next;
  }

  async function run(signal: AbortSignal): Promise<void> {
    let failures = 0;
    while (!signal.aborted) {
      try {
        await tick();
        failures = 0;
      } catch (err) {
        if (signal.aborted) return;
        if (!isRetryableError(err)) throw err;
        metrics?.rpcErrors.inc({ kind: rpcErrorKind(err) });
        failures++;
        const delay = Math.min(30_000, pollMs * 2 ** Math.min(failures, 5));
        log.warn({ err: (err as Error).message.split("\n")[0], delay }, "tick failed, backing off");
        await sleep(delay, signal).catch(() => undefined);
        continue;
      }
      // Backfill as fast as the node allows; poll at the head.
      if (next > lastSafe) await sleep(pollMs, signal).catch(() => undefined);
    }
  }

  return { tick, run, next: () => next };
}
