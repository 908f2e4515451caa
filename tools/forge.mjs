#!/usr/bin/env node
// Runs forge and exits with forge's own status. The npm wrapper (`@foundry-rs/forge`'s bin.mjs)
// starts the platform binary but never waits for its exit code: it exits 0 whatever the tests
// did, so a failing `forge test` would pass the test command. This launcher finds the same binary
// the wrapper would (the platform package, else the wrapper's dist/) and passes its status on,
// signals included.
//   node tools/forge.mjs <forge arguments>

import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

const require = createRequire(import.meta.url);
const wrapperDir = dirname(require.resolve("@foundry-rs/forge/package.json"));
const { BINARY_NAME, PLATFORM_SPECIFIC_PACKAGE_NAME } = await import(join(wrapperDir, "const.mjs"));
const binary = BINARY_NAME("forge");
const platformPackage = PLATFORM_SPECIFIC_PACKAGE_NAME("forge");

function binaryPath() {
  if (platformPackage) {
    try {
      const p = createRequire(join(wrapperDir, "package.json")).resolve(`${platformPackage}/bin/${binary}`);
      if (existsSync(p)) return p;
    } catch {
      // not installed for this platform: the wrapper's own fallback below
    }
  }
  const fallback = join(wrapperDir, "..", "dist", binary);
  if (existsSync(fallback)) return fallback;
  console.error(`forge: no binary for ${process.platform}-${process.arch} (run the install again)`);
  process.exit(127);
}

const child = spawn(binaryPath(), process.argv.slice(2), { stdio: "inherit" });
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => child.kill(signal));
child.on("exit", (code, signal) => {
  if (signal) process.kill(process.pid, signal);
  else process.exit(code ?? 1);
});
