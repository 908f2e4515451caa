// Bounded-concurrency scheduler over one queue ordered by chain deadline
// (op-challenger's scheduler, deadline-first): each tick the daemon offers
// every item of work it knows of with the active-time deadline it must meet
// (a game: its most urgent clock; a wrong leaf: its proposal's window). Work is
// never dropped: an offer while all slots are busy waits in the queue, and a
// new offer of a queued key refreshes it (latest function, earliest deadline);
// an offer of a running key is covered by that run (the next tick offers it
// again from fresh chain state). Free slots take the most urgent item first.
// With the measured time per item, the scheduler says early when a queued
// item will not start in time (onLate, once per item), so the operator can add
// capacity before a clock runs out. Items may carry a cost (e.g. machine steps):
// the scheduler then measures throughput in cost units per second per slot and
// predicts each item's finish from the cost queued ahead of it (steps ÷
// throughput) instead of from an average run time. Run times are measured on
// the wall clock (the active clock pauses; a machine does not).

export type ScheduleResult = "queued" | "updated" | "running";

export type CreateSchedulerParameters = {
  /** Items run at the same time. */
  concurrency: number;
  /** Called when an item's work throws (the item can be offered again). Required: a failure is never dropped. */
  onError: (key: string, err: unknown) => void;
  /** Active time now, on the axis of the deadlines (createActiveClock). Unit: seconds. */
  now?: () => bigint;
  /** A queued item predicted to finish after its deadline (`shortfall` = eta − deadline). Unit: seconds. */
  onLate?: (key: string, p: { deadline: bigint; eta: bigint; shortfall: bigint; queued: number }) => void;
  /** Initial guess of one item's run time; then measured. Unit: seconds. */
  runSeconds?: number;
  /** Initial guess of the throughput of one slot for items with a cost; then measured. Unit: cost units per second. */
  unitsPerSecond?: number;
  /** Wall clock the runs are timed on; default Date.now. Unit: milliseconds. */
  wallClock?: () => number;
};

export type Throughput = {
  /** Measured mean run time of an item (moving average, starting at `runSeconds`). Unit: seconds. */
  secondsPerItem: number;
  /** Measured throughput of one slot on items with a cost; undefined until known. Unit: cost units per second. */
  unitsPerSecond: number | undefined;
};

export type ScheduleOptions = {
  /** Active time by which the work must be done; undefined = none (runs after every deadlined item). */
  deadline?: bigint;
  /** The work's size in the scheduler's cost unit (e.g. machine steps); undefined = one average item. */
  cost?: number;
};

export type Scheduler = {
  schedule: (key: string, fn: () => Promise<void>, opts?: ScheduleOptions) => ScheduleResult;
  /** Keys running now. */
  running: () => string[];
  /** Keys waiting, most urgent first. */
  queued: () => string[];
  /** Resolves when nothing is running or queued. */
  idle: () => Promise<void>;
  /** What the predictions use now (for metrics and capacity planning). */
  throughput: () => Throughput;
};

type Item = {
  key: string;
  fn: () => Promise<void>;
  deadline: bigint | undefined;
  cost: number | undefined;
};

