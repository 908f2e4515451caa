// The node switches chains mid-game (issue 14): the dishonest proposer and the
// honest challenger talk to the chain through a fault proxy that also answers
// a few calls with the wrong shape. Once the challenger has opened its game,
// the proxy forwards every call for a while to a node of another chain: a fork
// of ours taken at that moment (same contracts, same game, another chain id),
// whose clock is then moved past every game clock, so a daemon reading it
// would see the game over and act on it. A demanding operator expects: no
// transaction reaches that node (nothing signed for, or sent to, the wrong
// chain), no move from its state, both daemons log the switch at error level
// and keep running, and when the chain is back the challenger still defeats
// the proposal by the one-step proof, in its one game, with no part challenged
// twice. Without the per-poll chain id re-check the daemons resolve the game
// "on time" on the other chain (eth_sendRawTransaction reaches it).

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { type AnvilInstance, startAnvil } from "@verdict/shared/src/chain/startAnvil.ts";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import { createPublicClient, http } from "viem";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEFEATED = 3;
const CLOCK_SECONDS = 900;

/** A log destination that keeps the lines (the daemons log at debug into it). */
function keep(lines: string[]) {
  return new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
}

describe("e2e: the node switches to another chain mid-game", function () {
  this.timeout(180_000);
  let fx: E2EFixture;
  let other: AnvilInstance | undefined;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 20 }, clockSeconds: CLOCK_SECONDS });
  });
  after(async () => {
    await other?.stop();
    await fx?.stop();
  });

  it("the daemons send nothing to the other chain, keep running, and the honest challenger still wins", async () => {
    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl, seed: 15 });
    const logs = { proposer: [] as string[], challenger: [] as string[] };
    const liar = await startProposer(fx, {
      keyIndex: KEYS.dishonest,
      injectFault: 200_000n,
      rpcUrl: proxy.url,
      log: keep(logs.proposer),
    });
    const ch = await startChallenger(fx, {
      keyIndex: KEYS.challenger,
      rpcUrl: proxy.url,
      log: keep(logs.challenger),
    });
    let challengerEnded = false;
    ch.done.finally(() => {
      challengerEnded = true;
    });
    proxy.set({ wrongShapeRate: 0.02 });
    const me = fx.address(KEYS.challenger);
    const wrongChain = fx.anvil.chainId + 1;
    const said = (lines: string[], re: RegExp) => lines.some((l) => re.test(l));
    const switched = new RegExp(`answers for chain ${wrongChain}, not ${fx.anvil.chainId}`);
    try {
      await fx.submitJob(
        "sha256",
        new Uint8Array(4096).map((_, i) => (i * 13) & 0xff),
      );
      await until(
        "the challenger's game opened",
        async () =>
          (await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } })).length > 0,
        60_000,
        50,
      );
      // Another chain with our state: a fork taken now, its clock moved past every game clock.
      other = await startAnvil({
        chainId: wrongChain,
        accounts: 1,
        extraArgs: ["--fork-url", fx.anvil.rpcUrl],
      });
      const otherClient = createPublicClient({ transport: http(other.rpcUrl) });
      await otherClient.request({
        method: "evm_increaseTime",
        params: [`0x${(3 * CLOCK_SECONDS).toString(16)}`],
      } as never);
      await otherClient.request({ method: "evm_mine", params: [] } as never);
      const nonces = async () =>
        Promise.all(
          [KEYS.challenger, KEYS.dishonest].map((k) =>
            otherClient.getTransactionCount({ address: fx.address(k) }),
          ),
        );
      const noncesBefore = await nonces();
      proxy.set({ otherUpstream: other.rpcUrl });
      // Both daemons meet it, then poll it a while longer (and, without the re-check, act on it).
      const met = () => said(logs.challenger, switched) && said(logs.proposer, switched);
      const fail = (err: Error) => {
        throw new Error(
          `${err.message}; challenger said it: ${said(logs.challenger, switched)}, proposer: ${said(logs.proposer, switched)}; the other chain was sent ${JSON.stringify(proxy.stats.switchedCalls)}`,
        );
      };
      await until("both daemons to meet the other chain", met, 30_000, 50).catch(fail);
      const metAt = proxy.stats.switched;
      await until(
        "more polls of the other chain",
        () => proxy.stats.switched - metAt >= 20,
        30_000,
        50,
      ).catch(fail);
      proxy.set({ otherUpstream: undefined });
      // A live chain keeps producing blocks; automine anvil only mines on transactions. Reads that
      // reached the other chain before a daemon noticed it are pinned at its head (one block above
      // ours), and a game is never read below a block it was read at: until our chain gets there,
      // such a read fails (and is retried). Mine past it, as any live chain would.
      const otherHead = await otherClient.getBlockNumber({ cacheTime: 0 });
      const ourHead = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
      if (otherHead >= ourHead)
        await fx.publicClient.request({
          method: "anvil_mine",
          params: [`0x${(otherHead - ourHead + 1n).toString(16)}`],
        } as never);
      const msg = `other chain saw ${JSON.stringify(proxy.stats.switchedCalls)}; proxy ${JSON.stringify(proxy.stats.wrongShapes)}`;
      expect(
        proxy.stats.switchedCalls.eth_sendRawTransaction,
        `a transaction sent to the other chain. ${msg}`,
      ).to.equal(undefined);
      expect(await nonces(), msg).to.deep.equal(noncesBefore);

      await until(
        "the proposal defeated",
        async () =>
          Number(
            (await fx.read<{ status: number }>("getProposal", [1n]).catch(() => ({ status: 0 }))).status,
          ) === DEFEATED,
        90_000,
        100,
      );
      expect(proxy.stats.wrongShape, msg).to.be.greaterThan(0);
      expect(
        said(logs.challenger, /answers for chain \d+ again/),
        "the challenger says the chain is back",
      ).to.equal(true);
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
      expect(challengerEnded, "the challenger stopped on its own").to.equal(false);
      expect(said(logs.proposer, /loop died/), "the proposer's loop died").to.equal(false);
    } finally {
      // Each daemon's debug log, kept beside the fixture to explain a failure.
      writeFileSync(join(fx.dir, "switch-proposer.log"), logs.proposer.join(""));
      writeFileSync(join(fx.dir, "switch-challenger.log"), logs.challenger.join(""));
      await liar.stop();
      await ch.stop();
      await proxy.close();
    }
  });
});
