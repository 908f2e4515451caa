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

  it("rejects a non-positive concurrency", () => {
    expect(() => createScheduler({ concurrency: 0 })).to.throw(RangeError);
  });
});
