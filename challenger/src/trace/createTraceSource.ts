// Where the challenger's recomputations come from. Checking a leaf needs only
// the job's final state: that runs on the worker pool (or inline when the
// pool has no threads), keeping the event loop free for games. Playing a game
// needs the checkpointed trace (shared buildTrace). The check's run keeps
// checkpoints at the game interval (a checkpoint hashes nothing, so this costs
// little) and they are held, within `maxCheckedBytes`, so a game on a job
// just checked replays from them instead of running the job again; otherwise
// the trace is built on demand. Game traces are kept while games may need them.
//
// With a broker (`remote`), recomputation runs on `verdict worker` processes
// instead, ordered by the job's deadline.
//
// Work is keyed by its content (shared cache/workKey.ts: machine version,
// program root, entry, input root, D), not by job id: jobs with the same
// content share one run, whether their requests overlap (in flight) or come
// later (memory), and with `cacheDir` also across restarts and with every
// daemon pointing at the same directory (results and checkpoint sets on disk,
// each checked before use; a bad entry is dropped and the job runs again).

import { fileURLToPath } from "node:url";
import { createCheckpointStore } from "@verdict/shared/src/cache/createCheckpointStore.ts";
import {
  type CacheOutcome,
  createTraceCache,
  type TraceCache,
} from "@verdict/shared/src/cache/createTraceCache.ts";
import { type WorkContent, type WorkKey, workKey } from "@verdict/shared/src/cache/workKey.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { MACHINE_VERSION } from "@verdict/shared/src/machine/constants.ts";
import { initialState, programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import {
  buildTrace,
  type MachineTraceProvider,
  type TraceCheckpoints,
  traceFromCheckpoints,
} from "@verdict/shared/src/machine/trace.ts";
import { createWorkerPool, type WorkerPool } from "@verdict/shared/src/pool/createWorkerPool.ts";
import type { Hex } from "viem";
import type { RemoteRecompute } from "../work/createBrokerPool.ts";
import {
  parseRecomputeResult,
  type RecomputeReply,
  type RecomputeResult,
  type RecomputeTask,
  recomputeResultOf,
  serializeRecomputeResult,
} from "./recomputeTypes.ts";

export type JobSpec = {
  jobId: bigint;
  image: ProgramImage;
  input: Uint8Array;
  /** Trace exponent D of the job's program. */
  depth: number;
  /** When the result is needed by (the proposal's challenge deadline, unix seconds): orders broker work. */
  deadline?: bigint;
};

export type TraceSource = {
  /** The job's final state, computed on the pool (or found in memory or on disk). */
  recompute: (job: JobSpec) => Promise<RecomputeResult>;
  /** The job's checkpointed trace (built on first use, or restored from disk, then kept). */
  trace: (job: JobSpec) => Promise<MachineTraceProvider>;
  /** The content address the job's work is shared under. */
  keyOf: (job: JobSpec) => WorkKey;
  /** Drops what memory holds for a job once no other job with the same content is held (disk keeps it). */
  forget: (jobId: bigint) => void;
  /** Machine runs finished so far (recomputations and trace builds); memory and disk hits are not runs. */
  executions: () => number;
  close: () => Promise<void>;
};

export type CreateTraceSourceParameters = {
  /** Worker threads for recomputation; 0 runs it inline. */
  workers: number;
  /**
   * Recomputation on `verdict worker` processes through the broker (work/createBrokerPool.ts)
   * instead of the threads; game traces stay local.
   */
  remote?: RemoteRecompute;
  /** Steps between checkpoints of game traces: smaller = faster queries, more memory. */
  checkpointInterval?: number;
  /** Game traces kept at most; the least recently used one is dropped first. */
  maxTraces?: number;
  /**
   * Page bytes of checkpoint sets kept from checks (local recomputations) for
   * a game that may follow; the least recently checked set is dropped first.
   * 0: checks keep no checkpoints (a game then runs the job again). Default 256 MiB.
   */
  maxCheckedBytes?: number;
  /** Directory of the on-disk cache (results and game-trace checkpoints); memory only when absent. */
  cacheDir?: string;
  /** Wall time of each real recomputation or trace build (metrics). Unit: seconds. */
  onRun?: (kind: "recompute" | "trace", job: JobSpec, seconds: number) => void;
  /** Every disk lookup, by outcome; "corrupt" entries have been dropped (metrics, logs). */
  onCache?: (outcome: CacheOutcome, kind: string, reason?: string) => void;
  /** A result or checkpoint set could not be written (the work itself succeeded). */
  onCacheError?: (err: unknown) => void;
};

const workerUrl = new URL("./recomputeWorker.ts", import.meta.url);
/** Cache kind of a recomputed final state (JSON of RecomputeResult, steps as a decimal string). */
const RESULT_KIND = "recompute";

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
  remote,
  checkpointInterval = 1 << 20,
  maxTraces = 32,
  maxCheckedBytes = 256 * 2 ** 20,
  cacheDir,
  onRun,
  onCache,
  onCacheError,
}: CreateTraceSourceParameters): TraceSource {
  const pool: WorkerPool<RecomputeTask, RecomputeReply> | undefined =
    workers > 0 ? createWorkerPool({ workerUrl, size: workers }) : undefined;
  const disk: TraceCache | undefined = cacheDir
    ? createTraceCache({ dir: cacheDir, onLookup: (o, k, reason) => onCache?.(o, k.kind, reason) })
    : undefined;
  const checkpoints = disk
    ? createCheckpointStore({ cache: disk, onCorrupt: (k, reason) => onCache?.("corrupt", k.kind, reason) })
    : undefined;
  // Map order is recency order: a hit is re-inserted at the end.
  const traces = new Map<WorkKey, Promise<MachineTraceProvider>>();
  const results = new Map<WorkKey, Promise<RecomputeResult>>();
  // Checkpoint sets of checked jobs, for a game that may follow; Map order is check order.
  const checked = new Map<WorkKey, { cp: TraceCheckpoints; bytes: number }>();
  let checkedBytes = 0;
  // Which jobs hold which work, so forget(jobId) frees memory only when no job needs it.
  const keyOfJob = new Map<bigint, WorkKey>();
  const jobsOfKey = new Map<WorkKey, Set<bigint>>();
  // Roots cost a pass over the program and the input: once per image and per input buffer.
  const programRoots = new WeakMap<ProgramImage, Hex>();
  const inputRoots = new WeakMap<Uint8Array, Hex>();
  let runs = 0;

  function contentOf(job: JobSpec): WorkContent {
    const pr = programRoots.get(job.image) ?? programRoot(job.image);
    programRoots.set(job.image, pr);
    const ir = inputRoots.get(job.input) ?? inputRoot(job.input);
    inputRoots.set(job.input, ir);
    return {
      machineVersion: MACHINE_VERSION,
      programRoot: pr,
      entry: job.image.entry,
      inputRoot: ir,
      depth: job.depth,
    };
  }

  function release(jobId: bigint): void {
    const key = keyOfJob.get(jobId);
    if (key === undefined) return;
    keyOfJob.delete(jobId);
    const jobs = jobsOfKey.get(key);
    jobs?.delete(jobId);
    if (jobs && jobs.size > 0) return;
    jobsOfKey.delete(key);
    traces.delete(key);
    results.delete(key);
    dropChecked(key);
  }

  function dropChecked(key: WorkKey): void {
    const c = checked.get(key);
    if (c === undefined) return;
    checked.delete(key);
    checkedBytes -= c.bytes;
  }

  /** Holds a check's checkpoints for a game, evicting the oldest sets beyond maxCheckedBytes. */
  function keepChecked(key: WorkKey, cp: TraceCheckpoints | null, bytes: number): void {
    if (cp === null || bytes > maxCheckedBytes || traces.has(key)) return;
    dropChecked(key);
    checked.set(key, { cp, bytes });
    checkedBytes += bytes;
    while (checkedBytes > maxCheckedBytes) dropChecked(checked.keys().next().value as WorkKey);
  }

  function hold(job: JobSpec): { key: WorkKey; content: WorkContent } {
    const content = contentOf(job);
    const key = workKey(content);
    if (keyOfJob.get(job.jobId) !== key) {
      release(job.jobId);
      keyOfJob.set(job.jobId, key);
      const jobs = jobsOfKey.get(key) ?? new Set<bigint>();
      jobs.add(job.jobId);
      jobsOfKey.set(key, jobs);
    }
    return { key, content };
  }

  /** A real run: counted, timed, reported. */
  async function run<T>(kind: "recompute" | "trace", job: JobSpec, start: () => Promise<T>): Promise<T> {
    const t0 = performance.now();
    const v = await start();
    runs++;
    onRun?.(kind, job, (performance.now() - t0) / 1000);
    return v;
  }

  function save(write: () => void): void {
    try {
      write();
    } catch (err) {
      onCacheError?.(err);
    }
  }

  function loadResult(content: WorkContent): RecomputeResult | undefined {
    if (!disk) return undefined;
    const key = { ...content, kind: RESULT_KIND };
    const bytes = disk.get(key);
    if (!bytes) return undefined;
    const r = parseRecomputeResult(bytes);
    if (!r) {
      disk.delete(key);
      onCache?.("corrupt", RESULT_KIND, "result fails its final-state check");
    }
    return r;
  }

  function saveResult(content: WorkContent, r: RecomputeResult): void {
    if (!disk) return;
    save(() => disk.put({ ...content, kind: RESULT_KIND }, serializeRecomputeResult(r)));
  }

  function trace(job: JobSpec): Promise<MachineTraceProvider> {
    const { key, content } = hold(job);
    const hit = traces.get(key);
    if (hit) {
      traces.delete(key);
      traces.set(key, hit);
      return hit;
    }
    const fromCheck = checked.get(key)?.cp;
    dropChecked(key);
    const p = (async () => {
      if (fromCheck) {
        try {
          // Replays the set's last interval against its recorded end: a bad set is never used.
          const t = traceFromCheckpoints(fromCheck);
          save(() => checkpoints?.save(content, checkpointInterval, t));
          return memoized(t);
        } catch (err) {
          onCache?.("corrupt", "checked-checkpoints", (err as Error).message);
        }
      }
      const restored = checkpoints?.load(content, checkpointInterval, initialState(job.image, job.input));
      if (restored) return memoized(restored);
      const built = await run("trace", job, () =>
        buildTrace({ image: job.image, input: job.input, depth: job.depth, checkpointInterval }),
      );
      save(() => checkpoints?.save(content, checkpointInterval, built));
      saveResult(content, recomputeResultOf(built.result));
      return memoized(built);
    })();
    // A failed build is not kept: the next request tries again.
    p.catch(() => traces.get(key) === p && traces.delete(key));
    traces.set(key, p);
    while (traces.size > maxTraces) traces.delete(traces.keys().next().value as WorkKey);
    return p;
  }

  function recompute(job: JobSpec): Promise<RecomputeResult> {
    const { key, content } = hold(job);
    const hit = results.get(key);
    if (hit) return hit;
    // A game trace already held answers without another run.
    const held = traces.get(key);
    const p = (async () => {
      if (held) return recomputeResultOf((await held).result);
      const saved = loadResult(content);
      if (saved) return saved;
      if (remote) {
        const r = await remote.run(job, { key, content, deadline: job.deadline });
        saveResult(content, r);
        return r;
      }
      const want =
        maxCheckedBytes > 0
          ? { interval: checkpointInterval, maxCheckpointBytes: maxCheckedBytes }
          : undefined;
      const reply = await run("recompute", job, () =>
        pool
          ? pool.run({ image: job.image, input: job.input, depth: job.depth, checkpoints: want })
          : buildTrace({
              image: job.image,
              input: job.input,
              depth: job.depth,
              checkpointInterval: want?.interval ?? 2 ** 30,
            }).then(
              (t): RecomputeReply => ({
                result: recomputeResultOf(t.result),
                checkpoints: want ? t.exportCheckpoints() : null,
                checkpointBytes: want ? t.checkpointBytes : 0,
              }),
            ),
      );
      // Still wanted: the job may have been forgotten while it ran.
      if (jobsOfKey.has(key)) keepChecked(key, reply.checkpoints, reply.checkpointBytes);
      saveResult(content, reply.result);
      return reply.result;
    })();
    p.catch(() => results.get(key) === p && results.delete(key));
    results.set(key, p);
    return p;
  }

  return {
    recompute,
    trace,
    keyOf: (job) => workKey(contentOf(job)),
    forget: release,
    executions: () => runs,
    close: async () => {
      await pool?.close();
      await remote?.close();
    },
  };
}

/** Path of the worker module (for diagnostics). */
export const recomputeWorkerPath = fileURLToPath(workerUrl);
