// Messages between the challenger and its recomputation workers (structured
// clone: Uint8Array and bigint cross threads as they are).

import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import type { TraceResult } from "@verdict/shared/src/machine/trace.ts";
import { bytesToHex, type Hex } from "viem";

export type RecomputeTask = { image: ProgramImage; input: Uint8Array; depth: number };

export type RecomputeResult = {
  /** T(2^D), the value a correct leaf claims. */
  stateHash: Hex;
  status: number;
  exitCode: number;
  steps: bigint;
  outputRoot: Hex;
  /** Packed final state (173 bytes); its keccak256 is stateHash (lets a cached result be checked). */
  finalState: Hex;
};

/** What a recomputation keeps of a trace's result. */
export function recomputeResultOf(r: TraceResult): RecomputeResult {
  return {
    stateHash: r.stateHash,
    status: r.status,
    exitCode: r.exitCode,
    steps: r.steps,
    outputRoot: r.outputRoot,
    finalState: bytesToHex(r.finalState),
  };
}
