// Challenger benchmark (a script, not a test), on one run on anvil:
//   1. time from the bad proposal to the challenge transaction (wall clock);
//   2. wall time of the whole game (GameOpened → ProposalDefeated, the one-step proof);
//   3. the challenger's CPU time for that game, and for its check plus that game, over
//      the CPU time of one plain execution of the job (targets: ≤ 20 s and ≤ 1.5×).
// The challenger runs as its own OS process (its real CLI, production code path),
// so its CPU time is read from /proc for that process alone (all its threads);
// the dishonest proposer runs in this process.
//
// Jobs: by default sha256 of 126,000 bytes (~10^7 steps, D = 24). With --steps N,
// cpubench built with enough rounds for at least N steps (2120 + 436 per round;
// needs the guest toolchain, see guest/README.md), D the smallest with 2^D ≥ steps.
//
//   npx tsx bench/challenger/run.ts [--steps 1e9] [--poll-ms 250] [--k 16] [--no-write]
//
// Writes bench/challenger/results.json (results-large.json with --steps) and the
// matching table in bench/challenger/README.md.

import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { mkdtempSync, openSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { child, end, interiorPositions, log2Len, start, wrap } from "@verdict/shared/src/game/position.ts";
import { buildTrace, withFault } from "@verdict/shared/src/machine/trace.ts";
import { type FaultProxy, startFaultProxy } from "@verdict/shared/src/testing/startFaultProxy.ts";
import { buildGuest } from "../../guest/scripts/build.ts";
import { startProposer } from "../../test/support/daemons.ts";
import { EXAMPLES, KEYS, setupE2E, until } from "../../test/support/fixture.ts";
import { openNodes } from "../../test/support/gameState.ts";

const args = process.argv.slice(2);
const callCount = (p: FaultProxy) => Object.values(p.stats.calls).reduce((a, b) => a + b, 0);
const opt = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const write = !args.includes("--no-write");
const pollMs = Number(opt("--poll-ms", "250"));
const k = Number(opt("--k", "16"));
/** --cpu-prof DIR: the challenger process writes a V8 CPU profile there when it exits. */
const cpuProfDir = args.includes("--cpu-prof") ? resolve(opt("--cpu-prof", "")) : null;
const here = import.meta.dirname;
const root = resolve(here, "..", "..");
/** The protocol's largest trace exponent (ProgramRegistry MAX_DEPTH). */
const MAX_DEPTH = 48;
const wantSteps = args.includes("--steps") ? Number(opt("--steps", "1e9")) : null;
const large = wantSteps !== null;
if (large && !(Number.isSafeInteger(wantSteps) && (wantSteps as number) > 2120))
  throw new Error(`--steps ${opt("--steps", "")} is not an integer above 2120`);
/** cpubench retires 2120 + 436 instructions per round (guest/build.test.ts checks it). */
const ROUNDS = large ? Math.ceil(((wantSteps as number) - 2120) / 436) : 0;
const PROGRAM = large ? ("cpubench" as const) : ("sha256" as const);
const INPUT = large ? new Uint8Array(0) : new Uint8Array(126_000).map((_, i) => (i * 7 + 3) & 0xff);
/** Set once the plain run has counted the steps (large mode); sha256's is fixed. */
let DEPTH = 24;
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
 * CPU seconds of a process's main thread and of all its other threads together (worker threads, V8's
 * compiler and GC helpers, libuv's pool: Node names none of them), user and system.
 */
function threadCpuSeconds(pid: number): Record<string, { user: number; system: number }> {
  const out: Record<string, { user: number; system: number }> = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, "utf8");
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = tid === String(pid) ? "main" : "otherThreads";
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    out[name] ??= { user: 0, system: 0 };
    const e = out[name];
    e.user += Number(fields[11]) / TICKS;
    e.system += Number(fields[12]) / TICKS;
  }
  return out;
}

