// Messages between the proposer and its worker threads (structured-clone
// friendly: hex strings and decimal strings instead of bigint-heavy objects).

import type { Hex } from "viem";

/** Everything a worker needs to run one job. */
export type JobSpec = {
  programPath: string;
  /** Job input bytes, hex. */
  input: Hex;
  /** Input root the chain computed; the worker checks the machine agrees. */
  inputRoot: Hex;
  depth: number;
  checkpointInterval?: number;
  /** Fault-injection mode: corrupt the trace from this step on (decimal string). */
  injectFault?: string;
};

export type WorkerTask =
  | { kind: "execute"; job: JobSpec; dropTrace?: boolean }
  | { kind: "get"; job: JobSpec; positions: string[] }
  | { kind: "stepData"; job: JobSpec; position: string }
  | { kind: "prestate"; job: JobSpec };

/** A job's claimed result and what opening its output needs. */
export type ExecutedResult = {
  /** Claimed final state hash T(2^D) (corrupted in fault-injection mode). */
  stateHash: Hex;
  /** The machine's own T(2^D). */
  honestStateHash: Hex;
  status: number;
  exitCode: number;
  /** Decimal string. */
  steps: string;
  outputRoot: Hex;
  /** Packed final state, 173 bytes hex. */
  finalState: Hex;
  programSubroot: Hex;
  inputSubroot: Hex;
  outputHex: Hex;
};
