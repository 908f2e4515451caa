// Whole games played by the two solvers on the toy contract: the honest side
// wins whichever side lies, wherever the lie starts, for several k and depths,
// against any number of dishonest challengers; the proposer answers each node
// once; and no honest party ends with less than it posted.

import { expect } from "chai";
import type { Address } from "viem";
import { playToyGame, type ToyPlayer } from "./playToyGame.ts";
import { isOpen } from "./types.ts";

const P = "0x00000000000000000000000000000000000000a1" as Address;
const H = "0x00000000000000000000000000000000000000c1" as Address;
const addr = (i: number) => `0x${(0xd00 + i).toString(16).padStart(40, "0")}` as Address;

function netOf(r: Awaited<ReturnType<typeof playToyGame>>, who: Address): bigint {
  return (r.game.credits.get(who.toLowerCase()) ?? 0n) - (r.game.posted.get(who.toLowerCase()) ?? 0n);
}

describe("game/playToyGame (solvers against the toy contract)", () => {
  for (const log2K of [1, 2, 3]) {
    for (const depth of [1, 5, 9]) {
      it(`honest side wins: k=2^${log2K}, D=${depth}, lies at several steps`, async () => {
        const last = 1n << BigInt(depth);
        for (const fault of new Set([1n, last / 2n, last / 2n + 1n, last])) {
          const lying = await playToyGame({
            depth,
            log2K,
            proposer: { address: P, faultFrom: fault },
            challengers: [{ address: H }],
          });
          expect(lying.game.rootStatus(), `proposer lies from ${fault}`).to.equal("Defeated");
          expect(netOf(lying, H) >= 0n, "never loses by being right").to.equal(true);
          expect(lying.game.steps, "decided by the one-step proof").to.have.length(1);
          const honest = await playToyGame({
            depth,
            log2K,
            proposer: { address: P },
            challengers: [{ address: H, faultFrom: fault }],
          });
          expect(honest.game.rootStatus(), `challenger lies from ${fault}`).to.equal("Upheld");
          expect(netOf(honest, P) > 0n, "paid for being right").to.equal(true);
          expect(honest.game.steps, "decided by the one-step proof").to.have.length(1);
          expect([...honest.game.tree().nodes.values()].some((n) => isOpen(n.status))).to.equal(false);
        }
      });
    }
  }

  it("one honest challenger wins against a lying proposer and eight dishonest challengers, and is paid", async () => {
    const dishonest: ToyPlayer[] = [3n, 40n, 77n, 100n, 200n, 255n, 256n, 511n].map((f, i) => ({
      address: addr(i),
      faultFrom: f,
    }));
    // The liars move first (one opens the game), the honest challenger last.
    const r = await playToyGame({
      depth: 9,
      log2K: 2,
      proposer: { address: P, faultFrom: 300n },
      challengers: [...dishonest, { address: H }],
    });
    expect(r.game.rootStatus()).to.equal("Defeated");
    expect(netOf(r, H) >= 0n, "never loses by being right").to.equal(true);
    // The proposer dissected each node at most once.
    const dissected = (r.sent.get(P) ?? [])
      .filter((a) => a.type === "dissect")
      .map((a) => `${a.gameId}:${a.type === "dissect" && a.position}`);
    expect(new Set(dissected).size).to.equal(dissected.length);
    expect(r.refused.get("WrongNodeState") ?? 0, "no dissection of an already dissected node").to.equal(0);
  });

  it("an honest proposer wins every node against eight dishonest challengers and never loses money", async () => {
    const r = await playToyGame({
      depth: 8,
      log2K: 2,
      proposer: { address: P },
      challengers: [5n, 6n, 64n, 65n, 128n, 200n, 255n, 256n].map((f, i) => ({
        address: addr(i),
        faultFrom: f,
      })),
    });
    expect(r.game.rootStatus()).to.equal("Upheld");
    expect(netOf(r, P) > 0n, "paid for being right").to.equal(true);
    for (const n of r.game.tree().nodes.values()) expect(n.status, `${n.position}`).to.equal("Upheld");
  });

  it("a proposer that goes silent loses on time; a challenger that goes silent loses on time", async () => {
    const quietProposer = await playToyGame({
      depth: 6,
      log2K: 1,
      proposer: { address: P, silentAfterRounds: 2 },
      challengers: [{ address: H }, { address: addr(1), faultFrom: 9n }],
    });
    // Honest proposer, but it stopped: the challengers' timeouts defeat it (nobody is "right" here,
    // the clock decides), and the honest challenger does not lose money.
    expect(quietProposer.game.rootStatus()).to.equal("Defeated");
    const quietChallenger = await playToyGame({
      depth: 6,
      log2K: 1,
      proposer: { address: P },
      challengers: [{ address: addr(1), faultFrom: 9n, silentAfterRounds: 3 }],
    });
    expect(quietChallenger.game.rootStatus()).to.equal("Upheld");
  });
});
