// Worker thread of the challenger's recomputation pool: runs one job to its
// final state T(2^D) with no checkpoints kept (the cheapest way to learn a
// leaf's true value), off the daemon's event loop.

import { buildTrace } from "@verdict/shared/src/machine/trace.ts";
import { serveWorker } from "@verdict/shared/src/pool/serveWorker.ts";
import { type RecomputeResult, type RecomputeTask, recomputeResultOf } from "./recomputeTypes.ts";

serveWorker<RecomputeTask, RecomputeResult>(async (task) => {
  // One checkpoint per 2^30 steps: effectively none, the run is all we want.
  const t = await buildTrace({
    image: task.image,
    input: task.input,
    depth: task.depth,
    checkpointInterval: 2 ** 30,
  });
  return recomputeResultOf(t.result);
});
