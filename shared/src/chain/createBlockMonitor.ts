// Block monitor: hands confirmed block ranges to a handler, first backfilling
// from a start block, then following the head. Only blocks at least
// `confirmations` deep are handed out, so a reorg up to that depth never
// reaches the handler. A deeper reorg (the hash of the last handled block
// changed) is detected, the fork point is found among the recently handled
// blocks (the newest whose hash the chain still has), and everything after it
// is handed out again; handlers are idempotent because all daemon state is
// derived from the chain.
// Progress (head, processed, what it waits for) is logged at most once per
// `progressEveryMs`, so a chain that stopped producing blocks (an automine
// node with nothing to mine, and confirmations > 0) is visible, not silent.
// A poll whose head block is new re-reads eth_chainId before using it (issue
// 14: a node, or a pool behind one URL, can start answering for another chain
// mid-run). An unchanged head hash needs no check: the same block is the same
// chain and state, so a chain standing still still costs one call per poll.
// While the chain is not the client's the tick fails retryably, nothing is
// handed out and onTick (where moves come from) does not run; a range whose
// logs were read while the chain switched is not recorded, and what it taught
// is forgotten (onRewind). The switch is logged at error level once, and its
// end once.

import type { Logger } from "pino";
import type { Chain, PublicClient, Transport } from "viem";
import type { DaemonMetrics } from "../metrics/createDaemonMetrics.ts";
import { isRetryableError, rpcErrorKind } from "./classifyError.ts";
import { WrongChainError } from "./errors.ts";
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
  /**
   * Called after each tick, even when there was no new block (clocks tick without blocks).
   * `changed`: the head block (number or hash) differs from the previous tick's; when false the
   * chain has not moved since, and a tick may skip reads whose answers depend only on the chain.
   */
  onTick?: (head: bigint, info: { changed: boolean }) => Promise<void>;
  logger: Logger;
  metrics?: Pick<DaemonMetrics, "rpcErrors" | "headBlock" | "processedBlock"> &
    Partial<Pick<DaemonMetrics, "lastPollSeconds">>;
  /** Unit: milliseconds. */
  pollMs?: number;
  /** Largest range per getLogs call. */
  maxRange?: bigint;
  /** Blocks to re-handle below the oldest remembered block when the fork point is older than all of them. */
  reorgRewind?: bigint;
  /** Handled range ends remembered to find a fork point. */
  rememberBlocks?: number;
  /** Least time between two progress log lines. Unit: milliseconds. */
  progressEveryMs?: number;
  /** Called after a deep reorg with the first block that will be handled again (the one after the fork point). */
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
    progressEveryMs = 30_000,
  } = p;
  const reorgRewind = p.reorgRewind ?? BigInt(Math.max(confirmations, 1) * 2);
  const log = logger.child({ component: "monitor" });
  let next = p.fromBlock;
  const rememberBlocks = p.rememberBlocks ?? 128;
  /** Ends of the handled ranges, oldest first (the last one is the newest handled block). */
  let handled: { number: bigint; hash: string }[] = [];
  let lastSafe = -1n;
  /** Hash of the head at the previous tick. */
  let headHash: string | undefined;
  let lastProgressAt = Number.NEGATIVE_INFINITY;
  let headAtLastProgress: bigint | undefined;
  let state: "syncing" | "waiting" | "synced" | undefined;
  /** The chain every answer must be from: the one the client was bound to at startup. */
  const chainId = publicClient.chain.id;
  /** The other chain the node answers for, while it does. */
  let wrongChain: number | undefined;

  /** Throws a retryable WrongChainError unless the node answers for `chainId` now. */
  async function checkChain(): Promise<void> {
    let actual: number;
    try {
      actual = await publicClient.getChainId();
    } catch (err) {
      // A client bound to the chain (createChainClients) refuses the answer itself.
      const w = wrongChainOf(err);
      if (!w) throw err;
      actual = w.actual;
    }
    if (actual !== chainId) {
      noteWrongChain(actual);
      throw new WrongChainError({
        url: (publicClient.transport as { url?: string }).url ?? "the RPC endpoint",
        expected: chainId,
        actual,
        method: "eth_chainId",
        retryable: true,
      });
    }
    if (wrongChain !== undefined) {
      log.warn(
        { chainId, was: wrongChain, processed: next - 1n },
        `the node answers for chain ${chainId} again`,
      );
      wrongChain = undefined;
    }
  }

  /** The WrongChainError behind `err` (viem wraps what a transport throws), if any. */
  function wrongChainOf(err: unknown): WrongChainError | undefined {
    for (let e = err, i = 0; e && i < 8; e = (e as { cause?: unknown }).cause, i++)
      if (e instanceof WrongChainError) return e;
    return undefined;
  }

  /** Logs the switch once, and makes the next tick check the chain before anything else. */
  function noteWrongChain(actual: number) {
    if (wrongChain !== actual)
      log.error(
        { expected: chainId, actual, processed: next - 1n },
        `the node answers for chain ${actual}, not ${chainId}: nothing is read or sent until it is back`,
      );
    wrongChain = actual;
  }

  /** One line about where the monitor stands: always on a change of state, otherwise rate-limited. */
  function progress(head: bigint, safe: bigint) {
    const now = Date.now();
    // Blocks at or below the head not handled yet wait for their confirmations.
    const s = safe >= next ? "syncing" : next <= head ? "waiting" : "synced";
    if (s === state && now - lastProgressAt < progressEveryMs) return;
    const stalled = headAtLastProgress === head && s === "waiting";
    state = s;
    lastProgressAt = now;
    headAtLastProgress = head;
    const processed = next - 1n;
    if (s === "syncing") {
      log.info({ head, processed, behind: safe - processed, confirmations }, "syncing");
    } else if (s === "waiting") {
      const blocksNeeded = next + BigInt(confirmations) - head;
      log.info(
        { head, processed, confirmations, blocksNeeded },
        stalled
          ? `waiting for ${confirmations} confirmations; no new block since the last report (on a chain that only mines on transactions, e.g. automine anvil, run with --confirmations 0)`
          : `waiting for ${confirmations} confirmations`,
      );
    } else log.debug({ head, processed }, "in sync");
  }

  /**
   * The first block to handle again after a reorg: the one after the newest remembered block the
   * chain still has; when none is left, `reorgRewind` below the oldest one. A fixed rewind from the
   * head would miss a reorg deeper than it (an event in a replaced block never handed out again).
   */
  async function forkPoint(): Promise<bigint> {
    // `handled` is only cut once the answer is known: a failed read leaves the reorg to the next tick.
    for (let i = handled.length - 2; i >= 0; i--) {
      const { number, hash } = handled[i];
      const b = await publicClient.getBlock({ blockNumber: number });
      if (b.hash === hash) {
        handled = handled.slice(0, i + 1);
        return number + 1n;
      }
    }
    const oldest = handled[0].number;
    handled = [];
    const rewound = oldest > reorgRewind ? oldest - reorgRewind : 0n;
    return rewound < p.fromBlock ? p.fromBlock : rewound;
  }

  async function tick(): Promise<bigint> {
    try {
      return await tickOnce();
    } catch (err) {
      // Another loop's call may have met the other chain first (the client then refuses every call).
      const w = wrongChainOf(err);
      if (w && w.actual !== chainId) noteWrongChain(w.actual);
      throw err;
    }
  }

  async function tickOnce(): Promise<bigint> {
    // After a switch the chain id comes first: a client bound to the chain answers nothing else.
    const recheck = wrongChain !== undefined;
    if (recheck) await checkChain();
    // One call when nothing moved: the head's number and hash together. A reorg replaces the head
    // too, so an unchanged head hash means every block below it is unchanged as well.
    const latest = await publicClient.getBlock({ blockTag: "latest" });
    const head = latest.number as bigint;
    const changed = latest.hash !== headHash;
    // Another chain's node answers with another head: check before anything uses it.
    if (changed && !recheck) await checkChain();
    metrics?.headBlock.set(Number(head));
    const last = handled.at(-1);
    if (last && changed) {
      const b = last.number === head ? latest : await publicClient.getBlock({ blockNumber: last.number });
      if (b.hash !== last.hash) {
        next = await forkPoint();
        log.warn(
          { block: last.number, was: last.hash, now: b.hash, next },
          "reorg deeper than the confirmation depth",
        );
        p.onRewind?.(next);
      }
    }
    const safe = head - BigInt(confirmations);
    lastSafe = safe;
    if (safe >= next) {
      const to = safe - next + 1n > maxRange ? next + maxRange - 1n : safe;
      // The hash is read before the logs: a reorg while the range is handled then shows on the
      // next tick (the block's hash changed) and the range is handed out again. Read after, it
      // would record the new branch's hash under logs read from the old one, and never be noticed.
      const b = to === head ? latest : await publicClient.getBlock({ blockNumber: to });
      await onRange({ fromBlock: next, toBlock: to, head });
      try {
        // Read again after the logs: a switch while they were read must not leave them learnt.
        await checkChain();
      } catch (err) {
        p.onRewind?.(next);
        throw err;
      }
      handled.push({ number: to, hash: b.hash as string });
      if (handled.length > rememberBlocks) handled = handled.slice(-rememberBlocks);
      next = to + 1n;
      metrics?.processedBlock.set(Number(to));
    }
    progress(head, safe);
    metrics?.lastPollSeconds?.set(Date.now() / 1000);
    // Only now: a tick that failed above (a reorg probe, a range) sees the head as changed again.
    headHash = latest.hash as string;
    await onTick?.(head, { changed });
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
