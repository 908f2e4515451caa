// StrykerJS over the machine's execute path (issue 14): the reference
// interpreter loop (`interpret` and `runChunk`) and the 64-bit multiply helper
// of machine.ts. A separate configuration from stryker.config.mjs because
// machine.ts warms its loop up at module load (warmUp), so Stryker sees every
// mutant of the loop as "static" and runs every test in `spec` against each of
// them: here `spec` is the interpreter's own tests only (2 s a run), not the
// whole unit suite. The decoder is mutated in the main configuration.
// Run through `npx tsx bench/mutation/run.ts`, which runs both and adds them up.

import base from "./stryker.config.mjs";

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  ...base,
  mochaOptions: {
    ...base.mochaOptions,
    spec: ["shared/src/machine/machine.test.ts"],
  },
  mutate: [
    // mulhu (the helper MULH/MULHSU/MULHU build on)
    "shared/src/machine/machine.ts:51-61",
    // interpret + runChunk: fetch, decode cache, dispatch, every instruction, halting
    "shared/src/machine/machine.ts:244-596",
  ],
  incrementalFile: "bench/mutation/.cache/stryker-machine-incremental.json",
  tempDirName: "bench/mutation/.cache/stryker-machine-tmp",
  jsonReporter: { fileName: "bench/mutation/.cache/mutation-machine.json" },
};
