// Runs a machine for up to a step budget in chunks, so a long run can report
// progress (the interpreter loop itself never calls out).

import type { Machine } from "../machine/machine.ts";
import type { Progress } from "./progress.ts";

/** Steps per chunk: about 0.1 s of interpretation, small against the run, large against the call. */
export const CHUNK_STEPS = 1 << 24;

/**
 * Executes until the machine halts or `maxSteps` more steps have run; returns
 * the steps executed. Budgets beyond 2^53 are clamped (a run that long does
 * not finish anyway, and the machine counts steps in doubles).
 */
export function executeSteps(machine: Machine, maxSteps: bigint, progress?: Progress): number {
  const budget = maxSteps > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(maxSteps);
  let done = 0;
  while (done < budget && !machine.halted) {
    const n = machine.run(Math.min(CHUNK_STEPS, budget - done));
    done += n;
    progress?.update(done);
    if (n === 0) break; // defensive: a machine that makes no progress must not spin here
  }
  return done;
}
