// The challenger as a real OS process, SIGKILLed at random moments during its
// game and restarted (as a supervisor would), while every RPC call it makes
// goes through a fault proxy that drops, delays, fails and loses responses
// (including for sent transactions). It must still win by the one-step proof
// before its chess clock runs out, opening exactly one game.

import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { join, resolve } from "node:path";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { expect } from "chai";
import type { Abi } from "viem";
import { startChallenger, startProposer } from "./support/daemons.ts";
import { type E2EFixture, EXAMPLES, KEYS, setupE2E, until } from "./support/fixture.ts";

const root = resolve(import.meta.dirname, "..");
const CLOCK_SECONDS = 180;

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
  this.timeout(300_000);
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
      const kills: string[] = [];
      for (let k = 0; k < 3; k++) {
        await new Promise((r) => setTimeout(r, 1500 + Math.floor(random() * 3000)));
        const game = await fx
          .read<{ status: number; position: bigint }>("getGame", [1n])
          .catch(() => undefined);
        if (game && game.status !== 1 && game.status !== 0) break;
        kills.push(
          game ? `game at position ${game.position >> 8n}+2^${game.position & 0xffn}` : "before the game",
        );
        child?.kill("SIGKILL");
      }
      await until(
        "the game to end",
        async () => {
          const g = await fx.read<{ status: number }>("getGame", [1n]).catch(() => undefined);
          return g && g.status > 1;
        },
        200_000,
        250,
      );
      const g = await fx.read<{ status: number; challenger: string }>("getGame", [1n]);
      const resolved = (await fx.publicClient.getContractEvents({
        address: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        eventName: "GameResolved",
        args: { gameId: 1n },
        fromBlock: fx.deployment.deployedAtBlock,
      })) as unknown as { args: { status: number; resolution: number } }[];
      const opened = (await fx.publicClient.getContractEvents({
        address: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        eventName: "GameOpened",
        args: { proposalId: 1n },
        fromBlock: fx.deployment.deployedAtBlock,
      })) as unknown as { args: { challenger: string } }[];
      const msg = `kills: ${kills.join("; ")}; starts ${starts}; proxy ${JSON.stringify(proxy.stats)}; log ${logPath}`;
      expect(g.challenger, msg).to.equal(fx.address(KEYS.challenger));
      expect(Number(g.status), msg).to.equal(2);
      expect(Number(resolved[0].args.resolution), `won by step, not on time. ${msg}`).to.equal(0);
      expect(
        opened.filter((l) => l.args.challenger === fx.address(KEYS.challenger)),
        msg,
      ).to.have.length(1);
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

describe("e2e: challenger down longer than its clock", function () {
  this.timeout(180_000);
  let fx: E2EFixture;
  before(async () => {
    fx = await setupE2E({ programs: { sha256: 18 }, clockSeconds: 300, challengeWindowSeconds: 3600 });
  });
  after(async () => {
    await fx?.stop();
  });

  it("loses that game on time, then re-challenges the still-wrong leaf inside the window and wins", async () => {
    await fx.submitJob(
      "sha256",
      new Uint8Array(2000).map((_, i) => (i * 3) & 0xff),
    );
    const liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: 50_000n });
    let ch = await startChallenger(fx, { keyIndex: KEYS.challenger });
    try {
      await until("first game", async () => (await fx.read<bigint>("gameCount")) >= 1n, 60_000);
      await until(
        "our first move",
        async () => {
          const picks = await fx.publicClient.getContractEvents({
            address: fx.deployment.verdict,
            abi: verdictAbi as Abi,
            eventName: "Picked",
            fromBlock: fx.deployment.deployedAtBlock,
          });
          return picks.length >= 1;
        },
        60_000,
        50,
      );
      await ch.stop();
      // Once the proposer has answered, the game waits for OUR move (pick or step): only our clock runs.
      await until(
        "our turn",
        async () => [2, 3].includes(Number((await fx.read<readonly [number, bigint]>("gameTurn", [1n]))[0])),
        60_000,
        20,
      );
      // Down for longer than our clock: the proposer claims the timeout.
      await fx.advance(301);
      await until(
        "first game lost on time",
        async () => (await fx.read<{ status: number }>("getGame", [1n])).status === 3,
        60_000,
      );
      ch = await startChallenger(fx, { keyIndex: KEYS.challenger });
      await until(
        "second game won",
        async () => {
          const n = await fx.read<bigint>("gameCount");
          return n >= 2n && (await fx.read<{ status: number }>("getGame", [2n])).status === 2;
        },
        90_000,
      );
      expect((await fx.read<{ status: number }>("getProposal", [1n])).status).to.equal(3);
      expect((await fx.read<{ challenger: string }>("getGame", [2n])).challenger).to.equal(
        fx.address(KEYS.challenger),
      );
    } finally {
      await ch.stop();
      await liar.stop();
    }
  });
});
