// Read-only looks into a watchtower's broker for tests and benches (which live
// outside this package and cannot import bullmq/ioredis themselves).

import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { executionsKey } from "../work/brokerProtocol.ts";

export type BrokerProbe = {
  /** Jobs being run by a worker right now. */
  active: () => Promise<number>;
  /** Jobs finished and kept (their results answer duplicates). */
  completed: () => Promise<number>;
  /** Machine runs done by the queue's workers (cache hits not counted). */
  executions: () => Promise<number>;
  close: () => Promise<void>;
};

export function probeBroker(redisUrl: string, queue: string): BrokerProbe {
  const u = new URL(redisUrl);
  // Connection options, not a client: the queue owns its connection and closes it.
  const q = new Queue(queue, { connection: { host: u.hostname, port: Number(u.port || 6379) } });
  const r = new Redis(redisUrl);
  r.on("error", () => undefined);
  return {
    active: () => q.getActiveCount(),
    completed: () => q.getCompletedCount(),
    executions: async () => Number((await r.get(executionsKey(queue))) ?? 0),
    close: async () => {
      await q.close();
      r.disconnect();
    },
  };
}
