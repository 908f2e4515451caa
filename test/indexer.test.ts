// The SQLite indexer on a live anvil: an index that followed a dispute as it
// happened (polling while the dishonest proposer and the challenger played)
// holds exactly the rows of an index backfilled afterwards; and a reorg (anvil
// snapshot, blocks mined, revert, other blocks mined) leaves no row from the
// orphaned blocks behind — the followed index equals a fresh backfill again.

import { createIndexer } from "@verdict/shared/src/indexer/createIndexer.ts";
import { openIndexDb } from "@verdict/shared/src/indexer/openIndexDb.ts";
import { dumpIndex, listJobs } from "@verdict/shared/src/indexer/queryIndex.ts";
import { expect } from "chai";
import type { Hex } from "viem";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, KEYS, setupE2E, until } from "./support/fixture.ts";

const WINDOW_SECONDS = 600;

describe("indexer (SQLite, e2e on anvil)", function () {
  this.timeout(300_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 18 }, challengeWindowSeconds: WINDOW_SECONDS });
  });
  after(async () => {
    await fx?.stop();
  });

  const indexer = () =>
    createIndexer({
      publicClient: fx.publicClient,
      db: openIndexDb(":memory:"),
      contracts: {
        verdict: fx.deployment.verdict,
        game: fx.deployment.disputeGame,
        registry: fx.deployment.registry,
        outputs: fx.deployment.outputs,
      },
      fromBlock: fx.deployment.deployedAtBlock,
      maxRange: 7n,
      pollMs: 50,
    });
  /** Everything but `blocks` (which range ends a follower stored depends on when it polled). */
  const rows = (ix: ReturnType<typeof indexer>) => {
    const { blocks: _, ...rest } = dumpIndex(ix.db);
    return rest;
  };

  let follower: ReturnType<typeof indexer>;

  it("an index that followed a dispute equals one backfilled afterwards", async () => {
    follower = indexer();
    const following = follower.follow();
    const jobId = await fx.submitJob("sha256", new TextEncoder().encode("index me"));
    await fx.submitJob("sha256", new TextEncoder().encode("and me"));
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 1_000n });
    const ch = await startChallenger(fx, { keyIndex: KEYS.challenger });
    try {
      await until(
        "the lie defeated",
        async () => Number((await fx.read<{ status: number }>("getProposal", [1n])).status) === 3,
        200_000,
        200,
      );
    } finally {
      await liar.stop();
      await ch.stop();
    }
    const honest = await startProposer(fx, { keyIndex: KEYS.proposer });
    try {
      await until(
        "an honest proposal",
        async () =>
          (await fx.events("Proposed", { args: { proposer: fx.address(KEYS.proposer) } })).length > 0,
        60_000,
      );
      await fx.advance(WINDOW_SECONDS + 1);
      await until("recorded", async () => (await fx.read<readonly [boolean]>("result", [jobId]))[0], 60_000);
    } finally {
      await honest.stop();
    }
    const head = await fx.publicClient.getBlockNumber({ cacheTime: 0 });
    await until("the follower at the head", async () => follower.cursor() >= head, 30_000, 50);
    follower.stop();
    await following;

    const backfill = indexer();
    await backfill.sync(head);
    expect(rows(backfill)).to.deep.equal(rows(follower));
    const dump = rows(follower);
    expect(dump.games.length).to.be.greaterThan(0);
    expect((dump.moves as { kind: string }[]).map((m) => m.kind)).to.include.members([
      "challenged",
      "dissected",
      "stepped",
      "resolved",
    ]);
    const jobs = listJobs(follower.db);
    expect(jobs.find((j) => j.jobId === jobId)?.status).to.equal("final");
  });

  it("a reorg (snapshot, mine, revert, mine other blocks) leaves no orphaned rows", async () => {
    const snapshot = (await fx.publicClient.request({
      method: "evm_snapshot" as never,
      params: [] as never,
    })) as Hex;
    const orphanJob = await fx.submitJob("sha256", new TextEncoder().encode("orphaned"));
    await fx.submitJob("sha256", new TextEncoder().encode("orphaned too"));
    await fx.advance(1);
    await follower.sync();
    const before = listJobs(follower.db).map((j) => j.jobId);
    expect(before).to.include(orphanJob);

    await fx.publicClient.request({ method: "evm_revert" as never, params: [snapshot] as never });
    // Another history from the same point: one different job, fewer blocks than before.
    const other = await fx.submitJob("sha256", new TextEncoder().encode("the canonical one"));
    expect(other).to.equal(orphanJob);
    await follower.sync();

    const after = rows(follower);
    for (const e of after.events as { tx_hash: Hex; block_number: bigint }[]) {
      const r = await fx.publicClient.getTransactionReceipt({ hash: e.tx_hash }).catch(() => null);
      expect(r, `event of tx ${e.tx_hash} is on the chain`).to.not.equal(null);
      expect(r?.blockNumber).to.equal(e.block_number);
    }
    const inputs = (after.jobs as { job_id: bigint; input_bytes: bigint }[]).filter(
      (j) => j.job_id === orphanJob,
    );
    expect(inputs.map((j) => j.input_bytes)).to.deep.equal([BigInt("the canonical one".length)]);
    // The stored block hashes are the chain's.
    for (const b of dumpIndex(follower.db).blocks as { number: bigint; hash: Hex }[])
      expect((await fx.publicClient.getBlock({ blockNumber: b.number })).hash).to.equal(b.hash);
    const fresh = indexer();
    await fresh.sync(follower.cursor());
    expect(rows(fresh)).to.deep.equal(after);
  });
});
