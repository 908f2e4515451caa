// Command line of the RV32IM differential vectors (docs/spec.md §1.8).
//
//   tsx shared/src/vectors/generate.ts --replay                 full run: 200,000 random vectors and the first
//                                                                100,000 steps of every example guest, replayed
//                                                                through the Solidity verifier on anvil
//   tsx shared/src/vectors/generate.ts --publish                regenerate the committed set in protocol/test/vectors
//                                                                (random, guest and rule vectors, guest inputs, ELF and
//                                                                output cases, manifest)
//   tsx shared/src/vectors/generate.ts --random 5000 --guest-steps 0 --out /tmp/v.bin
//
// Exit code 1 when any vector mismatches or the interpreter and the TS
// verifier twin disagree.

import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Command } from "commander";
import { encodeVectors, type StepVector, VectorKind, vectorTagName } from "./format.ts";
import { guestInput, guestVectors, listExampleGuests } from "./guestVectors.ts";
import {
  elfVectorsJson,
  gasEntry,
  generatePublishedSet,
  outputVectorsJson,
  PUBLISHED_DIR,
  PUBLISHED_ELF_FILE,
  PUBLISHED_GUESTS_FILE,
  PUBLISHED_INPUTS_DIR,
  PUBLISHED_MANIFEST_FILE,
  PUBLISHED_OUTPUTS_FILE,
  PUBLISHED_PARAMS,
  PUBLISHED_RANDOM_FILE,
  PUBLISHED_RULES_FILE,
  type PublishedManifest,
  type PublishedSet,
  sha256Hex,
  tagCounts,
} from "./publishedSet.ts";
import { createRandomVectorStats, randomVectors } from "./randomVectors.ts";
import {
  buildReplayArtifacts,
  deployVerifierOnAnvil,
  type Mismatch,
  replayVectors,
} from "./replayOnAnvil.ts";
import { ruleVectors } from "./ruleVectors.ts";

type Options = {
  seed: string;
  random: string;
  guestSteps: string;
  out?: string;
  replay: boolean;
  publish: boolean;
};

