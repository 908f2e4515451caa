#!/usr/bin/env node
// Launcher of the `verdict` CLI. Runs the compiled CLI (shared/dist, built by
// the install's `prepare` step: node tools/build-js.mjs) so start-up costs
// what Node's does. Falls back to the TypeScript sources through tsx's ESM
// loader, in this process, when nothing is built, when VERDICT_FROM_SOURCE=1
// (development: no rebuild after an edit), and for the daemons, whose worker
// threads load .ts files. Lives in @verdict/shared so that pnpm links it into
// the workspace's node_modules/.bin; the root bin/verdict.js delegates here.
import { existsSync } from "node:fs";

const compiled = new URL("../dist/cli/main.js", import.meta.url);
const daemon = ["proposer", "challenger", "worker"].includes(process.argv[2] ?? "");
if (!daemon && process.env.VERDICT_FROM_SOURCE !== "1" && existsSync(compiled)) {
  await import(compiled.href);
} else {
  const { register } = await import("tsx/esm/api");
  register();
  await import("../src/cli/main.ts");
}
