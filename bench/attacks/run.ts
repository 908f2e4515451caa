// The attack bench (issue 9, "Proof"): every attack of the issue executed against the real contracts
// (RV32IM verifier, echo guest's real step proofs, D = 32, k = 16, the example economics) on a fresh
// anvil each, with time under the bench's control (automine, every transaction its own 12 s block,
// gas at a fixed 1 gwei), and judged from chain state. Also the largest number of challenges an
// honest proposer sustains (derivation in bench/attacks/README.md), from the measured gas per
// batched dissection.
//
//   npx tsx bench/attacks/run.ts [--json] [--only name,name] [--no-write]
//
// --json prints exactly one JSON object on stdout; otherwise a table. Writes results.json here
// unless --no-write or --only.

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { estimateActionGas } from "../../shared/src/game/planBatches.ts";
import { levels } from "./lib/game.ts";
import { EXAMPLE_PARAMS } from "./lib/protocol.ts";
import type { AttackResult } from "./lib/setup.ts";
import { burnRounding } from "./scenarios/burnRounding.ts";
import { guardianInvalidate } from "./scenarios/guardianInvalidate.ts";
import { type MassChallengeMeasure, massChallenge } from "./scenarios/massChallenge.ts";
import { mempoolCopy } from "./scenarios/mempoolCopy.ts";
import { paramSetter } from "./scenarios/paramSetter.ts";
import { rewardDilution } from "./scenarios/rewardDilution.ts";
import { signedJobFrontrun } from "./scenarios/signedJobFrontrun.ts";
import { sockRewardTheft } from "./scenarios/sockRewardTheft.ts";
import { unprovedJobFee } from "./scenarios/unprovedJobFee.ts";

const args = process.argv.slice(2);
const json = args.includes("--json");
const onlyArg = args.indexOf("--only");
const only = onlyArg >= 0 ? new Set((args[onlyArg + 1] ?? "").split(",")) : undefined;
const write = !args.includes("--no-write") && !only;

/** Chain model of the bound (the bench's own chain). */
const BLOCK_GAS = 30_000_000n;
const BLOCK_SECONDS = 12n;
const DEPTH = 32;
const LOG2_K = 4;

type Entry = { name: string; run: () => Promise<AttackResult> };

