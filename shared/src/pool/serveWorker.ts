// Worker side of createWorkerPool: answers each task message with the
// handler's result, or with the error's name, message and stack (errors do not
// cross threads intact).

import { parentPort, workerData } from "node:worker_threads";

/** The pool's `workerData` parameter, whether the worker is .ts (bootstrapped) or .js. */
export function workerInput<T>(): T {
  const d = workerData as { entry?: string; data?: unknown } | undefined;
  return (d && typeof d === "object" && typeof d.entry === "string" ? d.data : d) as T;
}

/**
 * Answers the pool's tasks with `handler`. `transfer`, when given, names
 * buffers of a result to move to the parent instead of copying them (the
 * worker must not use them afterwards; each listed once).
 */
export function serveWorker<TIn, TOut>(
  handler: (task: TIn) => Promise<TOut> | TOut,
  transfer?: (result: TOut) => ArrayBuffer[],
): void {
  if (!parentPort) throw new Error("serveWorker() must run inside a worker thread");
  const port = parentPort;
  port.on("message", async (task: TIn) => {
    try {
      const result = await handler(task);
      port.postMessage({ ok: true, result }, transfer?.(result) ?? []);
    } catch (err) {
      const e = err as Error;
      port.postMessage({
        ok: false,
        error: { name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack },
      });
    }
  });
}
