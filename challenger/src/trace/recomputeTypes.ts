// Messages between the challenger and its recomputation workers (structured
// clone: Uint8Array and bigint cross threads as they are).

import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { decodeState } from "@verdict/shared/src/machine/state.ts";
import type { TraceCheckpoints, TraceResult } from "@verdict/shared/src/machine/trace.ts";
import { bytesToHex, type Hex, hexToBytes, keccak256 } from "viem";

export type RecomputeTask = {
  image: ProgramImage;
  input: Uint8Array;
  depth: number;
  /**
   * Keep checkpoints every this many steps and send them back when they hold
   * at most `maxCheckpointBytes` of pages (a game on this job then needs no
   * second run). Absent: no checkpoints, the final state only.
   */
  checkpoints?: { interval: number; maxCheckpointBytes: number };
};

/** A worker's answer: the result, and the run's checkpoints when the task asked for them and they fit. */
export type RecomputeReply = {
  result: RecomputeResult;
  checkpoints: TraceCheckpoints | null;
  /** Distinct page bytes the checkpoints hold (0 without). */
  checkpointBytes: number;
};

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

/** JSON bytes of a result (steps as a decimal string): the disk cache's and the broker's format. */
export function serializeRecomputeResult(r: RecomputeResult): Buffer {
  return Buffer.from(JSON.stringify({ ...r, steps: r.steps.toString() }));
}

/** A cached result, or undefined when it is not internally consistent. */
export function parseRecomputeResult(bytes: Uint8Array): RecomputeResult | undefined {
  try {
    const r = JSON.parse(Buffer.from(bytes).toString("utf8"));
    const state = decodeState(hexToBytes(r.finalState as Hex));
    // The packed final state must hash to the result and carry its fields.
    if (keccak256(r.finalState).toLowerCase() !== String(r.stateHash).toLowerCase()) return undefined;
    if (state.status !== r.status || state.exitCode !== r.exitCode || state.step !== BigInt(r.steps))
      return undefined;
    return {
      stateHash: r.stateHash,
      status: r.status,
      exitCode: r.exitCode,
      steps: BigInt(r.steps),
      outputRoot: r.outputRoot,
      finalState: r.finalState,
    };
  } catch {
    return undefined;
  }
}
