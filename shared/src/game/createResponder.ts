// The responder: one queue of pending moves for every game a daemon plays,
// drained into as few transactions as possible. Each player submits the
// actions its solver derived from a tree read at some block; they replace
// what that source had queued before (the chain moved on: a move it no longer
// asks for is no longer wanted). The drain loop sends one batch at a time,
// most urgent first (planBatches), as `DisputeGame.multicall` (a batch of one:
// the call itself, which spares the credit bookkeeping) carrying the ETH its
// bonds need beyond our credit there. A move is never sent twice: a
// mined move is remembered with its block, and a later submission from a read
// older than that block is ignored. Nothing is dropped except what the chain
// refuses at simulation — the first refused move of a batch is found by
// bisection over prefixes (dependent moves stay in order), dropped and
// reported, the rest goes on. When the queue cannot be cleared before a
// deadline at the measured rate, the capacity alarm fires (once per move).
// When the node says our balance cannot pay a batch, the batch is cut to the
// bonds we can pay: the most urgent bonded moves that fit, plus every move that
// takes no bond (resolutions bring bonds back); what cannot be paid waits, and
// the shortfall is logged and exported. The balance is read only then, never
// on the way of a batch we can pay.
//
// Sending is sequential on purpose: each batch's value is computed from the
// credit left by the previous one, and a batch that resolves parents after
// children must land after the batch that carried the children.

import type { Logger } from "pino";
import type { Hex } from "viem";
import { isInsufficientFundsError, isRetryableError } from "../chain/classifyError.ts";
import { classifyRevertName } from "../chain/classifyRevert.ts";
import { ContractRevertError } from "../chain/errors.ts";
import { sleep } from "../chain/withRetry.ts";
import type { GameMetrics } from "./createGameMetrics.ts";
import { type LateAction, planBatches, type QueuedAction, sortQueue } from "./planBatches.ts";
import { type Action, actionKey } from "./types.ts";

/** What the responder needs of the chain (createResponderChain gives the real one; tests a fake). */
export type ResponderChain = {
  /** Our credit in DisputeGame's ledger. Unit: wei. */
  credit: () => Promise<bigint>;
  /** Simulates the moves in one transaction with `value`; the gas it needs, or throws (ContractRevertError on revert). */
  estimate: (actions: Action[], value: bigint) => Promise<bigint>;
  /** Sends the moves in one transaction with `value` and waits for the receipt (throws ContractRevertError on revert). */
  send: (actions: Action[], value: bigint) => Promise<{ blockNumber: bigint; transactionHash: Hex }>;
  /** Sends `withdraw()` on DisputeGame. */
  withdraw: () => Promise<{ transactionHash: Hex }>;
  /** ETH our account can put into bonds now (balance minus what a batch's gas may cost); read only after the node refused a batch for lack of funds. Unit: wei. */
  funds?: () => Promise<bigint>;
};

export type DroppedAction = { key: string; action: Action; errorName: string; race: boolean };

export type CreateResponderParameters = {
  chain: ResponderChain;
  logger: Logger;
  metrics?: GameMetrics;
  /** Active time now (createActiveClock). Unit: seconds. */
  now: () => bigint;
  /** Gas a batch may use. Unit: gas. */
  gasBudget?: bigint;
  gasOf?: (a: Action) => bigint;
  /** Initial guess of the time from sending a batch to its receipt; then measured. Unit: seconds. */
  txSeconds?: number;
  /** Capacity alarm: queued moves predicted to miss their deadline (each reported once). */
  onAlarm?: (late: LateAction[]) => void;
  /** Moves mined in one transaction. */
  onSent?: (actions: Action[], receipt: { blockNumber: bigint; transactionHash: Hex }) => void;
  /** A move the chain refused (race: someone moved first or time passed; otherwise a bug or a bad trace). */
  onDropped?: (d: DroppedAction) => void;
  /** Backoff after an RPC failure. Unit: milliseconds. */
  retryMs?: number;
  /** Moves mined this many blocks ago are forgotten. */
  rememberBlocks?: bigint;
};

export type Responder = {
  /** Replaces what `source` had queued with `actions`, derived from a read at `blockNumber`. */
  submit: (source: string, blockNumber: bigint, actions: readonly Action[]) => void;
  /** Queued moves, in sending order. */
  pending: () => Action[];
  /** True while a queued or in-flight move takes a bond. */
  needsCredit: () => boolean;
  /** Drains the queue (resolves when it is empty or only blocked moves are left). */
  flush: () => Promise<void>;
  /** Withdraws our DisputeGame credit once no queued move needs it; the amount, or 0n. */
  withdrawIdle: () => Promise<bigint>;
};

type Entry = QueuedAction & { key: string; source: string; block: bigint };

