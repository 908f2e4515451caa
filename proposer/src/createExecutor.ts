// Job execution for the proposer: results come from the integrity-checked
// cache or from a worker-thread pool; game traces come from a dedicated trace
// worker that keeps recent traces (with checkpoints) in memory and their
// checkpoint sets in the same cache, so a restarted proposer answers its games
// without running the job again. Everything is keyed by the work's content
// (shared cache/workKey.ts: machine version, program root, entry, input root,
// D), never by job id. Losing the cache costs one re-execution per job, never
// correctness.

import { createTraceCache, type TraceCacheKey } from "@verdict/shared/src/cache/createTraceCache.ts";
import type { WorkContent } from "@verdict/shared/src/cache/workKey.ts";
import type { TraceProvider } from "@verdict/shared/src/machine/trace.ts";
import { createWorkerPool } from "@verdict/shared/src/pool/createWorkerPool.ts";
import type { Logger } from "pino";
import { type Hex, hexToBytes, keccak256 } from "viem";
import type { ExecutedResult, JobSpec, TraceReply, WorkerTask } from "./worker/types.ts";

/** A job as the proposer runs it: the worker's spec plus what keys its work (program entry included). */
export type ExecJob = JobSpec & { programRoot: Hex; entry: number; machineVersion: bigint };

export type CreateExecutorParameters = {
  workers: number;
  cacheDir: string;
  logger: Logger;
  onCache?: (outcome: "hit" | "miss" | "corrupt") => void;
  /** Max tasks waiting per pool before it answers busy. */
  maxQueue?: number;
};

export type Executor = {
  /** `cached`: read back from the cache, not run (a restart re-reading its work). */
  execute: (job: ExecJob) => Promise<ExecutedResult & { cached?: boolean }>;
  traceFor: (job: ExecJob) => TraceProvider;
  /** Runs of a job on the machine finished so far (executions and trace builds); cache and memory hits are not runs. */
  executions: () => number;
  close: () => Promise<void>;
};

const WORKER = new URL("./worker/proposerWorker.ts", import.meta.url);

function workOf(job: ExecJob): WorkContent {
  return {
    machineVersion: job.machineVersion,
    programRoot: job.programRoot,
    entry: job.entry,
    inputRoot: job.inputRoot,
    depth: job.depth,
  };
}

function cacheKey(job: ExecJob): TraceCacheKey {
  return {
    ...workOf(job),
    kind: `result${job.injectFault !== undefined ? `-fault${job.injectFault}` : ""}`,
  };
}

/** What the worker needs of a job (the content key travels separately, for the cache). */
function specOf(job: ExecJob): JobSpec {
  const { programRoot: _p, machineVersion: _m, entry: _e, ...spec } = job;
  return spec;
}

function validResult(r: unknown): r is ExecutedResult {
  const x = r as ExecutedResult;
  if (
    !x ||
    typeof x.stateHash !== "string" ||
    typeof x.finalState !== "string" ||
    typeof x.honestStateHash !== "string"
  )
    return false;
  // The packed final state must hash to the recorded honest result.
  return keccak256(x.finalState).toLowerCase() === x.honestStateHash.toLowerCase();
}

export function createExecutor({
  workers,
  cacheDir,
  logger,
  onCache,
  maxQueue = 1_000_000,
}: CreateExecutorParameters): Executor {
  const log = logger.child({ component: "executor" });
  let runs = 0;
  const cache = createTraceCache({
    dir: cacheDir,
    onLookup: (outcome, key, reason) => {
      onCache?.(outcome);
      if (outcome === "corrupt") log.warn({ key, reason }, "corrupt cache entry dropped; recomputing");
    },
  });
  const execPool = createWorkerPool<WorkerTask, ExecutedResult>({
    workerUrl: WORKER,
    size: workers,
    maxQueue,
  });
  // Started on the first game only: most proposers never need it, and a
  // worker's start-up (loading the machine through tsx) costs seconds of CPU.
  let tracePoolInstance: ReturnType<typeof createWorkerPool<WorkerTask, TraceReply<unknown>>> | undefined;
  const tracePool = {
    /** Runs a trace query; accounts for the run, cache lookups and save failures it reports. */
    run: async <T>(task: WorkerTask): Promise<T> => {
      tracePoolInstance ??= createWorkerPool<WorkerTask, TraceReply<unknown>>({ workerUrl: WORKER, size: 1 });
      const reply = await tracePoolInstance.run(task);
      if (reply.ran) runs++;
      for (const l of reply.lookups) {
        onCache?.(l.outcome);
        if (l.outcome === "corrupt")
          log.warn({ kind: "checkpoints", reason: l.reason }, "corrupt cache entry dropped; recomputing");
      }
      if (reply.saveError) log.warn({ err: reply.saveError }, "cannot save trace checkpoints");
      return reply.value as T;
    },
  };

  async function execute(job: ExecJob): Promise<ExecutedResult & { cached?: boolean }> {
    const key = cacheKey(job);
    const hit = cache.get(key);
    if (hit) {
      try {
        const r = JSON.parse(Buffer.from(hit).toString("utf8"));
        if (validResult(r)) return { ...r, cached: true };
      } catch {
        // fall through: treated like corruption
      }
      onCache?.("corrupt");
      log.warn({ key }, "cache entry fails its semantic check; recomputing");
      cache.delete(key);
    }
    const r = await execPool.run({ kind: "execute", job: specOf(job), dropTrace: true });
    runs++;
    cache.put(key, Buffer.from(JSON.stringify(r)));
    return r;
  }

  function traceFor(job: ExecJob): TraceProvider {
    const spec = specOf(job);
    const ref = { dir: cacheDir, work: workOf(job) };
    return {
      depth: job.depth,
      get: async (t) =>
        (await tracePool.run<Hex[]>({ kind: "get", job: spec, positions: [t.toString()], cache: ref }))[0],
      getStepData: async (t) => {
        const d = await tracePool.run<{ preState: Hex; proof: Hex; postStateHash: Hex }>({
          kind: "stepData",
          job: spec,
          position: t.toString(),
          cache: ref,
        });
        return {
          preState: hexToBytes(d.preState),
          proof: hexToBytes(d.proof),
          postStateHash: d.postStateHash,
        };
      },
      absolutePrestate: async () =>
        hexToBytes(await tracePool.run<Hex>({ kind: "prestate", job: spec, cache: ref })),
    };
  }

  return {
    execute,
    traceFor,
    executions: () => runs,
    close: async () => {
      await Promise.all([execPool.close(), tracePoolInstance?.close()]);
    },
  };
}
