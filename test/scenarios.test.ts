// End-to-end scenarios on a real anvil with the real daemons, on the shared
// claim-tree game: an honest proposer (nothing is challenged; results final,
// fees claimed once unlocked), a colluding challenger that opens the wrong
// leaf's game first and throws it (the honest challenger joins that same game
// and defeats it), one wrong leaf in the middle of a three-leaf batch (one
// game, on that leaf only), and two proposers with two challengers at once.
// Every wrong proposal must end Defeated — never left Pending.

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { expect } from "chai";
import type { Address } from "viem";
import { throwGame } from "./support/colludingChallenger.ts";
import { startAlertSink, startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";
import { gameNet, untilAllResolved, untilChallengersCaughtUp } from "./support/gameState.ts";

const DEPTH = 18;
const CLOCK_SECONDS = 600;
const WINDOW_SECONDS = 600;
const input = (seed: number, n = 2000) => new Uint8Array(n).map((_, i) => (i * 13 + seed) & 0xff);
const PENDING = 1;
const FINALIZED = 2;
const DEFEATED = 3;
const NODE_DEFEATED = 3;
const NODE_UPHELD = 4;

const status = async (fx: E2EFixture, proposalId: bigint) =>
  Number((await fx.read<{ status: number }>("getProposal", [proposalId])).status);

describe("e2e scenarios", function () {
  this.timeout(240_000);
  let fx: E2EFixture | undefined;
  afterEach(async () => {
    await fx?.stop();
    fx = undefined;
  });

  it("honest proposer: the challenger checks every result and opens nothing; results final, fees claimed when unlocked", async () => {
    fx = await setupE2E({
      programs: { sha256: DEPTH, echo: 12 },
      clockSeconds: CLOCK_SECONDS,
      challengeWindowSeconds: WINDOW_SECONDS,
    });
    const f = fx;
    const sink = await startAlertSink();
    const ch = await startChallenger(f, { keyIndex: KEYS.challenger, alertWebhook: sink.url });
    const honest = await startProposer(f, { keyIndex: KEYS.proposer });
    try {
      const jobs = [
        await f.submitJob("sha256", input(1)),
        await f.submitJob("echo", new TextEncoder().encode("hi")),
      ];
      await until(
        "every proposal checked",
        async () => {
          const n = await f.read<bigint>("proposalCount");
          return n >= 1n && BigInt(ch.challenger.status().proposalsChecked) === n;
        },
        60_000,
      );
      const committed = await f.events("ProposalCommitted");
      expect(committed.length, "each batch committed before it was revealed").to.be.at.least(1);
      await f.advance(WINDOW_SECONDS + 1);
      await until("finalized and recorded", async () => {
        for (const j of jobs) if (!(await f.read<readonly [boolean]>("result", [j]))[0]) return false;
        return true;
      });
      // Fees unlock at the reveal + the longest window + 3 clocks ever in force + 600 s; the proposer
      // claims them.
      const maxSpan = await f.read<bigint>("maxSpan", []);
      await f.advance(Number(maxSpan) + 600);
      await until("fees claimed", async () => (await f.events("FeeClaimed")).length === jobs.length, 60_000);
      for (const l of await f.events("FeeClaimed"))
        expect(l.args.proposer).to.equal(f.address(KEYS.proposer));
      for (const j of jobs) expect((await f.read<{ fee: bigint }>("getJob", [j])).fee).to.equal(0n);
      const st = ch.challenger.status();
      expect(st.wrongLeaves).to.equal(0);
      expect(await f.events("GameOpened", { contract: "game" })).to.have.length(0);
      expect(sink.alerts).to.deep.equal([]);
    } finally {
      await ch.stop();
      await honest.stop();
      await sink.close();
    }
  });

  it("a colluding challenger opens the wrong leaf's game and throws it; the honest challenger joins that game and defeats the proposal", async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH }, clockSeconds: CLOCK_SECONDS });
    const f = fx;
    const data = input(2);
    const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.sha256)));
    const trace = await buildTrace({ image, input: data, depth: DEPTH });
    const fault = trace.result.steps / 3n;
    // The colluder throws part 0 of the root, which ends before the fault: the proposer is right there.
    expect(1n << BigInt(DEPTH - 4) < fault).to.equal(true);
    await f.submitJob("sha256", data);
    const liar = await startProposer(f, { keyIndex: KEYS.dishonest, injectFault: fault });
    const ac = new AbortController();
    let ch: Awaited<ReturnType<typeof startChallenger>> | undefined;
    try {
      await until("bad proposal", async () => (await f.read<bigint>("proposalCount")) === 1n, 60_000);
      const thrown = await throwGame(f, {
        keyIndex: KEYS.challenger2,
        proposalId: 1n,
        index: 0,
        throwIndex: 0,
        signal: ac.signal,
      });
      // A thrown claim finalizes nothing: the proposal stays open to challenge.
      expect(await status(f, 1n)).to.equal(PENDING);
      ch = await startChallenger(f, { keyIndex: KEYS.challenger });
      await until("the proposal defeated", async () => (await status(f, 1n)) === DEFEATED, 150_000, 200);
      await liar.stop(); // it would re-propose the lie (each new proposal gets its own game)
      // One game on the leaf: the honest challenger joined it.
      expect(await f.events("GameOpened", { contract: "game", args: { proposalId: 1n } })).to.have.length(1);
      const stepped = await f.events("NodeStepped", { contract: "game", args: { gameId: thrown.gameId } });
      expect(stepped.map((l) => l.args.stepper)).to.deep.equal([f.address(KEYS.challenger)]);
      expect(BigInt(stepped[0].args.position) >> 8n).to.equal(fault - 1n);
      // Run the clocks out: every node resolves; the thrown claim is upheld, the honest path defeated.
      await f.advance(CLOCK_SECONDS + 1);
      await untilAllResolved(f, { gameIds: [thrown.gameId] });
      const resolved = await f.events("NodeResolved", { contract: "game", args: { gameId: thrown.gameId } });
      const byPosition = new Map(resolved.map((l) => [BigInt(l.args.position), l.args]));
      expect(Number(byPosition.get(thrown.thrownPart)?.status)).to.equal(NODE_UPHELD);
      for (const l of resolved)
        if (l.args.challenger === f.address(KEYS.challenger))
          expect(Number(l.args.status), `honest node ${l.args.position}`).to.equal(NODE_DEFEATED);
      const net = await gameNet(f, f.address(KEYS.challenger), [thrown.gameId]);
      expect(net > 0n, `the honest challenger's net ${net}`).to.equal(true);
    } finally {
      ac.abort();
      await ch?.stop();
      await liar.stop();
    }
  });

  it("a single wrong leaf in the middle of a three-leaf batch: one game on that leaf, the proposal defeated", async () => {
    fx = await setupE2E({ programs: { echo: 12, sha256: DEPTH }, clockSeconds: CLOCK_SECONDS });
    const f = fx;
    // Fault from step 5000: the echo traces (2^12 steps) are untouched, the sha256 one is wrong.
    const jobs = [
      await f.submitJob("echo", new TextEncoder().encode("first")),
      await f.submitJob("sha256", input(4)),
      await f.submitJob("echo", new TextEncoder().encode("third")),
    ];
    const liar = await startProposer(f, {
      keyIndex: KEYS.dishonest,
      injectFault: 5000n,
      over: { batchSize: "3", maxWaitSeconds: "600" },
    });
    let ch: Awaited<ReturnType<typeof startChallenger>> | undefined;
    try {
      await until("the batch", async () => (await f.read<bigint>("proposalCount")) === 1n, 90_000);
      const [proposed] = await f.events("Proposed");
      const leaves = proposed.args.leaves as unknown as { jobId: bigint }[];
      expect(leaves.map((l) => l.jobId)).to.deep.equal(jobs);
      ch = await startChallenger(f, { keyIndex: KEYS.challenger });
      await until("the proposal defeated", async () => (await status(f, 1n)) === DEFEATED, 150_000, 200);
      await liar.stop();
      // (The liar re-proposes the batch after the defeat; only the first proposal is looked at.)
      const opened = await f.events("GameOpened", { contract: "game", args: { proposalId: 1n } });
      expect(opened.map((l) => BigInt(l.args.jobId))).to.deep.equal([jobs[1]]);
      expect(opened[0].args.opener).to.equal(f.address(KEYS.challenger));
      const [stepped] = await f.events("NodeStepped", {
        contract: "game",
        args: { gameId: opened[0].args.gameId },
      });
      expect(BigInt(stepped.args.position) >> 8n).to.equal(4999n);
      expect(stepped.args.postStateHash).to.not.equal(stepped.args.endHash);
      // Nothing of the batch counts, the correct leaves included.
      for (const j of jobs) expect((await f.read<readonly [boolean]>("result", [j]))[0]).to.equal(false);
      // The game runs to its end and pays the opener its leaf's share of the stake.
      await f.advance(CLOCK_SECONDS + 1);
      const rewards = () => f.events("LeafRewardPaid", { args: { proposalId: 1n } });
      await until("the leaf reward", async () => (await rewards()).length === 1, 90_000, 250);
      expect((await rewards())[0].args.opener).to.equal(f.address(KEYS.challenger));
      const net = await gameNet(f, f.address(KEYS.challenger), [BigInt(opened[0].args.gameId)]);
      expect(net > 0n, `the challenger's net ${net}`).to.equal(true);
    } finally {
      await ch?.stop();
      await liar.stop();
    }
  });

  it("two proposers and two challengers at once: every wrong proposal defeated, the honest one final, no challenger loses", async () => {
    fx = await setupE2E({ programs: { sha256: DEPTH, echo: 12 }, clockSeconds: CLOCK_SECONDS });
    const f = fx;
    await f.submitJob("sha256", input(3));
    await f.submitJob("echo", new TextEncoder().encode("two of each"));
    const chA = await startChallenger(f, { keyIndex: KEYS.challenger });
    const chB = await startChallenger(f, { keyIndex: KEYS.challenger2 });
    const honest = await startProposer(f, { keyIndex: KEYS.proposer });
    const liar = await startProposer(f, { keyIndex: KEYS.dishonest, injectFault: 1000n });
    const liarAddr = f.address(KEYS.dishonest);
    const proposalsOf = async (who: Address) =>
      (await f.events("Proposed"))
        .filter((l) => l.args.proposer === who)
        .map((l) => BigInt(l.args.proposalId));
    try {
      await until(
        "a defeated lie and an honest proposal",
        async () =>
          (await proposalsOf(f.address(KEYS.proposer))).length > 0 &&
          (await f.events("ProposalDefeated")).length >= 1,
        150_000,
      );
      await liar.stop();
      // Every lie it made before it stopped is under challenge before any time passes.
      await until(
        "every lie challenged",
        async () => {
          const games = await f.events("GameOpened", { contract: "game" });
          for (const id of await proposalsOf(liarAddr))
            if ((await status(f, id)) === PENDING && !games.some((g) => BigInt(g.args.proposalId) === id))
              return false;
          return true;
        },
        90_000,
        250,
      );
      // Before the clock jump, the watchtowers must have answered every dissection the liar made
      // before it stopped (a part of each picked, each one-instruction part stepped): on a loaded
      // host they can lag behind the "every lie challenged" check, and a move made after the jump
      // starts a fresh path clock that no later jump runs out (game 2 stuck at Children in CI).
      await untilChallengersCaughtUp(f, {
        idle: () => chA.challenger.status().queuedMoves === 0 && chB.challenger.status().queuedMoves === 0,
      });
      // The stopped liar no longer dissects: its clocks run out on the open paths.
      await f.advance(CLOCK_SECONDS + 1);
      await until(
        "every lie defeated",
        async () => {
          for (const id of await proposalsOf(liarAddr)) if ((await status(f, id)) !== DEFEATED) return false;
          return true;
        },
        120_000,
        500,
      );
      await f.advance(WINDOW_SECONDS + CLOCK_SECONDS);
      await until(
        "honest finalized",
        async () => {
          const mine = await proposalsOf(f.address(KEYS.proposer));
          for (const id of mine) if ((await status(f, id)) !== FINALIZED) return false;
          return mine.length > 0;
        },
        90_000,
      );
      for (const l of await f.events("Proposed")) {
        const s = await status(f, BigInt(l.args.proposalId));
        if (l.args.proposer === liarAddr) expect(s, `liar proposal ${l.args.proposalId}`).to.equal(DEFEATED);
        else expect(s).to.equal(FINALIZED);
      }
      // Both watchtowers took part (openers, or joiners of a game the other opened), and neither lost.
      await untilAllResolved(f);
      const moved = new Set(
        (await f.events("NodeChallenged", { contract: "game" })).map((l) => l.args.challenger as string),
      );
      expect(moved.has(f.address(KEYS.challenger)) || moved.has(f.address(KEYS.challenger2))).to.equal(true);
      for (const l of await f.events("NodeResolved", { contract: "game" }))
        expect(Number(l.args.status), `node ${l.args.position} of game ${l.args.gameId}`).to.equal(
          NODE_DEFEATED,
        );
      for (const k of [KEYS.challenger, KEYS.challenger2]) {
        const net = await gameNet(f, f.address(k));
        expect(net >= 0n, `challenger ${k} net ${net}`).to.equal(true);
      }
    } finally {
      await Promise.all([chA.stop(), chB.stop(), honest.stop(), liar.stop()]);
    }
  });
});
