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
});
