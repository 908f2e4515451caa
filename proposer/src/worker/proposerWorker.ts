// Worker thread of the proposer: executes jobs on the machine (one full run
// with checkpoints) and answers trace queries for games from the providers it
// keeps (a small LRU), so a game move replays at most one checkpoint interval
// and never re-runs the job. In fault-injection mode every trace is corrupted
// from the given step on (tests and demo only).

import { readFileSync } from "node:fs";
import { loadElf } from "@verdict/shared/src/elf/loadElf.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import { IO_REGION_HEIGHT, inputRoot } from "@verdict/shared/src/machine/inputRoot.ts";
import {
  buildTrace,
  type MachineTraceProvider,
  type TraceProvider,
  withFault,
} from "@verdict/shared/src/machine/trace.ts";
import { serveWorker } from "@verdict/shared/src/pool/serveWorker.ts";
import { bytesToHex, type Hex, hexToBytes } from "viem";
import type { ExecutedResult, JobSpec, WorkerTask } from "./types.ts";

const images = new Map<string, ProgramImage>();
const traces = new Map<string, { provider: MachineTraceProvider; faulty: TraceProvider }>();
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

async function traceOf(job: JobSpec) {
  const key = keyOf(job);
  let t = traces.get(key);
  if (t) {
    // LRU: re-insert as most recent.
    traces.delete(key);
    traces.set(key, t);
    return t;
  }
  const input = hexToBytes(job.input);
  const actual = inputRoot(input);
  if (actual.toLowerCase() !== job.inputRoot.toLowerCase())
    throw new Error(`input root mismatch: chain says ${job.inputRoot}, machine computes ${actual}`);
  const provider = await buildTrace({
    image: image(job.programPath),
    input,
    depth: job.depth,
    checkpointInterval: job.checkpointInterval,
  });
  const faulty =
    job.injectFault !== undefined ? withFault(provider, { fromStep: BigInt(job.injectFault) }) : provider;
  t = { provider, faulty };
  traces.set(key, t);
  while (traces.size > MAX_TRACES) traces.delete(traces.keys().next().value as string);
  return t;
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
    outputHex: bytesToHex(r.output),
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
      const { faulty } = await traceOf(task.job);
      const out: Hex[] = [];
      for (const t of task.positions) out.push(await faulty.get(BigInt(t)));
      return out;
    }
    case "stepData": {
      const { faulty } = await traceOf(task.job);
      const d = await faulty.getStepData(BigInt(task.position));
      return { preState: bytesToHex(d.preState), proof: bytesToHex(d.proof), postStateHash: d.postStateHash };
    }
    case "prestate": {
      const { faulty } = await traceOf(task.job);
      return bytesToHex(await faulty.absolutePrestate());
    }
  }
});
