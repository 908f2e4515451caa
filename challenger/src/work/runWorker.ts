// `verdict worker`: a process that takes recomputations from the watchtower's
// BullMQ queue and returns their results. Start as many as the load needs, on
// any machine that reaches the broker; each runs `threads` jobs at once on
// worker threads, so its event loop stays free to renew job locks (a worker
// whose lock lapses, because it was killed or cut off, has its job handed to
// another one by BullMQ's stalled-job check).
//
// Nothing from the broker is trusted blindly: the program image must load to
// the root its key names, the input must hash to its input root, and the work
// key is recomputed from both; a mismatch fails the job with a typed error
// (and is never retried). Results and checkpoints go to this machine's own
// content-addressed disk cache too, so a job seen again is not run again.

import { tmpdir } from "node:os";
import { join } from "node:path";
import type { CreateLoggerReturnType as Logger } from "@verdict/shared/src/log/createLogger.ts";
import { MACHINE_VERSION } from "@verdict/shared/src/machine/constants.ts";
import { type Job, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import { createTraceSource, type TraceSource } from "../trace/createTraceSource.ts";
import { serializeRecomputeResult } from "../trace/recomputeTypes.ts";
import {
  DEFAULT_QUEUE,
  decodeImage,
  executionsKey,
  imageKey,
  PROTOCOL_VERSION,
  type RecomputeJobData,
} from "./brokerProtocol.ts";
import { BrokerProtocolError, BrokerUnavailableError } from "./errors.ts";

export type RunWorkerParameters = {
  redisUrl: string;
  queue?: string;
  /** Jobs run at once (one worker thread each); default 1. */
  threads?: number;
  /** Content-addressed cache directory; default verdict-worker-cache in the OS temp directory. */
  cacheDir?: string;
  /** Job lock: a worker silent this long loses its job to another one. Unit: seconds; default 30. */
  lockSeconds?: number;
  logger: Logger;
  signal: AbortSignal;
  /** Called once the worker takes jobs (tests). */
  onStarted?: () => void;
};

export type WorkerStats = { completed: number; failed: number; executions: number };

export async function runWorker({
  redisUrl,
  queue = DEFAULT_QUEUE,
  threads = 1,
  cacheDir = join(tmpdir(), "verdict-worker-cache"),
  lockSeconds = 30,
  logger,
  signal,
  onStarted,
}: RunWorkerParameters): Promise<WorkerStats> {
  const log = logger.child({ component: "worker" });
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null, lazyConnect: true });
  redis.on("error", (err) => log.warn({ err: err.message }, "broker connection error"));
  try {
    await redis.connect();
    await redis.ping();
  } catch (err) {
    redis.disconnect();
    throw new BrokerUnavailableError(redisUrl, err);
  }
  const traces: TraceSource = createTraceSource({
    workers: threads,
    // Broker workers only ever compute final states: no games here, so no checkpoints to keep.
    maxCheckedBytes: 0,
    cacheDir,
    onRun: (_kind, job, seconds) => log.info({ work: job.jobId.toString(), seconds }, "executed"),
    onCacheError: (err) => log.warn({ err: (err as Error).message }, "cannot write the work cache"),
  });
  const images = new Map<string, ReturnType<typeof decodeImage>>();
  const stats: WorkerStats = { completed: 0, failed: 0, executions: 0 };
  let seq = 0n;

  async function imageFor(d: RecomputeJobData) {
    const k = imageKey(queue, d.programRoot, d.entry);
    const hit = images.get(k);
    if (hit) return hit;
    const text = await redis.get(k);
    if (text === null) throw new BrokerProtocolError(`program image ${d.programRoot} is not on the broker`);
    const image = decodeImage(text);
    images.set(k, image);
    return image;
  }

  async function process(job: Job<RecomputeJobData>): Promise<string> {
    const d = job.data;
    try {
      if (d.v !== PROTOCOL_VERSION)
        throw new BrokerProtocolError(`job format ${d.v}, this worker speaks ${PROTOCOL_VERSION}`);
      if (d.machineVersion !== MACHINE_VERSION)
        throw new BrokerProtocolError(
          `machine version ${d.machineVersion}, this worker runs ${MACHINE_VERSION}`,
        );
      const image = await imageFor(d);
      const spec = {
        jobId: ++seq,
        image,
        input: new Uint8Array(Buffer.from(d.input, "base64")),
        depth: d.depth,
      };
      // The content address recomputed from what we were given must be the job's id.
      const key = traces.keyOf(spec);
      if (key !== d.key || job.id !== d.key)
        throw new BrokerProtocolError(`job ${job.id}: image and input hash to ${key}, not to the job's key`);
      const before = traces.executions();
      const r = await traces.recompute(spec);
      const ran = traces.executions() - before;
      stats.executions += ran;
      // Machine runs across all workers of the queue (a job seen before costs none): for operators and the bench.
      if (ran > 0) await redis.incrby(executionsKey(queue), ran);
      traces.forget(spec.jobId);
      return serializeRecomputeResult(r).toString("utf8");
    } catch (err) {
      // A malformed job is the same on every worker: fail it for good.
      if (err instanceof BrokerProtocolError) throw new UnrecoverableError(err.message);
      throw err;
    }
  }

  const workerConnection = new Redis(redisUrl, { maxRetriesPerRequest: null });
  workerConnection.on("error", () => undefined); // reported by the worker's own "error" event
  const worker = new Worker<RecomputeJobData, string>(queue, process, {
    connection: workerConnection,
    concurrency: threads,
    lockDuration: lockSeconds * 1000,
    stalledInterval: Math.max(1000, Math.floor((lockSeconds * 1000) / 2)),
    // A job whose workers keep dying still finishes: it is handed on up to this many times.
    maxStalledCount: 10,
  });
  worker.on("completed", (job) => {
    stats.completed++;
    log.info({ work: job.id, deadline: job.data.deadline }, "recomputation done");
  });
  worker.on("failed", (job, err) => {
    stats.failed++;
    log.warn({ work: job?.id, attempt: job?.attemptsMade, err: err.message }, "recomputation failed");
  });
  worker.on("error", (err) => log.warn({ err: err.message }, "broker connection error"));
  await worker.waitUntilReady();
  log.info({ queue, threads, lockSeconds, cacheDir }, "worker taking jobs");
  onStarted?.();
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener("abort", () => resolve(), { once: true });
  });
  log.info(stats, "worker stopping");
  await worker.close();
  await traces.close();
  workerConnection.disconnect();
  redis.disconnect();
  return stats;
}