export function createResponder(p: CreateResponderParameters): Responder {
  const { chain, metrics, now, gasBudget = 10_000_000n, gasOf, retryMs = 2_000, rememberBlocks = 1_000n } = p;
  const log = p.logger.child({ component: "responder" });
  const queue = new Map<string, Entry>();
  const inFlight = new Set<string>();
  const mined = new Map<string, bigint>();
  const alarmed = new Set<string>();
  const refusedOnce = new Set<string>();
  let seq = 0;
  let txSeconds = p.txSeconds ?? 12;
  let draining: Promise<void> | undefined;
  let lock: Promise<unknown> = Promise.resolve();
  let headBlock = 0n;
  let lastShortfall = 0n;

  const exclusive = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = lock.then(fn, fn);
    lock = run.catch(() => undefined);
    return run;
  };

  function submit(source: string, blockNumber: bigint, actions: readonly Action[]) {
    if (blockNumber > headBlock) headBlock = blockNumber;
    const keys = new Set(actions.map(actionKey));
    for (const [key, e] of queue)
      if (e.source === source && !keys.has(key) && e.block <= blockNumber) queue.delete(key);
    for (const action of actions) {
      const key = actionKey(action);
      const minedAt = mined.get(key);
      if (minedAt !== undefined && minedAt > blockNumber) continue; // read before our move landed
      if (inFlight.has(key)) continue;
      const had = queue.get(key);
      if (had && had.block > blockNumber) continue;
      queue.set(key, { action, key, source, block: blockNumber, seq: had?.seq ?? seq++ });
    }
    for (const [key, at] of mined) if (at + rememberBlocks < headBlock) mined.delete(key);
    metrics?.actionsQueued.set(queue.size);
    if (queue.size) void flush();
  }

  function alarmCheck() {
    const { late } = planBatches({ queue: [...queue.values()], gasBudget, gasOf, now: now(), txSeconds });
    metrics?.actionsLate.set(late.length);
    const first = sortQueue([...queue.values()])[0]?.action.deadline;
    if (first !== undefined) metrics?.secondsToNextDeadline.set(Number(first - now()));
    const fresh = late.filter((l) => !alarmed.has(l.key));
    for (const l of fresh) alarmed.add(l.key);
    for (const key of alarmed) if (!queue.has(key)) alarmed.delete(key);
    if (fresh.length) {
      metrics?.deadlineAlarms.inc(fresh.length);
      log.error(
        {
          late: fresh.length,
          queued: queue.size,
          txSeconds,
          first: { move: fresh[0].key, deadline: fresh[0].action.deadline, eta: fresh[0].eta },
        },
        "capacity alarm: queued moves cannot all be sent before their clocks run out",
      );
      p.onAlarm?.(fresh);
    }
  }

  const bondsOf = (batch: readonly Entry[]) => batch.reduce((s, e) => s + e.action.bond, 0n);
  const valueFor = (bonds: bigint, credit: bigint) => (bonds > credit ? bonds - credit : 0n);
  const callsOf = (batch: readonly Entry[]) => batch.map((e) => e.action);

  function drop(e: Entry, errorName: string) {
    queue.delete(e.key);
    // Same sorting as every other sender: a lost race or a "not yet" is no refusal.
    const race = classifyRevertName(errorName) !== "failure";
    metrics?.actionsDropped.inc({ kind: e.action.type, error: errorName });
    // A refusal that is no race comes back each time the move is derived again: warn once.
    const first = !race && !refusedOnce.has(`${e.key}:${errorName}`);
    if (first) refusedOnce.add(`${e.key}:${errorName}`);
    (first ? log.warn.bind(log) : log.debug.bind(log))(
      { move: e.key, error: errorName },
      race ? "move overtaken (someone moved first or its clock ran out)" : "move refused by the chain",
    );
    p.onDropped?.({ key: e.key, action: e.action, errorName, race });
  }

  /**
   * The first move of `batch` the chain refuses, by bisection over prefixes
   * (a prefix keeps dependent moves in order): the prefix of `ok` moves passes,
   * the prefix of `bad` moves fails with `errorName`.
   */
  async function firstRefused(
    batch: Entry[],
    credit: bigint,
    fullError: string,
  ): Promise<{ index: number; errorName: string }> {
    let ok = 0;
    let bad = batch.length;
    let errorName = fullError;
    while (bad - ok > 1) {
      const mid = (ok + bad) >> 1;
      const prefix = batch.slice(0, mid);
      try {
        await chain.estimate(callsOf(prefix), valueFor(bondsOf(prefix), credit));
        ok = mid;
      } catch (err) {
        if (!(err instanceof ContractRevertError)) throw err;
        bad = mid;
        errorName = err.errorName;
      }
    }
    return { index: bad - 1, errorName };
  }

  /**
   * The moves of `batch` our balance can pay, in order: bonded moves while the
   * ETH they need beyond `credit` fits in `funds`, and every move without a bond.
   * The rest stays queued; its shortfall is reported (once per distinct amount).
   */
  function affordable(batch: Entry[], credit: bigint, funds: bigint): Entry[] {
    const kept: Entry[] = [];
    let bonds = 0n;
    let unpaid = 0n;
    for (const e of batch) {
      if (e.action.bond > 0n && valueFor(bonds + e.action.bond, credit) > funds) {
        unpaid += e.action.bond;
        inFlight.delete(e.key);
        continue;
      }
      bonds += e.action.bond;
      kept.push(e);
    }
    metrics?.bondShortfall.set(Number(unpaid));
    if (unpaid > 0n && unpaid !== lastShortfall) {
      log.error(
        {
          shortfall: unpaid.toString(),
          funds: funds.toString(),
          credit: credit.toString(),
          waiting: batch.length - kept.length,
        },
        "cannot afford the next bonds: fund this account (queued moves wait; bonds come back as nodes resolve)",
      );
    }
    lastShortfall = unpaid;
    return kept;
  }

  /** Sends the most urgent batch; false when nothing could be sent (empty, paused, or RPC trouble). */
  async function sendOne(): Promise<boolean> {
    if (queue.size === 0) return false;
    alarmCheck();
    const { batches } = planBatches({ queue: [...queue.values()], gasBudget, gasOf, now: now(), txSeconds });
    let batch = batches[0] as Entry[];
    for (const e of batch) inFlight.add(e.key);
    try {
      const credit = await chain.credit();
      // Simulate; over budget → halve; refused → find the refused move, drop it, retry the rest next round.
      for (;;) {
        const value = valueFor(bondsOf(batch), credit);
        let gas: bigint;
        try {
          gas = await chain.estimate(callsOf(batch), value);
        } catch (err) {
          if (chain.funds && isInsufficientFundsError(err)) {
            const kept = affordable(batch, credit, await chain.funds());
            // Nothing affordable: wait for funds. Everything "affordable": the gas itself is
            // what we cannot pay; the retry path says so and backs off.
            if (kept.length === 0) return false;
            if (kept.length === batch.length) throw err;
            batch = kept;
            continue;
          }
          if (!(err instanceof ContractRevertError)) throw err;
          if (err.errorName === "ProtocolPaused") {
            log.info("protocol paused: moves wait for the unpause");
            return false;
          }
          if (err.errorName === "InsufficientCredit") {
            // Our credit changed under us (the same key used elsewhere?): re-read it next round.
            log.warn({ error: err.errorName }, "credit changed while planning; retrying");
            await sleep(retryMs);
            return false;
          }
          const { index, errorName } = await firstRefused(batch, credit, err.errorName);
          drop(batch[index], errorName);
          return true;
        }
        if (gas > gasBudget && batch.length > 1) {
          for (const e of batch.slice(batch.length >> 1)) inFlight.delete(e.key);
          batch = batch.slice(0, batch.length >> 1);
          continue;
        }
        const t0 = Date.now();
        const receipt = await chain.send(callsOf(batch), value);
        const seconds = (Date.now() - t0) / 1000;
        txSeconds = txSeconds * 0.8 + seconds * 0.2;
        metrics?.batchSeconds.set(txSeconds);
        metrics?.batchesSent.inc();
        metrics?.batchActions.observe(batch.length);
        for (const e of batch) {
          queue.delete(e.key);
          mined.set(e.key, receipt.blockNumber);
          metrics?.movesSent.inc({ kind: e.action.type });
        }
        if (receipt.blockNumber > headBlock) headBlock = receipt.blockNumber;
        p.onSent?.(
          batch.map((e) => e.action),
          receipt,
        );
        log.info(
          {
            tx: receipt.transactionHash,
            moves: batch.length,
            kinds: [...new Set(batch.map((e) => e.action.type))],
            value,
            gas,
          },
          "moves sent",
        );
        return true;
      }
    } catch (err) {
      if (err instanceof ContractRevertError) {
        // Mined but reverted (a race between simulation and inclusion): the next round bisects it.
        log.info({ error: err.errorName }, "batch reverted on chain; re-simulating");
        return true;
      }
      log.warn(
        { err: (err as Error).message?.split("\n")[0], retryable: isRetryableError(err) },
        "sending moves failed; retrying",
      );
      await sleep(retryMs);
      return false;
    } finally {
      for (const e of batch) inFlight.delete(e.key);
      metrics?.actionsQueued.set(queue.size);
    }
  }

  function flush(): Promise<void> {
    draining ??= (async () => {
      try {
        while (await exclusive(sendOne));
      } finally {
        draining = undefined;
      }
    })();
    return draining;
  }

  function needsCredit() {
    for (const e of queue.values()) if (e.action.bond > 0n) return true;
    return false;
  }

  async function withdrawIdle(): Promise<bigint> {
    return exclusive(async () => {
      if (needsCredit()) return 0n;
      const credit = await chain.credit();
      if (credit === 0n) return 0n;
      const r = await chain.withdraw();
      log.info({ amount: credit, tx: r.transactionHash }, "withdrew game credit (bonds won and returned)");
      return credit;
    });
  }

  return {
    submit,
    pending: () => sortQueue([...queue.values()]).map((e) => e.action),
    needsCredit,
    flush,
    withdrawIdle,
  };
}
