// Compiles the `verdict` CLI and the @verdict/shared library to JavaScript
// (shared/dist, gitignored), so neither compiles TypeScript when it starts.
// Run by the install (`prepare` of the root package) and by hand:
//   node tools/build-js.mjs
// esbuild bundles our own sources (TypeScript, `.ts` import specifiers). The
// library (dist/index.js) leaves every npm dependency an import, so an app
// shares its viem with ours. The CLI (dist/cli/main.js) bundles its
// dependencies too, tree-shaken: importing all of viem alone costs about a
// second, `verdict run` needs a few of its helpers. Commands stay lazily
// loaded: code splitting turns each dynamic import into its own chunk. The daemons (proposer, challenger, worker) are not
// bundled: they start worker threads from .ts files, and shared/bin/verdict.js
// runs them from source through tsx as before.
// Plain .mjs on purpose: it must run before anything is built.

import { readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const shared = join(root, "shared");
const outdir = join(shared, "dist");

/** npm packages any bundled source imports: kept external. */
const external = new Set();
for (const pkg of ["package.json", "shared/package.json", "proposer/package.json", "challenger/package.json"]) {
  const json = JSON.parse(readFileSync(join(root, pkg), "utf8"));
  for (const name of Object.keys({ ...json.dependencies, ...json.devDependencies }))
    if (!name.startsWith("@verdict/")) external.add(name);
}

/** Kept external in the CLI too: native addons and packages that load files or workers by name. */
const CLI_EXTERNAL = new Set(["better-sqlite3", "pino", "pino-pretty", "bullmq", "ioredis", "prom-client"]);

/** Externalises npm packages (and their subpaths; for the CLI only CLI_EXTERNAL) and the daemons' sources. */
const externals = (keep) => ({
  name: "verdict-externals",
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === "entry-point") return undefined;
      const p = args.path;
      if (/(^|\/)(proposer|challenger)\/src\//.test(p)) return { path: p, external: true };
      if (p.startsWith(".") || p.startsWith("/") || p.startsWith("@verdict/")) return undefined;
      if (p.startsWith("node:")) return { path: p, external: true };
      const name = p.startsWith("@") ? p.split("/").slice(0, 2).join("/") : p.split("/")[0];
      if (keep.has(name)) return { path: p, external: true };
      return undefined;
    });
  },
});

/**
 * hash-wasm's `main` is a UMD bundle of every algorithm (268 KB, not tree-shakeable); its ESM build
 * lets the CLI carry keccak alone, which `verdict run` would otherwise parse at every start.
 */
const hashWasmEsm = {
  name: "hash-wasm-esm",
  setup(b) {
    const umd = createRequire(join(shared, "package.json")).resolve("hash-wasm");
    b.onResolve({ filter: /^hash-wasm$/ }, () => ({ path: join(dirname(umd), "index.esm.js") }));
  },
};

rmSync(outdir, { recursive: true, force: true });
const started = performance.now();
const common = {
  absWorkingDir: root,
  outdir,
  // dist/cli/main.js sits two levels below shared/, like src/cli/main.ts: its
  // `new URL("../../package.json", import.meta.url)` still finds shared/package.json.
  entryNames: "[dir]/[name]",
  chunkNames: "chunks/[name]-[hash]",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  logLevel: "warning",
};
await build({ ...common, entryPoints: { index: "shared/src/index.ts" }, plugins: [externals(external)] });
await build({
  ...common,
  entryPoints: { "cli/main": "shared/src/cli/main.ts" },
  chunkNames: "cli/chunks/[name]-[hash]",
  // Bundled CommonJS packages (commander, cli-progress) call require().
  banner: { js: 'import { createRequire as __verdictRequire } from "node:module"; const require = __verdictRequire(import.meta.url);' },
  plugins: [hashWasmEsm, externals(CLI_EXTERNAL)],
});
console.log(`built ${outdir} in ${Math.round(performance.now() - started)} ms`);