export function createScheduler({
  concurrency,
  onError,
  now,
  onLate,
  runSeconds = 1,
  unitsPerSecond,
  wallClock = Date.now,
}: CreateSchedulerParameters): Scheduler {
  if (!(Number.isInteger(concurrency) && concurrency >= 1))
    throw new RangeError(`concurrency ${concurrency} must be an integer >= 1`);
  if (!(Number.isFinite(runSeconds) && runSeconds > 0))
    throw new RangeError(`runSeconds ${runSeconds} must be a finite number > 0`);
  if (unitsPerSecond !== undefined && !(Number.isFinite(unitsPerSecond) && unitsPerSecond > 0))
    throw new RangeError(`unitsPerSecond ${unitsPerSecond} must be a finite number > 0`);
  const active = new Map<string, Promise<void>>();
  const running = new Map<string, { item: Item; startedAt: number }>();
  const waiting = new Map<string, Item>();
  const late = new Set<string>();
  let avgSeconds = runSeconds;
  let rate = unitsPerSecond;
  let waiters: (() => void)[] = [];

  /**
   * Earlier deadline first, no deadline after every deadline. Equals keep offer order: `waiting`
   * holds items in the order they were first offered and Array.prototype.sort is stable.
   */
  const byUrgency = (a: Item, b: Item) => {
    if (a.deadline === b.deadline) return 0;
    if (a.deadline === undefined) return 1;
    if (b.deadline === undefined) return -1;
    return a.deadline < b.deadline ? -1 : 1;
  };
  const order = () => [...waiting.values()].sort(byUrgency);

  /** Predicted run time of an item. Unit: seconds. */
  const secondsOf = (item: Item) =>
    item.cost !== undefined && rate !== undefined ? item.cost / rate : avgSeconds;

  function checkLate(queue: Item[]) {
    if (!now || !onLate) return;
    const t = now();
    // List scheduling: each slot is free once its running item's predicted rest is done; each queued
    // item, most urgent first, takes the slot free first. pump() fills every slot before it gets here,
    // so with anything queued every slot is running.
    const free: number[] = [];
    const wall = wallClock();
    for (const { item, startedAt } of running.values())
      free.push(Math.max(0, secondsOf(item) - (wall - startedAt) / 1000));
    for (const item of queue) {
      const slot = free.indexOf(Math.min(...free));
      free[slot] += secondsOf(item);
      if (item.deadline === undefined || late.has(item.key)) continue;
      const eta = t + BigInt(Math.ceil(free[slot]));
      if (eta >= item.deadline) {
        late.add(item.key);
        onLate(item.key, {
          deadline: item.deadline,
          eta,
          shortfall: eta - item.deadline,
          queued: queue.length,
        });
      }
    }
  }

  function pump() {
    const queue = order();
    while (active.size < concurrency && queue.length) {
      const item = queue.shift() as Item;
      waiting.delete(item.key);
      late.delete(item.key);
      const t0 = wallClock();
      running.set(item.key, { item, startedAt: t0 });
      const p = (async () => {
        try {
          await item.fn();
        } catch (err) {
          onError(item.key, err);
        } finally {
          const seconds = (wallClock() - t0) / 1000;
          avgSeconds = avgSeconds * 0.8 + seconds * 0.2;
          // Runs too short to time (work found done elsewhere, a cache hit) say nothing of throughput.
          const cost = item.cost ?? 0;
          if (cost > 0 && seconds >= 0.05) {
            const measured = cost / seconds;
            rate = rate === undefined ? measured : rate * 0.8 + measured * 0.2;
          }
          active.delete(item.key);
          running.delete(item.key);
          pump();
        }
      })();
      active.set(item.key, p);
    }
    checkLate(queue);
    // Nothing running means nothing waits either: a free slot takes any waiting item above.
    if (active.size === 0) {
      const w = waiters;
      waiters = [];
      for (const r of w) r();
    }
  }

  return {
    schedule(key, fn, opts = {}) {
      if (active.has(key)) return "running";
      const had = waiting.get(key);
      if (had) {
        had.fn = fn;
        if (opts.cost !== undefined) had.cost = opts.cost;
        had.deadline = earliest(had.deadline, opts.deadline);
        pump();
        return "updated";
      }
      waiting.set(key, { key, fn, deadline: opts.deadline, cost: opts.cost });
      pump();
      return "queued";
    },
    running: () => [...active.keys()],
    queued: () => order().map((i) => i.key),
    idle: () => (active.size === 0 ? Promise.resolve() : new Promise<void>((r) => waiters.push(r))),
    throughput: () => ({ secondsPerItem: avgSeconds, unitsPerSecond: rate }),
  };
}

/** The earlier of two deadlines, where undefined is none. */
function earliest(a: bigint | undefined, b: bigint | undefined): bigint | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return a < b ? a : b;
}
