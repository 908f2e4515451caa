// The tree reader against a node that reports an old head (the fault proxy's
// stale eth_blockNumber, as a lagging node behind a load balancer does): a
// game must never be read below its opening (no open node: it would look
// over, and a daemon would stop playing it) nor below a block it was read at
// before (moves would vanish). And a game whose opening moved (reorged out,
// opened again under the same id) is read from its new opening. And after
// the node answered for another chain for a while, nothing read from it is
// kept: a head of the other chain beyond ours must not become the floor.

import { expect } from "chai";
import { type Address, createPublicClient, http } from "viem";
import { openGames } from "../../../proposer/src/testing/attackerTools.ts";
import { type ChainFixture, setupChain } from "../../../proposer/src/testing/setupChain.ts";
import { chainEpochOf, createChainClients } from "../chain/createChainClients.ts";
import { type AnvilInstance, startAnvil } from "../chain/startAnvil.ts";
import { startFaultProxy } from "../testing/startFaultProxy.ts";
import { createGameTreeReader } from "./createGameTreeReader.ts";
import { log2Of, rootPosition } from "./position.ts";

describe("game/createGameTreeReader: stale heads", function () {
  this.timeout(120_000);
  let fx: ChainFixture;
  before(async () => {
    fx = await setupChain({ k: 4, depth: 10 });
  });
  after(async () => fx?.stop());

  it("never reads a game below its opening or below an earlier read", async () => {
    const jobId = await fx.submitJob(Uint8Array.from([1, 2, 3]));
    const leaves = [{ jobId, finalStateHash: `0x${"ab".repeat(32)}` as const }];
    const proposalId = await fx.propose(leaves, 4);
    const bond = BigInt((await fx.read<{ claimBond: bigint }>("getProposal", [proposalId])).claimBond);
    const opener: Address = fx.wallet(5).account.address;
    const [gameId] = await openGames(
      {
        publicClient: fx.publicClient,
        wallet: fx.wallet(5),
        game: fx.deployment.disputeGame,
        verdict: fx.deployment.verdict,
        fromBlock: fx.deployment.deployedAtBlock,
      },
      { proposalId, leaves, indexes: [0], bond },
    );
    const openedBlock = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    await fx.publicClient.request({ method: "anvil_mine", params: ["0x4"] } as never);
    const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });

    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl });
    try {
      const { publicClient } = await createChainClients({ rpcUrl: proxy.url });
      const log2K = log2Of(await fx.readGame<bigint>("K"));
      const reader = createGameTreeReader({ publicClient, game: fx.deployment.disputeGame, log2K });
      const root = rootPosition(fx.depth);

      // The head is reported 20 blocks back, before the game was opened.
      proxy.set({ staleBlockRate: 1, staleBlocks: 20 });
      const first = await reader.read({ gameId, opener, openedBlock });
      expect(first.blockNumber).to.equal(openedBlock);
      expect(first.nodes.get(root)?.status).to.equal("Challenged");

      // A fresh head, then a stale one (2 back): the second read stays at the first one's block.
      proxy.set({ staleBlockRate: 0 });
      const fresh = await reader.read({ gameId, opener, openedBlock });
      expect(fresh.blockNumber).to.equal(head);
      proxy.set({ staleBlockRate: 1, staleBlocks: 2 });
      const again = await reader.read({ gameId, opener, openedBlock });
      expect(again.blockNumber).to.equal(head);
      expect(proxy.stats.stale).to.be.greaterThan(0);

      // An opening the reader has not seen (another block): read from there, not from what it kept.
      const moved = await reader.read({ gameId, opener, openedBlock: openedBlock + 1n }).catch((e) => e);
      expect((moved as Error).message).to.match(/no GameOpened event in block/);
    } finally {
      await proxy.close();
    }
  });

  it("drops what it kept once the node switched chains: another chain's head is not a floor", async () => {
    const jobId = await fx.submitJob(Uint8Array.from([4, 5, 6]));
    const leaves = [{ jobId, finalStateHash: `0x${"cd".repeat(32)}` as const }];
    const proposalId = await fx.propose(leaves, 4);
    const bond = BigInt((await fx.read<{ claimBond: bigint }>("getProposal", [proposalId])).claimBond);
    const opener: Address = fx.wallet(5).account.address;
    const [gameId] = await openGames(
      {
        publicClient: fx.publicClient,
        wallet: fx.wallet(5),
        game: fx.deployment.disputeGame,
        verdict: fx.deployment.verdict,
        fromBlock: fx.deployment.deployedAtBlock,
      },
      { proposalId, leaves, indexes: [0], bond },
    );
    const openedBlock = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl });
    let other: AnvilInstance | undefined;
    try {
      const { publicClient } = await createChainClients({ rpcUrl: proxy.url });
      const log2K = log2Of(await fx.readGame<bigint>("K"));
      const reader = createGameTreeReader({ publicClient, game: fx.deployment.disputeGame, log2K });
      expect(chainEpochOf(publicClient)).to.equal(0);
      expect((await reader.read({ gameId, opener, openedBlock })).blockNumber).to.equal(openedBlock);

      // Another chain with our state (a fork), 500 blocks ahead of us.
      other = await startAnvil({
        chainId: fx.anvil.chainId + 1,
        accounts: 1,
        extraArgs: ["--fork-url", fx.anvil.rpcUrl],
      });
      await createPublicClient({ transport: http(other.rpcUrl) }).request({
        method: "anvil_mine",
        params: ["0x1f4"],
      } as never);
      proxy.set({ otherUpstream: other.rpcUrl });
      // A read before any chain id check: it reads the other chain, at its head.
      const wrong = await reader.read({ gameId, opener, openedBlock });
      expect(wrong.blockNumber > openedBlock + 400n, String(wrong.blockNumber)).to.equal(true);
      // The switch is seen (a chain id check), then the node is ours again.
      const seen = await publicClient.getChainId().catch((e: Error) => e);
      expect((seen as Error).name).to.equal("WrongChainError");
      proxy.set({ otherUpstream: undefined });
      expect(await publicClient.getChainId()).to.equal(fx.anvil.chainId);
      expect(chainEpochOf(publicClient)).to.equal(2);

      // Our head is far below the block read on the other chain: the read is at our head.
      const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
      const back = await reader.read({ gameId, opener, openedBlock });
      expect(back.blockNumber).to.equal(head);
      expect(back.nodes.get(rootPosition(fx.depth))?.status).to.equal("Challenged");
    } finally {
      await proxy.close();
      await other?.stop();
    }
  });
});
