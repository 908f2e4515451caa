// The longest game against the clock: k = 2 (one interior hash per round, so
// the most rounds) on a job of a program registered at the registry's largest
// D (32, the deploy default; the hard cap 48 with VERDICT_FULL=1). A lying
// proposer daemon against the honest challenger daemon on automine anvil,
// whose block times follow the wall clock, so every second either daemon takes
// counts on its path clock. The honest challenger must win by the one-step
// proof without running out of its clock: the rounds (D dissections on the
// path) and the clock it used (NodeChallenged.challengerUsed, plus the time
// from the last challenge to the step) are measured, printed and checked
// against clockSeconds.

import { expect } from "chai";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const CLOCK_SECONDS = 900;
const DEFEATED = 3;
const NODE_UPHELD = 4;

const CASES = [
  { depth: 32, full: false },
  { depth: 48, full: true },
];

for (const c of CASES) {
  describe(`e2e: k = 2 at D = ${c.depth}, against the clock`, function () {
    this.timeout(600_000);
    let fx: E2EFixture | undefined;
    before(async function () {
      if (c.full && !process.env.VERDICT_FULL) this.skip();
      fx = await setupE2E({
        k: 2,
        maxDepth: c.depth,
        programs: { sha256: c.depth },
        clockSeconds: CLOCK_SECONDS,
      });
    });
    after(async () => {
      await fx?.stop();
    });

    it("the honest challenger wins by the one-step proof within its clock", async () => {
      const f = fx as E2EFixture;
      const over = { maxDepth: String(c.depth) };
      const liar = await startProposer(f, { keyIndex: KEYS.dishonest, injectFault: 200_000n, over });
      const ch = await startChallenger(f, { keyIndex: KEYS.challenger, over });
      const me = f.address(KEYS.challenger);
      const t0 = Date.now();
      try {
        await f.submitJob(
          "sha256",
          new Uint8Array(4096).map((_, i) => (i * 13) & 0xff),
        );
        await until(
          "the proposal defeated",
          async () =>
            Number(
              (await f.read<{ status: number }>("getProposal", [1n]).catch(() => ({ status: 0 }))).status,
            ) === DEFEATED,
          500_000,
          500,
        );
        const [opened] = await f.events("GameOpened", { contract: "game", args: { proposalId: 1n } });
        const gameId = BigInt(opened.args.gameId);
        expect(Number(opened.args.depth)).to.equal(c.depth);
        const dissected = await f.events("NodeDissected", { contract: "game", args: { gameId } });
        const challenged = await f.events("NodeChallenged", { contract: "game", args: { gameId } });
        const stepped = await f.events("NodeStepped", { contract: "game", args: { gameId } });
        // One dissection per level of the one path (k = 2: one level per bit of D).
        expect(dissected, "rounds").to.have.length(c.depth);
        expect(
          stepped.map((l) => l.args.stepper),
          "won by step, not on time",
        ).to.deep.equal([me]);
        const mine = challenged.filter((l) => l.args.challenger === me);
        expect(mine, "the root and one part per round").to.have.length(c.depth + 1);
        // The clock the challenger used on its path: its time when it challenged the last
        // (one-instruction) part, plus the time from that challenge to the step.
        const last = mine.reduce((a, b) => (b.blockNumber > a.blockNumber ? b : a));
        const block = (n: bigint) => f.publicClient.getBlock({ blockNumber: n });
        const stepSeconds =
          (await block(stepped[0].blockNumber)).timestamp - (await block(last.blockNumber)).timestamp;
        const challengerUsed = BigInt(last.args.challengerUsed) + stepSeconds;
        const proposerUsed = dissected.reduce(
          (m, l) => (BigInt(l.args.proposerUsed) > m ? BigInt(l.args.proposerUsed) : m),
          0n,
        );
        console.log(
          `      D=${c.depth} k=2: ${dissected.length} rounds, challenger used ${challengerUsed}s and the ` +
            `liar ${proposerUsed}s of a ${CLOCK_SECONDS}s path clock; defeated after ${Math.round((Date.now() - t0) / 1000)} s`,
        );
        expect(challengerUsed < BigInt(CLOCK_SECONDS), `challenger used ${challengerUsed}s`).to.equal(true);
        // No node of ours was lost (a node lost on time would be upheld against us).
        const resolved = await f.events("NodeResolved", { contract: "game", args: { gameId } });
        for (const l of resolved)
          if (l.args.challenger === me) expect(Number(l.args.status)).to.not.equal(NODE_UPHELD);
      } finally {
        await liar.stop();
        await ch.stop();
      }
    });
  });
}
