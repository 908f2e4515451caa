import { expect } from "chai";
import { createActiveClock } from "./createActiveClock.ts";

describe("game/createActiveClock", () => {
  it("runs with wall time from the last reading, never goes back, and freezes while paused", () => {
    let wall = 0;
    const c = createActiveClock({ wallMs: () => wall });
    c.observe(1000n, false);
    wall = 5_500;
    expect(c.now()).to.equal(1005n);
    c.observe(1003n); // an older block's reading
    expect(c.now()).to.equal(1005n);
    c.observe(1010n);
    expect(c.now()).to.equal(1010n);
    c.observe(1010n, true);
    wall = 60_000;
    expect(c.now()).to.equal(1010n);
    expect(c.paused()).to.equal(true);
  });

  it("starts unpaused, and a reading equal to the estimate keeps the fraction of a second already run", () => {
    let wall = 0;
    const c = createActiveClock({ wallMs: () => wall });
    expect(c.paused()).to.equal(false);
    c.observe(1000n, false);
    wall = 1_500;
    expect(c.now()).to.equal(1001n);
    c.observe(1001n); // a tree read at the same active second: nothing to move
    wall = 2_200;
    expect(c.now()).to.equal(1002n);
  });

  it("runs on the wall clock by default", () => {
    const c = createActiveClock();
    c.observe(5000n, false);
    const t = c.now();
    expect(t >= 5000n && t <= 5001n, String(t)).to.equal(true);
  });
});
