// Gas of the protocol's user actions, measured as gasUsed of real transactions
// on anvil (Prague: intrinsic + calldata, or the EIP-7623 floor, + execution),
// with the real RV32IM verifier and the echo guest's real step proofs
// (protocol/test/fixtures/echo.json). A script, not a test: numbers are
// reported (bench/gas-protocol/README.md, results.json), targets are checked
// and printed.
//
//   npx forge build && npx tsx bench/gas-protocol/run.ts [--no-write]

import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type Address,
  type Chain,
  concat,
  createPublicClient,
  createTestClient,
  createWalletClient,
  encodeAbiParameters,
  type Hex,
  http,
  keccak256,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { foundry } from "viem/chains";
import { programRegistryAbi, verdictAbi } from "../../shared/src/bindings/abis.ts";
import { deploy } from "../../shared/src/deploy/deploy.ts";
import { startAnvil } from "../../shared/src/testing/startAnvil.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const write = !process.argv.includes("--no-write");
const fx = JSON.parse(readFileSync(join(ROOT, "protocol/test/fixtures/echo.json"), "utf8")) as {
  programRoot: Hex;
  entry: number;
  input: Hex;
  halt: number;
  finalHash: Hex;
  finalState: Hex;
  trace: Hex[];
  preStates: Hex[];
  proofs: Hex[];
};

type Leaf = { jobId: bigint; finalStateHash: Hex };

const leafHash = (l: Leaf): Hex =>
  keccak256(
    keccak256(encodeAbiParameters([{ type: "uint256" }, { type: "bytes32" }], [l.jobId, l.finalStateHash])),
  );

/** Sorted-pair tree, odd node promoted (same as the contract and merkletreejs sortPairs). */
function proofOf(leaves: Leaf[], index: number): Hex[] {
  let layer = leaves.map(leafHash);
  let idx = index;
  const proof: Hex[] = [];
  while (layer.length > 1) {
    if ((idx ^ 1) < layer.length) proof.push(layer[idx ^ 1]);
    const next: Hex[] = [];
    for (let i = 0; i + 1 < layer.length; i += 2) {
      const [a, b] =
        BigInt(layer[i]) < BigInt(layer[i + 1]) ? [layer[i], layer[i + 1]] : [layer[i + 1], layer[i]];
      next.push(keccak256(concat([a, b])));
    }
    if (layer.length % 2 === 1) next.push(layer[layer.length - 1]);
    layer = next;
    idx >>= 1;
  }
  return proof;
}

const T = (t: bigint): Hex => (t >= BigInt(fx.halt) ? fx.finalHash : fx.trace[Number(t)]);
/** The dishonest proposer's trace: wrong after transition `fault`. */
const faulty = (fault: bigint, t: bigint): Hex =>
  t <= fault ? T(t) : keccak256(encodeAbiParameters([{ type: "string" }, { type: "uint256" }], ["bad", t]));

