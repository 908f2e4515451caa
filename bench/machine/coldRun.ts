// One plain execution of a job in a fresh process, the way a watchtower meets it: cold (no block
// compiled yet, no code optimised by V8). Run as a child process by bench/machine/bench.ts and bench/challenger/run.ts; prints
// {"cpuSeconds": x, "wallSeconds": y, "steps": "n"} where cpuSeconds is this process's CPU (all threads, V8's
// background compilers included) around the run alone, module loading excluded.
//   node --import tsx bench/machine/coldRun.ts ELF DEPTH [INPUT_FILE]

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";

const [elfPath, depthArg, inputPath] = process.argv.slice(2);
if (!elfPath || !depthArg) throw new Error("usage: coldRun.ts ELF DEPTH [INPUT_FILE]");
const image = loadElf(new Uint8Array(readFileSync(elfPath)));
const input = inputPath ? new Uint8Array(readFileSync(inputPath)) : new Uint8Array(0);
const c = process.cpuUsage();
const t0 = performance.now();
const t = await buildTrace({ image, input, depth: Number(depthArg), checkpointInterval: 2 ** 40 });
const u = process.cpuUsage(c);
const wallSeconds = (performance.now() - t0) / 1000;
console.log(
  JSON.stringify({ cpuSeconds: (u.user + u.system) / 1e6, wallSeconds, steps: t.result.steps.toString() }),
);
