// The challenger's side of scale-out: recomputations go to a BullMQ queue on
// Redis, and any number of `verdict worker` processes, on any machines, take
// them. BullMQ gives what a home-made queue would have to reinvent: one job per
// id (our work key, so duplicate requests share a run), priorities (the
// proposal's deadline), retries with backoff, and stalled-job recovery (a
// worker killed mid-job loses its lock and another takes the job).
//
// Waiting for a result listens to the queue's completion events and also
// polls the job's state, so a missed event (a broker restart, a reconnect)
// delays an answer by one poll, never forever; a job the broker lost is added
// again. The result is checked before use: its packed final state must hash to
// its state hash, as for the disk cache.

import type { WorkContent, WorkKey } from "@verdict/shared/src/cache/workKey.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { Job, Queue, QueueEvents } from "bullmq";
import { Redis } from "ioredis";
import { parseRecomputeResult, type RecomputeResult } from "../trace/recomputeTypes.ts";
import {
  DEFAULT_QUEUE,
  encodeImage,
  imageKey,
  jobData,
  priorityOf,
  type RecomputeJobData,
} from "./brokerProtocol.ts";
import { BrokerJobFailedError, BrokerProtocolError, BrokerUnavailableError } from "./errors.ts";

export type RemoteRecompute = {
  run: (
    job: { image: ProgramImage; input: Uint8Array; depth: number },
    meta: { key: WorkKey; content: WorkContent; deadline?: bigint },
  ) => Promise<RecomputeResult>;
  /** Workers seen on the queue (BullMQ's registry of connected workers). */
  workers: () => Promise<number>;
  close: () => Promise<void>;
};

export type CreateBrokerPoolParameters = {
  /** redis://host:port[/db] */
  redisUrl: string;
  /** Queue name; default "verdict-recompute". */
  queue?: string;
  /** State poll while waiting for a job (ms); default 1000. */
  pollMs?: number;
  /** Attempts per job before it fails (a crash of the machine run is retried elsewhere); default 3. */
  attempts?: number;
  /** How long finished jobs stay in Redis (their results answer duplicates). Unit: seconds; default one day. */
  keepSeconds?: number;
  /** Give up connecting at startup after this long (ms); default 10 000. */
  connectTimeoutMs?: number;
};

function connect(url: string): Redis {
  // BullMQ needs maxRetriesPerRequest = null: commands wait through a broker restart.
  const r = new Redis(url, { maxRetriesPerRequest: null, enableReadyCheck: true, lazyConnect: true });
  // Connection errors surface as failed commands (retried by the caller); the client reconnects.
  r.on("error", () => undefined);
  return r;
}

async function ready(r: Redis, url: string, timeoutMs: number): Promise<void> {
  try {
    await Promise.race([
      r.connect(),
      new Promise((_, reject) =>
        setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms`)), timeoutMs),
      ),
    ]);
    await r.ping();
  } catch (err) {
    r.disconnect();
    throw new BrokerUnavailableError(url, err);
  }
}

export async function createBrokerPool({
  redisUrl,
  queue: name = DEFAULT_QUEUE,
  pollMs = 1000,
  attempts = 3,
  keepSeconds = 86_400,
  connectTimeoutMs = 10_000,
}: CreateBrokerPoolParameters): Promise<RemoteRecompute> {
  const client = connect(redisUrl);
  await ready(client, redisUrl, connectTimeoutMs);
  const eventsClient = connect(redisUrl);
  await ready(eventsClient, redisUrl, connectTimeoutMs);
  const queue = new Queue<RecomputeJobData>(name, { connection: client });
  const events = new QueueEvents(name, { connection: eventsClient });
  // Deadlines become priorities relative to the queue's epoch, shared by every daemon using it.
  const epochKey = `verdict:${name}:epoch`;
  await client.set(epochKey, String(Math.floor(Date.now() / 1000)), "NX");
  const epoch = Number(await client.get(epochKey));
  const uploaded = new Set<string>();
  const waiters = new Map<string, Set<() => void>>();
  let closed = false;

  const wake = (jobId: string | undefined) => {
    if (!jobId) return;
    for (const w of waiters.get(jobId) ?? []) w();
  };
  events.on("completed", ({ jobId }) => wake(jobId));
  events.on("failed", ({ jobId }) => wake(jobId));
  // Event-stream errors (a broker restart) are survived by polling; nothing to do here.
  events.on("error", () => undefined);
  queue.on("error", () => undefined);

  async function upload(image: ProgramImage, content: WorkContent): Promise<void> {
    const k = imageKey(name, content.programRoot, content.entry);
    if (uploaded.has(k)) return;
    await client.set(k, encodeImage(image), "NX");
    uploaded.add(k);
  }

  /** Adds the job unless a job with its id exists (BullMQ: the id is the deduplication). */
  async function add(data: RecomputeJobData, deadline: bigint | undefined): Promise<void> {
    await queue.add("recompute", data, {
      jobId: data.key,
      priority: priorityOf(deadline, epoch),
      attempts,
      backoff: { type: "exponential", delay: 1000 },
      removeOnComplete: { age: keepSeconds },
      removeOnFail: { age: keepSeconds },
    });
  }

  /** One look at the job: its result, a failure, or undefined while it is pending. */
  async function look(
    data: RecomputeJobData,
    deadline: bigint | undefined,
  ): Promise<RecomputeResult | undefined> {
    // State first, then the job: a job fetched while active and completed before its state is read
    // would carry no return value.
    const state = await queue.getJobState(data.key);
    const job = state === "unknown" ? undefined : await Job.fromId<RecomputeJobData, string>(queue, data.key);
    if (!job) {
      // Lost by the broker (or removed): ask again.
      await add(data, deadline);
      return undefined;
    }
    if (state === "completed") {
      const r = parseRecomputeResult(Buffer.from(String(job.returnvalue ?? "")));
      if (!r) {
        await job.remove().catch(() => undefined);
        throw new BrokerProtocolError(
          `worker result for ${data.key} fails its final-state check; job dropped`,
        );
      }
      return r;
    }
    if (state === "failed") {
      const reason = job.failedReason ?? "unknown";
      // The next request runs it again.
      await job.remove().catch(() => undefined);
      throw new BrokerJobFailedError(data.key, reason);
    }
    return undefined;
  }

  async function run(
    job: { image: ProgramImage; input: Uint8Array; depth: number },
    meta: { key: WorkKey; content: WorkContent; deadline?: bigint },
  ): Promise<RecomputeResult> {
    if (closed) throw new BrokerProtocolError("broker pool is closed");
    await upload(job.image, meta.content);
    const data = jobData(meta.key, meta.content, job.input, meta.deadline);
    await add(data, meta.deadline);
    for (;;) {
      if (closed) throw new BrokerProtocolError("broker pool closed while waiting");
      let woken: () => void = () => undefined;
      const signal = new Promise<void>((resolve) => {
        woken = resolve;
      });
      const set = waiters.get(meta.key) ?? new Set();
      set.add(woken);
      waiters.set(meta.key, set);
      try {
        const r = await look(data, meta.deadline);
        if (r) return r;
        const timer = setTimeout(woken, pollMs);
        await signal;
        clearTimeout(timer);
      } finally {
        set.delete(woken);
        if (set.size === 0) waiters.delete(meta.key);
      }
    }
  }

  return {
    run,
    workers: async () => (await queue.getWorkers()).length,
    close: async () => {
      closed = true;
      for (const set of waiters.values()) for (const w of set) w();
      await events.close();
      await queue.close();
      client.disconnect();
      eventsClient.disconnect();
    },
  };
}
