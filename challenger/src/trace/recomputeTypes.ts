// Messages between the challenger and its recomputation workers (structured
// clone: Uint8Array and bigint cross threads as they are).

import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import type { Hex } from "viem";

export type RecomputeTask = { image: ProgramImage; input: Uint8Array; depth: number };

export type RecomputeResult = {
  /** T(2^D), the value a correct leaf claims. */
  stateHash: Hex;
  status: number;
  exitCode: number;
  steps: bigint;
  outputRoot: Hex;
};
