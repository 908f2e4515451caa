// StrykerJS over the TypeScript code where correctness lives (issue 14): game
// positions, the two pure solvers and what they resolve, the daemons' active
// clock and send scheduler, the machine's strict decoder, the challenger's leaf
// and batch checking, and the proposer's finalization rule. The interpreter loop
// has its own configuration (stryker.machine.config.mjs).
// Only the unit tests beside those sources run (the e2e tests under test/ need
// anvil and take minutes). Run through `npx tsx bench/mutation/run.ts`, not directly: that
// script subtracts the equivalent mutants listed in equivalent.json.
//
// In place (not a sandbox copy): the workspace packages import each other
// through pnpm's symlinks, so a sandbox copy would mutate one tree and test
// another. Stryker restores every file when it exits.

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: "mocha",
  plugins: ["@stryker-mutator/mocha-runner"],
  testRunnerNodeArgs: ["--import", "tsx"],
  mochaOptions: {
    "no-config": true,
    "no-package": true,
    spec: [
      "shared/src/game/position.test.ts",
      "shared/src/game/ancestryOf.test.ts",
      "shared/src/game/planResolutions.test.ts",
      "shared/src/game/selectResolutions.test.ts",
      "shared/src/game/solveChallenger.test.ts",
      "shared/src/game/solveProposer.test.ts",
      "shared/src/game/playToyGame.test.ts",
      "shared/src/game/createActiveClock.test.ts",
      "shared/src/game/createScheduler.test.ts",
      "shared/src/machine/decode.test.ts",
      "challenger/src/checker/*.test.ts",
      "proposer/src/games/*.test.ts",
    ],
  },
  mutate: [
    // Game: positions, the honest path, what each side resolves.
    "shared/src/game/position.ts",
    "shared/src/game/ancestryOf.ts",
    "shared/src/game/solveChallenger.ts",
    "shared/src/game/solveProposer.ts",
    "shared/src/game/planResolutions.ts",
    "shared/src/game/selectResolutions.ts",
    // Game: the daemons' estimate of active time (every deadline is on it) and the urgency order of sends.
    "shared/src/game/createActiveClock.ts",
    "shared/src/game/createScheduler.ts",
    // Machine: the strict decoder (the interpreter's execute loop is left out, see README).
    "shared/src/machine/decode.ts",
    // Challenger: checking leaves and batches.
    "challenger/src/checker/checkLeaf.ts",
    "challenger/src/checker/createProposalChecker.ts",
    // Proposer: when a proposal's games allow it to finalize.
    "proposer/src/games/canFinalizeAfter.ts",
  ],
  inPlace: true,
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: "bench/mutation/.cache/stryker-incremental.json",
  tempDirName: "bench/mutation/.cache/stryker-tmp",
  concurrency: 2,
  timeoutMS: 20000,
  timeoutFactor: 2,
  reporters: ["json", "progress"],
  jsonReporter: { fileName: "bench/mutation/.cache/mutation.json" },
  cleanTempDir: "always",
  // tsx strips types without checking them: nothing to disable (and in place, every file
  // Stryker would touch for it is a file to restore).
  disableTypeChecks: false,
  // Error and log messages are not behaviour.
  mutator: { excludedMutations: ["StringLiteral"] },
  logLevel: "info",
  fileLogLevel: "off",
};
