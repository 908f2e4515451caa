// Where the challenger's recomputations come from. Checking a leaf needs only
// the job's final state: that runs on the worker pool (or inline when the
// pool has no threads), keeping the event loop free for games. Playing a game
// needs the checkpointed trace (shared buildTrace): built once per disputed
// job, on demand, and kept while games may need it. Concurrent requests for
// the same job share one run.

import { fileURLToPath } from "node:url";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { buildTrace, type MachineTraceProvider } from "@verdict/shared/src/machine/trace.ts";
import { createWorkerPool, type WorkerPool } from "@verdict/shared/src/pool/createWorkerPool.ts";
import type { RecomputeResult, RecomputeTask } from "./recomputeTypes.ts";

export type JobSpec = {
  jobId: bigint;
  image: ProgramImage;
  input: Uint8Array;
  /** Trace exponent D of the job's program. */
  depth: number;
};

export type TraceSource = {
  /** The job's final state, computed on the pool. */
  recompute: (job: JobSpec) => Promise<RecomputeResult>;
  /** The job's checkpointed trace (built on first use, then cached). */
  trace: (job: JobSpec) => Promise<MachineTraceProvider>;
  /** Drops what is held for a job (its proposal settled and no game needs it). */
  forget: (jobId: bigint) => void;
  close: () => Promise<void>;
};

export type CreateTraceSourceParameters = {
  /** Worker threads for recomputation; 0 runs it inline. */
  workers: number;
  /** Steps between checkpoints of game traces: smaller = faster queries, more memory. */
  checkpointInterval?: number;
  /** Game traces kept at most; the least recently used one is dropped first. */
  maxTraces?: number;
  /** Wall time of each recomputation or trace build (metrics). Unit: seconds. */
  onRun?: (kind: "recompute" | "trace", job: JobSpec, seconds: number) => void;
};

const workerUrl = new URL("./recomputeWorker.ts", import.meta.url);

/**
 * Remembers every T(t) asked for: a game reads each boundary twice (once to
 * check the whole dissection for alerts, once in the solver) and each costs a
 * replay plus a Merkle root.
 */
function memoized(t: MachineTraceProvider): MachineTraceProvider {
  const seen = new Map<bigint, Promise<`0x${string}`>>();
  return {
    get depth() {
      return t.depth;
    },
    get result() {
      return t.result;
    },
    get checkpoints() {
      return t.checkpoints;
    },
    get: (pos) => {
      let h = seen.get(pos);
      if (!h) {
        h = t.get(pos);
        h.catch(() => seen.delete(pos));
        seen.set(pos, h);
      }
      return h;
    },
    getStepData: (pos) => t.getStepData(pos),
    absolutePrestate: () => t.absolutePrestate(),
    machineAt: (pos) => t.machineAt(pos),
  };
}

export function createTraceSource({
  workers,
  checkpointInterval = 1 << 20,
  maxTraces = 32,
  onRun,
}: CreateTraceSourceParameters): TraceSource {
  const pool: WorkerPool<RecomputeTask, RecomputeResult> | undefined =
    workers > 0 ? createWorkerPool({ workerUrl, size: workers }) : undefined;
  // Map order is recency order: a hit is re-inserted at the end.
  const traces = new Map<bigint, Promise<MachineTraceProvider>>();
  const results = new Map<bigint, Promise<RecomputeResult>>();

  const timed = <T>(kind: "recompute" | "trace", job: JobSpec, start: () => Promise<T>) => {
    const t0 = performance.now();
    return start().then((v) => {
      onRun?.(kind, job, (performance.now() - t0) / 1000);
      return v;
    });
  };

  function trace(job: JobSpec): Promise<MachineTraceProvider> {
    const hit = traces.get(job.jobId);
    if (hit) {
      traces.delete(job.jobId);
      traces.set(job.jobId, hit);
      return hit;
    }
    const p = timed("trace", job, () =>
      buildTrace({ image: job.image, input: job.input, depth: job.depth, checkpointInterval }).then(memoized),
    );
    // A failed build is not cached: the next request tries again.
    p.catch(() => traces.get(job.jobId) === p && traces.delete(job.jobId));
    traces.set(job.jobId, p);
    while (traces.size > maxTraces) traces.delete(traces.keys().next().value as bigint);
    return p;
  }

  function recompute(job: JobSpec): Promise<RecomputeResult> {
    const hit = results.get(job.jobId);
    if (hit) return hit;
    // A game trace already built answers without another run.
    const held = traces.get(job.jobId);
    const run = (): Promise<RecomputeResult> =>
      held
        ? held.then((t) => ({ ...t.result }))
        : pool
          ? pool.run({ image: job.image, input: job.input, depth: job.depth })
          : buildTrace({
              image: job.image,
              input: job.input,
              depth: job.depth,
              checkpointInterval: 2 ** 30,
            }).then((t) => ({ ...t.result }));
    const p = timed("recompute", job, run).then(({ stateHash, status, exitCode, steps, outputRoot }) => ({
      stateHash,
      status,
      exitCode,
      steps,
      outputRoot,
    }));
    p.catch(() => results.get(job.jobId) === p && results.delete(job.jobId));
    results.set(job.jobId, p);
    return p;
  }

  return {
    recompute,
    trace,
    forget: (jobId) => {
      traces.delete(jobId);
      results.delete(jobId);
    },
    close: async () => {
      await pool?.close();
    },
  };
}

/** Path of the worker module (for diagnostics). */
export const recomputeWorkerPath = fileURLToPath(workerUrl);
