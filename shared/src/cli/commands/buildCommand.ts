// `verdict build DIR`: builds a guest program in any directory by running
// guest/build.sh from this checkout (the build needs the RISC-V toolchain and
// the SDK sources, which live there, not in the library). Its output is
// passed through; its exit status becomes ours (2 for a failed build).

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
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
};

/** The checkout's guest/build.sh: searched upwards from this file (it runs from src/ or dist/). */
export function findBuildScript(from = fileURLToPath(import.meta.url)): string | undefined {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    const script = join(dir, "guest", "build.sh");
    if (existsSync(script)) return script;
    if (dirname(dir) === dir) return undefined;
  }
}

export async function buildCommand(dir: string, opts: BuildCommandOptions, io: CliIo): Promise<void> {
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
    child.stdout.on("data", (b: Buffer) => io.stdout.write(b.toString()));
    child.stderr.on("data", (b: Buffer) => io.stderr.write(b.toString()));
    child.on("error", fail);
    child.on("close", (c) => done(c ?? 1));
  });
  if (code !== 0) throw new CommandExitCode(code);
}
