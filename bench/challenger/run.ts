// Challenger benchmark (a script, not a test), on one run on anvil:
//   1. time from the bad proposal to the challenge transaction (wall clock);
//   2. wall time of the whole game (GameOpened → GameResolved) for a ~10^7-step job;
//   3. the challenger's CPU time for that game / the CPU time of one plain execution
//      of the job (targets: ≤ 20 s and ≤ 2×).
// The challenger runs as its own OS process (its real CLI, production code path),
// so its CPU time is read from /proc for that process alone (all its threads);
// the dishonest proposer runs in this process.
//
//   npx tsx bench/challenger/run.ts [--poll-ms 250] [--k 16] [--no-write]
//
// Writes bench/challenger/results.json and the table in bench/challenger/README.md.

import { type ChildProcess, spawn } from "node:child_process";
import { openSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import type { Abi } from "viem";
import { startProposer } from "../../test/support/daemons.ts";
import { EXAMPLES, KEYS, setupE2E, until } from "../../test/support/fixture.ts";

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const write = !args.includes("--no-write");
const pollMs = Number(opt("--poll-ms", "250"));
const k = Number(opt("--k", "16"));
const here = import.meta.dirname;
const root = resolve(here, "..", "..");
const DEPTH = 24;
const INPUT = new Uint8Array(126_000).map((_, i) => (i * 7 + 3) & 0xff);
const TICKS = 100; // /proc clock ticks per second (USER_HZ on Linux)

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 (1-based) of the whole line, i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

async function main() {
  // 1. One plain execution of the job: CPU time, best of three.
  const image = loadElf(new Uint8Array(readFileSync(EXAMPLES.sha256)));
  let plainCpu = Number.POSITIVE_INFINITY;
  let steps = 0n;
  for (let i = 0; i < 3; i++) {
    const c = process.cpuUsage();
    const t = await buildTrace({ image, input: INPUT, depth: DEPTH, checkpointInterval: 2 ** 40 });
    const u = process.cpuUsage(c);
    plainCpu = Math.min(plainCpu, (u.user + u.system) / 1e6);
    steps = t.result.steps;
  }
  console.log(
    `job: sha256 of ${INPUT.length} bytes, ${steps} steps, D = ${DEPTH}; plain execution ${plainCpu.toFixed(3)} s CPU`,
  );

  const fx = await setupE2E({ programs: { sha256: DEPTH }, k });
  let child: ChildProcess | undefined;
  let liar: Awaited<ReturnType<typeof startProposer>> | undefined;
  try {
    await fx.submitJob("sha256", INPUT);
    const logPath = join(fx.dir, "challenger.log");
    const logFd = openSync(logPath, "w");
    console.log(`challenger log: ${logPath}`);
    child = spawn(process.execPath, ["--import", "tsx", join(root, "challenger/src/start.ts")], {
      cwd: root,
      stdio: ["ignore", logFd, logFd],
      env: {
        ...process.env,
        VERDICT_RPC_URL: fx.anvil.rpcUrl,
        VERDICT_ADDRESS: fx.deployment.verdict,
        VERDICT_PROGRAMS: EXAMPLES.sha256,
        VERDICT_CHALLENGER_KEY: fx.anvil.privateKeys[KEYS.challenger],
        VERDICT_CONFIRMATIONS: "0",
        VERDICT_POLL_MS: String(pollMs),
        VERDICT_START_BLOCK: fx.deployment.deployedAtBlock.toString(),
        VERDICT_METRICS_PORT: "0",
        VERDICT_WORKERS: "1",
        VERDICT_LOG_LEVEL: "info",
      },
    });
    const pid = child.pid as number;
    // Let it start and settle (the worker thread compiles its TypeScript for a few seconds of
    // CPU at startup); then measure its idle CPU rate.
    await new Promise((r) => setTimeout(r, 15_000));
    const idle0 = procCpuSeconds(pid);
    await new Promise((r) => setTimeout(r, 3000));
    const idleRate = (procCpuSeconds(pid) - idle0) / 3;

    const ev = async (eventName: string) =>
      (await fx.publicClient.getContractEvents({
        address: fx.deployment.verdict,
        abi: verdictAbi as Abi,
        eventName: eventName as never,
        fromBlock: fx.deployment.deployedAtBlock,
      })) as unknown as { args: Record<string, never> }[];

    liar = await startProposer(fx, { keyIndex: KEYS.dishonest, injectFault: steps / 2n });
    await until("bad proposal", async () => (await ev("Proposed")).length > 0, 120_000, 10);
    const tProposal = performance.now();
    const cpuProposal = procCpuSeconds(pid);
    await until("challenge", async () => (await ev("GameOpened")).length > 0, 120_000, 10);
    const tChallenge = performance.now();
    const cpuChallenge = procCpuSeconds(pid);
    await until("resolution", async () => (await ev("GameResolved")).length > 0, 120_000, 10);
    const tResolved = performance.now();
    const cpuResolved = procCpuSeconds(pid);
    const [resolved] = await ev("GameResolved");
    const rounds = (await ev("Picked")).length;

    const gameWall = (tResolved - tChallenge) / 1000;
    const gameCpu = cpuResolved - cpuChallenge;
    const results = {
      date: new Date().toISOString(),
      job: { program: "sha256", inputBytes: INPUT.length, steps: Number(steps), depth: DEPTH, k },
      challengerPollMs: pollMs,
      timeToChallengeSeconds: Number(((tChallenge - tProposal) / 1000).toFixed(2)),
      gameWallSeconds: Number(gameWall.toFixed(2)),
      rounds,
      winner: Number(resolved.args.status) === 2 ? "challenger" : "proposer",
      plainExecutionCpuSeconds: Number(plainCpu.toFixed(3)),
      challengerGameCpuSeconds: Number(gameCpu.toFixed(2)),
      challengerCheckCpuSeconds: Number((cpuChallenge - cpuProposal).toFixed(2)),
      challengerIdleCpuPerSecond: Number(idleRate.toFixed(3)),
      gameCpuOverPlain: Number((gameCpu / plainCpu).toFixed(2)),
      gameCpuMinusIdleOverPlain: Number(((gameCpu - idleRate * gameWall) / plainCpu).toFixed(2)),
      targets: { gameWallSeconds: 20, gameCpuOverPlain: 2 },
    };
    console.log(JSON.stringify(results, null, 2));
    if (write) {
      writeFileSync(join(here, "results.json"), `${JSON.stringify(results, null, 2)}\n`);
      const readme = readFileSync(join(here, "README.md"), "utf8");
      const table = [
        "| measure | value | target |",
        "|---|---|---|",
        `| job | sha256 of ${INPUT.length} B, ${steps} steps, D = ${DEPTH}, k = ${k} | |`,
        `| time from bad proposal to challenge tx mined | ${results.timeToChallengeSeconds} s | |`,
        `| whole game on anvil (GameOpened → GameResolved), ${rounds} picks + step | ${results.gameWallSeconds} s | ≤ 20 s |`,
        `| challenger CPU during the game | ${results.challengerGameCpuSeconds} s | |`,
        `| one plain execution of the job (CPU) | ${results.plainExecutionCpuSeconds} s | |`,
        `| game CPU / plain execution CPU | ${results.gameCpuOverPlain}× | ≤ 2× |`,
        `| same, less the daemon's idle polling CPU (${results.challengerIdleCpuPerSecond} s/s at ${pollMs} ms polls) | ${results.gameCpuMinusIdleOverPlain}× | |`,
        `| challenger CPU from proposal to challenge (recompute on the worker) | ${results.challengerCheckCpuSeconds} s | |`,
      ].join("\n");
      writeFileSync(
        join(here, "README.md"),
        readme.replace(
          /<!-- results -->[\s\S]*<!-- \/results -->/,
          `<!-- results -->\n${table}\n<!-- /results -->`,
        ),
      );
    }
  } finally {
    child?.kill("SIGKILL");
    await liar?.stop();
    await fx.stop();
  }
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err);
    process.exit(1);
  },
);
