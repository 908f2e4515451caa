// Typed errors of the worker pool.

import { BaseError } from "../errors/base.ts";

/** The pool's queue is full; offer the task again later. */
export class PoolBusyError extends BaseError {
  override name = "PoolBusyError";
  constructor({ queued }: { queued: number }) {
    super(`Worker pool busy: ${queued} task(s) already queued.`, { retryable: true });
  }
}

/** The task threw inside the worker; `remoteName` is the worker-side error name. */
export class PoolTaskError extends BaseError {
  override name = "PoolTaskError";
  readonly remoteName: string;
  constructor({ name, message, stack }: { name: string; message: string; stack?: string }) {
    super(`Worker task failed: ${name}: ${message}`, { details: stack });
    this.remoteName = name;
  }
}

/** The worker thread died (out of memory, crash) while running the task. */
export class WorkerCrashedError extends BaseError {
  override name = "WorkerCrashedError";
  constructor({ code, cause }: { code?: number; cause?: unknown }) {
    super(`Worker thread died${code !== undefined ? ` with exit code ${code}` : ""} while running a task.`, {
      cause,
      retryable: true,
    });
  }
}

/** The pool was closed. */
export class PoolClosedError extends BaseError {
  override name = "PoolClosedError";
  constructor() {
    super("Worker pool is closed.");
  }
}
