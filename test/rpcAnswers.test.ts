// Wrong RPC answers end to end: the dishonest proposer and the honest
// challenger both talk to the chain through a fault proxy that answers some
// calls with invalid JSON, cuts some answers in half, reports a head block
// below the real one (the chain seems to go backwards), and rewrites some
// into valid JSON-RPC of the wrong shape (a null head, a block without a
// number, logs with garbage topics, a bogus receipt status, an id that is not
// the request's: without the shape checks of createChainClients the block
// monitor died on a head without a number). Neither daemon
// may crash or make a wrong move: the challenger still wins by the one-step
// proof, with one game opened, and every challenge it sent is on the one
// right path (no part challenged twice). Before that, both are started with
// --chain-id against a node answering for another chain: both refuse to
// start, with a WrongChainError.

import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEFEATED = 3;

describe("e2e: malformed, truncated and inconsistent RPC answers", function () {
  this.timeout(240_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 20 }, clockSeconds: 900 });
  });
  after(async () => {
    await fx?.stop();
  });

  it("the daemons survive them and the honest challenger still wins", async () => {
    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl, seed: 14 });
    const over = { chainId: String(fx.anvil.chainId) };
    // A node of another chain: neither daemon starts.
    proxy.set({ wrongChainId: fx.anvil.chainId + 1 });
    const refusals = await Promise.all([
      startProposer(fx, { keyIndex: KEYS.dishonest, rpcUrl: proxy.url, over }).then(
        async (d) => {
          await d.stop();
          return "started";
        },
        (e: Error) => e.name,
      ),
      startChallenger(fx, { keyIndex: KEYS.challenger, rpcUrl: proxy.url, over }).then(
        async (d) => {
          await d.stop();
          return "started";
        },
        (e: Error) => e.name,
      ),
    ]);
    expect(refusals).to.deep.equal(["WrongChainError", "WrongChainError"]);
    proxy.set({ wrongChainId: undefined });
    // Startup (chain id probe) goes through cleanly; the faults start once both run.
    const liar = await startProposer(fx, {
      keyIndex: KEYS.dishonest,
      injectFault: 200_000n,
      rpcUrl: proxy.url,
      over,
    });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, rpcUrl: proxy.url, over });
    proxy.set({
      malformedRate: 0.01,
      truncatedRate: 0.01,
      staleBlockRate: 0.2,
      staleBlocks: 3,
      wrongShapeRate: 0.03,
    });
    const me = fx.address(KEYS.challenger);
    try {
      await fx.submitJob(
        "sha256",
        new Uint8Array(4096).map((_, i) => (i * 13) & 0xff),
      );
      await until(
        "the proposal defeated",
        async () =>
          Number(
            (await fx.read<{ status: number }>("getProposal", [1n]).catch(() => ({ status: 0 }))).status,
          ) === DEFEATED,
        180_000,
        250,
      );
      const msg = `proxy ${JSON.stringify(proxy.stats)}`;
      expect(proxy.stats.malformed, msg).to.be.greaterThan(0);
      expect(proxy.stats.truncated, msg).to.be.greaterThan(0);
      expect(proxy.stats.stale, msg).to.be.greaterThan(0);
      expect(proxy.stats.wrongShape, msg).to.be.greaterThan(0);
      const opened = await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } });
      expect(
        opened.map((l) => l.args.opener),
        msg,
      ).to.deep.equal([me]);
      const gameId = BigInt(opened[0].args.gameId);
      const stepped = await fx.events("NodeStepped", { contract: "game", args: { gameId } });
      expect(
        stepped.map((l) => l.args.stepper),
        `won by step, not on time. ${msg}`,
      ).to.deep.equal([me]);
      const mine = (await fx.events("NodeChallenged", { contract: "game", args: { gameId } })).filter(
        (l) => l.args.challenger === me,
      );
      const positions = mine.map((l) => String(l.args.position));
      expect(new Set(positions).size, `a part challenged twice. ${msg}`).to.equal(positions.length);
    } finally {
      await liar.stop();
      await ch.stop();
      await proxy.close();
    }
  });
});
