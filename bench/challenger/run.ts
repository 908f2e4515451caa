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
import { child, end, interiorPositions, log2Len, start, wrap } from "@verdict/shared/src/game/position.ts";
import { buildTrace, withFault } from "@verdict/shared/src/machine/trace.ts";
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
/** /proc clock ticks per second (USER_HZ on Linux). */
const TICKS = 100;
/** The challenger's default (challenger/src/config.ts). */
const CHECKPOINT_INTERVAL = 1 << 20;

function procCpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  // utime and stime are fields 14 and 15 (1-based) of the whole line, i.e. 11 and 12 after the name.
  return (Number(fields[11]) + Number(fields[12])) / TICKS;
}

/**
 * CPU time of exactly the machine work the challenger does in a game, without
 * RPC and signing: building the checkpointed trace, checking every interior
 * hash of every dissection, the solver's reads and the step proof. The
 * proposer's side (a faulted trace) is computed beforehand and not counted.
 */
async function offlineGameTraceCpu(image: ReturnType<typeof loadElf>, steps: bigint): Promise<number> {
  const liarTrace = withFault(
    await buildTrace({ image, input: INPUT, depth: DEPTH, checkpointInterval: CHECKPOINT_INTERVAL }),
    { fromStep: steps / 2n },
  );
  const log2K = Math.log2(k);
  let position = wrap(0n, DEPTH);
  // Proposer hashes along the way, computed outside the measured sections.
  const claims = async (p: bigint) => Promise.all(interiorPositions(p, log2K).map((t) => liarTrace.get(t)));
  let cpu = 0;
  const measure = async <T>(fn: () => Promise<T>): Promise<T> => {
    const c = process.cpuUsage();
    const v = await fn();
    const u = process.cpuUsage(c);
    cpu += (u.user + u.system) / 1e6;
    return v;
  };
  const ours = await measure(() =>
    buildTrace({ image, input: INPUT, depth: DEPTH, checkpointInterval: CHECKPOINT_INTERVAL }),
  );
  const memo = new Map<bigint, Promise<`0x${string}`>>();
  const get = (t: bigint) => {
    let h = memo.get(t);
    if (!h) {
      h = ours.get(t);
      memo.set(t, h);
    }
    return h;
  };
  let endHash = await liarTrace.get(1n << BigInt(DEPTH));
  let startHash = await get(0n);
  while (log2Len(position) > 0) {
    const interior = await claims(position);
    const parts = Math.min(log2K, log2Len(position));
    const index = await measure(async () => {
      const pos = interiorPositions(position, log2K);
      for (const t of pos) await get(t); // the alert check of every interior hash
      const ends = [...interior, endHash];
      for (let i = 0; i < ends.length; i++)
        if ((await get(end(child(position, i, parts)))) !== ends[i]) return i;
      throw new Error("no disputed part");
    });
    const all = [startHash, ...interior, endHash];
    startHash = all[index];
    endHash = all[index + 1];
    position = child(position, index, parts);
  }
  await measure(() => ours.getStepData(start(position)));
  return cpu;
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
  const traceCpu = await offlineGameTraceCpu(image, steps);
  console.log(`the challenger's trace work for one whole game, offline: ${traceCpu.toFixed(3)} s CPU`);

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
        VERDICT_CHECKPOINT_INTERVAL: String(CHECKPOINT_INTERVAL),
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
    await until("resolution", async () => (await ev("GameResolved")).length > 0, 120_000, 10).catch(
      async (err) => {
        // Say where the game stalled before giving up.
        const game = await fx.read<{ position: bigint; status: number }>("getGame", [1n]);
        const turn = await fx.read<readonly [number, bigint]>("gameTurn", [1n]);
        console.error(
          `stalled: game status ${game.status}, position ${game.position >> 8n}+2^${game.position & 0xffn}, turn ${turn[0]} (1 proposer, 2/3 challenger), ${turn[1]} s left on the mover's clock`,
        );
        throw err;
      },
    );
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
      gameTraceWorkCpuSeconds: Number(traceCpu.toFixed(3)),
      gameTraceWorkOverPlain: Number((traceCpu / plainCpu).toFixed(2)),
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
        `| the game's trace work alone (checkpointed build + every query, offline, same process) | ${results.gameTraceWorkCpuSeconds} s = ${results.gameTraceWorkOverPlain}× plain | ≤ 2× |`,
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
