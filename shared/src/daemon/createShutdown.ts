// Graceful shutdown for daemons: the first SIGINT/SIGTERM aborts the shared
// AbortSignal (loops stop taking new work) and runs the registered cleanups
// within a grace period; a second signal or the end of the grace period exits
// at once. In-flight transactions are safe to abandon: all state is on chain.

import type { Logger } from "pino";

export type CreateShutdownParameters = {
  logger: Logger;
  /** Time cleanups get before the process exits anyway. Unit: milliseconds. */
  graceMs?: number;
  /** Install SIGINT/SIGTERM handlers (off in tests that drive kill() directly). */
  signals?: boolean;
  /** Called when shutdown is complete; defaults to process.exit. */
  exit?: (code: number) => void;
};

export type Shutdown = {
  /** Aborted when shutdown starts; pass it to every loop and wait. */
  signal: AbortSignal;
  /** Registers a cleanup; cleanups run in reverse registration order. */
  add: (name: string, fn: () => Promise<void> | void) => void;
  /** Starts shutdown (idempotent); resolves when the exit callback has been called. */
  kill: (reason: string, code?: number) => Promise<void>;
};

export function createShutdown({
  logger,
  graceMs = 10_000,
  signals = true,
  exit = (code) => process.exit(code),
}: CreateShutdownParameters): Shutdown {
  const controller = new AbortController();
  const cleanups: { name: string; fn: () => Promise<void> | void }[] = [];
  let done: Promise<void> | undefined;

  const onSignal = (sig: NodeJS.Signals) => {
    if (done) {
      logger.warn({ signal: sig }, "second signal: exiting now");
      exit(130);
      return;
    }
    void kill(`received ${sig}`, 0);
  };

  const kill = (reason: string, code = 0): Promise<void> => {
    if (done) return done;
    done = (async () => {
      logger.info({ reason, graceMs }, "shutting down");
      controller.abort(new Error(reason));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<"timeout">((resolve) => {
        timer = setTimeout(() => resolve("timeout"), graceMs);
      });
      const work = (async () => {
        for (const { name, fn } of [...cleanups].reverse()) {
          try {
            await fn();
          } catch (err) {
            logger.error({ err, cleanup: name }, "cleanup failed");
          }
        }
        return "ok" as const;
      })();
      const outcome = await Promise.race([work, timeout]);
      clearTimeout(timer);
      if (outcome === "timeout") logger.warn("grace period over: exiting with cleanups pending");
      if (signals) {
        process.off("SIGINT", onSignal);
        process.off("SIGTERM", onSignal);
      }
      exit(outcome === "timeout" && code === 0 ? 1 : code);
    })();
    return done;
  };

  if (signals) {
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
  }
  return { signal: controller.signal, add: (name, fn) => cleanups.push({ name, fn }), kill };
}
