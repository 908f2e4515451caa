// Fails when a deployable protocol contract leaves less than 4 KB of headroom under the
// EIP-170 limit (24,576 bytes of runtime code), so every contract keeps room to grow (issue 9, P8).
// Reads forge's artifacts (protocol/out); run after `forge build`:
//   npx tsx tools/check-sizes.ts

import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const LIMIT = 24_576;
const HEADROOM = 4_096;
const CONTRACTS = ["Verdict", "DisputeGame", "Outputs", "ProgramRegistry", "RV32IM"];

let failed = false;
for (const name of CONTRACTS) {
  const artifact = JSON.parse(
    readFileSync(join(root, "protocol/out", `${name}.sol`, `${name}.json`), "utf8"),
  ) as {
    deployedBytecode: { object: string };
  };
  const size = (artifact.deployedBytecode.object.length - 2) / 2;
  const margin = LIMIT - size;
  const ok = margin >= HEADROOM;
  if (!ok) failed = true;
  console.log(
    `${ok ? "ok  " : "FAIL"} ${name.padEnd(16)} ${String(size).padStart(6)} B, headroom ${margin} B (need ${HEADROOM})`,
  );
}
if (failed) {
  console.error("a contract has less than 4 KB of headroom under the 24,576-byte limit: split it");
  process.exit(1);
}
