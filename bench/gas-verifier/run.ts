// Gas table of the RV32IM one-step verifier per instruction class (a script,
// not a test: numbers are reported, not asserted). For each class of
// gasCases.ts it measures on anvil (Prague, so the EIP-7623 calldata floor of
// 10/40 gas per zero/nonzero byte applies):
//   - exec: gas of RV32IM.step itself (GasProbe: a warm STATICCALL, minus the 100-gas access charge)
//   - tx:   gasUsed of a real transaction calling step (intrinsic + calldata + execution, or the floor)
// and writes the table to bench/gas-verifier/README.md and the cases to
// protocol/test/vectors/rv32im-v1-gas.bin (replayed by RV32IMGas.t.sol for the .gas-snapshot).
//
//   npx tsx bench/gas-verifier/run.ts [--no-write]

import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { bytesToHex, decodeFunctionResult, encodeFunctionData, type Hex } from "viem";
import { waitForReceipt } from "../../shared/src/chain/waitForReceipt.ts";
import { encodeVectors } from "../../shared/src/vectors/format.ts";
import {
  deployVerifierOnAnvil,
  REPLAY_SOURCES,
  readArtifact,
} from "../../shared/src/vectors/replayOnAnvil.ts";
import { gasCases } from "./gasCases.ts";

const ROOT = join(dirname(fileURLToPath(import.meta.url)), "../..");
const write = !process.argv.includes("--no-write");

const stepAbi = [
  {
    type: "function",
    name: "step",
    stateMutability: "pure",
    inputs: [
      { name: "_stateData", type: "bytes" },
      { name: "_proof", type: "bytes" },
    ],
    outputs: [{ name: "postStateHash_", type: "bytes32" }],
  },
] as const;
const probeAbi = [
  {
    type: "function",
    name: "measure",
    stateMutability: "view",
    inputs: [
      { name: "_target", type: "address" },
      { name: "_call", type: "bytes" },
    ],
    outputs: [
      { name: "gas_", type: "uint256" },
      { name: "ok_", type: "bool" },
      { name: "ret_", type: "bytes32" },
    ],
  },
] as const;

/** Reference numbers from the issue (best-known public RISC-V one-step verifiers). */
const REFERENCE: Record<string, string> = {
  "ALU (add)": "175k (RV64, forge)",
  "aligned load (lw, stack)": "210k (RV64, forge)",
  "aligned store (sw, stack)": "315k (RV64, forge)",
};
const LEAF_STEP_REFERENCE = "~128k per leaf step incl. base tx (RV64I µarch)";

function calldataCost(data: Hex): {
  bytes: number;
  zero: number;
  tokens: number;
  floor: number;
  standard: number;
} {
  const b = Buffer.from(data.slice(2), "hex");
  let zero = 0;
  for (const x of b) if (x === 0) zero++;
  const tokens = zero + 4 * (b.length - zero);
  return { bytes: b.length, zero, tokens, floor: 21_000 + 10 * tokens, standard: 21_000 + 4 * tokens };
}

async function main(): Promise<void> {
  execFileSync(
    join(ROOT, "node_modules/.bin/forge"),
    ["build", ...REPLAY_SOURCES, "protocol/test/riscv/helpers/GasProbe.sol"],
    { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] },
  );
  const cases = gasCases(ROOT);
  const ctx = await deployVerifierOnAnvil();
  const rows: string[][] = [];
  try {
    const probe = await ctx.deploy(readArtifact("GasProbe.sol/GasProbe.json"));
    for (const c of cases) {
      const data = encodeFunctionData({
        abi: stepAbi,
        functionName: "step",
        args: [bytesToHex(c.vector.preState), bytesToHex(c.vector.proof)],
      });
      const probed = await ctx.client.readContract({
        address: probe,
        abi: probeAbi,
        functionName: "measure",
        args: [ctx.verifier, data],
      });
      const [gasAround, ok, ret] = probed;
      const expected = bytesToHex(c.vector.postStateHash);
      if (!ok || ret !== expected)
        throw new Error(`${c.name}: step returned ${ok ? ret : "revert"}, expected ${expected}`);
      const exec = Number(gasAround) - 100;
      const hash = await ctx.wallet.sendTransaction({ to: ctx.verifier, data });
      const receipt = await waitForReceipt(ctx.client, { hash });
      if (receipt.status !== "success") throw new Error(`${c.name}: transaction reverted`);
      // The transaction's return value is not in the receipt: check it once more by eth_call.
      const back = await ctx.client.call({ to: ctx.verifier, data });
      const post = decodeFunctionResult({ abi: stepAbi, functionName: "step", data: back.data as Hex });
      if (post !== expected) throw new Error(`${c.name}: eth_call returned ${post}`);
      const cd = calldataCost(data);
      const tx = Number(receipt.gasUsed);
      const txTarget = c.crossing ? 130_000 : 100_000;
      rows.push([
        c.name,
        exec.toLocaleString("en-US"),
        tx.toLocaleString("en-US"),
        `${c.vector.proof.length}`,
        `${cd.bytes} (${cd.zero} zero)`,
        tx === cd.floor ? "floor" : "standard",
        REFERENCE[c.name] ?? "",
        `${exec <= 40_000 ? "✓" : "✗"} ≤40k / ${tx <= txTarget ? "✓" : "✗"} ≤${txTarget / 1000}k`,
      ]);
    }
  } finally {
    await ctx.stop();
  }

  const header = [
    "class",
    "step exec gas",
    "tx gas",
    "proof bytes",
    "calldata bytes",
    "tx priced by",
    "reference",
    "target exec / tx",
  ];
  const table = [
    `| ${header.join(" | ")} |`,
    `|${header.map(() => "---").join("|")}|`,
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ].join("\n");
  console.log(table);
  console.log(`\nReference per leaf step including the base transaction: ${LEAF_STEP_REFERENCE}`);
  if (!write) return;
  const readmePath = join(ROOT, "bench/gas-verifier/README.md");
  const readme = readFileSync(readmePath, "utf8");
  const begin = "<!-- gas-table:begin -->";
  const end = "<!-- gas-table:end -->";
  const stamped = `${begin}\n${table}\n\nMeasured ${new Date().toISOString().slice(0, 10)} on anvil (Prague), solc 0.8.30, optimizer 200 runs.\n${end}`;
  writeFileSync(readmePath, readme.replace(new RegExp(`${begin}[\\s\\S]*${end}`), stamped));
  writeFileSync(
    join(ROOT, "protocol/test/vectors/rv32im-v1-gas.bin"),
    encodeVectors(cases.map((c) => c.vector)),
  );
  console.log("wrote bench/gas-verifier/README.md and protocol/test/vectors/rv32im-v1-gas.bin");
}

await main();
