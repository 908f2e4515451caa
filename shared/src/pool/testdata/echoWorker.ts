// Worker for the pool tests: squares numbers, throws on request, or dies.
import { serveWorker } from "../serveWorker.ts";

serveWorker(async (task: { n: number; mode?: "throw" | "die" | "slow" }) => {
  if (task.mode === "throw") throw new RangeError(`bad ${task.n}`);
  if (task.mode === "die") process.exit(3);
  if (task.mode === "slow") await new Promise((r) => setTimeout(r, 200));
  return task.n * task.n;
});
