// End to end on a real anvil: dishonest proposers (fault injected at the
// first, a middle and the last executed step of a >= 10^6-step job) against
// the honest challenger daemon. The challenger must open a game on each wrong
// leaf, play it down to the one-step proof and win, each proposal must be
// defeated, and the bonds must move to the challenger.

import { readFileSync } from "node:fs";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import type { Abi } from "viem";
import { startAlertSink, startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEPTH = 21;
const INPUT = new Uint8Array(20_000).map((_, i) => (i * 31 + 7) & 0xff);

describe("e2e: the challenger defeats dishonest proposers", function () {
  this.timeout(240_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH }, k: 16 });
  });
  after(async () => {
    await fx?.stop();
  });

  it("wins games with faults at the first, a middle and the last step, and takes the bonds", async () => {
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
    const before = await fx.publicClient.getBalance({ address: fx.address(KEYS.challenger) });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, alertWebhook: sink.url });
    try {
      await until("three proposals", async () => (await fx.read<bigint>("proposalCount")) >= 3n, 60_000);
      await until("three games won", async () => ch.challenger.status().gamesWon >= 3, 180_000, 200);
      // The liars re-propose the same wrong result after each defeat; stop them so the count is stable.
      await Promise.all(liars.map((l) => l.stop()));
      const params = await fx.read<{ proposerBond: bigint; challengerBond: bigint; burnBps: number }>(
        "params",
      );
      for (const id of [1n, 2n, 3n]) {
        const prop = await fx.read<{ status: number }>("getProposal", [id]);
        expect(prop.status, `proposal ${id} defeated`).to.equal(3);
      }
      const games = (
        await fx.publicClient.getContractEvents({
          address: fx.deployment.verdict,
          abi: verdictAbi as Abi,
          eventName: "GameResolved",
          fromBlock: fx.deployment.deployedAtBlock,
        })
      ).filter((l) =>
        [1n, 2n, 3n].includes((l as unknown as { args: { proposalId: bigint } }).args.proposalId),
      );
      expect(games).to.have.length(3);
      const stepped = await fx.publicClient.getContractEvents({
        address: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        eventName: "Stepped",
        fromBlock: fx.deployment.deployedAtBlock,
      });
      // The one-step proofs land exactly on the steps that produced each fault.
      const positions = stepped
        .filter((l) =>
          games.some(
            (g) =>
              (g as unknown as { args: { gameId: bigint } }).args.gameId ===
              (l as unknown as { args: { gameId: bigint } }).args.gameId,
          ),
        )
        .map((l) => (l as unknown as { args: { position: bigint } }).args.position)
        .sort((a, b) => (a < b ? -1 : 1));
      expect(positions).to.deep.equal(faults.map((f) => f - 1n));
      for (const g of games) {
        const a = (g as unknown as { args: { status: number; winner: string; paid: bigint } }).args;
        expect(a.status).to.equal(2);
        expect(a.winner).to.equal(fx.address(KEYS.challenger));
        expect(a.paid).to.equal(
          params.challengerBond +
            params.proposerBond -
            (params.proposerBond * BigInt(params.burnBps)) / 10_000n,
        );
      }
      // The winnings are withdrawn to the challenger's wallet (the liars keep re-proposing, so
      // later games may still be running; count what the three won games paid).
      const paid = games.reduce((sum, g) => sum + (g as unknown as { args: { paid: bigint } }).args.paid, 0n);
      await until(
        "withdrawal of the winnings",
        async () => {
          const w = await fx.publicClient.getContractEvents({
            address: fx.deployment.verdict,
            abi: verdictAbi as Abi,
            eventName: "Withdrawn",
            args: { account: fx.address(KEYS.challenger) },
            fromBlock: fx.deployment.deployedAtBlock,
          });
          return (
            w.reduce((sum, l) => sum + (l as unknown as { args: { amount: bigint } }).args.amount, 0n) >= paid
          );
        },
        30_000,
      );
      expect(before > 0n).to.equal(true);
      // The Prometheus endpoint tells the same story.
      const m = await ch.metrics();
      const value = (name: string) =>
        Number(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, "m").exec(m)?.[1] ?? Number.NaN);
      expect(value("verdict_challenger_games_won_total")).to.be.at.least(3);
      expect(value("verdict_challenger_wrong_leaves_total")).to.be.at.least(3);
      expect(value("verdict_challenger_games_opened_total")).to.be.at.least(3);
      expect(value("verdict_challenger_time_to_challenge_seconds_count")).to.be.at.least(3);
      expect(value("verdict_challenger_bonds_won_wei_total")).to.be.greaterThan(0);
      expect(m).to.match(/verdict_challenger_moves_sent_total\{kind="step"\} [3-9]/);
      // Every wrong claim was alerted: three wrong leaves (the job's result) at least.
      expect(sink.alerts.filter((a) => a.kind === "wrong_leaf").length).to.be.at.least(3);
      expect(sink.alerts.some((a) => a.kind === "wrong_dissection")).to.equal(true);
      expect(sink.alerts.some((a) => a.kind === "refused_move" || a.kind === "game_lost")).to.equal(false);
      expect(jobId).to.equal(1n);
    } finally {
      await ch.stop();
      await Promise.all(liars.map((l) => l.stop()));
      await sink.close();
    }
  });
});
