// Runs the Solidity mutant catalogue: each mutant is applied to a temporary
// copy of the contracts and tests (protocol/src itself is never written), its
// forge tests run with --fail-fast, and it counts as killed (a test failed),
// survived (all passed) or invalid (did not compile: excluded from the score).
// Copies are built without the optimizer: solc here is the JS build, and the
// optimizer makes each recompilation several times slower; behaviour is the same.
// Invariants run with fewer runs than `forge test` (INVARIANT_RUNS × DEPTH): a
// mutant they alone catch breaks them at once, and the full count takes minutes.
// The copies live under .cache/ and keep forge's build cache between runs.

import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { type SolMutant, solCatalogue } from "./solCatalogue.ts";

export type SolOutcome = "killed" | "survived" | "invalid";
export type SolResult = { id: string; outcome: SolOutcome; seconds: number; detail?: string };

export type RunSolParameters = {
  root: string;
  /** Only these mutant ids (all when absent). */
  ids?: string[];
  /** Copies (and forge processes) working at once. */
  workers?: number;
  log?: (line: string) => void;
};

/** What the copy needs: the contracts, the tests the catalogue names, forge's config and solc shim. */
const COPY = [
  "foundry.toml",
  "tools/solc-shim.cjs",
  "protocol/src",
  "protocol/test/utils",
  "protocol/test/mocks",
  "protocol/test/invariants",
  "protocol/test/fixtures",
  "protocol/test/DisputeGame.t.sol",
  "protocol/test/Verdict.t.sol",
  "protocol/test/riscv/RV32IM.t.sol",
  "protocol/test/riscv/helpers",
];

const ENV = {
  ...process.env,
  FOUNDRY_OPTIMIZER: "false",
  FOUNDRY_INVARIANT_RUNS: "16",
  FOUNDRY_INVARIANT_DEPTH: "32",
  NO_COLOR: "1",
};

/**
 * Judges forge's output, not its exit code: the npm wrapper of forge exits 0 whatever the
 * binary returned.
 */
function verdictOf(out: string): "passed" | "failed" | "invalid" {
  if (/Compiler run failed|Error \(\d+\)|Compilation failed/.test(out)) return "invalid";
  const summary = out.match(/(\d+) tests passed, (\d+) failed/);
  if (/\[FAIL/.test(out) || (summary && Number(summary[2]) > 0)) return "failed";
  return summary && Number(summary[1]) > 0 ? "passed" : "invalid";
}

function forgeTest(cwd: string, glob: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const p = spawn("forge", ["test", "--root", cwd, "--match-path", glob, "--fail-fast"], { cwd, env: ENV });
    let out = "";
    p.stdout.on("data", (b) => {
      out += b;
    });
    p.stderr.on("data", (b) => {
      out += b;
    });
    p.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

/** Copy `i` of the sources (fresh) beside its build cache (kept). */
function makeCopy(root: string, i: number): string {
  const dir = join(root, "bench/mutation/.cache", `sol-work-${i}`);
  rmSync(join(dir, "protocol/src"), { recursive: true, force: true });
  rmSync(join(dir, "protocol/test"), { recursive: true, force: true });
  for (const rel of COPY) {
    mkdirSync(join(dir, rel, ".."), { recursive: true });
    cpSync(join(root, rel), join(dir, rel), { recursive: true });
  }
  if (!existsSync(join(dir, "node_modules")))
    symlinkSync(join(root, "node_modules"), join(dir, "node_modules"));
  return dir;
}

function check(root: string, mutants: SolMutant[]) {
  for (const m of mutants) {
    const text = readFileSync(join(root, m.file), "utf8");
    const n = text.split(m.find).length - 1;
    if (n !== 1)
      throw new Error(`mutant ${m.id}: its find text occurs ${n} times in ${m.file} (must be once)`);
  }
}

export async function runSol({
  root,
  ids,
  workers = 1,
  log = () => {},
}: RunSolParameters): Promise<SolResult[]> {
  const mutants = ids ? solCatalogue.filter((m) => ids.includes(m.id)) : solCatalogue;
  check(root, mutants);
  const copies = Array.from({ length: Math.max(1, workers) }, (_, i) => makeCopy(root, i));
  {
    // Baseline: every test glob passes unmutated (this also builds each copy's cache).
    const globs = [...new Set(mutants.map((m) => m.tests))];
    await Promise.all(
      copies.map(async (dir) => {
        for (const g of globs) {
          const r = await forgeTest(dir, g);
          if (verdictOf(r.out) !== "passed")
            throw new Error(`baseline forge test ${g} fails unmutated:\n${r.out.slice(-3000)}`);
        }
      }),
    );
    log(`baseline passes (${globs.length} test sets, ${copies.length} copies)`);
    const results: SolResult[] = [];
    const queue = [...mutants];
    await Promise.all(
      copies.map(async (dir) => {
        for (let m = queue.shift(); m; m = queue.shift()) {
          const path = join(dir, m.file);
          const original = readFileSync(path, "utf8");
          const t0 = performance.now();
          try {
            writeFileSync(path, original.replace(m.find, m.replace));
            const r = await forgeTest(dir, m.tests);
            const v = verdictOf(r.out);
            const outcome: SolOutcome = v === "passed" ? "survived" : v === "failed" ? "killed" : "invalid";
            const failing = r.out.match(/\[FAIL[^\n]*\] (\w+\([^)]*\))/);
            const res = {
              id: m.id,
              outcome,
              seconds: Math.round((performance.now() - t0) / 1000),
              detail: outcome === "killed" ? failing?.[1] : undefined,
            };
            results.push(res);
            log(
              `${res.outcome.padEnd(8)} ${m.id} (${res.seconds} s)${res.detail ? ` by ${res.detail}` : ""}`,
            );
          } finally {
            writeFileSync(path, original);
          }
        }
      }),
    );
    return mutants.map((m) => results.find((r) => r.id === m.id) as SolResult);
  }
}
