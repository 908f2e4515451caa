// Worker thread of the proposer: executes jobs on the machine (one full run
// with checkpoints) and answers trace queries for games from the providers it
// keeps (a small LRU), so a game move replays at most one checkpoint interval
// and never re-runs the job. Given a cache directory, a trace it does not hold
// is restored from the checkpoint set saved there (by this or an earlier
// process, or another daemon) and a trace it builds is saved, so a restarted
// proposer answers its games without running the job again. In
// fault-injection mode every trace is corrupted from the given step on (tests
// and demo only); the saved checkpoints are always the honest ones.

import { readFileSync } from "node:fs";
import {
  type CheckpointStore,
  createCheckpointStore,
} from "@verdict/shared/src/cache/createCheckpointStore.ts";
import { createTraceCache } from "@verdict/shared/src/cache/createTraceCache.ts";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { initialState } from "@verdict/shared/src/machine/createMachine.ts";
import { IO_REGION_HEIGHT, inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import {
  buildTrace,
  DEFAULT_CHECKPOINT_INTERVAL,
  type MachineTraceProvider,
  type TraceProvider,
  withFault,
} from "@verdict/shared/src/machine/trace.ts";
import { serveWorker } from "@verdict/shared/src/pool/serveWorker.ts";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import type { ExecutedResult, JobSpec, TraceCacheRef, TraceReply, WorkerTask } from "./types.ts";

const images = new Map<string, ProgramImage>();
const traces = new Map<string, Held>();
const MAX_TRACES = 4;

function image(path: string): ProgramImage {
  let img = images.get(path);
  if (!img) {
    img = loadElf(new Uint8Array(readFileSync(path)));
    images.set(path, img);
  }
  return img;
}

function keyOf(job: JobSpec): string {
  return `${job.programPath}|${job.inputRoot}|${job.depth}|${job.injectFault ?? ""}`;
}

type Held = { provider: MachineTraceProvider; faulty: TraceProvider };
type Lookups = TraceReply<unknown>["lookups"];

// One store per cache directory; lookups of the current task are collected for its reply.
const stores = new Map<string, CheckpointStore>();
let lookups: Lookups = [];
function storeFor(dir: string): CheckpointStore {
  let store = stores.get(dir);
  if (!store) {
    const cache = createTraceCache({
      dir,
      onLookup: (outcome, _k, reason) => lookups.push({ outcome, reason }),
    });
    store = createCheckpointStore({
      cache,
      onCorrupt: (_k, reason) => lookups.push({ outcome: "corrupt", reason }),
    });
    stores.set(dir, store);
  }
  return store;
}

async function traceOf(
  job: JobSpec,
  cache?: TraceCacheRef,
): Promise<Held & { ran: boolean; lookups: Lookups; saveError?: string }> {
  lookups = [];
  const key = keyOf(job);
  const held = traces.get(key);
  if (held) {
    // LRU: re-insert as most recent.
    traces.delete(key);
    traces.set(key, held);
    return { ...held, ran: false, lookups };
  }
  const input = hexToBytes(job.input);
  const actual = inputRoot(input);
  if (actual.toLowerCase() !== job.inputRoot.toLowerCase())
    throw new Error(`input root mismatch: chain says ${job.inputRoot}, machine computes ${actual}`);
  const img = image(job.programPath);
  const interval = job.checkpointInterval ?? DEFAULT_CHECKPOINT_INTERVAL;
  let provider: MachineTraceProvider | undefined = cache
    ? storeFor(cache.dir).load(cache.work, interval, initialState(img, input))
    : undefined;
  const seen = lookups;
  const ran = provider === undefined;
  let saveError: string | undefined;
  if (!provider) {
    const built = await buildTrace({ image: img, input, depth: job.depth, checkpointInterval: interval });
    if (cache)
      try {
        storeFor(cache.dir).save(cache.work, interval, built);
      } catch (err) {
        saveError = (err as Error).message;
      }
    provider = built;
  }
  const faulty =
    job.injectFault !== undefined ? withFault(provider, { fromStep: BigInt(job.injectFault) }) : provider;
  const t = { provider, faulty };
  traces.set(key, t);
  while (traces.size > MAX_TRACES) traces.delete(traces.keys().next().value as string);
  return { ...t, ran, lookups: seen, saveError };
}

async function execute(job: JobSpec): Promise<ExecutedResult> {
  const { provider, faulty } = await traceOf(job);
  const last = 1n << BigInt(job.depth);
  const m = provider.machineAt(last);
  m.memRoot();
  const r = provider.result;
  return {
    stateHash: await faulty.get(last),
    honestStateHash: r.stateHash,
    status: r.status,
    exitCode: r.exitCode,
    steps: r.steps.toString(),
    outputRoot: r.outputRoot,
    finalState: bytesToHex(m.encode()),
    programSubroot: bytesToHex(m.mem.upperNode(26, 0)),
    inputSubroot: bytesToHex(m.mem.upperNode(IO_REGION_HEIGHT, 2)),
    outputHex: r.output === null ? null : bytesToHex(r.output),
  };
}

serveWorker(async (task: WorkerTask): Promise<unknown> => {
  switch (task.kind) {
    case "execute": {
      const res = await execute(task.job);
      // Execution-only workers do not need to keep the trace.
      if (task.dropTrace) traces.delete(keyOf(task.job));
      return res;
    }
    case "get": {
      const t = await traceOf(task.job, task.cache);
      const out: Hex[] = [];
      for (const p of task.positions) out.push(await t.faulty.get(BigInt(p)));
      return reply(t, out);
    }
    case "stepData": {
      const t = await traceOf(task.job, task.cache);
      const d = await t.faulty.getStepData(BigInt(task.position));
      return reply(t, {
        preState: bytesToHex(d.preState),
        proof: bytesToHex(d.proof),
        postStateHash: d.postStateHash,
      });
    }
    case "prestate": {
      const t = await traceOf(task.job, task.cache);
      return reply(t, bytesToHex(await t.faulty.absolutePrestate()));
    }
  }
});

function reply<T>(t: { ran: boolean; lookups: Lookups; saveError?: string }, value: T): TraceReply<T> {
  return { value, ran: t.ran, lookups: t.lookups, saveError: t.saveError };
}
