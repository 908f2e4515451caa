// Reorgs end to end: anvil (interval mining) drops, with `anvil_reorg`, the
// block carrying a dishonest proposal, then the one carrying the challenger's
// `openGame`, then the one carrying the first move of the game, each right
// after the daemon that sent it has seen it mined (the challenger's counted in
// its metrics; the proposer's only likely: it polls receipts every 25 ms, and
// a reorg that beats it is recovered by its stuck-transaction bump instead).
// Mining is paused around each reorg, so it drops exactly those blocks. The
// transactions are gone (anvil does not put them back in the pool), so each
// daemon must notice its action vanished and send it again; the honest
// challenger still wins the game by the one-step proof before its clock runs out.

import { openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { expect } from "chai";
import { type Abi, type Address, getAddress, type Hash } from "viem";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEFEATED = 3;

type Dropped = { event: string; block: bigint; tx: Hash; from: Address };

describe("e2e: reorgs drop a proposal, an openGame and a move", function () {
  this.timeout(240_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 20 }, clockSeconds: 900, blockTimeSeconds: 1 });
  });
  after(async () => {
    await fx?.stop();
  });

  /**
   * Waits for the first `eventName` log (of `address`) from `fromBlock` on that `accept`s,
   * then reorgs out every block from the one carrying it. Returns what was dropped.
   */
  async function dropFirst(
    what: { address: Address; abi: Abi; eventName: string },
    fromBlock: bigint,
    accept: (log: { transactionHash: Hash }) => boolean = () => true,
    /** Resolves once the sender has seen it mined (else a reorg may beat its receipt poll). */
    seen?: () => Promise<boolean>,
  ): Promise<Dropped> {
    const log = await until(
      `a ${what.eventName} to drop`,
      async () => {
        const logs = await fx.publicClient.getContractEvents({ ...what, fromBlock } as never);
        return (logs as { transactionHash: Hash; blockNumber: bigint }[]).find(accept);
      },
      60_000,
      20,
    );
    if (seen) await until(`the sender to see its ${what.eventName} mined`, seen, 30_000, 20);
    const tx = await fx.publicClient.getTransaction({ hash: log.transactionHash });
    // Mining paused meanwhile: a block mined between reading the head and the reorg would keep the log.
    const rpc = (method: string, params: unknown[]) => fx.publicClient.request({ method, params } as never);
    await rpc("evm_setIntervalMining", [0]);
    try {
      const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
      await rpc("anvil_reorg", [Number(head - log.blockNumber + 1n), []]);
    } finally {
      await rpc("evm_setIntervalMining", [1]);
    }
    // The dropped transaction is gone for good: no receipt, not in the pool.
    const receipt = await fx.publicClient
      .getTransactionReceipt({ hash: log.transactionHash })
      .catch(() => undefined);
    expect(receipt, `${what.eventName} still mined after the reorg`).to.equal(undefined);
    return {
      event: what.eventName,
      block: log.blockNumber,
      tx: log.transactionHash,
      from: getAddress(tx.from),
    };
  }

  it("each daemon re-sends what was dropped, and the honest challenger still wins", async () => {
    const verdict = { address: fx.deployment.verdict, abi: verdictAbi as Abi };
    const game = { address: fx.deployment.disputeGame, abi: disputeGameAbi as Abi };
    // Both daemons log at debug into one file of the fixture: a failure prints its tail.
    const logFile = join(fx.dir, "daemons.log");
    // Written synchronously, so the tail printed on a failure is complete.
    const fd = openSync(logFile, "a");
    const log = new Writable({
      write(chunk, _enc, cb) {
        writeSync(fd, chunk);
        cb();
      },
    });
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 200_000n, log });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, log });
    const me = fx.address(KEYS.challenger);
    const dropped: Dropped[] = [];
    try {
      const start = await fx.publicClient.getBlockNumber();
      await fx.submitJob(
        "sha256",
        new Uint8Array(4096).map((_, i) => (i * 13) & 0xff),
      );
      dropped.push(await dropFirst({ ...verdict, eventName: "Proposed" }, start));
      dropped.push(
        await dropFirst({ ...game, eventName: "GameOpened" }, start, undefined, async () =>
          /^verdict_challenger_moves_sent_total\{kind="openGame"\} [1-9]/m.test(await ch.metrics()),
        ),
      );
      const opened = await until(
        "the game opened again",
        async () => (await fx.events("GameOpened", { contract: "game" }))[0],
        120_000,
        50,
      );
      dropped.push(await dropFirst({ ...game, eventName: "NodeDissected" }, opened.blockNumber));
      await until(
        "the proposal defeated",
        async () =>
          Number(
            (await fx.read<{ status: number }>("getProposal", [1n]).catch(() => ({ status: 0 }))).status,
          ) === DEFEATED,
        150_000,
        250,
      );
      const msg = `dropped ${JSON.stringify(dropped, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`;
      expect(
        dropped.map((d) => d.from),
        msg,
      ).to.deep.equal([fx.address(KEYS.dishonest), me, fx.address(KEYS.dishonest)]);
      // Each dropped action is on the chain again, sent by the same daemon.
      const proposed = await fx.events("Proposed");
      expect(proposed, msg).to.have.length.greaterThanOrEqual(1);
      const games = await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } });
      expect(
        games.map((g) => g.args.opener),
        msg,
      ).to.deep.equal([me]);
      const gameId = BigInt(games[0].args.gameId);
      const dissected = await fx.events("NodeDissected", { contract: "game", args: { gameId } });
      expect(dissected, msg).to.have.length.greaterThanOrEqual(1);
      const stepped = await fx.events("NodeStepped", { contract: "game", args: { gameId } });
      expect(
        stepped.map((l) => l.args.stepper),
        `won by step, not on time. ${msg}`,
      ).to.deep.equal([me]);
    } catch (err) {
      const lines = readFileSync(logFile, "utf8").split("\n");
      console.error(`--- last 200 lines of ${logFile} ---\n${lines.slice(-200).join("\n")}`);
      throw err;
    } finally {
      await liar.stop();
      await ch.stop();
    }
  });
});
