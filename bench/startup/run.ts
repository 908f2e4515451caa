// Start-up bench of the `verdict` CLI (issue 11): wall time of `verdict --help`
// and `verdict run` on the echo example against `node -e 0`, side by side,
// median of N runs each, interleaved so load on the host hits all alike. The
// CLI runs compiled (shared/dist, built by the install's prepare step; built
// here first when missing); the source path (VERDICT_FROM_SOURCE=1, tsx) is
// measured too, for the ratio the compiled build buys.
//   npx tsx bench/startup/run.ts [--runs N] [--json]
// Target: compiled `verdict --help` and `verdict run` under 300 ms here.

import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../", import.meta.url));
const bin = join(root, "bin/verdict.js");
const echo = join(root, "guest/examples/echo/echo.elf");
const argv = process.argv.slice(2);
const runsArg = argv.indexOf("--runs");
const RUNS = runsArg >= 0 ? Number(argv[runsArg + 1]) : 15;
const JSON_OUT = argv.includes("--json");

if (!existsSync(join(root, "shared/dist/cli/main.js"))) {
  const b = spawnSync(process.execPath, [join(root, "tools/build-js.mjs")], { stdio: "inherit" });
  if (b.status !== 0) process.exit(1);
}

type Case = { name: string; args: string[]; env?: Record<string, string> };
const CASES: Case[] = [
  { name: "node -e 0", args: ["-e", "0"] },
  { name: "verdict --help", args: [bin, "--help"] },
  { name: "verdict run echo.elf", args: [bin, "run", echo] },
  { name: "verdict --help (source, tsx)", args: [bin, "--help"], env: { VERDICT_FROM_SOURCE: "1" } },
  { name: "verdict run echo.elf (source, tsx)", args: [bin, "run", echo], env: { VERDICT_FROM_SOURCE: "1" } },
];

function once(c: Case): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.args, {
    env: { ...process.env, ...c.env },
    stdio: ["ignore", "ignore", "pipe"],
  });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${c.name} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

for (const c of CASES) once(c); // warm the file cache
const samples = CASES.map(() => [] as number[]);
for (let i = 0; i < RUNS; i++) for (const [j, c] of CASES.entries()) samples[j].push(once(c));
const baseline = median(samples[0]);
const rows = CASES.map((c, j) => {
  const ms = median(samples[j]);
  return {
    command: c.name,
    medianMs: Math.round(ms),
    overNodeMs: Math.round(ms - baseline),
    ratio: Number((ms / baseline).toFixed(2)),
  };
});
if (JSON_OUT) console.log(JSON.stringify({ runs: RUNS, rows }));
else {
  console.log(`median wall time of ${RUNS} runs each (${process.version})`);
  console.log(
    `${"command".padEnd(36)}${"median ms".padStart(10)}${"- node ms".padStart(10)}${"x node".padStart(8)}`,
  );
  for (const r of rows)
    console.log(
      `${r.command.padEnd(36)}${String(r.medianMs).padStart(10)}${String(r.overNodeMs).padStart(10)}${r.ratio.toFixed(2).padStart(8)}`,
    );
}
