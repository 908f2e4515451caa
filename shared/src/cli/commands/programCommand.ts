// `verdict program <elf>`: what registering the program needs: program root,
// entry point, segment table and the manifest hash. The manifest is taken from
// --manifest, else from a manifest.json beside the ELF when there is one.

import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { programRoot } from "../../machine/createMachine.ts";
import { manifestHash } from "../../manifest/manifestHash.ts";
import { parseManifest } from "../../manifest/parseManifest.ts";
import type { ProgramManifest } from "../../manifest/types.ts";
import { hex32 } from "../formatOutput.ts";
import type { CliIo } from "../io.ts";
import { loadImage } from "../loadJob.ts";
import { readFileArg } from "../readFileArg.ts";

export type ProgramCommandOptions = { manifest?: string; json?: boolean };

export type ProgramJson = {
  programRoot: string;
  entry: number;
  segments: { vaddr: number; memSize: number; fileSize: number; flags: string }[];
  /** null when no manifest was given or found. */
  manifestHash: string | null;
  manifestPath: string | null;
  manifest: ProgramManifest | null;
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
  io.stdout.write(`${lines.join("\n")}\n`);
  return result;
}
