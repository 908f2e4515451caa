// Trace providers (spec §1.7), the one interface both daemons use to talk
// about a job's execution: T(t) for any t in [0, 2^D], the one-step proof
// data for t -> t+1, and the absolute prestate.
//
// buildTrace runs the job once (the "first pass"), taking a copy-on-write
// checkpoint every `checkpointInterval` steps; a checkpoint hashes nothing
// (memory.ts), so the first pass costs about a plain execution plus one page
// copy per page written per interval. Any later query restores the nearest
// checkpoint at or below t (computing the page roots it lacks, each once)
// and replays at most one interval. A cursor machine is kept between queries
// so the increasing positions of a bisection replay only the gap.
//
// Checkpoint memory is bounded: pages are shared between checkpoints until
// written, but a guest that rewrites lots of memory per interval would keep a
// copy per checkpoint. When the distinct pages held exceed
// `maxCheckpointBytes`, every other checkpoint is dropped and the interval
// doubles (queries then replay up to twice as far).
//
// The checkpoints outlive the process when a caller saves them
// (exportCheckpoints, machine/checkpointCodec.ts): traceFromCheckpoints
// answers the same queries again without the first pass, after replaying the
// last interval to check the set still ends where the first pass ended.

import { bytesToHex, type Hex, keccak256, toBytes } from "viem";
import type { ProgramImage } from "../elf/types.ts";
import { type MachineStatus, PAGE_SIZE, STATUS_RUNNING } from "./constants.ts";
import { createMachine, outputBytes, outputRoot } from "./createMachine.ts";
import { defaultEngine, type ExecutionEngine } from "./engine.ts";
import { InvalidCheckpointsError, MachineInputError, NoOutputError, TraceQueryError } from "./errors.ts";
import { keccak256Bytes } from "./keccak.ts";
import { Machine, type MachineSnapshot } from "./machine.ts";
import { generateStepProof, type StepData } from "./stepProof.ts";

export type { StepData } from "./stepProof.ts";

/** What op-challenger calls a TraceProvider, over the machine trace T(0..2^D). */
export interface TraceProvider {
  /** Budget exponent D: the trace has 2^D + 1 entries. */
  readonly depth: number;
  /** State hash T(t), t in [0, 2^D]. */
  get(t: bigint): Promise<Hex>;
  /** One-step proof data for the step t -> t+1, t in [0, 2^D). */
  getStepData(t: bigint): Promise<StepData>;
  /** Packed initial state (173 bytes); its hash is T(0). */
  absolutePrestate(): Promise<Uint8Array>;
}

/** Largest output a trace result reads into memory (a guest may claim up to 1 GiB). Unit: bytes. */
export const OUTPUT_READ_LIMIT = 1 << 26;

/** Steps between checkpoints when the caller does not say. */
export const DEFAULT_CHECKPOINT_INTERVAL = 2 ** 20;

export type TraceResult = {
  status: MachineStatus;
  exitCode: number;
  /** Steps until halt, or 2^D when the budget ran out first. */
  steps: bigint;
  /** T(2^D), the claimed result of the job. */
  stateHash: Hex;
  outputRoot: Hex;
  /**
   * Output bytes (spec §1.2), or null when there are none to give: see
   * `noOutput` for why. An empty output is an empty array, never null.
   */
  output: Uint8Array | null;
  /**
   * Set exactly when `output` is null. "none": the output region is not the
   * image of any byte string (NoOutputError; `Outputs.publishOutput` accepts
   * nothing for this result). "tooLarge": it is, but its length is beyond
   * OUTPUT_READ_LIMIT, so the bytes were not read (the output root still
   * commits to them; read them from `machineAt(2^D)` with a higher limit).
   */
  noOutput?: { kind: "none" | "tooLarge"; reason: string };
  /** Packed final state (173 bytes); its keccak256 is stateHash. */
  finalState: Uint8Array;
};

