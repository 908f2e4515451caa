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
    // "busy" runs first (predicted 10 s); then, most urgent first: b, c, a.
    s.schedule("a", async () => undefined, { deadline: 1100n }); // fourth: done ~1040, fine
    s.schedule("b", async () => undefined, { deadline: 1025n }); // second: done ~1020, fine
    s.schedule("c", async () => undefined, { deadline: 1028n }); // third: done ~1030, late
    s.schedule("c", async () => undefined, { deadline: 1028n });
    expect(late).to.deep.equal(["c"]);
    g.open();
    await s.idle();
  });

  it("predicts from the cost queued ahead (steps ÷ throughput, list-scheduled over the slots) and names the shortfall", async () => {
    const late: { key: string; shortfall: bigint; eta: bigint }[] = [];
    const g = gate();
    const s = createScheduler({
      concurrency: 2,
      now: () => 1000n,
      unitsPerSecond: 1_000_000, // one slot: 1M steps per second
      onLate: (key, p) => late.push({ key, shortfall: p.shortfall, eta: p.eta }),
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
    expect(late).to.deep.equal([{ key: "flood", shortfall: 111n, eta: 1201n }]);
    // A running item's predicted rest counts: with busy work ahead, a fitting item is fine until
    // the queue in front of it grows.
    s.schedule("tail", async () => undefined, { deadline: 1150n, cost: 90_000_000 });
    // Order: small, flood, big, tail, mid. tail → slot 1 after big: 62 + 90 = 152 s → eta 1152, late by 2 s.
    expect(late.at(-1)).to.deep.equal({ key: "tail", shortfall: 2n, eta: 1152n });
    g.open();
    await s.idle();
  });

  it("rejects a non-positive concurrency", () => {
    expect(() => createScheduler({ concurrency: 0 })).to.throw(RangeError);
  });
});
