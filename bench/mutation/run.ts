// Mutation bench (issue 14): `npx tsx bench/mutation/run.ts [--json] [--only ts|sol] [--workers n]`.
// ts: StrykerJS over the game, the machine's decoder and interpreter loop, the checker
// and the proposer's finalization rule (stryker.config.mjs, stryker.machine.config.mjs);
// sol: the hand-written mutant catalogue (solCatalogue.ts) against forge tests.
// Equivalent mutants (equivalent.json, each with its reason) are subtracted from
// survived; score = killed / (killed + survived). With --json it prints exactly one
// JSON object on stdout; progress goes to stderr.

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { runSol, type SolResult } from "./runSol.ts";
import { readTsReport, runStryker, TS_CONFIGS, type TsMutant } from "./runTs.ts";

type Counts = { killed: number; survived: number; equivalent: number; score: number };
type Equivalents = {
  ts: {
    file: string;
    line: number;
    mutator: string;
    original: string;
    replacement: string;
    /** When set, the mutant's whole (trimmed) source line must be this too: for a change as short as `-1` → `+1` that occurs on several lines, only one of which is equivalent. */
    lineText?: string;
    reason: string;
  }[];
  sol: { id: string; reason: string }[];
};

const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const args = process.argv.slice(2);
const json = args.includes("--json");
const only = args.includes("--only") ? args[args.indexOf("--only") + 1] : undefined;
const workers = args.includes("--workers") ? Number(args[args.indexOf("--workers") + 1]) : 1;
const ids = args.includes("--ids") ? args[args.indexOf("--ids") + 1].split(",") : undefined;
const log = (l: string) => process.stderr.write(`${l}\n`);
const eq = JSON.parse(readFileSync(join(root, "bench/mutation/equivalent.json"), "utf8")) as Equivalents;

const score = (killed: number, survived: number) =>
  killed + survived === 0 ? 0 : Math.round((killed / (killed + survived)) * 1000) / 1000;

function countTs(rows: TsMutant[]): {
  counts: Counts;
  survivors: TsMutant[];
  equivalents: { m: TsMutant; reason: string }[];
} {
  const reasonOf = (m: TsMutant) =>
    eq.ts.find(
      (e) =>
        e.file === m.file &&
        e.mutator === m.mutator &&
        e.original === m.original &&
        e.replacement === m.replacement &&
        (e.lineText === undefined || e.lineText === m.lineText),
    )?.reason;
  const isEq = (m: TsMutant) => reasonOf(m) !== undefined;
  const killed = rows.filter((m) => m.status === "Killed" || m.status === "Timeout").length;
  const open = rows.filter((m) => m.status === "Survived" || m.status === "NoCoverage");
  const equivalent = open.filter(isEq).length;
  const survivors = open.filter((m) => !isEq(m));
  return {
    counts: { killed, survived: survivors.length, equivalent, score: score(killed, survivors.length) },
    survivors,
    equivalents: open.filter(isEq).map((m) => ({ m, reason: reasonOf(m) as string })),
  };
}

function countSol(rows: SolResult[]): {
  counts: Counts;
  survivors: SolResult[];
  equivalents: { r: SolResult; reason: string }[];
  invalid: number;
} {
  const killed = rows.filter((r) => r.outcome === "killed").length;
  const open = rows.filter((r) => r.outcome === "survived");
  const isEq = (r: SolResult) => eq.sol.some((e) => e.id === r.id);
  const survivors = open.filter((r) => !isEq(r));
  const equivalent = open.length - survivors.length;
  return {
    counts: { killed, survived: survivors.length, equivalent, score: score(killed, survivors.length) },
    survivors,
    equivalents: open
      .filter(isEq)
      .map((r) => ({ r, reason: eq.sol.find((e) => e.id === r.id)?.reason ?? "" })),
    invalid: rows.filter((r) => r.outcome === "invalid").length,
  };
}

const empty: Counts = { killed: 0, survived: 0, equivalent: 0, score: 0 };
const t0 = performance.now();
let ts = empty;
let sol = empty;
let tsSeconds = 0;
let solSeconds = 0;
if (only !== "sol") {
  const rows: TsMutant[] = [];
  for (const { config, report } of TS_CONFIGS) {
    await runStryker(root, config, log);
    rows.push(...readTsReport(root, report));
  }
  const r = countTs(rows);
  ts = r.counts;
  tsSeconds = Math.round((performance.now() - t0) / 1000);
  if (!json) {
    console.log(`\nTypeScript survivors (${r.survivors.length}):`);
    for (const m of r.survivors)
      console.log(
        `  ${m.file}:${m.line} ${m.mutator}: ${m.original.split("\n")[0]} -> ${m.replacement.split("\n")[0]}`,
      );
    console.log(`\nTypeScript equivalent (${r.equivalents.length}), each with its reason (equivalent.json):`);
    for (const { m, reason } of r.equivalents)
      console.log(
        `  ${m.file}:${m.line} ${m.mutator}: ${m.original.split("\n")[0]} -> ${m.replacement.split("\n")[0]}\n      ${reason}`,
      );
  }
}
if (only !== "ts") {
  const t1 = performance.now();
  const rows = await runSol({ root, ids, workers, log });
  writeFileSync(join(root, "bench/mutation/.cache/sol-results.json"), `${JSON.stringify(rows, null, 2)}\n`);
  const r = countSol(rows);
  sol = r.counts;
  solSeconds = Math.round((performance.now() - t1) / 1000);
  if (!json) {
    console.log(`\nSolidity survivors (${r.survivors.length}); invalid (did not compile): ${r.invalid}`);
    for (const m of r.survivors) console.log(`  ${m.id}`);
    console.log(`\nSolidity equivalent (${r.equivalents.length}), each with its reason (equivalent.json):`);
    for (const { r: m, reason } of r.equivalents) console.log(`  ${m.id}\n      ${reason}`);
  }
}

if (json) console.log(JSON.stringify({ ts, sol }));
else {
  console.log("\n| side | killed | survived | equivalent | score | seconds |");
  console.log("|---|---:|---:|---:|---:|---:|");
  if (only !== "sol")
    console.log(`| ts | ${ts.killed} | ${ts.survived} | ${ts.equivalent} | ${ts.score} | ${tsSeconds} |`);
  if (only !== "ts")
    console.log(
      `| sol | ${sol.killed} | ${sol.survived} | ${sol.equivalent} | ${sol.score} | ${solSeconds} |`,
    );
}
