// Plain-JS entry of every pool worker: registers the tsx loader inside the
// worker thread (Node 20 does not carry a parent's --import loader hooks into
// workers reliably), then loads the real TypeScript worker module.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
