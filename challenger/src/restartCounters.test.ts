// Counters across a restart on a real anvil (issue 11; docs/operate.md §5: "a
// restarted daemon does not count again"). A challenger checks a correct
// proposal (left pending) and a wrong one, wins the wrong one's game when the
// scripted proposer lets its clock run out, and is stopped. Restarted on the
// same state directory, it backfills the Credited events of that win and
// checks the pending proposal again: its counters must stay at zero for all
// of it, and still count a new wrong proposal and the bond it wins.

import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import { type Abi, type Address, type Hex, keccak256, toHex } from "viem";
import { type ChainFixture, setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestChallenger, type TestChallenger } from "./testing/startTestChallenger.ts";

const DEPTH = 10;
const CLOCK_SECONDS = 300;
const NODE_DEFEATED = 3;
const PROPOSAL_PENDING = 1;

type CounterLike = { get: () => Promise<{ values: { value: number; labels: Record<string, unknown> }[] }> };
const value = async (c: CounterLike, labels: Record<string, string> = {}) =>
  (await c.get()).values.find((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))?.value ?? 0;

/** The counters the issue is about, as the challenger's registry has them now. */
async function counters(ch: TestChallenger) {
  const m = ch.metrics;
  return {
    proposalsChecked: await value(m.proposalsChecked),
    leavesCorrect: await value(m.leavesChecked, { outcome: "correct" }),
    leavesWrong: await value(m.leavesChecked, { outcome: "wrong" }),
    bondsWonWei: await value(m.bondsWonWei),
  };
}

describe("challenger counters across a restart (anvil, real contracts)", function () {
  this.timeout(300_000);
  let fx: ChainFixture;
  let dir: string;
  let honestHash: (input: Uint8Array) => Promise<Hex>;

  before(async () => {
    // The window outlasts both games' clocks: the correct proposal is still pending after the restart.
    fx = await setupChain({ k: 4, depth: DEPTH, challengeWindowSeconds: 7200, clockSeconds: CLOCK_SECONDS });
    dir = mkdtempSync(join(tmpdir(), "verdict-challenger-restart-"));
    const image = loadElf(new Uint8Array(readFileSync(fx.programPath)));
    honestHash = async (input) =>
      (await buildTrace({ image, input, depth: DEPTH, checkpointInterval: 2 ** 30 })).result.stateHash;
  });
  after(async () => {
    await fx?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  /** Wei credited to `me` in both ledgers after block `after` (the Credited events). */
  const creditedTo = async (me: Address, after: bigint) => {
    let sum = 0n;
    for (const address of [fx.deployment.verdict, fx.deployment.disputeGame]) {
      const logs = (await fx.publicClient.getContractEvents({
        address,
        abi: verdictAbi as Abi,
        eventName: "Credited",
        fromBlock: after + 1n,
      })) as unknown as { args: { account: Address; amount: bigint } }[];
      for (const l of logs) if (l.args.account.toLowerCase() === me.toLowerCase()) sum += l.args.amount;
    }
    return sum;
  };
  const rootOf = async (gameId: bigint) => {
    const g = await fx.readGame<{ depth: number }>("getGame", [gameId]);
    return Number((await fx.readGame<{ status: number }>("getNode", [gameId, BigInt(g.depth)])).status);
  };
  /** Opens nothing new: waits for game `gameId`, lets the proposer's clock run out, waits for the win withdrawn. */
  const win = async (ch: TestChallenger, gameId: bigint) => {
    await until(
      `game ${gameId} opened`,
      async () => (await fx.readGame<bigint>("gameCount")) >= gameId,
      60_000,
    );
    await fx.advance(CLOCK_SECONDS + 1);
    await until(`game ${gameId} won`, async () => (await rootOf(gameId)) === NODE_DEFEATED, 120_000, 200);
    await until(
      "both ledgers withdrawn",
      async () =>
        (await fx.readGame<bigint>("credit", [ch.me])) === 0n &&
        (await fx.read<bigint>("credit", [ch.me])) === 0n,
      60_000,
      200,
    );
  };
  /** Waits until the challenger has handled every block up to the head and done the work that followed. */
  const caughtUp = async (ch: TestChallenger) => {
    const head = await fx.publicClient.getBlockNumber();
    await until(
      "backfilled to the head",
      async () => (await value(ch.metrics.processedBlock)) >= Number(head),
    );
    const pending: bigint[] = [];
    for (let id = 1n; id <= (await fx.read<bigint>("proposalCount")); id++)
      if (Number((await fx.read<{ status: number }>("getProposal", [id])).status) === PROPOSAL_PENDING)
        pending.push(id);
    await until(
      "every pending proposal checked",
      () => ch.challenger.status().proposalsChecked >= pending.length,
    );
    await ch.challenger.idle();
    await ch.challenger.idle();
    return pending;
  };

  it("a restarted challenger counts nothing again on backfill and re-checks, and still counts new events", async () => {
    const correctInput = Uint8Array.from([1, 2, 3]);
    const correctJob = await fx.submitJob(correctInput);
    const wrongJob = await fx.submitJob(Uint8Array.from([4, 5, 6]));
    const stays = await fx.propose(
      [{ jobId: correctJob, finalStateHash: await honestHash(correctInput) }],
      1,
    );
    await fx.propose([{ jobId: wrongJob, finalStateHash: keccak256(toHex("wrong")) }], 3);

    let ch = await startTestChallenger(fx, { keyIndex: 2, stateDir: dir });
    let restartedAt = 0n;
    try {
      await until("both proposals checked", () => ch.challenger.status().proposalsChecked === 2, 60_000);
      await win(ch, 1n);
      await caughtUp(ch);
      const won = await creditedTo(ch.me, 0n);
      expect(won > 0n, "the win credited us").to.equal(true);
      expect(await counters(ch)).to.deep.equal({
        proposalsChecked: 2,
        leavesCorrect: 1,
        leavesWrong: 1,
        bondsWonWei: Number(won),
      });
      await ch.stop();

      // The restart: the same state directory, a fresh process (fresh registry).
      restartedAt = await fx.publicClient.getBlockNumber();
      ch = await startTestChallenger(fx, { keyIndex: 2, stateDir: dir });
      const pending = await caughtUp(ch);
      expect(pending, "the correct proposal is still pending, so it was checked again").to.deep.equal([
        stays,
      ]);
      expect(ch.challenger.status().proposalsChecked).to.equal(1);
      expect(await counters(ch), "nothing counted again").to.deep.equal({
        proposalsChecked: 0,
        leavesCorrect: 0,
        leavesWrong: 0,
        bondsWonWei: 0,
      });

      // New events are still counted: a new wrong proposal, its check and the bond its game wins.
      const nextJob = await fx.submitJob(Uint8Array.from([7, 8, 9]));
      await fx.propose([{ jobId: nextJob, finalStateHash: keccak256(toHex("wrong again")) }], 3);
      await until("the new proposal checked", () => ch.challenger.status().proposalsChecked === 2, 60_000);
      await win(ch, 2n);
      await caughtUp(ch);
      const wonAgain = await creditedTo(ch.me, restartedAt);
      expect(wonAgain > 0n).to.equal(true);
      expect(await counters(ch)).to.deep.equal({
        proposalsChecked: 1,
        leavesCorrect: 0,
        leavesWrong: 1,
        bondsWonWei: Number(wonAgain),
      });
    } finally {
      await ch.stop();
    }
  });
});