/** Writes every generated file of the published set and returns the manifest. */
function writePublishedSet(set: PublishedSet): PublishedManifest {
  const randomBytes = encodeVectors(set.random);
  const guestBytes = encodeVectors(set.guests);
  const ruleBytes = encodeVectors(set.rules);
  const elfText = elfVectorsJson(set.elf);
  const outputsText = outputVectorsJson(set.outputs);
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_RANDOM_FILE), randomBytes);
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_GUESTS_FILE), guestBytes);
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_RULES_FILE), ruleBytes);
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_ELF_FILE), elfText);
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_OUTPUTS_FILE), outputsText);
  mkdirSync(join(PUBLISHED_DIR, PUBLISHED_INPUTS_DIR), { recursive: true });
  for (const g of set.elfs) {
    const input = set.inputs.get(g.name);
    if (input) writeFileSync(join(PUBLISHED_DIR, g.inputFile), input);
  }
  const manifest: PublishedManifest = {
    machineVersion: 1,
    seed: PUBLISHED_PARAMS.seed,
    random: {
      file: PUBLISHED_RANDOM_FILE,
      count: set.random.length,
      sha256: sha256Hex(randomBytes),
      byTag: tagCounts(set.random),
    },
    guests: {
      file: PUBLISHED_GUESTS_FILE,
      count: set.guests.length,
      sha256: sha256Hex(guestBytes),
      steps: PUBLISHED_PARAMS.guestSteps,
      every: PUBLISHED_PARAMS.guestEvery,
      elfs: set.elfs,
    },
    rules: {
      file: PUBLISHED_RULES_FILE,
      count: set.rules.length,
      sha256: sha256Hex(ruleBytes),
      vectors: set.rules.map((v, index) => ({
        index,
        name: v.name,
        section: v.section,
        expect: v.kind === VectorKind.Post ? "post" : "revert",
      })),
    },
    gas: gasEntry(),
    elf: {
      file: PUBLISHED_ELF_FILE,
      count: set.elf.length,
      sha256: sha256Hex(new TextEncoder().encode(elfText)),
      rejected: set.elf.filter((v) => "error" in v.expect).length,
      accepted: set.elf.filter((v) => !("error" in v.expect)).length,
    },
    outputs: {
      file: PUBLISHED_OUTPUTS_FILE,
      count: set.outputs.length,
      sha256: sha256Hex(new TextEncoder().encode(outputsText)),
      withOutput: set.outputs.filter((v) => v.output !== null).length,
      noOutput: set.outputs.filter((v) => v.output === null).length,
    },
    command: "npx tsx shared/src/vectors/generate.ts --publish",
  };
  writeFileSync(join(PUBLISHED_DIR, PUBLISHED_MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

function publish(): void {
  const set = generatePublishedSet();
  const manifest = writePublishedSet(set);
  if (set.stats.twinDisagreements.length > 0) {
    console.error(
      `interpreter and TS verifier twin disagree on ${set.stats.twinDisagreements.length} vectors`,
    );
    process.exitCode = 1;
  }
  console.log(
    `wrote ${manifest.random.count} random, ${manifest.guests.count} guest and ${manifest.rules.count} rule vectors, ${manifest.elf.count} ELF and ${manifest.outputs.count} output cases, ${set.inputs.size} guest inputs to ${PUBLISHED_DIR}`,
  );
}

function* allVectors(
  seed: bigint,
  randomCount: number,
  guestSteps: number,
  stats: ReturnType<typeof createRandomVectorStats>,
): Generator<StepVector> {
  yield* ruleVectors();
  yield* randomVectors({ seed, count: randomCount, stats });
  if (guestSteps > 0) {
    for (const g of listExampleGuests()) {
      console.log(`guest ${g.name}: first ${guestSteps} steps`);
      yield* guestVectors({ elfPath: g.elfPath, input: guestInput(g.name, seed), maxSteps: guestSteps });
    }
  }
}

async function main(): Promise<void> {
  const program = new Command()
    .name("generate")
    .description("RV32IM one-step differential vectors: generate, publish, replay on anvil")
    .option("--seed <n>", "PRNG seed (decimal or 0x-hex)", String(PUBLISHED_PARAMS.seed))
    .option("--random <count>", "random single-step vectors", "200000")
    .option("--guest-steps <n>", "steps of every example guest (0 = none)", "100000")
    .option("--out <file>", "also write the vectors to this file (format: shared/src/vectors/format.ts)")
    .option("--replay", "replay through the Solidity verifier on a fresh anvil", false)
    .option("--publish", "regenerate the committed published set and exit", false)
    .parse();
  const opts = program.opts<Options>();
  if (opts.publish) return publish();

  const seed = BigInt(opts.seed);
  const randomCount = Number(opts.random);
  const guestSteps = Number(opts.guestSteps);
  const stats = createRandomVectorStats();
  const started = Date.now();
  const collected: StepVector[] | null = opts.out ? [] : null;
  const source = function* () {
    for (const v of allVectors(seed, randomCount, guestSteps, stats)) {
      collected?.push(v);
      yield v;
    }
  };

  let mismatches: Mismatch[] = [];
  let total = 0;
  if (opts.replay) {
    buildReplayArtifacts();
    const ctx = await deployVerifierOnAnvil();
    try {
      let last = 0;
      const result = await replayVectors(ctx, source(), {
        onBatch: (done) => {
          if (done - last >= 20_000) {
            last = done;
            console.log(`  replayed ${done} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
          }
        },
      });
      mismatches = result.mismatches;
      total = result.replayed;
    } finally {
      await ctx.stop();
    }
  } else {
    for (const _ of source()) total++;
  }
  if (collected && opts.out) writeFileSync(opts.out, encodeVectors(collected));

  const byTag = Object.entries(stats.byTag)
    .map(([t, n]) => `${vectorTagName[Number(t)]}=${n}`)
    .join(" ");
  console.log(
    `vectors: ${total} (random by class: ${byTag}) in ${((Date.now() - started) / 1000).toFixed(1)} s`,
  );
  console.log(`interpreter vs TS twin disagreements: ${stats.twinDisagreements.length}`);
  for (const d of stats.twinDisagreements.slice(0, 10)) console.log("  ", JSON.stringify(d));
  if (opts.replay) {
    console.log(`Solidity verifier mismatches: ${mismatches.length}`);
    for (const m of mismatches.slice(0, 10)) console.log("  ", JSON.stringify(m));
  }
  if (mismatches.length > 0 || stats.twinDisagreements.length > 0) process.exitCode = 1;
}

await main();
