// The committed, published vector set (docs/spec.md §1.8) under
// protocol/test/vectors/: a random part that is a pure function of the seed,
// and a guest part from the first steps of each example ELF (a function of the
// seed and the ELF bytes, whose sha256 the manifest records). Forge replays
// both files (RV32IMVectors.t.sol); vectors.test.ts checks they regenerate.

import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type StepVector, vectorTagName } from "./format.ts";
import { guestInput, guestVectors, listExampleGuests } from "./guestVectors.ts";
import { createRandomVectorStats, type RandomVectorStats, randomVectors } from "./randomVectors.ts";

const REPO_ROOT = join(dirname(fileURLToPath(import.meta.url)), "../../..");

export const PUBLISHED_DIR = join(REPO_ROOT, "protocol/test/vectors");
export const PUBLISHED_RANDOM_FILE = "rv32im-v1-random.bin";
export const PUBLISHED_GUESTS_FILE = "rv32im-v1-guests.bin";
export const PUBLISHED_MANIFEST_FILE = "manifest.json";

/** Parameters of the published set; changing any of them changes the committed files. */
export const PUBLISHED_PARAMS = {
  seed: 0x5eed,
  randomCount: 2500,
  guestSteps: 100_000,
  guestEvery: 499,
} as const;

export type PublishedManifest = {
  machineVersion: 1;
  seed: number;
  random: { file: string; count: number; sha256: string; byTag: Record<string, number> };
  guests: {
    file: string;
    count: number;
    sha256: string;
    steps: number;
    every: number;
    elfs: { name: string; sha256: string; input: number; vectors: number }[];
  };
  command: string;
};

export type PublishedSet = {
  random: StepVector[];
  guests: StepVector[];
  stats: RandomVectorStats;
  elfs: PublishedManifest["guests"]["elfs"];
};

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
  const elfs: PublishedManifest["guests"]["elfs"] = [];
  for (const g of listExampleGuests()) {
    const input = guestInput(g.name, PUBLISHED_PARAMS.seed);
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
      input: input.length,
      vectors: vs.length,
    });
  }
  return { random, guests, stats, elfs };
}

export function tagCounts(vectors: readonly StepVector[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of vectors) {
    const name = vectorTagName[v.tag] ?? String(v.tag);
    out[name] = (out[name] ?? 0) + 1;
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}
