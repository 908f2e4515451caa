import { expect } from "chai";
import { createScheduler } from "./createScheduler.ts";

function gate() {
  let open!: () => void;
  const p = new Promise<void>((r) => {
    open = r;
  });
  return { p, open };
}

describe("game/createScheduler", () => {
  it("never drops work: offers beyond the slots wait, and run most urgent first", async () => {
    const order: string[] = [];
    const g = gate();
    const s = createScheduler({ concurrency: 1 });
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

  it("reports errors and keeps going", async () => {
    const errors: string[] = [];
    const s = createScheduler({ concurrency: 2, onError: (k) => errors.push(k) });
    s.schedule("bad", async () => {
      throw new Error("x");
    });
    s.schedule("good", async () => undefined);
    await s.idle();
    expect(errors).to.deep.equal(["bad"]);
    expect(s.running()).to.deep.equal([]);
  });

  it("says early (once) when a queued item cannot start before its deadline", async () => {
    const late: string[] = [];
    const g = gate();
    const s = createScheduler({
      concurrency: 1,
      now: () => 1000n,
      runSeconds: 10,
      onLate: (k) => late.push(k),
    });
    s.schedule("busy", () => g.p);
    s.schedule("a", async () => undefined, { deadline: 1100n }); // starts ~1000, done ~1010
    s.schedule("b", async () => undefined, { deadline: 1015n }); // more urgent: ahead of a, fine
    s.schedule("c", async () => undefined, { deadline: 1020n }); // third in line: done ~1030
    s.schedule("c", async () => undefined, { deadline: 1020n });
    expect(late).to.deep.equal(["c"]);
    g.open();
    await s.idle();
  });

  it("predicts from the cost queued ahead (steps ÷ throughput) and names the shortfall", async () => {
    const late: { key: string; shortfall: bigint; eta: bigint }[] = [];
    const g = gate();
    const s = createScheduler({
      concurrency: 2,
      now: () => 1000n,
      unitsPerSecond: 1_000_000, // one slot: 1M steps per second
      onLate: (key, p) => late.push({ key, shortfall: p.shortfall, eta: p.eta }),
    });
    s.schedule("busy1", () => g.p);
    s.schedule("busy2", () => g.p);
    // Ahead of "small": 60M + 20M steps over 2 slots = 40 s; itself 1M more.
    s.schedule("big", async () => undefined, { deadline: 1100n, cost: 60_000_000 });
    s.schedule("mid", async () => undefined, { deadline: 1200n, cost: 20_000_000 });
    s.schedule("small", async () => undefined, { deadline: 1030n, cost: 1_000_000 });
    // Order: small (1030), big (1100), mid (1200). small: 0.5 s → fine; big: (1 + 60) / 2 = 30.5 s → fine;
    // mid: 81 / 2 = 40.5 s → fine. Nothing late yet.
    expect(late).to.deep.equal([]);
    // A huge item with an early deadline goes first and pushes big past its deadline.
    s.schedule("huge", async () => undefined, { deadline: 1500n, cost: 300_000_000 });
    s.schedule("flood", async () => undefined, { deadline: 1090n, cost: 200_000_000 });
    // flood: 1 + 200 = 201M / 2 → eta 1101 ≥ 1090 (short by 11 s); big: 261M / 2 → 1131 (short by 31 s).
    expect(late).to.deep.equal([
      { key: "flood", shortfall: 11n, eta: 1101n },
      { key: "big", shortfall: 31n, eta: 1131n },
    ]);
    g.open();
    await s.idle();
  });

  it("rejects a non-positive concurrency", () => {
    expect(() => createScheduler({ concurrency: 0 })).to.throw(RangeError);
  });
});
