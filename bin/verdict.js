#!/usr/bin/env node
// Entry point of the `verdict` CLI: runs the TypeScript sources through tsx so
// the workspace needs no build step.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createRequire } from "node:module";

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const tsxCli = require.resolve("tsx/cli");
const main = join(here, "..", "shared", "src", "cli", "main.ts");
const r = spawnSync(process.execPath, [tsxCli, main, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(r.status ?? 1);
