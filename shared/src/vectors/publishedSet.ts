// The committed, published vector set (docs/spec.md §1.8) under
// protocol/test/vectors/: a random part that is a pure function of the seed; a
// guest part from the first steps of each example ELF (a function of the ELF
// bytes and the guest's input, both published with their sha256); the named
// rule vectors of §1.1, §1.4 and §1.6; the ELF loading vectors of §1.9; the
// output-region vectors of §1.2. Forge replays the step files and the output
// roots (RV32IMVectors.t.sol); vectors.test.ts checks everything regenerates.
// The gas file is produced by bench/gas-verifier/run.ts (it needs anvil); the
// manifest records its digest so it is part of the published set too.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type ElfVector, elfVectors } from "./elfVectors.ts";
import { decodeVectors, type StepVector, vectorTagName } from "./format.ts";
import { guestInput, guestVectors, listExampleGuests } from "./guestVectors.ts";
import { type OutputVector, outputVectors } from "./outputVectors.ts";
import { createRandomVectorStats, type RandomVectorStats, randomVectors } from "./randomVectors.ts";
import { type RuleVector, ruleVectors } from "./ruleVectors.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

export const PUBLISHED_DIR = join(REPO_ROOT, "protocol/test/vectors");
export const PUBLISHED_RANDOM_FILE = "rv32im-v1-random.bin";
export const PUBLISHED_GUESTS_FILE = "rv32im-v1-guests.bin";
export const PUBLISHED_RULES_FILE = "rv32im-v1-rules.bin";
export const PUBLISHED_GAS_FILE = "rv32im-v1-gas.bin";
export const PUBLISHED_ELF_FILE = "rv32im-v1-elf.json";
export const PUBLISHED_OUTPUTS_FILE = "rv32im-v1-outputs.json";
/** Guest inputs, one file per example guest: `inputs/<name>.bin`. */
export const PUBLISHED_INPUTS_DIR = "inputs";
export const PUBLISHED_MANIFEST_FILE = "manifest.json";

/** Parameters of the published set; changing any of them changes the committed files. */
export const PUBLISHED_PARAMS = {
  seed: 0x5eed,
  randomCount: 2500,
  guestSteps: 100_000,
  guestEvery: 499,
} as const;

export type PublishedGuest = {
  name: string;
  sha256: string;
  /** The input file under the vectors directory, its length and digest. */
  inputFile: string;
  inputBytes: number;
  inputSha256: string;
  vectors: number;
};

export type PublishedFile = { file: string; count: number; sha256: string };

export type PublishedManifest = {
  machineVersion: 1;
  seed: number;
  random: PublishedFile & { byTag: Record<string, number> };
  guests: PublishedFile & { steps: number; every: number; elfs: PublishedGuest[] };
  rules: PublishedFile & {
    vectors: { index: number; name: string; section: string; expect: "post" | "revert" }[];
  };
  gas: PublishedFile & { command: string };
  elf: PublishedFile & { rejected: number; accepted: number };
  outputs: PublishedFile & { withOutput: number; noOutput: number };
  command: string;
};

export type PublishedSet = {
  random: StepVector[];
  guests: StepVector[];
  rules: RuleVector[];
  elf: ElfVector[];
  outputs: OutputVector[];
  /** Input bytes of each example guest, by name. */
  inputs: Map<string, Uint8Array>;
  stats: RandomVectorStats;
  elfs: PublishedGuest[];
};

/** Path of a guest's published input file, relative to the vectors directory. */
export function guestInputFile(name: string): string {
  return `${PUBLISHED_INPUTS_DIR}/${name}.bin`;
}

/** The JSON files' text: stable key order, two-space indent, final newline. */
export function elfVectorsJson(vs: readonly ElfVector[]): string {
  return `${JSON.stringify({ machineVersion: 1, spec: "docs/spec.md §1.9", cases: vs }, null, 2)}\n`;
}

export function outputVectorsJson(vs: readonly OutputVector[]): string {
  return `${JSON.stringify({ machineVersion: 1, spec: "docs/spec.md §1.2", cases: vs }, null, 2)}\n`;
}

/** The gas file's entry: produced by bench/gas-verifier/run.ts, recorded here by digest. */
export function gasEntry(): PublishedManifest["gas"] {
  const bytes = new Uint8Array(readFileSync(join(PUBLISHED_DIR, PUBLISHED_GAS_FILE)));
  return {
    file: PUBLISHED_GAS_FILE,
    count: decodeVectors(bytes).length,
    sha256: sha256Hex(bytes),
    command: "npx tsx bench/gas-verifier/run.ts",
  };
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash("sha256").update(bytes).digest("hex");
}

/** Generates the published set from PUBLISHED_PARAMS and the current example ELFs. */
export function generatePublishedSet(): PublishedSet {
  const stats = createRandomVectorStats();
  const random = [
    ...randomVectors({ seed: PUBLISHED_PARAMS.seed, count: PUBLISHED_PARAMS.randomCount, stats }),
  ];
  const guests: StepVector[] = [];
  const elfs: PublishedGuest[] = [];
  const inputs = new Map<string, Uint8Array>();
  for (const g of listExampleGuests()) {
    const input = guestInput(g.name, PUBLISHED_PARAMS.seed);
    inputs.set(g.name, input);
    const vs = [
      ...guestVectors({
        elfPath: g.elfPath,
        input,
        maxSteps: PUBLISHED_PARAMS.guestSteps,
        every: PUBLISHED_PARAMS.guestEvery,
      }),
    ];
    guests.push(...vs);
    elfs.push({
      name: g.name,
      sha256: sha256Hex(readFileSync(g.elfPath)),
      inputFile: guestInputFile(g.name),
      inputBytes: input.length,
      inputSha256: sha256Hex(input),
      vectors: vs.length,
    });
  }
  return {
    random,
    guests,
    rules: ruleVectors(),
    elf: elfVectors(),
    outputs: outputVectors(),
    inputs,
    stats,
    elfs,
  };
}

export function tagCounts(vectors: readonly StepVector[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of vectors) {
    const name = vectorTagName[v.tag] ?? String(v.tag);
    out[name] = (out[name] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
