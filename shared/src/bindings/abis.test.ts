// The committed bindings must match what forge currently builds: a contract
// change without `npx tsx tools/export-abis.ts` fails here. Compared by value,
// so reformatting the generated file does not matter.

import { expect } from "chai";
import { collectBindings } from "../../../tools/export-abis.ts";
import * as abis from "./abis.ts";

describe("bindings/abis", () => {
  const exported = abis as unknown as Record<string, unknown>;
  for (const b of collectBindings()) {
    it(`${b.name} matches protocol/out`, () => {
      const hint =
        "shared/src/bindings/abis.ts is stale: run npx forge build && npx tsx tools/export-abis.ts";
      expect(exported[`${b.name}Abi`], hint).to.deep.equal(b.abi);
      if (b.bytecode !== undefined) expect(exported[`${b.name}Bytecode`], hint).to.equal(b.bytecode);
    });
  }

  it("carries the verifier's errors in the DisputeGame and Outputs ABIs (a failed step or opening bubbles them up)", () => {
    for (const abi of [abis.disputeGameAbi, abis.outputsAbi]) {
      const errors = abi.filter((i) => i.type === "error").map((i) => (i as { name: string }).name);
      expect(errors).to.include("ProofTrailingBytes");
    }
    const gameErrors = abis.disputeGameAbi
      .filter((i) => i.type === "error")
      .map((i) => (i as { name: string }).name);
    expect(gameErrors).to.include("ClockExpired");
  });
});
