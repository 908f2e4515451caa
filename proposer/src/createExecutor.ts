// Job execution for the proposer: results come from the integrity-checked
// cache or from a worker-thread pool; game traces come from a dedicated trace
// worker that keeps recent traces (with checkpoints) in memory. Losing the
// cache costs one re-execution per job, never correctness.

import { createTraceCache, type TraceCacheKey } from "@verdict/shared/src/cache/createTraceCache.ts";
import type { TraceProvider } from "@verdict/shared/src/machine/trace.ts";
import { createWorkerPool } from "@verdict/shared/src/pool/createWorkerPool.ts";
import type { Logger } from "pino";
import { type Hex, hexToBytes, keccak256 } from "viem";
import type { ExecutedResult, JobSpec, WorkerTask } from "./worker/types.ts";

export type ExecJob = JobSpec & { programRoot: Hex; machineVersion: bigint };

export type CreateExecutorParameters = {
  workers: number;
  cacheDir: string;
  logger: Logger;
  onCache?: (outcome: "hit" | "miss" | "corrupt") => void;
  /** Max tasks waiting per pool before it answers busy. */
  maxQueue?: number;
};

export type Executor = {
  execute: (job: ExecJob) => Promise<ExecutedResult>;
  traceFor: (job: ExecJob) => TraceProvider;
  close: () => Promise<void>;
};

const WORKER = new URL("./worker/proposerWorker.ts", import.meta.url);

function cacheKey(job: ExecJob): TraceCacheKey {
  return {
    programRoot: job.programRoot,
    inputRoot: job.inputRoot,
    machineVersion: job.machineVersion,
    kind: `result-d${job.depth}${job.injectFault !== undefined ? `-fault${job.injectFault}` : ""}`,
  };
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
  let tracePoolInstance: ReturnType<typeof createWorkerPool<WorkerTask, unknown>> | undefined;
  const tracePool = {
    run: (task: WorkerTask) => {
      tracePoolInstance ??= createWorkerPool<WorkerTask, unknown>({ workerUrl: WORKER, size: 1 });
      return tracePoolInstance.run(task);
    },
  };

  async function execute(job: ExecJob): Promise<ExecutedResult> {
    const key = cacheKey(job);
    const hit = cache.get(key);
    if (hit) {
      try {
        const r = JSON.parse(Buffer.from(hit).toString("utf8"));
        if (validResult(r)) return r;
      } catch {
        // fall through: treated like corruption
      }
      onCache?.("corrupt");
      log.warn({ key }, "cache entry fails its semantic check; recomputing");
      cache.delete(key);
    }
    const { programRoot: _p, machineVersion: _m, ...spec } = job;
    const r = await execPool.run({ kind: "execute", job: spec, dropTrace: true });
    cache.put(key, Buffer.from(JSON.stringify(r)));
    return r;
  }

  function traceFor(job: ExecJob): TraceProvider {
    const { programRoot: _p, machineVersion: _m, ...spec } = job;
    return {
      depth: job.depth,
      get: async (t) =>
        ((await tracePool.run({ kind: "get", job: spec, positions: [t.toString()] })) as Hex[])[0],
      getStepData: async (t) => {
        const d = (await tracePool.run({ kind: "stepData", job: spec, position: t.toString() })) as {
          preState: Hex;
          proof: Hex;
          postStateHash: Hex;
        };
        return {
          preState: hexToBytes(d.preState),
          proof: hexToBytes(d.proof),
          postStateHash: d.postStateHash,
        };
      },
      absolutePrestate: async () => hexToBytes((await tracePool.run({ kind: "prestate", job: spec })) as Hex),
    };
  }

  return {
    execute,
    traceFor,
    close: async () => {
      await Promise.all([execPool.close(), tracePoolInstance?.close()]);
    },
  };
}
