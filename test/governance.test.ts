// Governance end to end with the real daemons: a pause in the middle of a game
// freezes every path clock (time passes far beyond them, yet no node resolves
// on time and the game ends by the one-step proof after unpausing); the
// guardian invalidating a game can only stop its (wrong) proposal, never let
// it finalize, and every claim bond comes back; and a rollback of a finalized
// result makes it provable again: the honest proposer re-proposes it, the
// challenger checks it, and it finalizes anew.

import { expect } from "chai";
import type { Hex } from "viem";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";
import { untilAllResolved } from "./support/gameState.ts";

const CLOCK_SECONDS = 300;
const WINDOW_SECONDS = 600;
const NODE_DEFEATED = 3;
const NODE_REFUNDED = 5;
const INVALIDATED = 4;

describe("e2e governance", function () {
  this.timeout(240_000);
  let fx: E2EFixture | undefined;
  afterEach(async () => {
    await fx?.stop();
    fx = undefined;
  });

  it("pause mid-game, let hours pass, resume: no clock runs while paused and the challenger wins by step", async () => {
    fx = await setupE2E({
      programs: { sha256: 20 },
      clockSeconds: CLOCK_SECONDS,
      challengeWindowSeconds: WINDOW_SECONDS,
    });
    const f = fx;
    await f.submitJob(
      "sha256",
      new Uint8Array(8192).map((_, i) => (i * 5) & 0xff),
    );
    const liar = await startProposer(f, { keyIndex: KEYS.dishonest, injectFault: 400_000n });
    const ch = await startChallenger(f, { keyIndex: KEYS.challenger });
    const handledThrough = (block: bigint) =>
      until(
        `both daemons past block ${block}`,
        async () => {
          const m = /^verdict_challenger_processed_block (\d+)/m.exec(await ch.metrics());
          return liar.proposer.monitor.next() > block && m !== null && BigInt(m[1]) >= block;
        },
        60_000,
        25,
      );
    try {
      await until(
        "two challenges below the root",
        async () => (await f.events("NodeChallenged", { contract: "game" })).length >= 3,
        120_000,
        50,
      );
      await f.write(KEYS.deployer, "pause");
      const open = (await f.events("NodeChallenged", { contract: "game" })).map((l) =>
        BigInt(l.args.position),
      );
      const turns = async () =>
        Promise.all(open.map((pos) => f.readGame<readonly [number, bigint]>("nodeTurn", [1n, pos])));
      const frozen = await turns();
      const resolvedBefore = (await f.events("NodeResolved", { contract: "game" })).length;
      // Far beyond every clock and the window.
      await f.advance(10 * CLOCK_SECONDS + WINDOW_SECONDS);
      // Both daemons must have handled the advanced block, and then one more full poll after it
      // (so anything they would do on seeing the expired clocks has been sent), before we look.
      await handledThrough(await f.publicClient.getBlockNumber());
      await f.advance(1);
      await handledThrough(await f.publicClient.getBlockNumber());
      await Promise.all([liar.proposer.idle(), ch.challenger.idle()]);
      expect(await turns(), "no clock ran while paused").to.deep.equal(frozen);
      expect((await f.events("NodeResolved", { contract: "game" })).length).to.equal(resolvedBefore);
      expect(Number((await f.read<{ status: number }>("getProposal", [1n])).status)).to.equal(1);
      await f.write(KEYS.deployer, "unpause");
      await until(
        "the proposal defeated",
        async () => Number((await f.read<{ status: number }>("getProposal", [1n])).status) === 3,
        120_000,
        100,
      );
      const [stepped] = await f.events("NodeStepped", { contract: "game" });
      expect(stepped, "won by the one-step proof, not on time").to.not.equal(undefined);
      expect(stepped.args.stepper).to.equal(f.address(KEYS.challenger));
      const defeated = (await f.events("NodeResolved", { contract: "game" })).filter(
        (l) => Number(l.args.status) === NODE_DEFEATED,
      );
      expect(defeated.map((l) => BigInt(l.args.position))).to.deep.equal([BigInt(stepped.args.position)]);
      const [unpaused] = await f.events("ProtocolUnpaused");
      expect(BigInt(unpaused.args.pausedSeconds) >= BigInt(10 * CLOCK_SECONDS)).to.equal(true);
    } finally {
      await ch.stop();
      await liar.stop();
    }
  });

  it("the guardian invalidates a game: its wrong proposal can never finalize and every claim bond is refunded", async () => {
    fx = await setupE2E({
      programs: { sha256: 18 },
      clockSeconds: CLOCK_SECONDS,
      challengeWindowSeconds: WINDOW_SECONDS,
    });
    const f = fx;
    await f.submitJob("sha256", new TextEncoder().encode("invalidate me"));
    const liar = await startProposer(f, { keyIndex: KEYS.dishonest, injectFault: 20_000n });
    const ch = await startChallenger(f, { keyIndex: KEYS.challenger });
    try {
      await until(
        "the game under way",
        async () => (await f.events("NodeDissected", { contract: "game" })).length >= 1,
        120_000,
        50,
      );
      await f.writeGame(KEYS.deployer, "invalidateGame", [1n]);
      expect(Number((await f.read<{ status: number }>("getProposal", [1n])).status)).to.equal(INVALIDATED);
      // The liar re-proposes its jobs after the invalidation (a new proposal, a new game): only
      // game 1 is looked at.
      await liar.stop();
      // Long after the window: it stays invalidated (never Finalized).
      await f.advance(WINDOW_SECONDS + 3 * CLOCK_SECONDS);
      await untilAllResolved(f, { gameIds: [1n] });
      const resolved = await f.events("NodeResolved", { contract: "game", args: { gameId: 1n } });
      for (const l of resolved) expect(Number(l.args.status)).to.equal(NODE_REFUNDED);
      expect(Number((await f.read<{ status: number }>("getProposal", [1n])).status)).to.equal(INVALIDATED);
      expect(await f.events("ProposalFinalized", { args: { proposalId: 1n } })).to.have.length(0);
      // The challenger got back exactly what it posted.
      const me = f.address(KEYS.challenger);
      const posted = (
        await f.events("NodeChallenged", { contract: "game", args: { gameId: 1n, challenger: me } })
      ).length;
      const { claimBond } = await f.read<{ claimBond: bigint }>("params");
      const back = resolved
        .filter((l) => l.args.challenger === me)
        .reduce((s, l) => s + BigInt(l.args.challengerPaid), 0n);
      expect(back).to.equal(BigInt(posted) * claimBond);
    } finally {
      await ch.stop();
      await liar.stop();
    }
  });

  it("roll back a finalized result: it stops counting, is re-proposed, checked and finalized again", async () => {
    fx = await setupE2E({ programs: { sha256: 18 }, challengeWindowSeconds: WINDOW_SECONDS });
    const f = fx;
    const jobId = await f.submitJob("sha256", new TextEncoder().encode("roll me back"));
    const honest = await startProposer(f, { keyIndex: KEYS.proposer });
    const ch = await startChallenger(f, { keyIndex: KEYS.challenger });
    try {
      await until("proposal", async () => (await f.read<bigint>("proposalCount")) >= 1n, 60_000);
      await until("checked", async () => ch.challenger.status().proposalsChecked >= 1, 60_000);
      await f.advance(WINDOW_SECONDS + 1);
      await until(
        "recorded",
        async () => (await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]))[0],
        60_000,
      );
      const [, hash, firstProposal] = await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]);
      const finalizedAt = (await f.read<{ finalizedAt: bigint }>("getProposal", [firstProposal])).finalizedAt;

      await f.write(KEYS.deployer, "pause");
      await f.write(KEYS.deployer, "rollback", [finalizedAt - 1n, 10n]);
      await f.write(KEYS.deployer, "unpause");
      expect((await f.events("ProposalRolledBack")).map((l) => BigInt(l.args.proposalId))).to.deep.equal([
        firstProposal,
      ]);
      expect((await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]))[0], "rolled back").to.equal(
        false,
      );

      await until("re-proposal", async () => (await f.read<bigint>("proposalCount")) >= 2n, 60_000);
      await until("re-proposal checked", async () => ch.challenger.status().proposalsChecked >= 2, 60_000);
      await f.advance(WINDOW_SECONDS + 1);
      await until(
        "re-recorded",
        async () => (await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]))[0],
        60_000,
      );
      const [final, again, secondProposal] = await f.read<readonly [boolean, Hex, bigint]>("result", [jobId]);
      expect(final).to.equal(true);
      expect(again).to.equal(hash);
      expect(secondProposal > firstProposal).to.equal(true);
      expect(await f.events("GameOpened", { contract: "game" })).to.have.length(0);
    } finally {
      await ch.stop();
      await honest.stop();
    }
  });
});
