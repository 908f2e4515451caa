// Loads the ELF images the challenger can check, from files or directories
// (every *.elf inside, and files without an extension next to a manifest).
// Each image is keyed by (programRoot, entry): the chain only knows those, so
// that is how an onchain program is matched to a local image.

import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { BaseError } from "@verdict/shared/src/errors/base.ts";
import { programRoot } from "@verdict/shared/src/machine/createMachine.ts";
import type { Hex } from "viem";

export type LocalProgram = { path: string; image: ProgramImage; programRoot: Hex; entry: number };

export type ProgramImages = {
  list: LocalProgram[];
  /** The local image of an onchain program, or undefined when we have none. */
  find: (programRoot: Hex, entry: number) => LocalProgram | undefined;
};

export class ProgramImageError extends BaseError {
  override name = "ProgramImageError";
}

export function programKey(root: Hex, entry: number): string {
  return `${root.toLowerCase()}:${entry >>> 0}`;
}

function elfFiles(path: string): string[] {
  let st: ReturnType<typeof statSync>;
  try {
    st = statSync(path);
  } catch (cause) {
    throw new ProgramImageError(`Program path ${path} does not exist.`, { cause });
  }
  if (!st.isDirectory()) return [path];
  const out: string[] = [];
  for (const name of readdirSync(path).sort()) {
    const full = join(path, name);
    const s = statSync(full);
    if (s.isDirectory()) out.push(...elfFiles(full).filter((f) => f.endsWith(".elf")));
    else if (name.endsWith(".elf")) out.push(full);
  }
  return out;
}

/** `paths`: comma-separated files or directories (directories are searched for *.elf). */
export function loadProgramImages(paths: string | string[]): ProgramImages {
  const list: LocalProgram[] = [];
  const byKey = new Map<string, LocalProgram>();
  const entries = (Array.isArray(paths) ? paths : paths.split(",")).map((p) => p.trim()).filter(Boolean);
  for (const entry of entries) {
    for (const file of elfFiles(entry)) {
      const image = loadElf(new Uint8Array(readFileSync(file)));
      const p: LocalProgram = {
        path: file,
        image,
        programRoot: programRoot(image),
        entry: image.entry >>> 0,
      };
      const key = programKey(p.programRoot, p.entry);
      if (!byKey.has(key)) {
        byKey.set(key, p);
        list.push(p);
      }
    }
  }
  return { list, find: (root, e) => byKey.get(programKey(root, e)) };
}
