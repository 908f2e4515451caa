// Bounded-concurrency scheduler for game (or job) work, op-challenger style:
// each tick the daemon offers every item it knows of; an item already running
// is skipped, and when all slots are taken the answer is "busy" — nothing is
// queued, so the daemon re-offers it on the next tick from fresh chain state
// instead of working off a stale backlog.

export type ScheduleResult = "started" | "running" | "busy";

export type CreateSchedulerParameters = {
  /** Items run at the same time. */
  concurrency: number;
  /** Called when an item's work throws (the item can be offered again). */
  onError?: (key: string, err: unknown) => void;
};

export type Scheduler = {
  schedule: (key: string, fn: () => Promise<void>) => ScheduleResult;
  /** Keys running now. */
  running: () => string[];
  /** Resolves when nothing is running. */
  idle: () => Promise<void>;
};

export function createScheduler({ concurrency, onError }: CreateSchedulerParameters): Scheduler {
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    throw new RangeError(`concurrency ${concurrency} must be >= 1`);
  const active = new Map<string, Promise<void>>();
  return {
    schedule(key, fn) {
      if (active.has(key)) return "running";
      if (active.size >= concurrency) return "busy";
      const p = (async () => {
        try {
          await fn();
        } catch (err) {
          onError?.(key, err);
        } finally {
          active.delete(key);
        }
      })();
      active.set(key, p);
      return "started";
    },
    running: () => [...active.keys()],
    idle: async () => {
      while (active.size) await Promise.all([...active.values()]);
    },
  };
}
