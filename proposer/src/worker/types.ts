// Messages between the proposer and its worker threads (structured-clone
// friendly: hex strings and decimal strings instead of bigint-heavy objects).

import type { CacheOutcome } from "@verdict/shared/src/cache/createTraceCache.ts";
import type { WorkContent } from "@verdict/shared/src/cache/workKey.ts";
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

/** Where a trace worker keeps checkpoint sets: the cache directory and the job's content. */
export type TraceCacheRef = { dir: string; work: WorkContent };

export type WorkerTask =
  | { kind: "execute"; job: JobSpec; dropTrace?: boolean }
  | { kind: "get"; job: JobSpec; positions: string[]; cache?: TraceCacheRef }
  | { kind: "stepData"; job: JobSpec; position: string; cache?: TraceCacheRef }
  | { kind: "prestate"; job: JobSpec; cache?: TraceCacheRef };

/** A trace query's answer, with what it took: a run of the job, or a restore from the cache. */
export type TraceReply<T> = {
  value: T;
  /** True when the job was run to answer (neither held in memory nor restored from disk). */
  ran: boolean;
  /** Cache lookups made to answer, with the reason of a dropped entry. */
  lookups: { outcome: CacheOutcome; reason?: string }[];
  /** The rebuilt checkpoints could not be saved (the answer stands). */
  saveError?: string;
};

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
  /** The output bytes, or null when the result has none (TraceResult.noOutput says why). */
  outputHex: Hex | null;
};
