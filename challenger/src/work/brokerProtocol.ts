// What the challenger and its `verdict worker` processes exchange through the
// broker (BullMQ on Redis). A job is named by its work key (cache/workKey.ts):
// adding the same content twice is one job, whoever adds it. Its data carries
// the content, the input bytes and the deadline; the program image travels
// once, as a content-addressed blob (a worker checks its root before use);
// the result comes back as the disk cache's JSON, which the challenger checks
// (the packed final state must hash to the claimed state hash).

import type { WorkContent, WorkKey } from "@verdict/shared/src/cache/workKey.ts";
import type { ProgramImage } from "@verdict/shared/src/elf/types.ts";
import type { Hex } from "viem";
import { BrokerProtocolError } from "./errors.ts";

/** Default BullMQ queue name; daemons and workers of one watchtower must agree on it. */
export const DEFAULT_QUEUE = "verdict-recompute";
/** Format version of job data; a worker refuses other versions instead of guessing. */
export const PROTOCOL_VERSION = 1;

export type RecomputeJobData = {
  v: number;
  key: WorkKey;
  machineVersion: number;
  programRoot: Hex;
  entry: number;
  inputRoot: Hex;
  depth: number;
  /** Input bytes, base64. */
  input: string;
  /** Unix seconds the result is needed by (the proposal's challenge deadline); 0 when unknown. */
  deadline: number;
};

/** Redis key of a program image blob (content-addressed: root and entry). */
export function imageKey(queue: string, programRoot: Hex, entry: number): string {
  return `verdict:${queue}:image:${programRoot.toLowerCase()}:${entry >>> 0}`;
}

/** Redis counter of machine runs done by the queue's workers (cache hits not counted). */
export function executionsKey(queue: string): string {
  return `verdict:${queue}:executions`;
}

export function encodeImage(image: ProgramImage): string {
  return JSON.stringify({
    entry: image.entry >>> 0,
    segments: image.segments.map((s) => ({
      vaddr: s.vaddr,
      memSize: s.memSize,
      flags: s.flags,
      data: Buffer.from(s.data).toString("base64"),
    })),
  });
}

export function decodeImage(text: string): ProgramImage {
  try {
    const j = JSON.parse(text) as {
      entry: number;
      segments: { vaddr: number; memSize: number; flags: number; data: string }[];
    };
    if (!Number.isInteger(j.entry) || !Array.isArray(j.segments)) throw new Error("missing fields");
    return {
      entry: j.entry,
      segments: j.segments.map((s) => {
        for (const f of [s.vaddr, s.memSize, s.flags])
          if (!Number.isInteger(f) || f < 0) throw new Error(`bad segment field ${f}`);
        return {
          vaddr: s.vaddr,
          memSize: s.memSize,
          flags: s.flags,
          data: new Uint8Array(Buffer.from(s.data, "base64")),
        };
      }),
    };
  } catch (err) {
    throw new BrokerProtocolError(`program image blob is malformed: ${(err as Error).message}`);
  }
}

export function jobData(
  key: WorkKey,
  content: WorkContent,
  input: Uint8Array,
  deadline: bigint | undefined,
): RecomputeJobData {
  return {
    v: PROTOCOL_VERSION,
    key,
    machineVersion: Number(content.machineVersion),
    programRoot: content.programRoot,
    entry: content.entry >>> 0,
    inputRoot: content.inputRoot,
    depth: content.depth,
    input: Buffer.from(input).toString("base64"),
    deadline: deadline === undefined ? 0 : Number(deadline),
  };
}

/** BullMQ priorities run 1 (first) .. 2^21 - 1; deadlines map onto minutes after the queue's epoch. */
export const MAX_PRIORITY = 2 ** 21 - 1;

/**
 * Earlier deadline, smaller number (served first). Minutes keep 2^21 priorities good for four
 * years from the epoch (the queue's creation); a job with no deadline goes last.
 */
export function priorityOf(deadline: bigint | undefined, epochSeconds: number): number {
  if (deadline === undefined || deadline <= 0n) return MAX_PRIORITY;
  const minutes = Math.floor((Number(deadline) - epochSeconds) / 60);
  return Math.min(MAX_PRIORITY - 1, Math.max(1, minutes + 1));
}
