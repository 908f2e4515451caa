// The proposer's finalization rule against the contract's boundary: a call one
// second early reverts onchain (GamesOpen) and costs gas; one at the boundary passes.

import { expect } from "chai";
import { canFinalizeAfter } from "./canFinalizeAfter.ts";

describe("proposer/canFinalizeAfter", () => {
  it("allows a proposal without games at once", () => {
    expect(canFinalizeAfter({ games: 0, lastOpenAt: 500n, activeNow: 0n, clockSeconds: 100n })).to.equal(
      true,
    );
  });

  it("waits three clocks after the last opening, to the second", () => {
    const at = (activeNow: bigint) =>
      canFinalizeAfter({ games: 2, lastOpenAt: 1_000n, activeNow, clockSeconds: 100n });
    expect(at(1_299n)).to.equal(false);
    expect(at(1_300n)).to.equal(true);
    expect(at(1_301n)).to.equal(true);
    expect(at(1_200n)).to.equal(false);
  });
});
