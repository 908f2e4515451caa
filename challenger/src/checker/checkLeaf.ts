// Decides whether one result leaf is right: recomputes the job (program image
// matched by its onchain program root and entry, input from the job's event)
// and compares T(2^D) with the claimed final state hash.

import type { ResultLeaf as Leaf } from "@verdict/shared/src/game/resultTree.ts";
import type { Hex } from "viem";
import type { ProgramImages } from "../programs/loadProgramImages.ts";
import type { JobSpec, TraceSource } from "../trace/createTraceSource.ts";

export type OnchainProgram = { programRoot: Hex; entry: number; depth: number };

export type LeafVerdict =
  | { outcome: "correct"; leaf: Leaf; ours: Hex }
  | { outcome: "wrong"; leaf: Leaf; ours: Hex; job: JobSpec }
  /**
   * We cannot tell: no local image for the job's program, the job is unknown to us, or its D is
   * above this watchtower's cap (`overCap`: reported, never silently skipped).
   */
  | { outcome: "unknown"; leaf: Leaf; reason: string; overCap?: { depth: number; cap: number } }
  /** The leaf can never be recorded (job id 0 or beyond the proposal's job count). */
  | { outcome: "ignored"; leaf: Leaf; reason: string };

export type CheckLeafParameters = {
  leaf: Leaf;
  jobCount: bigint;
  job: { programId: bigint; input: Uint8Array } | undefined;
  program: (programId: bigint) => Promise<OnchainProgram>;
  programs: ProgramImages;
  traces: TraceSource;
  /** The operator's cap on D for a program root (--max-depth); absent: none. */
  depthCap?: (programRoot: Hex) => number;
  /** The proposal's challenge deadline (unix seconds): orders the recomputation on a broker. */
  deadline?: bigint;
};

export async function checkLeaf({
  leaf,
  jobCount,
  job,
  program,
  programs,
  traces,
  depthCap,
  deadline,
}: CheckLeafParameters): Promise<LeafVerdict> {
  if (leaf.jobId === 0n || leaf.jobId > jobCount)
    return { outcome: "ignored", leaf, reason: "job not in the proposal's scope" };
  if (!job)
    return { outcome: "unknown", leaf, reason: `job ${leaf.jobId} has no JobSubmitted event in our range` };
  const p = await program(job.programId);
  const local = programs.find(p.programRoot, p.entry);
  if (!local)
    return {
      outcome: "unknown",
      leaf,
      reason: `no local image for program ${job.programId} (root ${p.programRoot}, entry 0x${p.entry.toString(16)})`,
    };
  const cap = depthCap?.(p.programRoot);
  if (cap !== undefined && p.depth > cap)
    return {
      outcome: "unknown",
      leaf,
      reason: `program ${job.programId} has D = ${p.depth}, above this watchtower's cap of ${cap} (--max-depth)`,
      overCap: { depth: p.depth, cap },
    };
  const spec: JobSpec = { jobId: leaf.jobId, image: local.image, input: job.input, depth: p.depth, deadline };
  const r = await traces.recompute(spec);
  if (r.stateHash.toLowerCase() === leaf.finalStateHash.toLowerCase())
    return { outcome: "correct", leaf, ours: r.stateHash };
  return { outcome: "wrong", leaf, ours: r.stateHash, job: spec };
}
