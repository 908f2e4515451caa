// A watchtower's CPU goes into RPC calls (~2 ms each), so what it reads while
// the chain stands still is a cost every operator pays around the clock. With
// a game open and waiting on the proposer, a challenger polling a chain that
// mines nothing makes one call per poll (the head's number and hash), reads
// its game's tree again only when a block arrives, and then in one eth_call.
// Counted through a pass-through proxy on a real anvil. The waits count polls, not
// milliseconds: every poll starts with one eth_getBlockByNumber and polls run one
// after another, so the (n + 1)-th such call after a moment means n whole polls
// ran after it, however slow the host.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { type FaultProxy, startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import { type Abi, keccak256, toHex } from "viem";
import { type ChainFixture, setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestChallenger, type TestChallenger } from "./testing/startTestChallenger.ts";

/** JSON-RPC calls per method made since `before`, leaving out methods not called. */
function callsSince(proxy: FaultProxy, before: Record<string, number>): Record<string, number> {
  return Object.fromEntries(
    Object.entries(proxy.stats.calls)
      .map(([m, n]) => [m, n - (before[m] ?? 0)] as const)
      .filter(([, n]) => n > 0),
  );
}

/** Resolves once the challenger has run `n` whole polls after this call. */
async function polls(proxy: FaultProxy, n: number): Promise<void> {
  const heads = () => proxy.stats.calls.eth_getBlockByNumber ?? 0;
  const from = heads();
  await until(`${n} polls`, () => heads() > from + n, 30_000, 5);
}

/** Resolves once the poll under way has ended and the work it scheduled (reads, moves) is done. */
async function settled(proxy: FaultProxy, ch: TestChallenger): Promise<void> {
  await polls(proxy, 1);
  await ch.challenger.idle();
}

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
      // The opening's block is followed by reads and a withdrawal: wait until what it started is
      // done and three polls in a row read nothing but the head (a daemon that keeps reading at a
      // standing head never gets there, and fails here).
      await settled(proxy, ch);
      let quiet: Record<string, number> = {};
      await until(
        "three polls in a row reading only the head",
        async () => {
          const at = { ...proxy.stats.calls };
          await polls(proxy, 3);
          quiet = callsSince(proxy, at);
          return Object.keys(quiet).join() === "eth_getBlockByNumber";
        },
        30_000,
        0,
      ).catch((err) => {
        throw new Error(`${(err as Error).message}; the last three polls called ${JSON.stringify(quiet)}`);
      });
      // 40 polls: nothing but the head's block, and no more often than one per poll interval (50 ms;
      // polls sleep between them, so a slow host only loosens this bound). About 2 s: well inside
      // the 10 s after which reads at a standing head are redone as a safety net.
      const before = { ...proxy.stats.calls };
      const t0 = Date.now();
      await polls(proxy, 40);
      const intervals = (Date.now() - t0) / 50;
      const during = callsSince(proxy, before);
      expect(Object.keys(during), JSON.stringify(during)).to.deep.equal(["eth_getBlockByNumber"]);
      expect(during.eth_getBlockByNumber).to.be.at.most(intervals * 1.2 + 2);

      // A block arrives (someone else's transaction): the game's tree is read again, once. The first
      // eth_call after it says the challenger saw it.
      const atBlock = { ...proxy.stats.calls };
      await fx.publicClient.request({ method: "anvil_mine", params: ["0x1"] } as never);
      await until(
        "the tree read again",
        () => (proxy.stats.calls.eth_call ?? 0) > (atBlock.eth_call ?? 0),
        10_000,
        20,
      );
      // Count until what that block started is done and 20 more polls ran at the same head: a read
      // repeated on any of them counts too.
      await settled(proxy, ch);
      await polls(proxy, 20);
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