async function main(): Promise<void> {
  const anvil = await startAnvil({ gasLimit: 60_000_000n });
  try {
    const chain: Chain = { ...foundry, id: anvil.chainId, rpcUrls: { default: { http: [anvil.rpcUrl] } } };
    const transport = http(anvil.rpcUrl);
    const publicClient = createPublicClient({ chain, transport });
    const testClient = createTestClient({ chain, transport, mode: "anvil" });
    const proposer = createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(anvil.privateKeys[0]),
    });
    const challenger = createWalletClient({
      chain,
      transport,
      account: privateKeyToAccount(anvil.privateKeys[1]),
    });
    const params = {
      proposerBond: 10n ** 18n,
      challengerBond: 5n * 10n ** 17n,
      challengeWindowSeconds: 3600n,
      clockSeconds: 3600n,
      burnBps: 2000,
      maxInputBytes: 1 << 20,
      maxBatchSize: 1024,
    };

    async function gasOf(hash: Promise<Hex>): Promise<bigint> {
      const r = await publicClient.waitForTransactionReceipt({ hash: await hash });
      if (r.status !== "success") throw new Error(`transaction ${r.transactionHash} reverted`);
      return r.gasUsed;
    }

    const results: Record<string, bigint | number> = {};
    const deployments: Record<number, { verdict: Address; programId: bigint; jobId: bigint }> = {};
    for (const k of [2, 4, 16]) {
      const d = await deploy({ publicClient, walletClient: proposer, config: { k, params } });
      await gasOf(
        proposer.writeContract({
          address: d.registry,
          abi: programRegistryAbi,
          functionName: "registerProgram",
          args: [fx.programRoot, fx.entry, 32, keccak256("0x01"), [], d.verifier],
        }),
      );
      const submit = await gasOf(
        proposer.writeContract({
          address: d.verdict,
          abi: verdictAbi,
          functionName: "submitJob",
          args: [1n, fx.input],
        }),
      );
      if (k === 16) results["submitJob (2-byte input)"] = submit;
      deployments[k] = { verdict: d.verdict, programId: 1n, jobId: 1n };
    }

    const v16 = deployments[16].verdict;
    // Propose: amortized per result.
    for (const n of [1, 100, 1000]) {
      const leaves: Leaf[] = Array.from({ length: n }, (_, i) => ({
        jobId: BigInt(i + 1),
        finalStateHash: keccak256(encodeAbiParameters([{ type: "uint256" }], [BigInt(i)])),
      }));
      const g = await gasOf(
        proposer.writeContract({
          address: v16,
          abi: verdictAbi,
          functionName: "propose",
          args: [leaves],
          value: params.proposerBond,
        }),
      );
      results[`propose batch ${n} (total)`] = g;
      results[`propose batch ${n} (per result)`] = g / BigInt(n);
    }

    // A whole dispute per k: dishonest proposer (fault mid-run) vs honest challenger, D = 32.
    const fault = BigInt(Math.floor(fx.halt / 2));
    for (const k of [2, 4, 16]) {
      const v = deployments[k].verdict;
      const leaves: Leaf[] = [{ jobId: 1n, finalStateHash: faulty(fault, 1n << 32n) }];
      const pidBefore = (await publicClient.readContract({
        address: v,
        abi: verdictAbi,
        functionName: "proposalCount",
      })) as bigint;
      await gasOf(
        proposer.writeContract({
          address: v,
          abi: verdictAbi,
          functionName: "propose",
          args: [leaves],
          value: params.proposerBond,
        }),
      );
      const pid = pidBefore + 1n;
      let total = 0n;
      const open = await gasOf(
        challenger.writeContract({
          address: v,
          abi: verdictAbi,
          functionName: "openGame",
          args: [pid, leaves[0], proofOf(leaves, 0)],
          value: params.challengerBond,
        }),
      );
      total += open;
      if (k === 16) results.openGame = open;
      const gid = (await publicClient.readContract({
        address: v,
        abi: verdictAbi,
        functionName: "gameCount",
      })) as bigint;
      const log2k = Math.log2(k);
      let dissects = 0n;
      let picks = 0n;
      let rounds = 0;
      for (;;) {
        const game = (await publicClient.readContract({
          address: v,
          abi: verdictAbi,
          functionName: "getGame",
          args: [gid],
        })) as {
          position: bigint;
          endHash: Hex;
        };
        const start = game.position >> 8n;
        const log2Len = Number(game.position & 0xffn);
        if (log2Len === 0) break;
        const parts = Math.min(log2k, log2Len);
        const n = 1 << parts;
        const partLen = 1n << BigInt(log2Len - parts);
        const interior = Array.from({ length: n - 1 }, (_, i) =>
          faulty(fault, start + BigInt(i + 1) * partLen),
        );
        const dg = await gasOf(
          proposer.writeContract({
            address: v,
            abi: verdictAbi,
            functionName: "dissect",
            args: [gid, interior],
          }),
        );
        let idx = 0;
        while (idx < n - 1 && interior[idx] === T(start + BigInt(idx + 1) * partLen)) idx++;
        const pg = await gasOf(
          challenger.writeContract({
            address: v,
            abi: verdictAbi,
            functionName: "pick",
            args: [gid, interior, BigInt(idx)],
          }),
        );
        if (rounds === 0) {
          results[`dissect k=${k} (first round, ${n - 1} hashes)`] = dg;
          results[`pick k=${k} (first round)`] = pg;
        }
        dissects += dg;
        picks += pg;
        rounds++;
      }
      const game = (await publicClient.readContract({
        address: v,
        abi: verdictAbi,
        functionName: "getGame",
        args: [gid],
      })) as {
        position: bigint;
      };
      const at = Number(game.position >> 8n);
      const step = await gasOf(
        challenger.writeContract({
          address: v,
          abi: verdictAbi,
          functionName: "step",
          args: [gid, fx.preStates[at], fx.proofs[at]],
        }),
      );
      total += dissects + picks + step;
      results[`step (challenger wins) k=${k}`] = step;
      results[`whole dispute D=32 k=${k}: rounds`] = rounds;
      results[`whole dispute D=32 k=${k}: open+dissects+picks+step`] = total;
    }

    // Finalize, record, open output, claim: an honest single-leaf proposal on k=16.
    const honest: Leaf[] = [{ jobId: 1n, finalStateHash: fx.finalHash }];
    const pidBefore = (await publicClient.readContract({
      address: v16,
      abi: verdictAbi,
      functionName: "proposalCount",
    })) as bigint;
    await gasOf(
      proposer.writeContract({
        address: v16,
        abi: verdictAbi,
        functionName: "propose",
        args: [honest],
        value: params.proposerBond,
      }),
    );
    await testClient.increaseTime({ seconds: 3601 });
    await testClient.mine({ blocks: 1 });
    results.finalize = await gasOf(
      proposer.writeContract({
        address: v16,
        abi: verdictAbi,
        functionName: "finalize",
        args: [pidBefore + 1n],
      }),
    );
    results.recordResult = await gasOf(
      proposer.writeContract({
        address: v16,
        abi: verdictAbi,
        functionName: "recordResult",
        args: [pidBefore + 1n, honest[0], []],
      }),
    );
    results["withdraw (claim)"] = await gasOf(
      proposer.writeContract({ address: v16, abi: verdictAbi, functionName: "withdraw" }),
    );

    const targets: [string, string, bigint][] = [
      ["propose per result at batch 1000", "propose batch 1000 (per result)", 3_000n],
      ["k=16 dissect", "dissect k=16 (first round, 15 hashes)", 80_000n],
      ["whole dispute D=32 k=16", "whole dispute D=32 k=16: open+dissects+picks+step", 1_500_000n],
    ];
    const rows = Object.entries(results).map(([k, v]) => `| ${k} | ${v.toLocaleString("en-US")} |`);
    const checks = targets.map(([name, key, max]) => {
      const v = BigInt(results[key]);
      return `| ${name} | ${v.toLocaleString("en-US")} | ≤ ${max.toLocaleString("en-US")} | ${v <= max ? "met" : "MISSED"} |`;
    });
    const md = [
      "# Protocol gas (bench/gas-protocol)",
      "",
      "gasUsed of real transactions on anvil (Prague; includes the 21k intrinsic cost and calldata or the",
      "EIP-7623 floor), real RV32IM verifier, echo guest (`protocol/test/fixtures/echo.json`), program D = 32.",
      "Whole dispute: dishonest proposer (fault mid-run) vs honest challenger, both sides' transactions summed.",
      "Regenerate: `npx forge build && npx tsx bench/gas-protocol/run.ts`. Per-test gas of the unit tests is in",
      "`.gas-snapshot` here (`npx forge snapshot --match-path 'protocol/test/{Verdict,ProgramRegistry}.t.sol' --snap bench/gas-protocol/.gas-snapshot`).",
      "",
      "| action | gas |",
      "|---|---|",
      ...rows,
      "",
      "| target | measured | target | |",
      "|---|---|---|---|",
      ...checks,
      "",
      "Reference: the leading deployed fault-proof game prices bonds on about 400k gas per move over up to 73",
      "sequential moves; a leading tournament design spends about 90k gas per binary bisection move.",
      "",
    ].join("\n");
    console.log(md);
    if (write) {
      writeFileSync(join(ROOT, "bench/gas-protocol/README.md"), md);
      writeFileSync(
        join(ROOT, "bench/gas-protocol/results.json"),
        `${JSON.stringify(Object.fromEntries(Object.entries(results).map(([k, v]) => [k, Number(v)])), null, 2)}\n`,
      );
    }
  } finally {
    await anvil.stop();
  }
}

await main();
