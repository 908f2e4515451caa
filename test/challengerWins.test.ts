// End to end on a real anvil: dishonest proposers (fault injected at the
// first, a middle and the last executed step of a >= 10^6-step job) against
// the honest challenger daemon. The challenger must open a game on each wrong
// leaf, challenge down its claim tree to the one instruction where the trace
// first goes wrong, step there and win; each proposal must be defeated, the
// claim trees resolve bottom-up, and the bonds and leaf rewards move to the
// challenger (and are withdrawn).

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { log2Len, parentOf } from "@verdict/shared/src/game/position.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { walletFlows } from "@verdict/shared/src/testing/walletFlows.ts";
import { expect } from "chai";
import { startAlertSink, startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";
import { untilAllResolved } from "./support/gameState.ts";

const DEPTH = 21;
const CLOCK_SECONDS = 900;
const INPUT = new Uint8Array(20_000).map((_, i) => (i * 31 + 7) & 0xff);
const NODE_DEFEATED = 3;

describe("e2e: the challenger defeats dishonest proposers", function () {
  this.timeout(300_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH }, k: 16, clockSeconds: CLOCK_SECONDS });
  });
  after(async () => {
    await fx?.stop();
  });

  it("steps exactly at faults at the first, a middle and the last step, wins, and takes bonds and rewards", async () => {
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.sha256)));
    const plain = await buildTrace({ image, input: INPUT, depth: DEPTH, checkpointInterval: 2 ** 30 });
    const steps = plain.result.steps;
    expect(steps >= 1_000_000n, `job runs ${steps} steps`).to.equal(true);
    const faults = [1n, steps / 2n, steps];

    const sink = await startAlertSink();
    const jobId = await fx.submitJob("sha256", INPUT);
    const liars = await Promise.all(
      [KEYS.dishonest, KEYS.dishonest2, KEYS.proposer2].map((keyIndex, i) =>
        startProposer(fx, { keyIndex, injectFault: faults[i] }),
      ),
    );
    const me = fx.address(KEYS.challenger);
    const block0 = await fx.publicClient.getBlockNumber();
    const wallet0 = await fx.publicClient.getBalance({ address: me, blockNumber: block0 });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, alertWebhook: sink.url });
    try {
      await until("three proposals", async () => (await fx.read<bigint>("proposalCount")) >= 3n, 60_000);
      await until(
        "three proposals defeated",
        async () => {
          for (const id of [1n, 2n, 3n])
            if (Number((await fx.read<{ status: number }>("getProposal", [id])).status) !== 3) return false;
          return true;
        },
        240_000,
        250,
      );
      // The liars re-propose the same wrong result after each defeat; stop them so the count is stable.
      await Promise.all(liars.map((l) => l.stop()));
      const games = (await fx.events("GameOpened", { contract: "game" })).filter((l) =>
        [1n, 2n, 3n].includes(BigInt(l.args.proposalId)),
      );
      expect(games).to.have.length(3);
      for (const g of games) {
        expect(g.args.opener).to.equal(me);
        expect(BigInt(g.args.jobId)).to.equal(jobId);
      }
      const ids = games.map((g) => BigInt(g.args.gameId));
      // The one-step proofs land exactly on the steps that produced each fault, by our challenger.
      const stepped = (await fx.events("NodeStepped", { contract: "game" })).filter((l) =>
        ids.includes(BigInt(l.args.gameId)),
      );
      expect(stepped.map((l) => l.args.stepper)).to.deep.equal([me, me, me]);
      expect(
        stepped.map((l) => BigInt(l.args.position) >> 8n).sort((a, b) => (a < b ? -1 : 1)),
      ).to.deep.equal(faults.map((f) => f - 1n));
      for (const l of stepped) expect(l.args.postStateHash).to.not.equal(l.args.endHash);

      // Once the pick windows close, each tree resolves bottom-up: every node we challenged is Defeated
      // and the root pays each game's opener its leaf's share of the stake.
      await fx.advance(CLOCK_SECONDS + 1);
      await untilAllResolved(fx, { gameIds: ids });
      for (const l of (await fx.events("NodeResolved", { contract: "game" })).filter((x) =>
        ids.includes(BigInt(x.args.gameId)),
      )) {
        expect(l.args.challenger).to.equal(me);
        expect(Number(l.args.status), `node ${l.args.position}`).to.equal(NODE_DEFEATED);
      }
      const rewards = (await fx.events("LeafRewardPaid")).filter((l) =>
        [1n, 2n, 3n].includes(BigInt(l.args.proposalId)),
      );
      expect(rewards.map((l) => l.args.opener)).to.deep.equal([me, me, me]);
      const params = await fx.read<{ proposerBond: bigint; burnBps: number }>("params");
      const burn = (params.proposerBond * BigInt(params.burnBps) + 9_999n) / 10_000n;
      for (const l of rewards) expect(BigInt(l.args.amount)).to.equal(params.proposerBond - burn);

      // The winnings are withdrawn to the wallet from both ledgers: the leaf rewards from Verdict's,
      // the claim bonds and shares from DisputeGame's (its credit there drains to zero).
      const rewarded = rewards.reduce((sum, l) => sum + BigInt(l.args.amount), 0n);
      const withdrawn = async (contract: "game" | "verdict") =>
        (await fx.events("Withdrawn", { contract, args: { account: me } })).reduce(
          (sum, l) => sum + BigInt(l.args.amount),
          0n,
        );
      await until(
        "withdrawal of the winnings from both ledgers",
        async () =>
          (await withdrawn("verdict")) >= rewarded &&
          (await withdrawn("game")) > 0n &&
          (await fx.readGame<bigint>("credit", [me])) === 0n,
        60_000,
        250,
      );
      // The Prometheus endpoint tells the same story.
      expect(await ch.metrics()).to.match(/verdict_challenger_/);
      // Stop the challenger so its wallet is final, then state every wei it moved, over every game
      // and proposal it touched (a liar may have re-proposed before it was stopped). Verdict ledger:
      // exactly its leaf rewards. Game ledger: every claim bond it posted came back, plus, for each
      // defeated part, the rule share of the parent dissection's bond net of the burn. Wallet:
      // exactly withdrawals - ETH sent - gas.
      await ch.stop();
      const allRewards = (await fx.events("LeafRewardPaid", { args: { opener: me } })).reduce(
        (sum, l) => sum + BigInt(l.args.amount),
        0n,
      );
      expect(allRewards >= rewarded).to.equal(true);
      expect(
        (await withdrawn("verdict")) + (await fx.read<bigint>("credit", [me])),
        "Verdict ledger",
      ).to.equal(allRewards);
      const claimBond = (await fx.read<{ claimBond: bigint }>("params")).claimBond;
      const log2K = 4;
      const challengedByMe = await fx.events("NodeChallenged", {
        contract: "game",
        args: { challenger: me },
      });
      let paidByRule = 0n;
      for (const l of (await fx.events("NodeResolved", { contract: "game" })).filter(
        (x) => x.args.challenger === me,
      )) {
        const pos = BigInt(l.args.position);
        expect(Number(l.args.status), `our node ${pos} in game ${l.args.gameId}`).to.equal(NODE_DEFEATED);
        let reward = 0n;
        if (log2Len(pos) !== DEPTH) {
          const parentParts = Math.min(log2K, log2Len(parentOf(pos, DEPTH, log2K)));
          const share = (claimBond >> BigInt(log2K)) >> BigInt(parentParts);
          reward = share - (share * BigInt(params.burnBps) + 9_999n) / 10_000n;
        }
        expect(BigInt(l.args.challengerPaid), `paid at node ${pos}`).to.equal(claimBond + reward);
        paidByRule += claimBond + reward;
      }
      const block1 = await fx.publicClient.getBlockNumber();
      const wallet1 = await fx.publicClient.getBalance({ address: me, blockNumber: block1 });
      const flows = await walletFlows(fx.publicClient, me, block0, block1);
      const sentToGame = flows.sentTo.get(fx.deployment.disputeGame.toLowerCase()) ?? 0n;
      const sentTotal = [...flows.sentTo.values()].reduce((x, y) => x + y, 0n);
      expect(sentTotal - sentToGame, "ETH sent anywhere but the game").to.equal(0n);
      const gameWithdrawn = await withdrawn("game");
      expect(
        gameWithdrawn + (await fx.readGame<bigint>("credit", [me])) - sentToGame,
        "game ledger: credited by rule - bonds posted",
      ).to.equal(paidByRule - claimBond * BigInt(challengedByMe.length));
      expect(wallet1 - wallet0, "wallet delta").to.equal(
        (await withdrawn("verdict")) + gameWithdrawn - sentToGame - flows.gasPaid,
      );

      // Every wrong claim was alerted: the wrong leaves at least.
      expect(sink.alerts.filter((a) => a.kind === "wrong_leaf").length).to.be.at.least(3);
      expect(sink.alerts.some((a) => a.kind === "game_lost")).to.equal(false);
    } finally {
      await ch.stop();
      await Promise.all(liars.map((l) => l.stop()));
      await sink.close();
    }
  });
});
