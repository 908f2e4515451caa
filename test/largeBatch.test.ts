// End to end: one wrong leaf in a batch of maxBatchSize leaves, at the first, a middle and the last
// position (three proposals of the same 256 jobs, scripted so the wrong leaf is exactly where we want
// it). The challenger daemon must check every leaf of every batch, open a game on each wrong leaf
// and on nothing else, and defeat all three; no lying proposal may stay Pending past its deadline.
// (A challenger that skips the last leaf of a batch, or trusts a batch after its first leaves, fails
// here; issue 14.)

import { readFileSync } from "node:fs";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ResultLeaf } from "@verdict/shared/src/game/resultTree.ts";
import { inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { type Hex, keccak256, toHex } from "viem";
import { startAlertSink, startChallenger } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";

const DEPTH = 12;
// The example deployment's limit (protocol/script/deploy.example.json), the largest batch a proposer
// of a real deployment would post.
const BATCH = Number(
  (
    JSON.parse(readFileSync(new URL("../protocol/script/deploy.example.json", import.meta.url), "utf8")) as {
      params: { maxBatchSize: number };
    }
  ).params.maxBatchSize,
);
const CLOCK_SECONDS = 600;
const WINDOW_SECONDS = 3600;
const PENDING = 1;
const DEFEATED = 3;

describe("e2e: a wrong leaf anywhere in a batch of maxBatchSize", function () {
  this.timeout(300_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({
      programs: { echo: DEPTH },
      maxBatchSize: BATCH,
      clockSeconds: CLOCK_SECONDS,
      challengeWindowSeconds: WINDOW_SECONDS,
    });
  });
  after(async () => {
    await fx?.stop();
  });

  it("the challenger defeats a single wrong leaf at the first, a middle and the last position", async () => {
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.echo)));
    // The jobs are sent back to back and their ids read from the chain afterwards: one receipt wait
    // per job made this test take minutes and exposed it, 1024 times over, to a receipt watch that
    // can miss an automined block.
    const requester = fx.wallet(KEYS.requester);
    const inputs = Array.from({ length: BATCH }, (_, i) => new TextEncoder().encode(`job ${i} of the batch`));
    const firstBlock = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    for (const input of inputs)
      await requester.writeContract({
        address: fx.deployment.verdict,
        abi: verdictAbi,
        functionName: "submitJob",
        args: [fx.programIds.echo as bigint, toHex(input)],
        value: 10n ** 16n,
      });
    const submitted = await until(
      `${BATCH} jobs submitted`,
      async () => {
        const logs = await fx.publicClient.getContractEvents({
          address: fx.deployment.verdict,
          abi: verdictAbi,
          eventName: "JobSubmitted",
          fromBlock: firstBlock,
        });
        return logs.length === BATCH ? logs : undefined;
      },
      120_000,
      250,
    );
    const jobs = submitted.map((l) => l.args.jobId as bigint);
    const honest: Hex[] = [];
    for (let i = 0; i < BATCH; i++) {
      expect(submitted[i].args.inputRoot, `job ${i}`).to.equal(inputRoot(inputs[i]));
      honest.push((await buildTrace({ image, input: inputs[i], depth: DEPTH })).result.stateHash);
    }
    expect(Number((await fx.read<{ maxBatchSize: number }>("params")).maxBatchSize)).to.equal(BATCH);
    const wrongAt = [0, Math.floor(BATCH / 2) + 37, BATCH - 1];
    const proposals: bigint[] = [];
    for (const w of wrongAt) {
      const leaves: ResultLeaf[] = jobs.map((jobId, i) => ({
        jobId,
        finalStateHash: i === w ? keccak256(toHex(`wrong ${w}`)) : honest[i],
      }));
      proposals.push(await fx.propose(leaves, KEYS.dishonest));
    }
    for (const id of proposals)
      expect(Number((await fx.read<{ status: number }>("getProposal", [id])).status)).to.equal(PENDING);

    const sink = await startAlertSink();
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger, alertWebhook: sink.url });
    try {
      await until(
        "a game on each wrong leaf",
        async () => (await fx.events("GameOpened", { contract: "game" })).length >= proposals.length,
        180_000,
        250,
      );
      // The proposer never defends: once its clock runs out on each root, the challenger resolves it.
      await fx.advance(CLOCK_SECONDS + 1);
      await until(
        "every lie defeated",
        async () => {
          for (const id of proposals)
            if (Number((await fx.read<{ status: number }>("getProposal", [id])).status) !== DEFEATED)
              return false;
          return true;
        },
        120_000,
        250,
      );
      // Exactly one game per proposal, on its wrong leaf and opened by the challenger; no correct leaf
      // was challenged.
      const games = await fx.events("GameOpened", { contract: "game" });
      expect(games).to.have.length(proposals.length);
      for (let p = 0; p < proposals.length; p++) {
        const mine = games.filter((g) => BigInt(g.args.proposalId) === proposals[p]);
        expect(
          mine.map((g) => BigInt(g.args.jobId)),
          `proposal ${proposals[p]}`,
        ).to.deep.equal([jobs[wrongAt[p]]]);
        expect(mine[0].args.opener).to.equal(fx.address(KEYS.challenger));
      }
      const wrongAlerts = sink.alerts.filter((a) => a.kind === "wrong_leaf");
      expect(wrongAlerts.length).to.be.at.least(proposals.length);
      // Past every deadline, no lying proposal is Pending.
      await fx.advance(WINDOW_SECONDS + 1);
      for (const id of proposals)
        expect(Number((await fx.read<{ status: number }>("getProposal", [id])).status)).to.equal(DEFEATED);
    } finally {
      await ch.stop();
      await sink.close();
    }
  });
});
