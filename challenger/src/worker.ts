// Entry of a watchtower worker process (`verdict worker` runs the same command).
import { runWorkerCli } from "./work/workerCli.ts";

await runWorkerCli(process.argv.slice(2));
