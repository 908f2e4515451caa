// The challenger as a real OS process, SIGKILLed at random moments during its
// game and restarted (as a supervisor would), while every RPC call it makes
// goes through a fault proxy that drops, delays, fails and loses responses
// (including for sent transactions). It must still win by the one-step proof
// before its path clock runs out, opening exactly one game. Then a watchtower
// that dies mid-game for half its clock is replaced by another: the newcomer
// joins the same claim tree (no second game on the leaf), continues the path
// and wins by step, and the first one's claims still pay it.

import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";
import { untilAllResolved } from "./support/gameState.ts";

const root = resolve(import.meta.dirname, "..");
// Wall-clock time counts against the challenger's path clock (automine timestamps): three kills
// and restarts plus every retried RPC call must fit in it, on a loaded CI host too (about 130 s
// on an idle one).
const CLOCK_SECONDS = 900;
const DEFEATED = 3;
const NODE_DEFEATED = 3;

/** mulberry32: reproducible "random" kill points. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe("e2e: challenger killed and restarted under RPC faults", function () {
  this.timeout(1_080_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 20 }, clockSeconds: CLOCK_SECONDS });
  });
  after(async () => {
    await fx?.stop();
  });

  it("still wins its game by the one-step proof, with one game opened", async () => {
    const seed = Number(process.env.VERDICT_TEST_SEED ?? 20261124);
    const random = prng(seed);
    const proxy = await startFaultProxy({
      upstream: fx.anvil.rpcUrl,
      seed,
      dropRate: 0.05,
      errorRate: 0.05,
      rpcErrorRate: 0.03,
      delayRate: 0.2,
      delayMs: 300,
    });
    const logPath = join(fx.dir, "challenger.log");
    const log = createWriteStream(logPath);
    const env = {
      ...process.env,
      VERDICT_RPC_URL: proxy.url,
      VERDICT_ADDRESS: fx.deployment.verdict,
      VERDICT_PROGRAMS: EXAMPLES.sha256,
      VERDICT_CHALLENGER_KEY: fx.anvil.privateKeys[KEYS.challenger],
      VERDICT_CONFIRMATIONS: "0",
      VERDICT_POLL_MS: "100",
      VERDICT_START_BLOCK: fx.deployment.deployedAtBlock.toString(),
      VERDICT_METRICS_PORT: "0",
      VERDICT_WORKERS: "0",
      VERDICT_LOG_LEVEL: "info",
      VERDICT_LOG_FORMAT: "json",
    };
    let child: ChildProcess | undefined;
    let starts = 0;
    const spawnChallenger = () => {
      starts++;
      log.write(`--- start ${starts}\n`);
      const c = spawn(process.execPath, ["--import", "tsx", join(root, "challenger/src/start.ts")], {
        cwd: root,
        env,
        stdio: ["ignore", "pipe", "pipe"],
      });
      c.stdout?.pipe(log, { end: false });
      c.stderr?.pipe(log, { end: false });
      return c;
    };
    let supervising = true;
    const supervise = (async () => {
      // Restart whenever the process is gone (killed by us, or exited on an RPC failure at startup).
      while (supervising) {
        child = spawnChallenger();
        await new Promise((r) => child?.once("exit", r));
        if (supervising) await new Promise((r) => setTimeout(r, 200));
      }
    })();

    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 300_000n });
    try {
      await fx.submitJob(
        "sha256",
        new Uint8Array(8192).map((_, i) => (i * 7) & 0xff),
      );
      await until("bad proposal", async () => (await fx.read<bigint>("proposalCount")) >= 1n, 60_000);
      // Once transactions start, some responses to them get lost too.
      proxy.set({ lostResponseRate: 0.15 });
      const status = async () =>
        Number((await fx.read<{ status: number }>("getProposal", [1n]).catch(() => ({ status: 0 }))).status);
      const kills: string[] = [];
      for (let k = 0; k < 3; k++) {
        await new Promise((r) => setTimeout(r, 1500 + Math.floor(random() * 3000)));
        if ((await status()) === DEFEATED) break;
        const challenged = await fx.events("NodeChallenged", { contract: "game" }).catch(() => []);
        const last = challenged.at(-1);
        kills.push(
          last
            ? `game at ${BigInt(last.args.position) >> 8n}+2^${BigInt(last.args.position) & 0xffn}`
            : "before the game",
        );
        child?.kill("SIGKILL");
      }
      await until("the proposal defeated", async () => (await status()) === DEFEATED, 900_000, 250).catch(
        (err: Error) => {
          const tail = readFileSync(logPath, "utf8").split("\n").slice(-60).join("\n");
          throw new Error(
            `${err.message}; kills: ${kills.join("; ")}; starts ${starts}; proxy ${JSON.stringify(proxy.stats)}\nchallenger log tail:\n${tail}`,
          );
        },
      );
      await liar.stop(); // it would re-propose the lie (each new proposal gets its own game)
      const me = fx.address(KEYS.challenger);
      const opened = await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } });
      const gameId = BigInt(opened[0]?.args.gameId ?? 0n);
      const stepped = await fx.events("NodeStepped", { contract: "game", args: { gameId } });
      const msg = `kills: ${kills.join("; ")}; starts ${starts}; proxy ${JSON.stringify(proxy.stats)}; log ${logPath}`;
      expect(
        opened.map((l) => l.args.opener),
        msg,
      ).to.deep.equal([me]);
      expect(
        stepped.map((l) => l.args.stepper),
        `won by step, not on time. ${msg}`,
      ).to.deep.equal([me]);
      expect(stepped[0].args.postStateHash, msg).to.not.equal(stepped[0].args.endHash);
      // Every challenge it sent went down the one right path: no part challenged twice, none wasted.
      const mine = (await fx.events("NodeChallenged", { contract: "game", args: { gameId } })).filter(
        (l) => l.args.challenger === me,
      );
      expect(new Set(mine.map((l) => l.args.position)).size, msg).to.equal(mine.length);
      expect(kills.length, msg).to.be.at.least(1);
      expect(
        proxy.stats.dropped + proxy.stats.errors + proxy.stats.rpcErrors + proxy.stats.lostResponses,
        msg,
      ).to.be.greaterThan(0);
    } finally {
      supervising = false;
      child?.kill("SIGKILL");
      await supervise;
      await liar.stop();
      await proxy.close();
      log.end();
    }
  });
});

describe("e2e: a watchtower dies mid-game, another one takes over its path", function () {
  this.timeout(240_000);
  const CLOCK = 600;
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 18 }, clockSeconds: CLOCK, challengeWindowSeconds: 3600 });
  });
  after(async () => {
    await fx?.stop();
  });

  it("the newcomer joins the same game, continues the path and wins by step; the first one's claims still pay it", async () => {
    await fx.submitJob(
      "sha256",
      new Uint8Array(2000).map((_, i) => (i * 3) & 0xff),
    );
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 50_000n });
    const first = await startChallenger(fx, { keyIndex: KEYS.challenger });
    let second: Awaited<ReturnType<typeof startChallenger>> | undefined;
    const a = fx.address(KEYS.challenger);
    const b = fx.address(KEYS.challenger2);
    try {
      await until(
        "the first watchtower's challenge below the root",
        async () =>
          (await fx.events("NodeChallenged", { contract: "game", args: { challenger: a } })).length >= 2,
        90_000,
        50,
      );
      await first.stop();
      // The proposer answers its last challenge; then only the challengers' path clock runs.
      await until(
        "the proposer's answer",
        async () => {
          const last = (await fx.events("NodeChallenged", { contract: "game" })).at(-1);
          const turn = await fx.readGame<readonly [number, bigint]>("nodeTurn", [1n, last?.args.position]);
          return Number(turn[0]) === 2; // Pick
        },
        60_000,
        50,
      );
      // Nobody watches for half the clock.
      await fx.advance(CLOCK / 2);
      second = await startChallenger(fx, { keyIndex: KEYS.challenger2 });
      await until(
        "the proposal defeated",
        async () => Number((await fx.read<{ status: number }>("getProposal", [1n])).status) === DEFEATED,
        120_000,
        100,
      );
      await liar.stop(); // it would re-propose the lie (each new proposal gets its own game)
      expect(
        (await fx.events("GameOpened", { contract: "game", args: { proposalId: 1n } })).map(
          (l) => l.args.opener,
        ),
      ).to.deep.equal([a]);
      const [stepped] = await fx.events("NodeStepped", { contract: "game", args: { gameId: 1n } });
      expect(stepped.args.stepper).to.equal(b);
      expect(
        (await fx.events("NodeChallenged", { contract: "game", args: { gameId: 1n, challenger: b } })).length,
      ).to.be.at.least(1);
      // The claim tree resolves bottom-up: every claim on the path is defeated, each paid to its poster.
      await fx.advance(CLOCK + 1);
      await untilAllResolved(fx, { gameIds: [1n] });
      for (const l of await fx.events("NodeResolved", { contract: "game", args: { gameId: 1n } })) {
        expect(Number(l.args.status)).to.equal(NODE_DEFEATED);
        expect(BigInt(l.args.challengerPaid) > 0n).to.equal(true);
      }
      const [reward] = await fx.events("LeafRewardPaid", { args: { proposalId: 1n } });
      expect(reward.args.opener).to.equal(a);
    } finally {
      await second?.stop();
      await first.stop();
      await liar.stop();
    }
  });
});
