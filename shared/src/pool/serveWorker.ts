// Worker side of createWorkerPool: answers each task message with the
// handler's result, or with the error's name, message and stack (errors do not
// cross threads intact).

import { parentPort, workerData } from "node:worker_threads";

/** The pool's `workerData` parameter, whether the worker is .ts (bootstrapped) or .js. */
export function workerInput<T>(): T {
  const d = workerData as { entry?: string; data?: unknown } | undefined;
  return (d && typeof d === "object" && typeof d.entry === "string" ? d.data : d) as T;
}

export function serveWorker<TIn, TOut>(handler: (task: TIn) => Promise<TOut> | TOut): void {
  if (!parentPort) throw new Error("serveWorker() must run inside a worker thread");
  const port = parentPort;
  port.on("message", async (task: TIn) => {
    try {
      port.postMessage({ ok: true, result: await handler(task) });
    } catch (err) {
      const e = err as Error;
      port.postMessage({
        ok: false,
        error: { name: e?.name ?? "Error", message: e?.message ?? String(err), stack: e?.stack },
      });
    }
  });
}
