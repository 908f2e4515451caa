// A game the challenger learnt from its own receipt, ahead of the block monitor
// (it waits for confirmations), is provisional: when a reorg drops the block
// that carried it before the monitor got there, no rewind fires (the monitor
// never handled that block), so the range the monitor then hands out must
// replace it. Otherwise the daemon keeps playing a game that no longer exists
// and the wrong leaf is never challenged again. Driven on automine anvil with
// `anvil_mine` and `anvil_reorg`, so the order of events is exact.

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { expect } from "chai";
import { type Abi, type Hash, keccak256, toHex } from "viem";
import { type ChainFixture, setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestChallenger } from "./testing/startTestChallenger.ts";

const CONFIRMATIONS = 2;

describe("challenger: a game learnt ahead of the monitor, then reorged out (anvil)", function () {
  this.timeout(120_000);
  let fx: ChainFixture;
  before(async () => {
    fx = await setupChain({ k: 4, depth: 10, challengeWindowSeconds: 600, clockSeconds: 3600 });
  });
  after(async () => fx?.stop());

  const mine = (blocks: number) =>
    fx.publicClient.request({ method: "anvil_mine", params: [toHex(blocks)] } as never);
  const gamesOpened = async (fromBlock: bigint) =>
    (await fx.publicClient.getContractEvents({
      address: fx.deployment.disputeGame,
      abi: disputeGameAbi as Abi,
      eventName: "GameOpened",
      fromBlock,
    })) as unknown as {
      blockNumber: bigint;
      transactionHash: Hash;
      args: { gameId: bigint; proposalId: bigint; opener: string };
    }[];

  it("opens the game again once the monitor reaches the replaced block", async () => {
    const jobId = await fx.submitJob(Uint8Array.from([1, 2, 3, 4, 5]));
    const proposalId = await fx.propose([{ jobId, finalStateHash: keccak256(toHex("wrong")) }], 3);
    const proposedAt = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    const ch = await startTestChallenger(fx, { keyIndex: 2, confirmations: CONFIRMATIONS });
    try {
      // The proposal gets its confirmations; the challenger checks it and opens a game (automine:
      // its transaction is the next block, which the monitor will not handle for two more blocks).
      await mine(CONFIRMATIONS);
      const first = await until(
        "the game opened",
        async () => (await gamesOpened(proposedAt)).at(0),
        60_000,
        20,
      );
      expect(first.args.proposalId).to.equal(proposalId);
      await until(
        "the challenger knows its game",
        () => ch.challenger.status().activeGames === 1,
        30_000,
        20,
      );
      const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
      expect(head, "nothing mined after the openGame").to.equal(first.blockNumber);

      // That block is replaced by an empty one: the openGame is gone (anvil does not re-pool it).
      await fx.publicClient.request({ method: "anvil_reorg", params: [1, []] } as never);
      expect(await gamesOpened(proposedAt)).to.have.length(0);
      expect(await fx.readGame<bigint>("gameCount")).to.equal(0n);

      // The monitor reaches the replaced block: the challenger must notice and open the game again.
      await mine(CONFIRMATIONS + 1);
      const again = await until(
        "the game opened again",
        async () => (await gamesOpened(proposedAt)).at(0),
        60_000,
        20,
      );
      expect(again.transactionHash).to.not.equal(first.transactionHash);
      expect(again.args.proposalId).to.equal(proposalId);
      expect(again.args.opener.toLowerCase()).to.equal(ch.me.toLowerCase());
      expect(await fx.readGame<bigint>("gameCount")).to.equal(1n);
      // Both openings counted (the second once its receipt is in).
      await until("both openings counted", () => ch.challenger.status().gamesOpened === 2, 30_000, 20);
    } finally {
      await ch.stop();
    }
  });
});