export type BuildTraceParameters = {
  image: ProgramImage;
  input?: Uint8Array;
  /** Budget exponent D (trace length 2^D), 0..53. */
  depth: number;
  /** Steps between checkpoints (default 2^20); may double, see maxCheckpointBytes. */
  checkpointInterval?: number;
  /** Bound on the page bytes the checkpoints hold (default 1 GiB). */
  maxCheckpointBytes?: number;
  /** Called after every checkpoint with the current step (for progress bars). */
  onProgress?: (step: number) => void;
  /** Aborts the first pass between intervals (a 2^48 budget on a looping guest never ends by itself). */
  signal?: AbortSignal;
  /** Executor for the first pass and every replay (default: the process default, the block compiler). */
  engine?: ExecutionEngine;
};

export type MachineTraceProvider = TraceProvider & {
  readonly result: TraceResult;
  /** Number of checkpoints kept. */
  readonly checkpoints: number;
  /** The machine state at step t (a fresh machine; for inspection and proofs). */
  machineAt(t: bigint): Machine;
};

/** What buildTrace reports about its checkpoints (beyond the provider interface). */
export type CheckpointStats = {
  /** Final steps between checkpoints (the requested interval, doubled per thinning). */
  readonly checkpointInterval: number;
  /** Distinct page bytes held by the checkpoints. */
  readonly checkpointBytes: number;
};

/** A trace's checkpoints: all a provider needs, with the machine, to answer any query without the first pass. */
export type TraceCheckpoints = {
  /** Budget exponent D. */
  depth: number;
  /** Steps between checkpoints: snapshot k is at step k * checkpointInterval. */
  checkpointInterval: number;
  /** Snapshot 0 is the initial state; every snapshot is of a running machine. */
  snapshots: readonly MachineSnapshot[];
  /** Steps until halt, or 2^D (what the first pass found). */
  steps: number;
  /** T(2^D) the first pass found; a restore must reach it again. */
  stateHash: Hex;
};

/** A provider over checkpoints, able to hand them out for saving. */
export type CheckpointedTrace = MachineTraceProvider &
  CheckpointStats & {
    /** The checkpoint set behind this provider (shared, not copied: do not modify). */
    exportCheckpoints(): TraceCheckpoints;
  };

