// The defender's record of games across a reorg (anvil deployment, GameOpened
// logs built by hand): a game opened in replaced blocks is forgotten on
// rewind and learnt again from the new branch, at the block it now has. A
// defender that kept the old opening block read the game there, found no
// GameOpened, and never defended it again (the reorgs e2e caught it).

import { disputeGameAbi } from "@verdict/shared/src/bindings/abis.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { expect } from "chai";
import { type Address, encodeAbiParameters, encodeEventTopics, type Hex, type Log } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { createProposerMetrics } from "../metrics.ts";
import { type ChainFixture, setupChain } from "../testing/setupChain.ts";
import { createDefender } from "./createDefender.ts";

const OPENER: Address = "0x00000000000000000000000000000000000000c1";

function gameOpened(game: Address, gameId: bigint, proposalId: bigint, blockNumber: bigint): Log {
  const topics = encodeEventTopics({
    abi: disputeGameAbi,
    eventName: "GameOpened",
    args: { gameId, proposalId, jobId: 1n },
  }) as [Hex, ...Hex[]];
  const data = encodeAbiParameters(
    [{ type: "address" }, { type: "bytes32" }, { type: "bytes32" }, { type: "uint8" }, { type: "uint64" }],
    [OPENER, `0x${"11".repeat(32)}`, `0x${"22".repeat(32)}`, 10, 1000n],
  );
  return {
    address: game,
    topics,
    data,
    blockNumber,
    blockHash: `0x${blockNumber.toString(16).padStart(64, "0")}`,
    transactionHash: `0x${"33".repeat(32)}`,
    transactionIndex: 0,
    logIndex: 0,
    removed: false,
  } as Log;
}

describe("proposer/createDefender: games across a reorg", function () {
  this.timeout(120_000);
  let fx: ChainFixture;
  before(async () => {
    fx = await setupChain({ k: 4, depth: 10 });
  });
  after(async () => fx?.stop());

  it("forgets a game opened in replaced blocks and learns it again at its new block", async () => {
    const logger = createLogger({ level: "silent" });
    const account = privateKeyToAccount(fx.anvil.privateKeys[4]);
    const sender = createTxSender({ publicClient: fx.publicClient, account, logger, pollMs: 25 });
    const defender = await createDefender({
      publicClient: fx.publicClient,
      sender,
      verdict: fx.deployment.verdict,
      logger,
      metrics: createProposerMetrics({ defaults: false }),
      metricsPrefix: "verdict_proposer_",
      concurrency: 1,
      isOurProposal: () => true,
      traceFor: async () => undefined,
    });
    const game = defender.game;
    defender.onLogs([gameOpened(game, 1n, 1n, 26n), gameOpened(game, 2n, 1n, 20n)]);
    // The same id again (a re-handed range, or a reopening before the rewind is seen): kept as it was.
    defender.onLogs([gameOpened(game, 1n, 1n, 28n)]);
    expect(defender.games().map((g) => [g.id, g.openedBlock])).to.deep.equal([
      [1n, 26n],
      [2n, 20n],
    ]);
    // Blocks from 25 on were replaced: game 1 is gone, game 2 (block 20) stays.
    defender.forget(25n);
    expect(defender.games().map((g) => g.id)).to.deep.equal([2n]);
    // The new branch opened game 1 again at block 28: that is the opening the defender now reads.
    defender.onLogs([gameOpened(game, 1n, 1n, 28n)]);
    expect(defender.games().map((g) => [g.id, g.openedBlock])).to.deep.equal([
      [2n, 20n],
      [1n, 28n],
    ]);
  });
});
