// End-to-end tests of the proposer against a real anvil with the real
// contracts: the happy path (execute → commit and reveal → finalize → record
// → open outputs on Outputs → claim the fees once unlocked → withdraw), then a
// restart with --publish-outputs that publishes the bytes and counts nothing twice.

import { readFileSync } from "node:fs";
import { outputsAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { walletFlows } from "@verdict/shared/src/testing/walletFlows.ts";
import { expect } from "chai";
import type { Abi, Hex } from "viem";
import { privateKeyToAddress } from "viem/accounts";
import { type ChainFixture, setupChain, until } from "./testing/setupChain.ts";
import { PROPOSER_KEY_INDEX, startTestProposer } from "./testing/startTestProposer.ts";

function inputOf(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + n) & 0xff);
}

describe("proposer (anvil, real contracts)", function () {
  this.timeout(180_000);
  let fx: ChainFixture;

  before(async () => {
    fx = await setupChain({ k: 4, depth: 10, challengeWindowSeconds: 600, clockSeconds: 3600 });
  });
  after(async () => fx?.stop());

  it("executes jobs, commits and reveals batches, finalizes after the window, records, opens outputs, claims fees, withdraws", async () => {
    const me = privateKeyToAddress(fx.anvil.privateKeys[PROPOSER_KEY_INDEX]);
    const inputs = [3, 5, 8, 13, 21].map(inputOf);
    const jobIds: bigint[] = [];
    for (const inp of inputs) jobIds.push(await fx.submitJob(inp, { fee: 10n ** 16n }));
    const t = await startTestProposer(fx);
    try {
      await until("two proposals", () => t.proposer.state().proposals.length === 2);
      expect(t.proposer.state().proposals.map((x) => x.leaves)).to.deep.equal([4, 1]);
      // Each batch was committed in an earlier block than its reveal.
      for (const x of t.proposer.state().proposals) {
        const p = await fx.read<{ commitBlock: bigint }>("getProposal", [x.id]);
        expect(BigInt(p.commitBlock) > 0n).to.equal(true);
      }
      const block0 = await fx.publicClient.getBlockNumber();
      const before = await fx.publicClient.getBalance({ address: me, blockNumber: block0 });

      await fx.advance(601);
      await until("all results recorded and outputs opened", async () => {
        for (const id of jobIds) {
          const [, current] = await fx.readOutputs<readonly [unknown, boolean]>("output", [id]);
          if (!current) return false;
        }
        return true;
      });
      // Fees unlock at the reveal + the longest window + 3 clocks ever in force + 600 s; the proposer
      // claims them.
      const maxSpan = await fx.read<bigint>("maxSpan", []);
      await fx.advance(Number(maxSpan) + 1200);
      await until("fees claimed", async () => {
        for (const id of jobIds)
          if ((await fx.read<{ fee: bigint }>("getJob", [id])).fee !== 0n) return false;
        return true;
      });
      await until(
        "credit withdrawn",
        async () =>
          (await fx.read<bigint>("credit", [me])) === 0n &&
          (await fx.publicClient.getBalance({ address: me })) > before,
      );

      // Results are exactly what an independent run of the machine gives.
      const image = loadElf(new Uint8Array(readFileSync(fx.programPath)));
      for (let i = 0; i < inputs.length; i++) {
        const trace = await buildTrace({ image, input: inputs[i], depth: fx.depth });
        const [final, hash] = await fx.read<readonly [boolean, Hex, bigint]>("result", [jobIds[i]]);
        expect(final).to.equal(true);
        expect(hash).to.equal(trace.result.stateHash);
        const [out] = await fx.readOutputs<readonly [{ exitCode: number; outputRoot: Hex }, boolean]>(
          "output",
          [jobIds[i]],
        );
        const sum = inputs[i].reduce((a, b) => a + b, 0);
        expect(out.exitCode).to.equal(sum);
        expect(out.outputRoot).to.equal(trace.result.outputRoot);
      }
      const withdrawn = await fx.publicClient.getContractEvents({
        address: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        eventName: "Withdrawn",
        fromBlock: 0n,
      });
      const total = withdrawn
        .map((l) => (l as unknown as { args: { account: string; amount: bigint } }).args)
        .filter((a) => a.account.toLowerCase() === me.toLowerCase())
        .reduce((s, a) => s + a.amount, 0n);
      // Both bonds back plus five fees.
      expect(total).to.equal(2n * 10n ** 18n + 5n * 10n ** 16n);
      // And the wallet moved by exactly what was withdrawn since `before`, less what it sent and its gas.
      const block1 = await fx.publicClient.getBlockNumber();
      const after = await fx.publicClient.getBalance({ address: me, blockNumber: block1 });
      const withdrawnSince = withdrawn
        .filter((l) => l.blockNumber !== null && l.blockNumber > block0)
        .map((l) => (l as unknown as { args: { account: string; amount: bigint } }).args)
        .filter((a) => a.account.toLowerCase() === me.toLowerCase())
        .reduce((s, a) => s + a.amount, 0n);
      expect(withdrawnSince, "the whole withdrawal came after the proposals").to.equal(total);
      const flows = await walletFlows(fx.publicClient, me, block0, block1);
      const sent = [...flows.sentTo.values()].reduce((a, b) => a + b, 0n);
      expect(after - before, "wallet delta").to.equal(withdrawnSince - sent - flows.gasPaid);
      expect((await t.metrics.jobsSeen.get()).values[0].value).to.equal(5);
      expect((await t.metrics.jobsExecuted.get()).values[0].value).to.equal(5);
      expect((await t.metrics.proposals.get()).values[0].value).to.equal(2);
      expect((await t.metrics.proposalsFinalized.get()).values[0].value).to.equal(2);
      expect((await t.metrics.outputsPublished.get()).values[0].value).to.equal(0);
    } finally {
      await t.stop();
    }
  });

  it("restarted with --publish-outputs: publishes the finalized outputs, and its backfill counts nothing again", async () => {
    const published = async () =>
      (
        await fx.publicClient.getContractEvents({
          address: fx.deployment.outputs,
          abi: outputsAbi,
          eventName: "OutputData",
          fromBlock: 0n,
        })
      ).map((e) => e.args.jobId);
    expect(await published()).to.deep.equal([]);
    const t = await startTestProposer(fx, { publishOutputs: "true" });
    try {
      await until("five outputs published", async () => (await published()).length === 5, 240_000);
      await until("both proposals known as finalized", () =>
        t.proposer.state().proposals.every((x) => x.status === "Finalized"),
      );
      expect((await published()).sort()).to.deep.equal([1n, 2n, 3n, 4n, 5n]);
      const value = async (c: { get: () => Promise<{ values: { value: number }[] }> }) =>
        (await c.get()).values[0]?.value ?? 0;
      expect(await value(t.metrics.outputsPublished)).to.equal(5);
      // Everything else was counted by the first run.
      expect(await value(t.metrics.jobsSeen), "jobs seen").to.equal(0);
      expect(await value(t.metrics.jobsExecuted), "jobs executed (results come from the cache)").to.equal(0);
      expect(await value(t.metrics.proposalsFinalized), "proposals finalized").to.equal(0);
      expect(await value(t.metrics.proposals)).to.equal(0);
    } finally {
      await t.stop();
    }
  });
});
