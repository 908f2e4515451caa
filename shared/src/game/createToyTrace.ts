// A toy TraceProvider for solver tests: T(t) = keccak256("toy" ‖ t), and a
// dishonest variant whose hashes differ from `faultFrom` on. The "step data" is
// the position itself, so a toy verifier can tell an honest step from a wrong
// one without a machine.

import { encodePacked, type Hex, hexToBytes, keccak256 } from "viem";
import type { TraceProvider } from "./types.ts";

export type CreateToyTraceParameters = {
  /** First position whose hash is wrong (undefined = honest). */
  faultFrom?: bigint;
  /** Counts get() calls, to check the solver reads what it should. */
  counter?: { gets: number };
};

export function toyHash(t: bigint, wrong = false): Hex {
  return keccak256(encodePacked(["string", "uint256"], [wrong ? "bad" : "toy", t]));
}

export function createToyTrace({
  faultFrom,
  counter,
  depth = 48,
}: CreateToyTraceParameters & { depth?: number } = {}): TraceProvider {
  const at = (t: bigint) => toyHash(t, faultFrom !== undefined && t >= faultFrom);
  return {
    depth,
    get: async (t) => {
      if (counter) counter.gets++;
      return at(t);
    },
    // The toy "pre-state" is the hash itself, the proof the position.
    getStepData: async (t) => ({
      preState: hexToBytes(at(t)),
      proof: hexToBytes(encodePacked(["uint256"], [t])),
      postStateHash: at(t + 1n),
    }),
    absolutePrestate: async () => hexToBytes(at(0n)),
  };
}
