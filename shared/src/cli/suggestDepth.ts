// The trace exponent D to register a program with, from one sample run: the
// smallest D whose trace (2^D steps) holds the sample's steps times a
// headroom factor, since other inputs may run longer. Too small a D leaves
// long jobs RUNNING at the end of their trace (a result, but not a useful
// one); too large costs every dispute a few more dissection rounds.

import { CliUsageError } from "../errors/cli.ts";

/** The registry's largest D (ProgramRegistry.MAX_DEPTH). */
export const MAX_DEPTH = 48;

export type DepthSuggestion = {
  /** Steps the sample ran to halt. */
  steps: bigint;
  headroom: number;
  /** Smallest D with 2^D ≥ steps. */
  minimalDepth: number;
  /** Smallest D with 2^D ≥ steps × headroom (at least 1, at most MAX_DEPTH). */
  depth: number;
  explanation: string;
};

function ceilLog2(n: bigint): number {
  let d = 0;
  while (1n << BigInt(d) < n) d++;
  return d;
}

export function suggestDepth(steps: bigint, headroom: number): DepthSuggestion {
  if (!(headroom >= 1))
    throw new CliUsageError({ option: "--headroom", value: String(headroom), reason: "must be at least 1" });
  const minimalDepth = Math.max(1, ceilLog2(steps));
  // Headroom in whole steps (rounded up) keeps the comparison exact in bigint.
  const target = (steps * BigInt(Math.round(headroom * 1000)) + 999n) / 1000n;
  const depth = Math.min(MAX_DEPTH, Math.max(1, ceilLog2(target)));
  const explanation =
    `the sample halted after ${steps} steps; 2^${minimalDepth} = ${1n << BigInt(minimalDepth)} is the smallest trace that holds it, ` +
    `and ${headroom}x headroom for longer inputs (${target} steps) gives D = ${depth} (2^${depth} = ${1n << BigInt(depth)} steps)` +
    (depth === MAX_DEPTH && target > 1n << BigInt(MAX_DEPTH)
      ? `, capped at the registry's maximum ${MAX_DEPTH}`
      : "");
  return { steps, headroom, minimalDepth, depth, explanation };
}
