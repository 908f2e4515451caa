// The committed bindings must match what forge currently builds: a contract
// change without `npx tsx tools/export-abis.ts` fails here.

import { readFileSync } from "node:fs";
import { expect } from "chai";
import { ABIS_PATH, renderAbis } from "../../../tools/export-abis.ts";
import { verdictAbi } from "./abis.ts";

describe("bindings/abis", () => {
  it("is up to date with protocol/out", () => {
    expect(
      readFileSync(ABIS_PATH, "utf8") === renderAbis(),
      "shared/src/bindings/abis.ts is stale: run npx tsx tools/export-abis.ts",
    ).to.equal(true);
  });

  it("carries the verifier's errors in the Verdict ABI", () => {
    const errors = verdictAbi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name);
    expect(errors).to.include("ClockExpired");
    expect(errors).to.include("ProofTrailingBytes");
  });
});
