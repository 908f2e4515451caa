// `verdict build DIR`: builds a guest program in any directory by running
// guest/build.sh from this checkout (the build needs the RISC-V toolchain and
// the SDK sources, which live there, not in the library). Its output is
// passed through (to stderr with --json, whose stdout is one JSON object read
// from the manifest the build wrote); its exit status becomes ours (2 for a
// failed build).

import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { CliUsageError } from "../../errors/cli.ts";
import { CommandExitCode } from "../errorExit.ts";
import type { CliIo } from "../io.ts";

export type BuildCommandOptions = {
  out?: string;
  name?: string;
  define?: string[];
  cflag?: string[];
  werror?: boolean;
  json?: boolean;
};

/** `verdict build --json`: what the build produced, from the manifest it wrote. */
export type BuildJson = {
  name: string;
  /** Absolute paths. */
  elf: string;
  manifest: string;
  elfBytes: number;
  elfSha256: string;
  sourceHash: string;
};

/** The checkout's guest/build.sh: searched upwards from this file (it runs from src/ or dist/). */
export function findBuildScript(from = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const script = join(dir, "guest", "build.sh");
    if (existsSync(script)) return script;
    if (dirname(dir) === dir) return undefined;
  }
}

export async function buildCommand(
  dir: string,
  opts: BuildCommandOptions,
  io: CliIo,
): Promise<BuildJson | undefined> {
  const script = findBuildScript();
  if (!script)
    throw new CliUsageError({
      option: "build",
      value: dir,
      reason: "guest/build.sh not found: `verdict build` runs from a Verdict checkout",
    });
  const args = [script, resolve(dir)];
  if (opts.out !== undefined) args.push("--out", resolve(opts.out));
  if (opts.name !== undefined) args.push("--name", opts.name);
  for (const d of opts.define ?? []) args.push("--define", d);
  for (const f of opts.cflag ?? []) args.push("--cflag", f);
  if (opts.werror) args.push("--werror");
  const code = await new Promise<number>((done, fail) => {
    const child = spawn("bash", args, { stdio: ["ignore", "pipe", "pipe"] });
    // With --json the script's own summary line is commentary, like its warnings.
    const out = opts.json ? io.stderr : io.stdout;
    child.stdout.on("data", (b: Buffer) => out.write(b.toString()));
    child.stderr.on("data", (b: Buffer) => io.stderr.write(b.toString()));
    child.on("error", fail);
    child.on("close", (c) => done(c ?? 1));
  });
  if (code !== 0) throw new CommandExitCode(code);
  if (!opts.json) return undefined;
  const outDir = resolve(opts.out ?? dir);
  const manifestPath = join(outDir, "manifest.json");
  const m = JSON.parse(readFileSync(manifestPath, "utf8")) as Omit<BuildJson, "manifest">;
  const built: BuildJson = {
    name: m.name,
    elf: join(outDir, m.elf),
    manifest: manifestPath,
    elfBytes: m.elfBytes,
    elfSha256: m.elfSha256,
    sourceHash: m.sourceHash,
  };
  io.stdout.write(`${JSON.stringify(built)}\n`);
  return built;
}