async function main(): Promise<void> {
  const measures: MassChallengeMeasure[] = [];
  const mass = (n: number): Entry => ({
    name: `mass-challenge-${n}`,
    run: async () => {
      const { result, measure } = await massChallenge(n);
      measures.push(measure);
      return result;
    },
  });
  const entries: Entry[] = [
    mass(1),
    mass(16),
    mass(256),
    mass(1024),
    { name: "sock-reward-theft", run: sockRewardTheft },
    { name: "mempool-copy", run: mempoolCopy },
    { name: "signed-job-frontrun", run: signedJobFrontrun },
    { name: "burn-rounding", run: burnRounding },
    { name: "unproved-job-fee", run: unprovedJobFee },
    { name: "guardian-invalidate", run: guardianInvalidate },
    { name: "param-setter", run: paramSetter },
    // Beyond the list (README, "Findings").
    { name: "reward-dilution", run: rewardDilution },
    {
      name: "capital-exhaustion",
      run: async () =>
        (await massChallenge(256, { proposerCapitalWei: 50n * 10n ** 18n, name: "capital-exhaustion" }))
          .result,
    },
  ];
  const attacks: AttackResult[] = [];
  for (const e of entries) {
    if (only && !only.has(e.name)) continue;
    const t0 = Date.now();
    try {
      attacks.push(await e.run());
    } catch (err) {
      // A scenario that cannot be played to its end is reported, never silently dropped.
      attacks.push({
        name: e.name,
        honestSideWon: false,
        attackerNetWei: "0",
        honestNetWei: "0",
        notes: `bench error: ${(err as Error).message.split("\n")[0]}`,
      });
    }
    if (!json) process.stderr.write(`${e.name}: ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
  }

  // maxSustainedChallenges (README): N = floor(B / g) * floor((C - 1) / (L * tau)).
  let g = 0n;
  for (const m of measures) if (m.perDissectionGas > g) g = m.perDissectionGas;
  const perBlock = g > 0n ? BLOCK_GAS / g : 0n;
  const L = BigInt(levels(DEPTH, LOG2_K));
  const blocksPerLevel = (EXAMPLE_PARAMS.clockSeconds - 1n) / (L * BLOCK_SECONDS);
  const maxSustainedChallenges = Number(perBlock * blocksPerLevel);
  // What the stock responder packs: it plans each dissection at its conservative estimate and sends
  // one multicall at a time (so at most one per block).
  const planGas = estimateActionGas({
    type: "dissect",
    gameId: 1n,
    position: 0n,
    interior: Array.from({ length: (1 << LOG2_K) - 1 }, () => "0x" as const),
    deadline: undefined,
    bond: 0n,
  });
  const stockBound = (budget: bigint) => (budget / planGas) * blocksPerLevel;
  const out = { attacks, maxSustainedChallenges };

  if (json) {
    process.stdout.write(`${JSON.stringify(out)}\n`);
  } else {
    const rows = attacks.map(
      (a) =>
        `${a.name.padEnd(22)} ${String(a.honestSideWon).padEnd(6)} ${fmtEth(a.attackerNetWei).padStart(16)} ${fmtEth(a.honestNetWei).padStart(16)}`,
    );
    console.log(
      `${"attack".padEnd(22)} ${"honest".padEnd(6)} ${"attacker ETH".padStart(16)} ${"honest ETH".padStart(16)}`,
    );
    console.log(rows.join("\n"));
    console.log(
      `\nmaxSustainedChallenges = floor(${BLOCK_GAS} / ${g}) * floor((${EXAMPLE_PARAMS.clockSeconds} - 1) / (${L} * ${BLOCK_SECONDS})) = ${perBlock} * ${blocksPerLevel} = ${maxSustainedChallenges}`,
    );
    console.log(
      `stock responder (plans ${planGas} gas per dissection, one multicall per block): ${stockBound(BLOCK_GAS)} at --gas-budget 30M, ${stockBound(10_000_000n)} at the default 10M`,
    );
    for (const a of attacks) console.log(`\n${a.name}: ${a.notes}`);
  }
  if (write) {
    const detail = {
      ...out,
      bound: {
        perDissectionGas: g.toString(),
        dissectionsPerBlock: perBlock.toString(),
        blockGas: BLOCK_GAS.toString(),
        blockSeconds: BLOCK_SECONDS.toString(),
        clockSeconds: EXAMPLE_PARAMS.clockSeconds.toString(),
        levels: L.toString(),
        blocksPerLevel: blocksPerLevel.toString(),
        stockPlannedGasPerDissection: planGas.toString(),
        stockBoundAtGasBudget30M: stockBound(BLOCK_GAS).toString(),
        stockBoundAtDefaultGasBudget10M: stockBound(10_000_000n).toString(),
      },
      mass: measures.map((m) => Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]))),
    };
    writeFileSync(join(import.meta.dirname, "results.json"), `${JSON.stringify(detail, null, 2)}\n`);
    const table = [
      "| attack | honest side won | attacker net (ETH) | honest net (ETH) | notes |",
      "|---|---|---:|---:|---|",
      ...attacks.map(
        (a) =>
          `| ${a.name} | ${a.honestSideWon} | ${fmtEth(a.attackerNetWei)} | ${fmtEth(a.honestNetWei)} | ${a.notes.replaceAll("|", "/")} |`,
      ),
      "",
      `maxSustainedChallenges = ⌊${BLOCK_GAS} / ${g}⌋ · ⌊(${EXAMPLE_PARAMS.clockSeconds} − 1) / (${L} · ${BLOCK_SECONDS})⌋ = ${perBlock} · ${blocksPerLevel} = **${maxSustainedChallenges}**; ` +
        `stock responder: ${stockBound(BLOCK_GAS)} at --gas-budget 30M, ${stockBound(10_000_000n)} at the default 10M.`,
    ].join("\n");
    const readme = join(import.meta.dirname, "README.md");
    const text = readFileSync(readme, "utf8");
    const from = text.indexOf("<!-- results -->");
    const to = text.indexOf("<!-- /results -->");
    if (from >= 0 && to > from) {
      writeFileSync(readme, `${text.slice(0, from)}<!-- results -->\n${table}\n${text.slice(to)}`);
    }
  }
}

function fmtEth(wei: string): string {
  const v = BigInt(wei);
  const neg = v < 0n;
  const a = neg ? -v : v;
  return `${neg ? "-" : ""}${a / 10n ** 18n}.${((a % 10n ** 18n) / 10n ** 12n).toString().padStart(6, "0")}`;
}

await main();
