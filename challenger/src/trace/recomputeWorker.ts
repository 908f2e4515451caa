// Worker thread of the challenger's recomputation pool: runs one job to its
// final state T(2^D), off the daemon's event loop. When asked, the run keeps
// checkpoints (they cost little: a checkpoint hashes nothing) and hands them
// to the daemon, moved rather than copied, so a game on this job replays from
// them instead of running the job a second time.

import { PAGE_SIZE } from "@verdict/shared/src/machine/constants.ts";
import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { serveWorker } from "@verdict/shared/src/pool/serveWorker.ts";
import { type RecomputeReply, type RecomputeTask, recomputeResultOf } from "./recomputeTypes.ts";

serveWorker<RecomputeTask, RecomputeReply>(
  async (task) => {
    const t = await buildTrace({
      image: task.image,
      input: task.input,
      depth: task.depth,
      // One checkpoint per 2^30 steps when none are wanted: effectively none.
      checkpointInterval: task.checkpoints?.interval ?? 2 ** 30,
    });
    const keep = task.checkpoints !== undefined && t.checkpointBytes <= task.checkpoints.maxCheckpointBytes;
    return {
      result: recomputeResultOf(t.result),
      checkpoints: keep ? t.exportCheckpoints() : null,
      checkpointBytes: keep ? t.checkpointBytes : 0,
    };
  },
  // Page buffers move to the daemon (this trace is dropped): each page owns its whole buffer.
  (reply) => {
    const out = new Set<ArrayBuffer>();
    for (const s of reply.checkpoints?.snapshots ?? [])
      for (const b of s.memory.bufs)
        if (b.byteOffset === 0 && b.buffer.byteLength === PAGE_SIZE && b.buffer instanceof ArrayBuffer)
          out.add(b.buffer);
    return [...out];
  },
);
