import { expect } from "chai";
import { type CreateSchedulerParameters, createScheduler } from "./createScheduler.ts";

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => {
    open = r;
  });
  return { p, open };
}

/** Errors a test did not expect fail it: the scheduler's onError is required. */
const rethrowLater = (key: string, err: unknown) => {
  setImmediate(() => {
    throw new Error(`unexpected failure of ${key}: ${(err as Error).message}`);
  });
};

const make = (p: Partial<CreateSchedulerParameters> & { concurrency: number }) =>
  createScheduler({ onError: rethrowLater, ...p });

/** Lets every pending promise callback run (the scheduler's runs end in microtasks). */
const settle = () => new Promise<void>((r) => setImmediate(r));

/** Deterministic PRNG (mulberry32) for the order test. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("game/createScheduler", () => {
  it("never drops work: offers beyond the slots wait, and run most urgent first", async () => {
    const order: string[] = [];
    const g = gate();
    const s = make({ concurrency: 1 });
    const work = (k: string) => async () => {
      order.push(k);
      if (k === "first") await g.p;
    };
    expect(s.schedule("first", work("first"))).to.equal("queued");
    expect(s.running()).to.deep.equal(["first"]);
    expect(s.schedule("first", work("first"))).to.equal("running");
    expect(s.schedule("late", work("late"), { deadline: 500n })).to.equal("queued");
    expect(s.schedule("none", work("none"))).to.equal("queued");
    expect(s.schedule("urgent", work("urgent"), { deadline: 100n })).to.equal("queued");
    // A re-offer refreshes the queued item: the earlier deadline wins.
    expect(s.schedule("late", work("late"), { deadline: 50n })).to.equal("updated");
    expect(s.queued()).to.deep.equal(["late", "urgent", "none"]);
    g.open();
    await s.idle();
    expect(order).to.deep.equal(["first", "late", "urgent", "none"]);
  });

  it("queues by deadline, deadlined work before work without one, and offer order among equals (random offers against a reference order)", async () => {
    const random = rng(14);
    for (let trial = 0; trial < 200; trial++) {
      const g = gate();
      const s = make({ concurrency: 1 });
      s.schedule("busy", () => g.p);
      const offers: { key: string; deadline: bigint | undefined; seq: number }[] = [];
      // Up to 150: V8 sorts fewer than 64 elements by binary insertion alone (each new element
      // compared with earlier ones), longer arrays also by merging runs (compared both ways).
      const n = 2 + Math.floor(random() * 149);
      for (let i = 0; i < n; i++) {
        // Few distinct deadlines, so ties and missing deadlines are common.
        const r = Math.floor(random() * 4);
        const deadline = r === 0 ? undefined : BigInt(r * 10);
        const key = `k${i}`;
        s.schedule(key, async () => undefined, deadline === undefined ? {} : { deadline });
        offers.push({ key, deadline, seq: i });
      }
      const rank = (o: (typeof offers)[number]) => (o.deadline === undefined ? 1_000_000n : o.deadline);
      const expected = [...offers]
        .sort((a, b) => (rank(a) === rank(b) ? a.seq - b.seq : rank(a) < rank(b) ? -1 : 1))
        .map((o) => o.key);
      expect(s.queued(), `trial ${trial}`).to.deep.equal(expected);
      g.open();
      await s.idle();
    }
  });

  it("runs work without a deadline in the order it was offered", async () => {
    const ran: string[] = [];
    const g = gate();
    const s = make({ concurrency: 1 });
    s.schedule("busy", () => g.p);
    for (const k of ["a", "b", "c", "d", "e"]) s.schedule(k, async () => void ran.push(k));
    expect(s.queued()).to.deep.equal(["a", "b", "c", "d", "e"]);
    g.open();
    await s.idle();
    expect(ran).to.deep.equal(["a", "b", "c", "d", "e"]);
  });

  it("a re-offer runs the latest function and keeps the earliest deadline it was given", async () => {
    const ran: string[] = [];
    const g = gate();
    const s = make({ concurrency: 1 });
    s.schedule("busy", () => g.p);
    s.schedule("x", async () => void ran.push("x1"), { deadline: 300n });
    s.schedule("y", async () => void ran.push("y"), { deadline: 200n });
    s.schedule("z", async () => void ran.push("z"));
    s.schedule("w", async () => void ran.push("w"), { deadline: 250n });
    expect(s.queued()).to.deep.equal(["y", "w", "x", "z"]);
    // Without a deadline: x keeps 300 (and the new function).
    expect(s.schedule("x", async () => void ran.push("x2"))).to.equal("updated");
    expect(s.queued()).to.deep.equal(["y", "w", "x", "z"]);
    // A later deadline does not postpone y.
    expect(s.schedule("y", async () => void ran.push("y"), { deadline: 400n })).to.equal("updated");
    expect(s.queued()).to.deep.equal(["y", "w", "x", "z"]);
    // The first deadline of an item that had none counts.
    expect(s.schedule("z", async () => void ran.push("z"), { deadline: 100n })).to.equal("updated");
    expect(s.queued()).to.deep.equal(["z", "y", "w", "x"]);
    // An earlier deadline moves x ahead.
    expect(s.schedule("x", async () => void ran.push("x3"), { deadline: 150n })).to.equal("updated");
    expect(s.queued()).to.deep.equal(["z", "x", "y", "w"]);
    g.open();
    await s.idle();
    expect(ran).to.deep.equal(["z", "x3", "y", "w"]);
  });

  it("a re-offer with a new cost is predicted at the new cost; one without keeps the old", async () => {
    const late: string[] = [];
    const g = gate();
    const s = make({
      concurrency: 1,
      now: () => 0n,
      runSeconds: 200, // an item without a cost would be late
      unitsPerSecond: 1_000,
      wallClock: () => 0,
      onLate: (k) => late.push(k),
    });
    s.schedule("busy", () => g.p, { cost: 1_000 }); // 1 s
    s.schedule("a", async () => undefined, { deadline: 100n, cost: 50_000 }); // done at 51 s
    expect(late).to.deep.equal([]);
    s.schedule("a", async () => undefined, {}); // keeps 50,000 (not the 200 s of an item without a cost)
    expect(late).to.deep.equal([]);
    s.schedule("a", async () => undefined, { cost: 99_000 }); // done at 100 s: late
    expect(late).to.deep.equal(["a"]);
    g.open();
    await s.idle();
  });

  it("reports errors to onError with the error itself and keeps going", async () => {
    const errors: [string, unknown][] = [];
    const s = createScheduler({ concurrency: 2, onError: (k, e) => errors.push([k, e]) });
    const boom = new Error("x");
    s.schedule("bad", async () => {
      throw boom;
    });
    s.schedule("good", async () => undefined);
    await s.idle();
    expect(errors).to.deep.equal([["bad", boom]]);
    expect(s.running()).to.deep.equal([]);
    // The failed key can be offered again.
    expect(s.schedule("bad", async () => undefined)).to.equal("queued");
    await s.idle();
    expect(errors).to.have.length(1);
  });

  it("idle() resolves at once when nothing runs, waits for the last run, and again for a later busy period", async () => {
    const s = make({ concurrency: 2 });
    let done = false;
    await s.idle().then(() => {
      done = true;
    });
    expect(done).to.equal(true);
    for (let period = 0; period < 2; period++) {
      const g = gate();
      s.schedule(`p${period}`, () => g.p);
      let resolved = false;
      const idle = s.idle().then(() => {
        resolved = true;
      });
      const idle2 = s.idle();
      await settle();
      expect(resolved, `period ${period}: idle while a run is in flight`).to.equal(false);
      g.open();
      await idle;
      await idle2;
      expect(resolved).to.equal(true);
    }
  });

  it("says early (once) when a queued item cannot start before its deadline", async () => {
    const late: string[] = [];
    const g = gate();
    const s = make({
      concurrency: 1,
      now: () => 1000n,
      runSeconds: 10,
      wallClock: () => 0,
      onLate: (k) => late.push(k),
    });
    s.schedule("busy", () => g.p);
    // "busy" runs first (predicted 10 s); then, most urgent first: b, c, a.
    s.schedule("a", async () => undefined, { deadline: 1100n }); // fourth: done ~1040, fine
    s.schedule("b", async () => undefined, { deadline: 1025n }); // second: done ~1020, fine
    s.schedule("c", async () => undefined, { deadline: 1028n }); // third: done ~1030, late
    s.schedule("c", async () => undefined, { deadline: 1028n });
    expect(late).to.deep.equal(["c"]);
    g.open();
    await s.idle();
  });

  it("an item predicted to finish exactly at its deadline is late; one a second earlier is not", async () => {
    const late: { key: string; shortfall: bigint }[] = [];
    const g = gate();
    const s = make({
      concurrency: 1,
      now: () => 0n,
      runSeconds: 10,
      wallClock: () => 0,
      onLate: (key, p) => late.push({ key, shortfall: p.shortfall }),
    });
    s.schedule("busy", () => g.p); // free at 10 s
    s.schedule("early", async () => undefined, { deadline: 21n }); // done at 20 s
    s.schedule("exact", async () => undefined, { deadline: 30n }); // done at 30 s
    expect(late).to.deep.equal([{ key: "exact", shortfall: 0n }]);
    g.open();
    await s.idle();
  });

  it("counts the time a running item has already run (wall clock, in ms), never below zero", async () => {
    let wall = 1_000_000;
    const late: { key: string; eta: bigint }[] = [];
    const g = gate();
    const s = make({
      concurrency: 1,
      now: () => 0n,
      runSeconds: 10,
      wallClock: () => wall,
      onLate: (key, p) => late.push({ key, eta: p.eta }),
    });
    s.schedule("busy", () => g.p); // predicted 10 s from wall 1,000,000 ms
    wall += 4_000; // 4 s in: 6 s left
    s.schedule("a", async () => undefined, { deadline: 16n }); // 6 + 10 = 16: late, eta 16
    expect(late).to.deep.equal([{ key: "a", eta: 16n }]);
    wall += 100_000; // far past its prediction: 0 s left, not negative
    s.schedule("b", async () => undefined, { deadline: 20n }); // behind a: 0 + 10 + 10 = 20: late
    expect(late).to.deep.equal([
      { key: "a", eta: 16n },
      { key: "b", eta: 20n },
    ]);
    g.open();
    await s.idle();
  });

  it("says nothing, and does not fail, with only one of now and onLate", async () => {
    for (const p of [{ now: () => 1000n }, { onLate: () => expect.fail("onLate without now") }]) {
      const g = gate();
      const s = make({ concurrency: 1, runSeconds: 100, ...p });
      s.schedule("busy", () => g.p);
      expect(s.schedule("a", async () => undefined, { deadline: 1n })).to.equal("queued");
      g.open();
      await s.idle();
    }
  });

  it("predicts from the cost queued ahead (steps ÷ throughput, list-scheduled over the slots) and names the shortfall", async () => {
    const late: { key: string; shortfall: bigint; eta: bigint; queued: number }[] = [];
    const g = gate();
    const s = make({
      concurrency: 2,
      now: () => 1000n,
      unitsPerSecond: 1_000_000, // one slot: 1M steps per second
      wallClock: () => 0,
      onLate: (key, p) => late.push({ key, shortfall: p.shortfall, eta: p.eta, queued: p.queued }),
    });
    // Two running items without a cost: each predicted at the default 1 s.
    s.schedule("busy1", () => g.p);
    s.schedule("busy2", () => g.p);
    s.schedule("big", async () => undefined, { deadline: 1100n, cost: 60_000_000 });
    s.schedule("mid", async () => undefined, { deadline: 1200n, cost: 20_000_000 });
    s.schedule("small", async () => undefined, { deadline: 1030n, cost: 1_000_000 });
    // small → slot 1 free at 1 s, done at 2 s; big → slot 2, 1 + 60 = 61 s; mid → slot 1, 2 + 20 = 22 s.
    expect(late).to.deep.equal([]);
    // An item is never split over slots: 200M steps with a deadline 90 s away is late on its own.
    s.schedule("flood", async () => undefined, { deadline: 1090n, cost: 200_000_000 });
    // Order: small, flood, big, mid. small → slot 1 (2 s); flood → slot 2 (1 + 200 = 201 s: late by
    // 111 s); big → slot 1 (62 s, fine); mid → slot 1 (82 s, fine).
    expect(late).to.deep.equal([{ key: "flood", shortfall: 111n, eta: 1201n, queued: 4 }]);
    // A running item's predicted rest counts: with busy work ahead, a fitting item is fine until
    // the queue in front of it grows.
    s.schedule("tail", async () => undefined, { deadline: 1150n, cost: 90_000_000 });
    // Order: small, flood, big, tail, mid. tail → slot 1 after big: 62 + 90 = 152 s → eta 1152, late by 2 s.
    expect(late.at(-1)).to.deep.equal({ key: "tail", shortfall: 2n, eta: 1152n, queued: 5 });
    g.open();
    await s.idle();
  });

  it("predicts an item with a cost at the mean run time while the throughput is unknown", async () => {
    const late: { key: string; eta: bigint }[] = [];
    const g = gate();
    const s = make({
      concurrency: 1,
      now: () => 0n,
      runSeconds: 7,
      wallClock: () => 0,
      onLate: (key, p) => late.push({ key, eta: p.eta }),
    });
    s.schedule("busy", () => g.p);
    s.schedule("a", async () => undefined, { deadline: 14n, cost: 1_000_000_000 }); // 7 + 7
    expect(late).to.deep.equal([{ key: "a", eta: 14n }]);
    expect(s.throughput()).to.deep.equal({ secondsPerItem: 7, unitsPerSecond: undefined });
    g.open();
    await s.idle();
  });

  it("measures the mean run time and the throughput from finished runs (moving averages on the wall clock)", async () => {
    let wall = 5_000_000;
    const s = make({ concurrency: 1, runSeconds: 1, wallClock: () => wall });
    const run = async (ms: number, cost?: number) => {
      s.schedule(
        "job",
        async () => {
          wall += ms;
        },
        cost === undefined ? {} : { cost },
      );
      await s.idle();
    };
    // A 3 s run without a cost: mean 0.8·1 + 0.2·3; the throughput stays unknown.
    await run(3_000);
    expect(s.throughput().secondsPerItem).to.be.closeTo(1.4, 1e-12);
    expect(s.throughput().unitsPerSecond).to.equal(undefined);
    // The first timed run with a cost sets the throughput: 10,000 units in 2 s.
    await run(2_000, 10_000);
    expect(s.throughput().secondsPerItem).to.be.closeTo(0.8 * 1.4 + 0.2 * 2, 1e-12);
    expect(s.throughput().unitsPerSecond).to.equal(5_000);
    // Then a moving average: 40,000 units in 4 s (10,000/s) → 0.8·5,000 + 0.2·10,000.
    await run(4_000, 40_000);
    expect(s.throughput().unitsPerSecond).to.be.closeTo(6_000, 1e-9);
    // A run of exactly 50 ms counts: 600 units in 0.05 s = 12,000/s → 0.8·6,000 + 0.2·12,000.
    await run(50, 600);
    expect(s.throughput().unitsPerSecond).to.be.closeTo(7_200, 1e-9);
    // Too short to time (49 ms), zero cost, or no cost: the throughput is unchanged.
    await run(49, 1_000_000);
    await run(5_000, 0);
    await run(5_000);
    expect(s.throughput().unitsPerSecond).to.be.closeTo(7_200, 1e-9);
  });

  it("a measured throughput replaces the assumed one in the predictions", async () => {
    let wall = 0;
    const late: { key: string; eta: bigint }[] = [];
    const s = make({
      concurrency: 1,
      now: () => 0n,
      unitsPerSecond: 1_000,
      wallClock: () => wall,
      onLate: (key, p) => late.push({ key, eta: p.eta }),
    });
    s.schedule(
      "measure",
      async () => {
        wall += 10_000; // 1,000 units in 10 s: 100/s measured → 0.8·1,000 + 0.2·100 = 820/s
      },
      { cost: 1_000 },
    );
    await s.idle();
    expect(s.throughput().unitsPerSecond).to.be.closeTo(820, 1e-9);
    const g = gate();
    s.schedule("busy", () => g.p, { cost: 8_200 }); // 10 s at 820/s
    s.schedule("a", async () => undefined, { deadline: 20n, cost: 8_200 }); // 10 + 10: late at 20
    expect(late).to.deep.equal([{ key: "a", eta: 20n }]);
    g.open();
    await s.idle();
  });

  it("refuses parameters it cannot predict with", () => {
    expect(() => make({ concurrency: 0 })).to.throw(RangeError, /concurrency/);
    expect(() => make({ concurrency: 1.5 })).to.throw(RangeError, /concurrency/);
    for (const runSeconds of [0, -1, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => make({ concurrency: 1, runSeconds })).to.throw(RangeError, /runSeconds/);
    for (const unitsPerSecond of [0, -5, Number.NaN, Number.POSITIVE_INFINITY])
      expect(() => make({ concurrency: 1, unitsPerSecond })).to.throw(RangeError, /unitsPerSecond/);
    expect(() => make({ concurrency: 3, runSeconds: 0.5, unitsPerSecond: 1 })).not.to.throw();
  });
});
