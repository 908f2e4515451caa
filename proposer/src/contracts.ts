// ABIs of the contracts the proposer talks to, from the generated bindings
// (shared/src/bindings/abis.ts). Typed as plain `Abi`: the daemon decodes
// records by field name and does not need viem's literal-type inference.

import { programRegistryAbi, rv32imAbi, verdictAbi } from "@verdict/shared/src/bindings/abis.ts";
import type { Abi } from "viem";

export function abis(): { verdict: Abi; registry: Abi; verifier: Abi } {
  return { verdict: verdictAbi as Abi, registry: programRegistryAbi as Abi, verifier: rv32imAbi as Abi };
}
