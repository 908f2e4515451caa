// Reads what every machine command starts from: the ELF (validated by the
// loader) and the optional input file, and builds the machine at step 0.

import { loadElf } from "../elf/loadElf.ts";
import type { ProgramImage } from "../elf/types.ts";
import { createMachine } from "../machine/createMachine.ts";
import type { Machine } from "../machine/machine.ts";
import { readFileArg } from "./readFileArg.ts";

export type LoadedJob = { image: ProgramImage; input: Uint8Array; machine: Machine };

export function loadImage(elfPath: string): ProgramImage {
  return loadElf(readFileArg(elfPath, "ELF file"));
}

export function loadJob(elfPath: string, inputPath: string | undefined): LoadedJob {
  const image = loadImage(elfPath);
  const input = inputPath === undefined ? new Uint8Array(0) : readFileArg(inputPath, "input file");
  return { image, input, machine: createMachine(image, input) };
}
