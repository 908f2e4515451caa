#!/usr/bin/env node
// Offline solc for forge: wraps the pinned npm `solc` (soljson) behind the two
// CLI calls forge makes (`--version`, `--standard-json`). forge cannot download
// a native solc here, so foundry.toml names this file as its compiler.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const solc = require("solc");

function writeAll(text) {
  // Blocking writes: forge reads far more than one pipe buffer, and an early
  // exit would truncate the JSON it parses.
  const buf = Buffer.from(text, "utf8");
  let off = 0;
  while (off < buf.length) {
    try {
      off += fs.writeSync(1, buf, off, buf.length - off);
    } catch (e) {
      if (e.code !== "EAGAIN") throw e;
    }
  }
}

const args = process.argv.slice(2);
if (args.includes("--version")) {
  const v = solc.version().replace(/\.Emscripten\.clang$/, "");
  writeAll(`solc, the solidity compiler commandline interface\nVersion: ${v}.Linux.g++\n`);
} else if (args.includes("--standard-json")) {
  const input = fs.readFileSync(0, "utf8");
  // forge passes --allow-paths/--base-path; resolve imports against them and cwd.
  const roots = [process.cwd()];
  for (let i = 0; i < args.length; i++) {
    if ((args[i] === "--base-path" || args[i] === "--include-path") && args[i + 1]) roots.push(args[i + 1]);
    if (args[i] === "--allow-paths" && args[i + 1]) roots.push(...args[i + 1].split(","));
  }
  const findImports = (p) => {
    for (const r of [""].concat(roots)) {
      const full = r ? path.resolve(r, p) : p;
      if (fs.existsSync(full)) return { contents: fs.readFileSync(full, "utf8") };
    }
    return { error: `File not found: ${p}` };
  };
  writeAll(solc.compile(input, { import: findImports }));
} else {
  process.stderr.write("solc-shim: only --version and --standard-json are supported\n");
  process.exitCode = 1;
}