/** Per group (main, other threads): CPU seconds spent between two threadCpuSeconds readings (user + system, and system alone). */
function threadCpuDelta(
  a: ReturnType<typeof threadCpuSeconds>,
  b: ReturnType<typeof threadCpuSeconds>,
): Record<string, { cpu: number; system: number }> {
  const out: Record<string, { cpu: number; system: number }> = {};
  for (const [name, v] of Object.entries(b)) {
    const u = a[name] ?? { user: 0, system: 0 };
    const cpu = v.user + v.system - u.user - u.system;
    if (cpu > 0)
      out[name] = { cpu: Number(cpu.toFixed(2)), system: Number((v.system - u.system).toFixed(2)) };
  }
  return out;
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
  // 0. The program: the committed sha256, or cpubench built with ROUNDS rounds.
  let elfPath: string = EXAMPLES.sha256;
  if (large) {
    const [b] = buildGuest({
      names: ["cpubench"],
      outDir: mkdtempSync(join(tmpdir(), "verdict-bench-cpubench-")),
      defines: { CPUBENCH_ROUNDS: `${ROUNDS}u` },
    });
    elfPath = b.elfPath;
  }
  const image = loadElf(new Uint8Array(readFileSync(elfPath)));
  const jobLabel = large ? `cpubench, ${ROUNDS} rounds` : `sha256 of ${INPUT.length} B`;

  // 1. One plain execution of the job: CPU time, best of three (no checkpoints; the budget
  //    only has to let the job halt, so the large job runs under the largest one first).
  let plainCpu = Number.POSITIVE_INFINITY;
  let steps = 0n;
  for (let i = 0; i < 3; i++) {
    const c = process.cpuUsage();
    const t = await buildTrace({
      image,
      input: INPUT,
      depth: large ? MAX_DEPTH : DEPTH,
      checkpointInterval: 2 ** 40,
    });
    const u = process.cpuUsage(c);
    plainCpu = Math.min(plainCpu, (u.user + u.system) / 1e6);
    steps = t.result.steps;
    if (t.result.status !== 1) throw new Error(`the job did not exit (status ${t.result.status})`);
  }
  if (large) DEPTH = Math.max(1, Math.ceil(Math.log2(Number(steps))));
  if (2 ** DEPTH < Number(steps) || DEPTH > MAX_DEPTH)
    throw new Error(`D = ${DEPTH} does not fit ${steps} steps within the protocol's ${MAX_DEPTH}`);
  console.log(`job: ${jobLabel}, ${steps} steps, D = ${DEPTH}; plain execution ${plainCpu.toFixed(3)} s CPU`);
  // 1b. The same plain execution cold, in a fresh process (best of three): what the challenger's
  //     check meets, since its worker runs each job once, before anything is compiled or optimised.
  const inputFile = join(mkdtempSync(join(tmpdir(), "verdict-bench-input-")), "input.bin");
  writeFileSync(inputFile, INPUT);
  let coldCpu = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 3; i++) {
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", join(root, "bench/machine/coldRun.ts"), elfPath, String(DEPTH), inputFile],
      { cwd: root, encoding: "utf8" },
    );
    const r = JSON.parse(out.trim().split("\n").at(-1) as string) as { cpuSeconds: number; steps: string };
    if (BigInt(r.steps) !== steps) throw new Error(`the cold run took ${r.steps} steps, not ${steps}`);
    coldCpu = Math.min(coldCpu, r.cpuSeconds);
  }
  console.log(`the same, cold in a fresh process: ${coldCpu.toFixed(3)} s CPU`);
  const traceCpu = await offlineGameTraceCpu(image, steps);
  console.log(`the challenger's trace work for one whole game, offline: ${traceCpu.toFixed(3)} s CPU`);

  const fx = await setupE2E({ programs: { [PROGRAM]: DEPTH }, elfPaths: { [PROGRAM]: elfPath }, k });
  let child: ChildProcess | undefined;
  let proxy: FaultProxy | undefined;
  let liar: Awaited<ReturnType<typeof startProposer>> | undefined;
  try {
    await fx.submitJob(PROGRAM, INPUT);
    // The challenger talks to anvil through a pass-through proxy that counts its JSON-RPC calls.
    proxy = await startFaultProxy({ upstream: fx.anvil.rpcUrl, enabled: false });
    const logPath = join(fx.dir, "challenger.log");
    const logFd = openSync(logPath, "w");
    console.log(`challenger log: ${logPath}`);
    child = spawn(
      process.execPath,
      [
        ...(cpuProfDir ? ["--cpu-prof", "--cpu-prof-dir", cpuProfDir] : []),
        "--import",
        "tsx",
        join(root, "challenger/src/start.ts"),
      ],
      {
        cwd: root,
        stdio: ["ignore", logFd, logFd],
        env: {
          ...process.env,
          VERDICT_RPC_URL: proxy.url,
          VERDICT_ADDRESS: fx.deployment.verdict,
          VERDICT_PROGRAMS: elfPath,
          VERDICT_CHALLENGER_KEY: fx.anvil.privateKeys[KEYS.challenger],
          VERDICT_CONFIRMATIONS: "0",
          VERDICT_POLL_MS: String(pollMs),
          VERDICT_START_BLOCK: fx.deployment.deployedAtBlock.toString(),
          VERDICT_METRICS_PORT: "0",
          VERDICT_WORKERS: "1",
          VERDICT_CHECKPOINT_INTERVAL: String(CHECKPOINT_INTERVAL),
          // Its own work cache: the default one (per chain id, in the OS temp directory) would answer
          // a repeated run from the previous run's result and checkpoints, and nothing would be measured.
          VERDICT_CACHE_DIR: join(fx.dir, "challenger-cache"),
          VERDICT_LOG_LEVEL: "info",
        },
      },
    );
    const pid = child.pid as number;
    // Let it start and settle (the worker thread compiles its TypeScript for a few seconds of
    // CPU at startup); then measure its idle CPU rate.
    // On a loaded host start-up takes longer: wait until a second passes with little CPU (at most 60 s).
    await new Promise((r) => setTimeout(r, 15_000));
    for (let i = 0; i < 45; i++) {
      const c0 = procCpuSeconds(pid);
      await new Promise((r) => setTimeout(r, 1000));
      if (procCpuSeconds(pid) - c0 < 0.2) break;
    }
    const idle0 = procCpuSeconds(pid);
    const idleCalls0 = callCount(proxy);
    await new Promise((r) => setTimeout(r, 5000));
    const idleRate = (procCpuSeconds(pid) - idle0) / 5;
    const idleCallsPerSecond = (callCount(proxy) - idleCalls0) / 5;

    // The game's events are DisputeGame's; the proposal's are Verdict's.
    const ev = (eventName: string, contract: "verdict" | "game" = "verdict") =>
      fx.events(eventName, { contract });

    liar = await startProposer(fx, {
      keyIndex: KEYS.dishonest,
      injectFault: steps / 2n,
      over: { programs: elfPath },
    });
    await until("bad proposal", async () => (await ev("Proposed")).length > 0, 120_000, 10);
    const tProposal = performance.now();
    const cpuProposal = procCpuSeconds(pid);
    await until("challenge", async () => (await ev("GameOpened", "game")).length > 0, 120_000, 10);
    const tChallenge = performance.now();
    const monoChallenge = process.hrtime.bigint() / 1000n;
    const cpuChallenge = procCpuSeconds(pid);
    const threadsChallenge = threadCpuSeconds(pid);
    const callsChallenge = { ...proxy.stats.calls };
    const requestsChallenge = proxy.stats.requests;
    // The game is won when the one-step proof defeats the proposal (the nodes' bonds are paid
    // later, once their clocks run out: bookkeeping, not part of the dispute's work).
    await until(
      "the proposal's defeat",
      async () => (await ev("ProposalDefeated")).length > 0,
      120_000,
      10,
    ).catch(async (err) => {
      // Say where the game stalled before giving up.
      console.error(`stalled: ${(await openNodes(fx)).join("; ")}`);
      throw err;
    });
    const tResolved = performance.now();
    // For reading a --cpu-prof profile: the game's window on the monotonic clock V8's profiles use (µs).
    if (cpuProfDir)
      console.log(
        `game window (monotonic µs, as in the profile): ${monoChallenge} .. ${process.hrtime.bigint() / 1000n}`,
      );
    const cpuResolved = procCpuSeconds(pid);
    const gameCpuByThread = threadCpuDelta(threadsChallenge, threadCpuSeconds(pid));
    const gameCalls = Object.fromEntries(
      Object.entries(proxy.stats.calls)
        .map(([m, n]) => [m, n - (callsChallenge[m] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .sort((a, b) => b[1] - a[1]),
    );
    const gameRequests = proxy.stats.requests - requestsChallenge;
    const defeated = (await ev("ProposalDefeated")).length > 0;
    // Parts challenged below the root (the old "picks"), as the root's challenge is the opening.
    const rounds = (await ev("NodeChallenged", "game")).length - 1;
    const stepper = (await ev("NodeStepped", "game"))[0]?.args.stepper;

    const gameWall = (tResolved - tChallenge) / 1000;
    const gameCpu = cpuResolved - cpuChallenge;
    const checkCpu = cpuChallenge - cpuProposal;
    const results = {
      date: new Date().toISOString(),
      job: {
        program: PROGRAM,
        inputBytes: INPUT.length,
        steps: Number(steps),
        depth: DEPTH,
        k,
        ...(large ? { rounds: ROUNDS } : {}),
      },
      checkpointInterval: CHECKPOINT_INTERVAL,
      loadAverage: Number(loadavg()[0].toFixed(2)),
      challengerPollMs: pollMs,
      timeToChallengeSeconds: Number(((tChallenge - tProposal) / 1000).toFixed(2)),
      gameWallSeconds: Number(gameWall.toFixed(2)),
      rounds,
      winner: defeated ? "challenger" : "proposer",
      steppedByChallenger: String(stepper).toLowerCase() === fx.address(KEYS.challenger).toLowerCase(),
      plainExecutionCpuSeconds: Number(plainCpu.toFixed(3)),
      coldPlainExecutionCpuSeconds: Number(coldCpu.toFixed(3)),
      challengerGameCpuSeconds: Number(gameCpu.toFixed(2)),
      challengerCheckCpuSeconds: Number(checkCpu.toFixed(2)),
      // Where the game's CPU went: the main thread, the others (threads that exited meanwhile not counted).
      challengerGameCpuByThread: gameCpuByThread,
      challengerIdleCpuPerSecond: Number(idleRate.toFixed(3)),
      gameCpuOverPlain: Number((gameCpu / plainCpu).toFixed(2)),
      gameCpuMinusIdleOverPlain: Number(((gameCpu - idleRate * gameWall) / plainCpu).toFixed(2)),
      // The check is where the job runs (with the checkpoints the game then replays from).
      checkPlusGameCpuOverPlain: Number(((checkCpu + gameCpu) / plainCpu).toFixed(2)),
      checkPlusGameCpuMinusIdleOverPlain: Number(
        ((checkCpu + gameCpu - (idleRate * (tResolved - tProposal)) / 1000) / plainCpu).toFixed(2),
      ),
      // Like with like: the check is a cold run (with checkpoints), so compare it with a cold plain run.
      checkCpuOverColdPlain: Number((checkCpu / coldCpu).toFixed(2)),
      checkPlusGameCpuOverColdPlain: Number(((checkCpu + gameCpu) / coldCpu).toFixed(2)),
      // JSON-RPC calls the challenger made: while idle (per second), and during the game (per method;
      // httpRequests < calls when calls are batched).
      challengerIdleRpcCallsPerSecond: Number(idleCallsPerSecond.toFixed(1)),
      challengerGameRpc: {
        calls: Object.values(gameCalls).reduce((a, b) => a + b, 0),
        httpRequests: gameRequests,
        byMethod: gameCalls,
      },
      gameTraceWorkCpuSeconds: Number(traceCpu.toFixed(3)),
      gameTraceWorkOverPlain: Number((traceCpu / plainCpu).toFixed(2)),
      targets: { gameWallSeconds: 20, gameCpuOverPlain: 1.5 },
    };
    console.log(JSON.stringify(results, null, 2));
    if (write) {
      writeFileSync(
        join(here, large ? "results-large.json" : "results.json"),
        `${JSON.stringify(results, null, 2)}\n`,
      );
      const readme = readFileSync(join(here, "README.md"), "utf8");
      const marker = large ? "results-large" : "results";
      const table = [
        "| measure | value | target |",
        "|---|---|---|",
        `| job | ${jobLabel}, ${steps} steps, D = ${DEPTH}, k = ${k}, checkpoints every 2^${Math.log2(CHECKPOINT_INTERVAL)} steps (load average ${results.loadAverage}) | |`,
        `| time from bad proposal to challenge tx mined | ${results.timeToChallengeSeconds} s | |`,
        `| whole game on anvil (GameOpened → ProposalDefeated), ${rounds} picks + step, won by the ${results.winner} | ${results.gameWallSeconds} s | ≤ 20 s |`,
        `| challenger CPU during the game | ${results.challengerGameCpuSeconds} s | |`,
        `| one plain execution of the job (CPU; best of three in this process, warm) | ${results.plainExecutionCpuSeconds} s | |`,
        `| the same, cold (a fresh process, best of three) | ${results.coldPlainExecutionCpuSeconds} s | |`,
        `| game CPU / plain execution CPU | ${results.gameCpuOverPlain}× | ≤ 1.5× |`,
        `| same, less the daemon's idle polling CPU (${results.challengerIdleCpuPerSecond} s/s at ${pollMs} ms polls) | ${results.gameCpuMinusIdleOverPlain}× | |`,
        `| challenger CPU from proposal to challenge (the check: the job's run with checkpoints, on the worker) | ${results.challengerCheckCpuSeconds} s | |`,
        `| check CPU / cold plain execution CPU (both cold runs of the job) | ${results.checkCpuOverColdPlain}× | |`,
        `| check + game CPU / plain execution CPU (warm; cold) | ${results.checkPlusGameCpuOverPlain}×; ${results.checkPlusGameCpuOverColdPlain}× | |`,
        `| same, less the idle polling CPU | ${results.checkPlusGameCpuMinusIdleOverPlain}× | |`,
        `| the trace work alone (checkpointed run + every query of the game, offline, same process) | ${results.gameTraceWorkCpuSeconds} s = ${results.gameTraceWorkOverPlain}× plain | |`,
        `| the challenger's JSON-RPC calls during the game (idle: ${results.challengerIdleRpcCallsPerSecond}/s) | ${results.challengerGameRpc.calls} | |`,
      ].join("\n");
      const section = new RegExp(`<!-- ${marker} -->[\\s\\S]*<!-- /${marker} -->`);
      const block = `<!-- ${marker} -->\n${table}\n<!-- /${marker} -->`;
      writeFileSync(
        join(here, "README.md"),
        section.test(readme) ? readme.replace(section, block) : `${readme.trimEnd()}\n\n${block}\n`,
      );
    }
  } finally {
    if (child && cpuProfDir && child.exitCode === null) {
      // A profile is written on a clean exit only: SIGTERM, then wait (at most 30 s).
      const exited = new Promise((r) => child?.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 30_000))]);
    }
    child?.kill("SIGKILL");
    await proxy?.close();
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