/** Runs the job once with checkpoints and returns a provider answering any T(t). */
export async function buildTrace(params: BuildTraceParameters): Promise<CheckpointedTrace> {
  const { image, input = new Uint8Array(0), depth, onProgress, signal, engine = defaultEngine() } = params;
  let interval = params.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
  const maxBytes = params.maxCheckpointBytes ?? 2 ** 30;
  if (!Number.isInteger(depth) || depth < 0 || depth > 53)
    throw new TraceQueryError(`Trace depth ${depth} is not an integer in [0, 53].`);
  if (!Number.isInteger(interval) || interval < 1)
    throw new TraceQueryError(`Checkpoint interval ${interval} is not a positive integer.`);
  const budget = 2 ** depth;
  const m = createMachine(image, input);
  m.engine = engine;
  const prestate = m.encode();
  let snaps: MachineSnapshot[] = [];
  // Distinct page buffers the checkpoints hold (a buffer is shared until written).
  let held = new Set<Uint8Array>();
  const keep = (s: MachineSnapshot) => {
    snaps.push(s);
    for (const b of s.memory.bufs) held.add(b);
  };
  keep(m.snapshot());
  while (m.status === STATUS_RUNNING && m.step < budget) {
    m.run(Math.min(interval - (m.step % interval), budget - m.step));
    // Only full intervals are checkpoints, so checkpoint k is at step k * interval.
    if (m.status === STATUS_RUNNING && m.step % interval === 0) {
      keep(m.snapshot());
      if (held.size * PAGE_SIZE > maxBytes && snaps.length > 2) {
        snaps = snaps.filter((_, k) => k % 2 === 0);
        interval *= 2;
        held = new Set();
        for (const s of snaps) for (const b of s.memory.bufs) held.add(b);
      }
    }
    onProgress?.(m.step);
    signal?.throwIfAborted();
    // Let timers and signals run between intervals of a long first pass.
    if (snaps.length % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  return providerOf({
    depth,
    interval,
    snaps,
    prestate,
    result: resultOf(m),
    checkpointBytes: held.size * PAGE_SIZE,
    engine,
  });
}

/** The result of a machine that finished its first pass (halted or out of budget). */
function resultOf(m: Machine): TraceResult {
  const finalState = m.encode();
  let output: Uint8Array | null = null;
  let noOutput: TraceResult["noOutput"];
  try {
    output = outputBytes(m, OUTPUT_READ_LIMIT);
  } catch (err) {
    // Anything else is a bug and must not pass for "no output".
    if (err instanceof NoOutputError) noOutput = { kind: "none", reason: err.shortMessage };
    else if (err instanceof MachineInputError) noOutput = { kind: "tooLarge", reason: err.shortMessage };
    else throw err;
  }
  return {
    status: m.status,
    exitCode: m.exitCode,
    steps: BigInt(m.step),
    stateHash: bytesToHex(keccak256Bytes(finalState)),
    outputRoot: outputRoot(m),
    output,
    ...(noOutput ? { noOutput } : {}),
    finalState,
  };
}

/**
 * A provider over saved checkpoints, without the first pass. Checks the set
 * is well-formed and replays its last interval: the replay must end at the
 * recorded step and state hash, else InvalidCheckpointsError (the caller then
 * drops the set and runs the job again). Costs at most one interval of steps.
 */
export function traceFromCheckpoints(
  cp: TraceCheckpoints,
  engine: ExecutionEngine = defaultEngine(),
): CheckpointedTrace {
  const { depth, checkpointInterval: interval, snapshots: snaps, steps } = cp;
  const bad = (reason: string) => new InvalidCheckpointsError(reason);
  if (!Number.isInteger(depth) || depth < 0 || depth > 53) throw bad(`depth ${depth} is not in [0, 53]`);
  if (!Number.isInteger(interval) || interval < 1)
    throw bad(`interval ${interval} is not a positive integer`);
  if (snaps.length === 0) throw bad("no snapshots");
  const budget = 2 ** depth;
  for (let k = 0; k < snaps.length; k++) {
    if (snaps[k].step !== k * interval)
      throw bad(`snapshot ${k} is at step ${snaps[k].step}, not ${k * interval}`);
    if (snaps[k].status !== STATUS_RUNNING) throw bad(`snapshot ${k} is of a halted machine`);
  }
  const last = snaps[snaps.length - 1];
  if (!Number.isInteger(steps) || steps < last.step || steps > budget)
    throw bad(`final step ${steps} does not follow the last snapshot (step ${last.step}, budget ${budget})`);
  const m = Machine.fromSnapshot(last, engine);
  m.run(steps - last.step);
  // The first pass stops at a halt or at the budget, nowhere else.
  if (m.step !== steps || (m.status === STATUS_RUNNING && steps !== budget))
    throw bad(`the replay stops at step ${m.step}, the set says ${steps}`);
  const result = resultOf(m);
  if (result.stateHash.toLowerCase() !== cp.stateHash.toLowerCase())
    throw bad(`the replay ends at ${result.stateHash}, the set says ${cp.stateHash}`);
  const held = new Set<Uint8Array>();
  for (const s of snaps) for (const b of s.memory.bufs) held.add(b);
  return providerOf({
    depth,
    interval,
    snaps,
    prestate: Machine.fromSnapshot(snaps[0]).encode(),
    result,
    checkpointBytes: held.size * PAGE_SIZE,
    engine,
  });
}

function providerOf({
  depth,
  interval,
  snaps,
  prestate,
  result,
  checkpointBytes,
  engine,
}: {
  depth: number;
  interval: number;
  snaps: readonly MachineSnapshot[];
  prestate: Uint8Array;
  result: TraceResult;
  checkpointBytes: number;
  engine: ExecutionEngine;
}): CheckpointedTrace {
  const budget = 2 ** depth;
  const finalState = result.finalState;
  const finalHash = result.stateHash;
  const finalStep = Number(result.steps);

  let cursor: Machine | null = null;
  const checkT = (t: bigint, max: bigint, what: string): number => {
    if (typeof t !== "bigint" || t < 0n || t > max)
      throw new TraceQueryError(
        `${what} position ${t} is outside [0, ${max}] for a trace of depth ${depth}.`,
      );
    return Number(t);
  };
  /** Machine at step min(t, finalStep), reusing the cursor when it is on the way. */
  const reach = (t: number): Machine => {
    const target = Math.min(t, finalStep);
    const k = Math.min(Math.floor(target / interval), snaps.length - 1);
    const cpStep = snaps[k].step;
    // The old cursor is dropped here, so the new one may take over its memory arrays.
    if (cursor === null || cursor.step > target || cursor.step < cpStep)
      cursor = Machine.fromSnapshot(snaps[k], engine, cursor ?? undefined);
    cursor.run(target - cursor.step);
    return cursor;
  };

  return {
    depth,
    result,
    checkpoints: snaps.length,
    checkpointInterval: interval,
    checkpointBytes,
    exportCheckpoints: () => ({
      depth,
      checkpointInterval: interval,
      snapshots: snaps,
      steps: finalStep,
      stateHash: finalHash,
    }),
    async get(t) {
      const n = checkT(t, BigInt(budget), "Trace");
      if (n >= finalStep) return finalHash;
      return reach(n).stateHash();
    },
    async getStepData(t) {
      const n = checkT(t, BigInt(budget) - 1n, "Step");
      if (n >= finalStep)
        return { preState: finalState.slice(), proof: new Uint8Array(0), postStateHash: finalHash };
      const c = reach(n);
      const data = generateStepProof(c);
      return data;
    },
    async absolutePrestate() {
      return prestate.slice();
    },
    machineAt(t) {
      const n = checkT(t, BigInt(budget), "Trace");
      const target = Math.min(n, finalStep);
      const k = Math.min(Math.floor(target / interval), snaps.length - 1);
      const fresh = Machine.fromSnapshot(snaps[k], engine);
      fresh.run(target - fresh.step);
      return fresh;
    },
  };
}

/**
 * A toy provider for game tests: T(t) = keccak256(label ‖ uint256(min(t, haltAt))),
 * no machine behind it, so it has no step data.
 */
export function createToyTraceProvider({
  depth,
  haltAt,
  label = "toy",
}: {
  depth: number;
  haltAt?: bigint;
  label?: string;
}): TraceProvider {
  const end = haltAt ?? 1n << BigInt(depth);
  const max = 1n << BigInt(depth);
  const hashAt = (t: bigint): Hex => {
    const p = t < end ? t : end;
    return keccak256(new Uint8Array([...toBytes(label), ...toBytes(p, { size: 32 })]));
  };
  const prestate = new Uint8Array(173);
  return {
    depth,
    async get(t) {
      if (t < 0n || t > max) throw new TraceQueryError(`Trace position ${t} is outside [0, ${max}].`);
      return t === 0n ? bytesToHex(keccak256Bytes(prestate)) : hashAt(t);
    },
    async getStepData() {
      throw new TraceQueryError(
        "The toy trace provider has no machine behind it and cannot produce step proofs.",
      );
    },
    async absolutePrestate() {
      return prestate.slice();
    },
  };
}

/**
 * Fault injection: a provider that answers like `inner` before `fromStep` and
 * returns a corrupted hash for every t >= fromStep (stages a dishonest
 * proposer). Step data is passed through unchanged.
 */
export function withFault(inner: TraceProvider, { fromStep }: { fromStep: bigint }): TraceProvider {
  return {
    depth: inner.depth,
    async get(t) {
      const h = await inner.get(t);
      if (t < fromStep) return h;
      return keccak256(new Uint8Array([...toBytes(h), ...toBytes("verdict/fault")]));
    },
    getStepData: (t) => inner.getStepData(t),
    absolutePrestate: () => inner.absolutePrestate(),
  };
}
