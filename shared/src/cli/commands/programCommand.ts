// `verdict program <elf>`: what registering the program needs: program root,
// entry point, segment table and the manifest hash. The manifest is taken from
// --manifest, else from a manifest.json beside the ELF when there is one.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { CliUsageError } from "../../errors/cli.ts";
import { programRoot } from "../../machine/createMachine.ts";
import { manifestHash } from "../../manifest/manifestHash.ts";
import { parseManifest } from "../../manifest/parseManifest.ts";
import type { ProgramManifest } from "../../manifest/types.ts";
import { DEFAULT_MAX_STEPS } from "../defaults.ts";
import { executeSteps } from "../executeSteps.ts";
import { hex32, jsonNumber } from "../formatOutput.ts";
import type { CliIo } from "../io.ts";
import { loadImage, loadJob } from "../loadJob.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";
import { type DepthSuggestion, suggestDepth } from "../suggestDepth.ts";

export type ProgramCommandOptions = {
  manifest?: string;
  json?: boolean;
  /** Run a sample (--input) and suggest the trace exponent D to register with. */
  suggestDepth?: boolean;
  input?: string;
  maxSteps?: string;
  headroom?: string;
};

export type ProgramJson = {
  programRoot: string;
  entry: number;
  segments: { vaddr: number; memSize: number; fileSize: number; flags: string }[];
  /** null when no manifest was given or found. */
  manifestHash: string | null;
  manifestPath: string | null;
  manifest: ProgramManifest | null;
  /** With --suggest-depth only. */
  suggestedDepth?: Omit<DepthSuggestion, "steps"> & { steps: number | string };
};

function flagString(f: number): string {
  return `${f & 4 ? "R" : "-"}${f & 2 ? "W" : "-"}${f & 1 ? "X" : "-"}`;
}

export function programCommand(elfPath: string, opts: ProgramCommandOptions, io: CliIo): ProgramJson {
  const image = loadImage(elfPath);
  let manifestPath: string | null = opts.manifest ?? null;
  if (manifestPath === null) {
    const beside = join(dirname(elfPath), "manifest.json");
    if (existsSync(beside)) manifestPath = beside;
  }
  let manifest: ProgramManifest | null = null;
  if (manifestPath !== null) {
    const text = new TextDecoder().decode(readFileArg(manifestPath, "manifest file"));
    manifest = parseManifest(text, manifestPath);
  }
  const result: ProgramJson = {
    programRoot: programRoot(image),
    entry: image.entry,
    segments: image.segments.map((s) => ({
      vaddr: s.vaddr,
      memSize: s.memSize,
      fileSize: s.data.length,
      flags: flagString(s.flags),
    })),
    manifestHash: manifest === null ? null : manifestHash(manifest),
    manifestPath,
    manifest,
  };
  let suggestion: DepthSuggestion | undefined;
  if (opts.suggestDepth) {
    const maxSteps = parseCount(opts.maxSteps ?? DEFAULT_MAX_STEPS, "--max-steps", { min: 1n });
    const headroom = Number(opts.headroom ?? "4");
    const { machine } = loadJob(elfPath, opts.input);
    const steps = executeSteps(machine, maxSteps);
    if (!machine.halted)
      throw new CliUsageError({
        option: "--suggest-depth",
        value: opts.input ?? "(empty input)",
        reason: `the sample did not halt within --max-steps ${maxSteps}; give a smaller sample or a larger --max-steps`,
      });
    suggestion = suggestDepth(BigInt(steps), headroom);
    result.suggestedDepth = { ...suggestion, steps: jsonNumber(suggestion.steps) };
  }
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(result)}\n`);
    return result;
  }
  const lines = [
    `program root   ${result.programRoot}`,
    `entry          ${hex32(result.entry)}`,
    `manifest hash  ${result.manifestHash ?? "(no manifest: pass --manifest FILE)"}`,
  ];
  if (manifestPath !== null) lines.push(`manifest       ${manifestPath}`);
  lines.push("segments", "  vaddr       end         memSize     fileSize    flags");
  for (const s of result.segments)
    lines.push(
      `  ${hex32(s.vaddr)}  ${hex32(s.vaddr + s.memSize)}  ${String(s.memSize).padStart(10)}  ${String(s.fileSize).padStart(10)}  ${s.flags}`,
    );
  if (suggestion) lines.push(`suggested D    ${suggestion.depth}`, `  why: ${suggestion.explanation}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return result;
}
