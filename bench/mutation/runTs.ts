// Runs StrykerJS with each configuration (incremental: unchanged code and tests
// keep their previous results) and reads their JSON reports into one row per mutant.

import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";

export type TsMutant = {
  file: string;
  line: number;
  mutator: string;
  /** The source text the mutant replaces. */
  original: string;
  replacement: string;
  /** The whole source line the mutant starts on, trimmed. */
  lineText: string;
  status: string;
};

type Report = {
  files: Record<
    string,
    {
      source: string;
      mutants: {
        mutatorName: string;
        replacement?: string;
        status: string;
        location: { start: { line: number; column: number }; end: { line: number; column: number } };
      }[];
    }
  >;
};

/** The two StrykerJS configurations and their reports (see stryker.machine.config.mjs for why two). */
export const TS_CONFIGS = [
  { config: "bench/mutation/stryker.config.mjs", report: "bench/mutation/.cache/mutation.json" },
  {
    config: "bench/mutation/stryker.machine.config.mjs",
    report: "bench/mutation/.cache/mutation-machine.json",
  },
] as const;

/** Source text between two 1-based (line, column) positions. */
function slice(
  source: string,
  start: { line: number; column: number },
  end: { line: number; column: number },
) {
  const lines = source.split("\n");
  if (start.line === end.line) return lines[start.line - 1].slice(start.column - 1, end.column - 1);
  const mid = lines.slice(start.line, end.line - 1);
  return [
    lines[start.line - 1].slice(start.column - 1),
    ...mid,
    lines[end.line - 1].slice(0, end.column - 1),
  ].join("\n");
}

export function readTsReport(root: string, reportPath: string): TsMutant[] {
  const report = JSON.parse(readFileSync(join(root, reportPath), "utf8")) as Report;
  const rows: TsMutant[] = [];
  for (const [file, f] of Object.entries(report.files))
    for (const m of f.mutants)
      rows.push({
        file,
        line: m.location.start.line,
        mutator: m.mutatorName,
        original: slice(f.source, m.location.start, m.location.end),
        replacement: m.replacement ?? "",
        lineText: f.source.split("\n")[m.location.start.line - 1].trim(),
        status: m.status,
      });
  return rows;
}

export function runStryker(root: string, config: string, log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const p = spawn("stryker", ["run", config], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1" },
    });
    const each = (b: Buffer) => {
      for (const l of b.toString().split("\n")) if (l.trim()) log(l);
    };
    p.stdout.on("data", each);
    p.stderr.on("data", each);
    p.on("close", (code) => (code === 0 ? resolve() : reject(new Error(`stryker exited with ${code}`))));
  });
}
