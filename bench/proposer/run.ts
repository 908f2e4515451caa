// Proposer throughput benchmark (a script, not a test): N small jobs (sum of a
// 16-byte input, ~110 machine steps, D = 10) are submitted to a real anvil
// first; then a proposer starts and the clock runs until every job is executed
// and every job is proposed. Reports jobs executed and proposed per minute on
// this machine, and gas per result (propose, recordResults, openOutput) at the
// chosen batch size.
//
//   npx tsx bench/proposer/run.ts [--jobs 1000] [--batch 128] [--workers 2] [--no-write]
//
// Writes bench/proposer/results.json and the table in bench/proposer/README.md.

import { writeFileSync } from "node:fs";
import { cpus, loadavg } from "node:os";
import { verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import { createChainClients } from "@verdict/shared/src/chain/createChainClients.ts";
import { createTxSender } from "@verdict/shared/src/chain/createTxSender.ts";
import { createLogger } from "@verdict/shared/src/log/createLogger.ts";
import { type Abi, type Hex, toFunctionSelector } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { setupChain, until } from "../../proposer/src/testing/setupChain.ts";
import { startTestProposer } from "../../proposer/src/testing/startTestProposer.ts";

const args = process.argv.slice(2);
const opt = (name: string, def: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? (args[i + 1] ?? def) : def;
};
const JOBS = Number(opt("--jobs", "1000"));
const BATCH = Number(opt("--batch", "128"));
const WORKERS = Number(opt("--workers", "2"));
const write = !args.includes("--no-write");
const here = import.meta.dirname;
const abi = verdictAbi as Abi;

async function main() {
  const fx = await setupChain({ k: 16, depth: 10, maxBatchSize: 1024, challengeWindowSeconds: 600 });
  const logger = createLogger({ level: "silent" });
  try {
    // Submit every job first, from 4 accounts in parallel, so the clock below
    // measures the proposer only.
    const t0 = Date.now();
    const submitters = await Promise.all(
      [1, 2, 3, 4].map(async (i) => {
        const account = privateKeyToAccount(fx.anvil.privateKeys[i]);
        const { publicClient } = await createChainClients({
          rpcUrl: fx.anvil.rpcUrl,
          account,
          pollingIntervalMs: 20,
        });
        return createTxSender({ publicClient, account, logger, pollMs: 10 });
      }),
    );
    const inputs = Array.from(
      { length: JOBS },
      (_, j) =>
        `0x${Buffer.from(Uint8Array.from({ length: 16 }, (_, i) => (i * 13 + j) & 0xff)).toString("hex")}` as Hex,
    );
    await Promise.all(
      submitters.map(async (s, w) => {
        for (let j = w; j < JOBS; j += submitters.length)
          await s.send({
            address: fx.deployment.verdict,
            abi,
            functionName: "submitJob",
            args: [fx.programId, inputs[j]],
            value: 10n ** 15n,
          });
      }),
    );
    const submitSeconds = (Date.now() - t0) / 1000;
    console.log(`${JOBS} jobs submitted in ${submitSeconds.toFixed(1)} s`);

    const start = Date.now();
    const cpu0 = process.cpuUsage();
    const t = await startTestProposer(fx, {
      batchSize: String(BATCH),
      maxWaitSeconds: "15",
      workers: String(WORKERS),
      openOutputs: "true",
      pollMs: "100",
    });
    let executedAt = 0;
    let firstAt = 0;
    const proposedAt = await until(
      "every job proposed",
      async () => {
        const s = t.proposer.state();
        if (!firstAt && s.executed > 0) firstAt = Date.now();
        if (!executedAt && s.executed >= JOBS) executedAt = Date.now();
        const proposed = s.proposals.reduce((n, p) => n + p.leaves, 0);
        return proposed >= JOBS ? Date.now() : undefined;
      },
      30 * 60_000,
      50,
    );
    const execSeconds = (executedAt - start) / 1000;
    const proposeSeconds = (proposedAt - start) / 1000;
    const cpu = process.cpuUsage(cpu0);
    console.log(`executed in ${execSeconds.toFixed(1)} s, proposed in ${proposeSeconds.toFixed(1)} s`);

    // Settle: window passes, the proposer finalizes, records and opens outputs.
    await fx.advance(601);
    await until(
      "every output opened",
      async () => ((await t.metrics.outputsOpened.get()).values[0]?.value ?? 0) >= JOBS,
      30 * 60_000,
      200,
    );
    await t.stop();

    // Gas per function, from the proposer's own transactions.
    const me = privateKeyToAccount(fx.anvil.privateKeys[9]).address;
    const gas: Record<string, { gas: bigint; txs: number }> = {};
    const head = await fx.publicClient.getBlockNumber();
    for (let b = fx.deployment.deployedAtBlock; b <= head; b++) {
      const block = await fx.publicClient.getBlock({ blockNumber: b, includeTransactions: true });
      for (const tx of block.transactions) {
        if (typeof tx === "string" || tx.from.toLowerCase() !== me.toLowerCase()) continue;
        const receipt = await fx.publicClient.getTransactionReceipt({ hash: tx.hash });
        const fn = tx.input.slice(0, 10);
        gas[fn] ??= { gas: 0n, txs: 0 };
        gas[fn].gas += receipt.gasUsed;
        gas[fn].txs++;
      }
    }
    const selectors: Record<string, string> = {};
    for (const item of abi) {
      if (item.type !== "function") continue;
      selectors[toFunctionSelector(item)] = item.name;
    }
    const byName: Record<string, { gas: string; txs: number; perResult: number }> = {};
    for (const [sel, v] of Object.entries(gas)) {
      const name = selectors[sel] ?? sel;
      byName[name] = { gas: v.gas.toString(), txs: v.txs, perResult: Math.round(Number(v.gas) / JOBS) };
    }
    const results = {
      date: new Date().toISOString(),
      host: {
        cpus: cpus().length,
        model: cpus()[0]?.model,
        node: process.version,
        loadavg: loadavg().map((x) => Number(x.toFixed(2))),
      },
      jobs: JOBS,
      job: "sum of a 16-byte input (assembled guest), ~110 steps, D = 10",
      batchSize: BATCH,
      workers: WORKERS,
      submitSeconds: Number(submitSeconds.toFixed(1)),
      executeSeconds: Number(execSeconds.toFixed(1)),
      proposeSeconds: Number(proposeSeconds.toFixed(1)),
      executedPerMinute: Math.round((JOBS / execSeconds) * 60),
      firstResultSeconds: Number(((firstAt - start) / 1000).toFixed(1)),
      executedPerMinuteAfterStartup: Math.round(((JOBS - 1) / ((executedAt - firstAt) / 1000)) * 60),
      proposedPerMinute: Math.round((JOBS / proposeSeconds) * 60),
      processCpuSeconds: Number(((cpu.user + cpu.system) / 1e6).toFixed(1)),
      gas: byName,
      gasPerResult: {
        propose: byName.propose?.perResult,
        recordResults: byName.recordResults?.perResult,
        openOutput: byName.openOutput?.perResult,
      },
    };
    console.log(JSON.stringify(results, null, 2));
    if (write) {
      writeFileSync(`${here}/results.json`, `${JSON.stringify(results, null, 2)}\n`);
      writeFileSync(
        `${here}/README.md`,
        `# Proposer throughput

Run: \`npx tsx bench/proposer/run.ts [--jobs ${JOBS}] [--batch ${BATCH}] [--workers ${WORKERS}]\` (measured ${results.date}, load average ${results.host.loadavg.join(" ")}).
Host: ${results.host.cpus} cores (${results.host.model}), Node ${results.host.node}; anvil automine on the same host.

${JOBS} jobs (${results.job}) are submitted first; the clock starts when the proposer starts
(worker start-up included) and stops when every job is executed / every job is in a proposal.
The last, partial batch is proposed only once its oldest result has waited \`--max-wait-seconds\`
(15 s here), which dominates the gap between the two rates; full batches go out as soon as they fill.

| metric | value |
|---|---:|
| jobs executed per minute | ${results.executedPerMinute} |
| … after worker start-up (first result at ${results.firstResultSeconds} s) | ${results.executedPerMinuteAfterStartup} |
| jobs proposed per minute | ${results.proposedPerMinute} |
| time to execute all | ${results.executeSeconds} s |
| time to propose all | ${results.proposeSeconds} s |
| batch size | ${BATCH} |
| worker threads | ${WORKERS} |

Gas per result at batch size ${BATCH} (total gas of the proposer's transactions / ${JOBS}):

| transaction | txs | gas per result |
|---|---:|---:|
${Object.entries(byName)
  .map(([n, v]) => `| ${n} | ${v.txs} | ${v.perResult} |`)
  .join("\n")}

\`propose\` carries the leaves in calldata and computes the root onchain; \`recordResults\` verifies one
Merkle proof per leaf and credits the fee; \`openOutput\` (optional, \`--open-outputs false\`) opens each
final state through the verifier.
`,
      );
    }
  } finally {
    await fx.stop();
  }
}

await main();
process.exit(0);
