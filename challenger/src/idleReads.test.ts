// A watchtower's CPU goes into RPC calls (~2 ms each), so what it reads while
// the chain stands still is a cost every operator pays around the clock. With
// a game open and waiting on the proposer, a challenger polling a chain that
// mines nothing makes one call per poll (the head's number and hash), reads
// its game's tree again only when a block arrives, and then in one eth_call.
// Counted through a pass-through proxy on a real anvil.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import { type Abi, keccak256, toHex } from "viem";
import { type ChainFixture, setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestChallenger } from "./testing/startTestChallenger.ts";

describe("challenger: reads while the chain stands still (anvil, call counts)", function () {
  this.timeout(120_000);
  let fx: ChainFixture;
  before(async () => {
    fx = await setupChain({ k: 4, depth: 10, challengeWindowSeconds: 600, clockSeconds: 3600 });
  });
  after(async () => fx?.stop());

  it("one call per poll with a game waiting on the proposer; the tree is read again, in one eth_call, when a block arrives", async () => {
    const jobId = await fx.submitJob(Uint8Array.from([9, 8, 7]));
    await fx.propose([{ jobId, finalStateHash: keccak256(toHex("wrong")) }], 3);
    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl, enabled: false });
    const ch = await startTestChallenger(fx, { keyIndex: 2, rpcUrl: proxy.url });
    try {
      // The challenger opens the game; the scripted proposer never dissects, so nothing moves.
      await until("the game opened", async () => (await fx.readGame<bigint>("gameCount")) === 1n, 60_000, 20);
      await until("the challenger playing it", () => ch.challenger.status().activeGames === 1, 30_000, 20);
      // Let the ticks that follow the opening's block settle.
      await new Promise((r) => setTimeout(r, 500));
      const before = { ...proxy.stats.calls };
      const t0 = Date.now();
      await new Promise((r) => setTimeout(r, 2_000)); // ~40 polls at 50 ms
      const polls = (Date.now() - t0) / 50;
      const during = Object.fromEntries(
        Object.entries(proxy.stats.calls)
          .map(([m, n]) => [m, n - (before[m] ?? 0)] as const)
          .filter(([, n]) => n > 0),
      );
      expect(Object.keys(during), JSON.stringify(during)).to.deep.equal(["eth_getBlockByNumber"]);
      expect(during.eth_getBlockByNumber).to.be.within(polls / 4, polls * 1.2);

      // A block arrives (someone else's transaction): the game's tree is read again, once.
      const atBlock = { ...proxy.stats.calls };
      await fx.publicClient.request({ method: "anvil_mine", params: ["0x1"] } as never);
      await until(
        "the tree read again",
        () => (proxy.stats.calls.eth_call ?? 0) > (atBlock.eth_call ?? 0),
        10_000,
        20,
      );
      await new Promise((r) => setTimeout(r, 1_000));
      const reads = (proxy.stats.calls.eth_call ?? 0) - (atBlock.eth_call ?? 0);
      // The protocol's clock, params (balance alert) and the game tree, each once: no per-node reads.
      expect(reads, JSON.stringify(proxy.stats.calls)).to.be.within(1, 4);
      // Nothing was played meanwhile: the proposer's turn.
      const dissected = await fx.publicClient.getContractEvents({
        address: fx.deployment.disputeGame,
        abi: disputeGameAbi as Abi,
        eventName: "NodeDissected",
        fromBlock: 0n,
      });
      expect(dissected).to.have.length(0);
    } finally {
      await ch.stop();
      await proxy.close();
    }
  });
});
