// Watchtower capacity on a real anvil (issue 10): the check queue is ordered by
// the proposals' windows, and as soon as the steps queued cannot be recomputed
// before a window closes at the throughput the challenger measures (or assumes
// before its first timed check), it raises a capacity alarm naming the proposal
// and the shortfall, long before the deadline. A job whose D is above the
// operator's cap is reported (over_cap), never silently skipped.

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import { type Hex, keccak256, toHex } from "viem";
import { type ChainFixture, setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestChallenger, type TestChallenger } from "./testing/startTestChallenger.ts";

const DEPTH = 16;
const WINDOW = 600;

/** The challenger's alerts, each with the active time when it was raised. */
const stamped = (ch: TestChallenger) => ch.alerts.map((alert, i) => ({ alert, activeNow: ch.alertedAt[i] }));

describe("challenger capacity (anvil, real contracts)", function () {
  this.timeout(300_000);
  let fx: ChainFixture;
  let honestHash: (input: Uint8Array) => Promise<Hex>;

  beforeEach(async () => {
    fx = await setupChain({ k: 4, depth: DEPTH, challengeWindowSeconds: WINDOW, clockSeconds: 3600 });
    const image = loadElf(new Uint8Array(readFileSync(fx.programPath)));
    honestHash = async (input) =>
      (await buildTrace({ image, input, depth: DEPTH, checkpointInterval: 2 ** 30 })).result.stateHash;
  });
  afterEach(async () => fx?.stop());

  it("raises the capacity alarm for the proposal that cannot be checked in time, with its shortfall, long before its deadline", async () => {
    // A flood of correct leaves first (earlier windows), then one wrong proposal behind them.
    const flood: { jobId: bigint; finalStateHash: Hex }[] = [];
    for (let i = 0; i < 6; i++) {
      const input = Uint8Array.from({ length: 8 + i }, (_, j) => j + i);
      flood.push({ jobId: await fx.submitJob(input), finalStateHash: await honestHash(input) });
    }
    const wrongInput = Uint8Array.from({ length: 5 }, (_, j) => 100 + j);
    const wrongJob = await fx.submitJob(wrongInput);
    const floodProposal = await fx.propose(flood, 1);
    await fx.advance(30);
    const wrongProposal = await fx.propose(
      [{ jobId: wrongJob, finalStateHash: keccak256(toHex("wrong")) }],
      3,
    );
    const { deadline } = await fx.read<{ deadline: bigint }>("getProposal", [wrongProposal]);
    // One check slot assumed to run 600 steps/s until timed: the flood's 6 · 2^16 steps take ~655 s,
    // more than the wrong proposal's window; the wrong proposal's own leaf comes after them.
    const ch = await startTestChallenger(fx, { keyIndex: 2, maxChecks: 1, assumedStepsPerSecond: 600 });
    try {
      const alarm = await until(
        "capacity alarm",
        () => stamped(ch).find((a) => a.alert.kind === "capacity_shortfall" && a.activeNow >= 0n),
        60_000,
      );
      expect(alarm.alert.data.proposalId).to.equal(wrongProposal.toString());
      const shortfall = BigInt(alarm.alert.data.shortfallSeconds as bigint);
      expect(shortfall > 0n).to.equal(true);
      expect(BigInt(alarm.alert.data.deadline as bigint)).to.equal(BigInt(deadline));
      // Raised with most of the window still to go: lead time = deadline − active time at the alarm.
      const lead = BigInt(deadline) - alarm.activeNow;
      expect(Number(lead)).to.be.greaterThan(WINDOW - 120);
      // Only the proposal that cannot make it is named (the flood's own window fits).
      expect(
        stamped(ch)
          .filter((a) => a.alert.kind === "capacity_shortfall")
          .map((a) => a.alert.data.proposalId),
      ).to.not.include(floodProposal.toString());
      // The checks really are fast here (the measured throughput replaces the guess): the wrong leaf
      // is still found and its game opened inside the window.
      await until(
        "game opened on the wrong leaf",
        async () => (await fx.readGame<bigint>("gameCount")) >= 1n,
        120_000,
        200,
      );
      const game = await fx.readGame<{ proposalId: bigint }>("getGame", [1n]);
      expect(game.proposalId).to.equal(wrongProposal);
      expect(stamped(ch).some((a) => a.alert.kind === "wrong_leaf")).to.equal(true);
      expect(BigInt(await fx.read<bigint>("activeNow")) < BigInt(deadline)).to.equal(true);
      // The rate the predictions use is exported: the assumed 600 steps/s, or (once a check ran long
      // enough to time) a moving average with a measured rate far above it.
      const rate = (await ch.metrics.checkStepsPerSecond.get()).values[0]?.value ?? 0;
      expect(rate).to.be.at.least(600);
    } finally {
      await ch.stop();
    }
  });

  it("reports a job above the operator's depth cap instead of silently skipping it", async () => {
    const input = Uint8Array.from({ length: 7 }, (_, j) => j);
    const jobId = await fx.submitJob(input);
    const proposalId = await fx.propose([{ jobId, finalStateHash: keccak256(toHex("wrong")) }], 3);
    // Through a pass-through proxy, to count the challenger's polls (each starts with one
    // eth_getBlockByNumber, and polls run one after another).
    const proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl, enabled: false });
    const polls = () => proxy.stats.calls.eth_getBlockByNumber ?? 0;
    const ch = await startTestChallenger(fx, {
      keyIndex: 2,
      maxChecks: 1,
      depthCap: () => DEPTH - 1,
      rpcUrl: proxy.url,
    });
    try {
      const a = await until(
        "over_cap alert",
        () => stamped(ch).find((x) => x.alert.kind === "over_cap"),
        60_000,
      );
      expect(a.alert.data).to.include({ proposalId, jobId, depth: DEPTH, cap: DEPTH - 1 });
      expect(a.alert.message).to.match(/NOT checked/);
      // Not run, so no game: the operator was told, and no wrong_leaf verdict was made up. "No game"
      // means something only once the challenger has acted on the finished check: the poll after it
      // offers every wrong leaf its opening, and whatever that poll scheduled (an opening, then its
      // transaction) has run to the end.
      await until("the proposal checked", () => ch.challenger.status().proposalsChecked === 1, 60_000, 20);
      const at = polls();
      await until("two whole polls after the check", () => polls() > at + 2, 30_000, 5);
      await ch.challenger.idle(); // the tasks those polls scheduled
      await ch.challenger.idle(); // the transactions those tasks queued
      expect(ch.challenger.status()).to.include({ gamesOpened: 0, queuedMoves: 0 });
      expect(await fx.readGame<bigint>("gameCount")).to.equal(0n);
      expect(stamped(ch).filter((x) => x.alert.kind === "wrong_leaf")).to.deep.equal([]);
      expect(ch.challenger.status().wrongLeaves).to.equal(0);
    } finally {
      await ch.stop();
      await proxy.close();
    }
  });
});
