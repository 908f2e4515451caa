// A fixed-size pool of worker threads for CPU-bound job execution (the
// machine), so the daemon's event loop stays responsive for RPC and games
// while traces are computed. Tasks queue up to `maxQueue`; beyond that the pool
// answers PoolBusyError instead of growing without bound. A worker that dies is
// replaced and its task fails with a retryable WorkerCrashedError.
//
// The worker module calls `serveWorker(handler)` (serveWorker.ts). Workers
// inherit the parent's execArgv, so under tsx they load TypeScript too.

import { Worker } from "node:worker_threads";
import { PoolBusyError, PoolClosedError, PoolTaskError, WorkerCrashedError } from "./errors.ts";

export type CreateWorkerPoolParameters = {
  /** Module that calls serveWorker(). */
  workerUrl: URL;
  /** Threads; default: 1. */
  size?: number;
  /** Tasks waiting beyond the running ones; default: unbounded. */
  maxQueue?: number;
  /** Passed to each worker (for .ts workers, as workerData.data; read it with workerInput()). */
  workerData?: unknown;
};

export type WorkerPool<TIn, TOut> = {
  run: (task: TIn) => Promise<TOut>;
  close: () => Promise<void>;
  stats: () => { size: number; busy: number; queued: number };
};

type Pending<TIn, TOut> = { task: TIn; resolve: (v: TOut) => void; reject: (e: unknown) => void };
type Slot<TIn, TOut> = { worker: Worker; current?: Pending<TIn, TOut> };

export function createWorkerPool<TIn, TOut>({
  workerUrl,
  size = 1,
  maxQueue = Number.POSITIVE_INFINITY,
  workerData,
}: CreateWorkerPoolParameters): WorkerPool<TIn, TOut> {
  const queue: Pending<TIn, TOut>[] = [];
  const slots: Slot<TIn, TOut>[] = [];
  let closed = false;
  // Workers that died before finishing any task in a row: a module that cannot
  // even load would otherwise be respawned forever.
  let startupFailures = 0;
  let broken: unknown;
  // A .ts worker starts through a JS bootstrap that registers tsx first.
  const isTs = workerUrl.pathname.endsWith(".ts");
  const entry = isTs ? new URL("./workerBootstrap.mjs", import.meta.url) : workerUrl;
  const data = isTs ? { entry: workerUrl.href, data: workerData } : workerData;

  function spawn(): Slot<TIn, TOut> {
    const slot: Slot<TIn, TOut> & { done?: boolean } = { worker: new Worker(entry, { workerData: data }) };
    slot.worker.on(
      "message",
      (msg: { ok: boolean; result?: TOut; error?: { name: string; message: string; stack?: string } }) => {
        const cur = slot.current;
        slot.current = undefined;
        slot.done = true;
        startupFailures = 0;
        if (cur) {
          if (msg.ok) cur.resolve(msg.result as TOut);
          else cur.reject(new PoolTaskError(msg.error ?? { name: "Error", message: "unknown" }));
        }
        pump();
      },
    );
    const onDeath = (code?: number, cause?: unknown) => {
      const cur = slot.current;
      slot.current = undefined;
      const i = slots.indexOf(slot);
      if (i >= 0) slots.splice(i, 1);
      cur?.reject(new WorkerCrashedError({ code, cause }));
      if (!slot.done && ++startupFailures >= 3 && !closed) {
        broken = new WorkerCrashedError({ code, cause });
        for (const p of queue.splice(0)) p.reject(broken);
        return;
      }
      if (!closed) {
        slots.push(spawn());
        pump();
      }
    };
    slot.worker.on("error", (err) => onDeath(undefined, err));
    slot.worker.on("exit", (code) => {
      if (slots.includes(slot)) onDeath(code);
    });
    return slot;
  }

  function pump() {
    for (const slot of slots) {
      if (slot.current || queue.length === 0) continue;
      const next = queue.shift() as Pending<TIn, TOut>;
      slot.current = next;
      slot.worker.postMessage(next.task);
    }
  }

  for (let i = 0; i < size; i++) slots.push(spawn());

  return {
    run(task) {
      if (closed) return Promise.reject(new PoolClosedError());
      if (broken) return Promise.reject(broken);
      const free = slots.some((s) => !s.current);
      if (!free && queue.length >= maxQueue)
        return Promise.reject(new PoolBusyError({ queued: queue.length }));
      return new Promise<TOut>((resolve, reject) => {
        queue.push({ task, resolve, reject });
        pump();
      });
    },
    async close() {
      closed = true;
      for (const p of queue.splice(0)) p.reject(new PoolClosedError());
      const all = slots.splice(0);
      for (const s of all) s.current?.reject(new PoolClosedError());
      await Promise.all(all.map((s) => s.worker.terminate()));
    },
    stats: () => ({ size: slots.length, busy: slots.filter((s) => s.current).length, queued: queue.length }),
  };
}
