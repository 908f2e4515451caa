// Reorgs that take the honest challenger's own moves away, end to end: anvil
// (interval mining) drops, with `anvil_reorg`, first the block carrying its
// challenge of a part (the claim it bonds), then — one reorg, several blocks
// deep — two challenges of its at once with the proposer's dissection between
// them, then the block carrying its one-step proof. Each reorg comes after the
// challenger has seen its move mined, and the dropped transactions are gone for
// good (anvil does not put them back in the pool), so it must notice its move
// vanished from the tree it reads and send it again. It must still win by the
// step, challenge no part twice, and every wei it moved must add up on the
// canonical chain (a dropped transaction cost nothing; a part challenged twice
// or a bond never returned would show up in the ledgers). What re-sends is the
// shared responder: a mined move is skipped only for trees read below its
// block, so a tree read after the reorg that lacks it queues it again. A
// responder that never re-queues a mined move (or only its challenges, or
// only its step) fails here at the matching stage.

import { openSync, readFileSync, writeSync } from "node:fs";
import { join } from "node:path";
import { Writable } from "node:stream";
import { disputeGameAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { log2Len, parentOf } from "@verdict/shared/src/game/position.ts";
import { walletFlows } from "@verdict/shared/src/testing/walletFlows.ts";
import { expect } from "chai";
import { type Address, getAddress, type Hash, parseEventLogs } from "viem";
import { startAlertSink, startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";
import { untilAllResolved } from "./support/gameState.ts";

const DEPTH = 20;
const LOG2K = 4;
const CLOCK_SECONDS = 900;
const PROPOSAL_DEFEATED = 3;
const NODE_DEFEATED = 3;

/** One event a reorg took away, with the transaction that carried it. */
type Dropped = { event: string; block: bigint; tx: Hash; from: Address; position?: bigint };

describe("e2e: reorgs drop the honest challenger's own challenges and its step", function () {
  this.timeout(240_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({
      programs: { sha256: DEPTH },
      k: 1 << LOG2K,
      clockSeconds: CLOCK_SECONDS,
      blockTimeSeconds: 1,
    });
  });
  after(async () => {
    await fx?.stop();
  });

  const rpc = (method: string, params: unknown[]) => fx.publicClient.request({ method, params } as never);

  /**
   * Reorgs out every block from `fromBlock` on (anvil mines as many empty ones back) and returns the
   * protocol events they carried. Mining is paused meanwhile, so the head the depth is counted from
   * is the head the reorg starts at (a block mined in between would keep `fromBlock`).
   */
  async function reorgFrom(fromBlock: bigint): Promise<Dropped[]> {
    await rpc("evm_setIntervalMining", [0]);
    try {
      const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
      const logs = parseEventLogs({
        abi: [...verdictAbi, ...disputeGameAbi],
        logs: await fx.publicClient.getLogs({
          address: [fx.deployment.verdict, fx.deployment.disputeGame],
          fromBlock,
          toBlock: head,
        }),
      });
      const senders = new Map<Hash, Address>();
      for (const l of logs)
        if (!senders.has(l.transactionHash))
          senders.set(
            l.transactionHash,
            getAddress((await fx.publicClient.getTransaction({ hash: l.transactionHash })).from),
          );
      await rpc("anvil_reorg", [Number(head - fromBlock + 1n), []]);
      for (const tx of senders.keys()) {
        // The dropped transactions are gone for good: no receipt, not in the pool.
        const receipt = await fx.publicClient.getTransactionReceipt({ hash: tx }).catch(() => undefined);
        expect(receipt, `${tx} still mined after the reorg`).to.equal(undefined);
      }
      return logs.map((l) => ({
        event: l.eventName,
        block: l.blockNumber,
        tx: l.transactionHash,
        from: senders.get(l.transactionHash) as Address,
        ...("position" in l.args ? { position: BigInt(l.args.position) } : {}),
      }));
    } finally {
      await rpc("evm_setIntervalMining", [1]);
    }
  }

  it("the challenger re-sends its dropped challenges and step, challenges no part twice, wins, and its money adds up", async () => {
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
    const me = fx.address(KEYS.challenger);
    const liarAddress = fx.address(KEYS.dishonest);
    const sink = await startAlertSink();
    const block0 = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    const wallet0 = await fx.publicClient.getBalance({ address: me, blockNumber: block0 });
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 200_000n, log });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, alertWebhook: sink.url, log });
    let ended: unknown;
    ch.done.then(
      () => (ended ??= "stopped"),
      (err: unknown) => (ended = (err as Error)?.stack ?? err),
    );
    const dropped: Dropped[][] = [];
    const show = () =>
      `dropped ${JSON.stringify(dropped, (_, v) => (typeof v === "bigint" ? v.toString() : v))}`;
    /** Our challenges in the game, on the canonical chain, by the log2 length of the part. */
    const ourChallenges = async (gameId: bigint) =>
      (await fx.events("NodeChallenged", { contract: "game", args: { gameId, challenger: me } })).map(
        (l) => ({
          position: BigInt(l.args.position),
          parent: BigInt(l.args.parent),
          level: log2Len(BigInt(l.args.position)),
          block: l.blockNumber,
        }),
      );
    const challengeAt = async (gameId: bigint, level: number) =>
      (await ourChallenges(gameId)).find((c) => c.level === level);
    const ours = (d: Dropped[], event: string) => d.filter((x) => x.event === event && x.from === me);
    /**
     * Waits until the challenger has counted `n` of its `kind` moves mined (its receipt seen): a reorg
     * before that would test the sender's stuck-transaction bump, not the challenger noticing that a
     * move it knows was mined is gone.
     */
    const seenMined = (kind: "challenge" | "step", n: number) =>
      until(
        `the challenger to have seen ${n} ${kind} mined`,
        async () => {
          const m = (await ch.metrics()).match(
            new RegExp(`^verdict_challenger_moves_sent_total\\{kind="${kind}"\\} (\\d+)$`, "m"),
          );
          return Number(m?.[1] ?? 0) >= n;
        },
        30_000,
        20,
      );
    try {
      await fx.submitJob(
        "sha256",
        new Uint8Array(4096).map((_, i) => (i * 13) & 0xff),
      );
      const opened = await until(
        "the game opened",
        async () => (await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } }))[0],
        120_000,
        20,
      );
      const gameId = BigInt(opened.args.gameId);

      // 1. Our first challenge of a part (the root's dissection): dropped, then back.
      const first = await until(
        "our challenge of a part",
        () => challengeAt(gameId, DEPTH - LOG2K),
        60_000,
        20,
      );
      await seenMined("challenge", 1);
      dropped.push(await reorgFrom(first.block));
      expect(
        ours(dropped[0], "NodeChallenged").map((d) => d.position),
        show(),
      ).to.include(first.position);
      await until("our challenge of that part again", () => challengeAt(gameId, DEPTH - LOG2K), 60_000, 20);

      // 2. One reorg takes two challenges of ours at once (and the proposer's dissection between them):
      // from the block of the next one, once the one after it is mined.
      const second = await until(
        "our second challenge",
        () => challengeAt(gameId, DEPTH - 2 * LOG2K),
        60_000,
        20,
      );
      await until("our third challenge", () => challengeAt(gameId, DEPTH - 3 * LOG2K), 60_000, 20);
      // Every challenge mined so far is on the chain now or was dropped by the first reorg.
      await seenMined(
        "challenge",
        (await ourChallenges(gameId)).length - 1 + ours(dropped[0], "NodeChallenged").length,
      );
      dropped.push(await reorgFrom(second.block));
      const deep = ours(dropped[1], "NodeChallenged").map((d) => log2Len(d.position as bigint));
      expect(deep, show()).to.include.members([DEPTH - 2 * LOG2K, DEPTH - 3 * LOG2K]);
      expect(
        dropped[1].some((d) => d.event === "NodeDissected" && d.from === liarAddress),
        show(),
      ).to.equal(true);

      // 3. Once the proposer has dissected the last node it will (the one whose parts are single
      // steps), it is stopped: it has nothing left to do on the path, and it would propose the same
      // wrong result again once defeated.
      await until(
        "the dissection into single steps",
        async () =>
          (await fx.events("NodeDissected", { contract: "game", args: { gameId } })).find(
            (l) => log2Len(BigInt(l.args.position)) === LOG2K,
          ),
        90_000,
        20,
      );
      await liar.stop();

      // 4. Our one-step proof: dropped (and with it the proposal's defeat), then back.
      const stepped = await until(
        "our step",
        async () => (await fx.events("NodeStepped", { contract: "game", args: { gameId } }))[0],
        60_000,
        20,
      );
      await seenMined("step", 1);
      dropped.push(await reorgFrom(stepped.blockNumber));
      expect(ours(dropped[2], "NodeStepped"), show()).to.have.length(1);
      await until(
        "the proposal defeated again",
        async () =>
          Number((await fx.read<{ status: number }>("getProposal", [1n])).status) === PROPOSAL_DEFEATED,
        60_000,
        50,
      );

      // Won by the step, each part challenged once, one per level of the path, all by us.
      const steps = await fx.events("NodeStepped", { contract: "game", args: { gameId } });
      expect(
        steps.map((l) => l.args.stepper),
        `won by step. ${show()}`,
      ).to.deep.equal([me]);
      const path = await ourChallenges(gameId);
      expect(
        path.map((c) => c.level),
        `our challenges by level. ${show()}`,
      ).to.deep.equal([20, 16, 12, 8, 4, 0]);
      expect(new Set(path.map((c) => c.parent)).size, `a parent challenged twice. ${show()}`).to.equal(
        path.length,
      );
      for (const c of path.slice(1))
        expect(c.parent, `${c.position} off our path`).to.equal(parentOf(c.position, DEPTH, LOG2K));
      expect(
        (await fx.events("NodeChallenged", { contract: "game", args: { gameId } })).length,
        "challenges by anyone",
      ).to.equal(path.length);
      expect(await fx.read<bigint>("proposalCount"), "no proposal but the liar's first").to.equal(1n);

      // Once the pick windows close the tree resolves bottom-up, every node Defeated, and the winnings
      // are withdrawn from both ledgers.
      await fx.advance(CLOCK_SECONDS + 1);
      await untilAllResolved(fx, { gameIds: [gameId] });
      const withdrawn = async (contract: "game" | "verdict") =>
        (await fx.events("Withdrawn", { contract, args: { account: me } })).reduce(
          (sum, l) => sum + BigInt(l.args.amount),
          0n,
        );
      const rewards = await fx.events("LeafRewardPaid", { args: { opener: me } });
      expect(rewards.map((l) => BigInt(l.args.proposalId))).to.deep.equal([1n]);
      const rewarded = BigInt(rewards[0].args.amount);
      await until(
        "withdrawal of the winnings from both ledgers",
        async () =>
          (await withdrawn("verdict")) === rewarded &&
          (await fx.read<bigint>("credit", [me])) === 0n &&
          (await fx.readGame<bigint>("credit", [me])) === 0n,
        60_000,
        250,
      );
      await ch.stop();

      // Every wei, on the canonical chain. Verdict ledger: the leaf reward (the proposer's bond net of
      // the burn). Game ledger: each bond we posted came back, plus for each defeated part the share
      // of its parent dissection's bond net of the burn. Wallet: withdrawals - ETH sent - gas.
      const params = await fx.read<{ proposerBond: bigint; claimBond: bigint; burnBps: number }>("params");
      const burn = (x: bigint) => (x * BigInt(params.burnBps) + 9_999n) / 10_000n;
      expect(rewarded, "leaf reward").to.equal(params.proposerBond - burn(params.proposerBond));
      let paidByRule = 0n;
      const resolved = (await fx.events("NodeResolved", { contract: "game", args: { gameId } })).filter(
        (l) => l.args.challenger === me,
      );
      expect(resolved, "each of our nodes resolved once").to.have.length(path.length);
      for (const l of resolved) {
        const pos = BigInt(l.args.position);
        expect(Number(l.args.status), `our node ${pos}`).to.equal(NODE_DEFEATED);
        let reward = 0n;
        if (log2Len(pos) !== DEPTH) {
          const parentParts = Math.min(LOG2K, log2Len(parentOf(pos, DEPTH, LOG2K)));
          const share = (params.claimBond >> BigInt(LOG2K)) >> BigInt(parentParts);
          reward = share - burn(share);
        }
        expect(BigInt(l.args.challengerPaid), `paid at node ${pos}`).to.equal(params.claimBond + reward);
        paidByRule += params.claimBond + reward;
      }
      const block1 = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
      const wallet1 = await fx.publicClient.getBalance({ address: me, blockNumber: block1 });
      const flows = await walletFlows(fx.publicClient, me, block0, block1);
      const sentToGame = flows.sentTo.get(fx.deployment.disputeGame.toLowerCase()) ?? 0n;
      const sentTotal = [...flows.sentTo.values()].reduce((x, y) => x + y, 0n);
      expect(sentTotal - sentToGame, "ETH sent anywhere but the game").to.equal(0n);
      const gameWithdrawn = await withdrawn("game");
      expect(gameWithdrawn - sentToGame, "game ledger: credited by rule - bonds posted").to.equal(
        paidByRule - params.claimBond * BigInt(path.length),
      );
      expect(wallet1 - wallet0, "wallet delta").to.equal(
        rewarded + gameWithdrawn - sentToGame - flows.gasPaid,
      );
      // No move of ours refused for a reason other than a race, and no game lost.
      expect(
        sink.alerts.filter((a) => a.kind === "move_failed" || a.kind === "game_lost"),
        "alerts",
      ).to.deep.equal([]);
    } catch (err) {
      const lines = readFileSync(logFile, "utf8").split("\n");
      console.error(`--- last 200 lines of ${logFile} ---\n${lines.slice(-200).join("\n")}\n${show()}`);
      // A daemon whose loop died (its error is only seen on stop) looks like one that stopped moving.
      console.error(
        `head ${await fx.publicClient.getBlockNumber({ cacheTime: 0 })}; challenger ${JSON.stringify(ch.challenger.status())}, its run ${ended === undefined ? "still going" : `ended: ${ended}`}`,
      );
      throw err;
    } finally {
      await liar.stop();
      await ch.stop();
      await sink.close();
    }
  });
});
