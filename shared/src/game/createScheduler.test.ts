import { expect } from "chai";
import { createScheduler } from "./createScheduler.ts";

describe("game/createScheduler", () => {
  it("runs up to `concurrency` items, skips running keys, says busy when full", async () => {
    const errors: string[] = [];
    const s = createScheduler({ concurrency: 2, onError: (k) => errors.push(k) });
    let release!: () => void;
    const gate = new Promise<void>((r) => {
      release = r;
    });
    let ran = 0;
    const work = async () => {
      ran++;
      await gate;
    };
    expect(s.schedule("a", work)).to.equal("started");
    expect(s.schedule("a", work)).to.equal("running");
    expect(s.schedule("b", work)).to.equal("started");
    expect(s.schedule("c", work)).to.equal("busy");
    expect(s.running().sort()).to.deep.equal(["a", "b"]);
    release();
    await s.idle();
    expect(ran).to.equal(2);
    expect(
      s.schedule("c", async () => {
        throw new Error("x");
      }),
    ).to.equal("started");
    await s.idle();
    expect(errors).to.deep.equal(["c"]);
    expect(s.running()).to.deep.equal([]);
  });
  it("rejects a non-positive concurrency", () => {
    expect(() => createScheduler({ concurrency: 0 })).to.throw(RangeError);
  });
});
