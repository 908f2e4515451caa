// The `verdict` command tree (commander). Options are parsed here; each
// command's work lives in commands/*.ts, so it can be tested without argv.
// Commands are imported when they run: the machine and viem take a second or
// more to load through tsx, which --help and --version should not pay.

import { readFileSync } from "node:fs";
import { Command } from "commander";
import { addChainCommands } from "./chainCommands.ts";
import { withConnection } from "./connectionFlags.ts";
import { DEFAULT_MAX_STEPS } from "./defaults.ts";
import { addGovCommands } from "./govCommands.ts";
import type { CliIo } from "./io.ts";

const version: string = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
).version;

const COUNT_FORMS = "decimal, 0x hex or 2^k";
const JSON_NOTE = `
JSON numbers: integers up to 2^53 - 1 are JSON numbers, larger ones decimal
strings. Exit status: 0 when the command worked (whatever the guest's exit
code), 2 for bad input (unreadable file, malformed ELF, bad option), 1 for an
internal error.`;

/** Commander's accumulator for a repeatable option. */
function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function createCli(io: CliIo): Command {
  const cli = new Command("verdict")
    .description("Verdict: run RV32IM programs on the deterministic machine and inspect their commitments.")
    .version(version)
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError("(run `verdict help` for usage)");

  cli
    .command("run")
    .description(
      "Execute a program to halt; print output, exit code, status, steps, final state hash, output root.",
    )
    .argument("<elf>", "RV32IM ELF executable")
    .option("--input <file>", "input bytes for the input region ('-' for stdin)")
    .option("--max-steps <n>", `step budget (${COUNT_FORMS})`, DEFAULT_MAX_STEPS)
    .option("--json", "print exactly one JSON object on stdout")
    .option("--progress", "show the progress bar on stderr even when it is not a terminal")
    .option(
      "--interpreter",
      "execute with the reference interpreter instead of the block compiler (same results, slower)",
    )
    .addHelpText(
      "after",
      `\nJSON fields: status ("EXITED"|"TRAPPED"|"RUNNING"), exitCode, steps, stateHash, outputRoot,\noutputHex (null when the output region holds no output), outputText (printable UTF-8 or null), pc,
stepBudgetExhausted (true when --max-steps ran out first: status RUNNING, and a warning on stderr).${JSON_NOTE}`,
    )
    .action(async (elf: string, opts) => {
      const { runCommand } = await import("./commands/runCommand.ts");
      runCommand(elf, opts, io);
    });

  cli
    .command("state")
    .description("State hash and decoded state at trace position N.")
    .argument("<elf>", "RV32IM ELF executable")
    .requiredOption("--step <n>", `trace position (${COUNT_FORMS})`)
    .option("--input <file>", "input bytes for the input region ('-' for stdin)")
    .option("--json", "print exactly one JSON object on stdout")
    .option("--progress", "show the progress bar on stderr even when it is not a terminal")
    .option(
      "--interpreter",
      "execute with the reference interpreter instead of the block compiler (same results, slower)",
    )
    .addHelpText(
      "after",
      `\nJSON fields: position, stateHash, packed (173-byte state, hex), state { pc, registers\n(x0..x31), memRoot, step, status, exitCode }.${JSON_NOTE}`,
    )
    .action(async (elf: string, opts) => {
      const { stateCommand } = await import("./commands/stateCommand.ts");
      stateCommand(elf, opts, io);
    });

  cli
    .command("program")
    .description(
      "Program root, entry point, segment table and manifest hash (what registering a program needs).",
    )
    .argument("<elf>", "RV32IM ELF executable")
    .option("--manifest <file>", "program manifest JSON (default: manifest.json beside the ELF, if present)")
    .option(
      "--suggest-depth",
      "run a sample input and suggest the trace exponent D to register with (smallest D with 2^D >= steps x headroom)",
    )
    .option("--input <file>", "with --suggest-depth: the sample input ('-' for stdin)")
    .option("--headroom <factor>", "with --suggest-depth: room for inputs longer than the sample", "4")
    .option(
      "--max-steps <n>",
      `with --suggest-depth: step budget of the sample (${COUNT_FORMS})`,
      DEFAULT_MAX_STEPS,
    )
    .option("--json", "print exactly one JSON object on stdout")
    .addHelpText(
      "after",
      `\nJSON fields: programRoot, entry, segments [{ vaddr, memSize, fileSize, flags }], manifestHash,\nmanifestPath, manifest (null when there is no manifest); with --suggest-depth also suggestedDepth\n{ steps, headroom, minimalDepth, depth, explanation }.${JSON_NOTE}`,
    )
    .action(async (elf: string, opts) => {
      const { programCommand } = await import("./commands/programCommand.ts");
      programCommand(elf, opts, io);
    });

  cli
    .command("build")
    .description(
      "Build a guest program from a directory anywhere (every .c/.S file in it plus the SDK) with guest/build.sh.",
    )
    .argument("<dir>", "the program's source directory")
    .option("--out <dir>", "where <name>.elf and manifest.json go (default: <dir>)")
    .option("--name <name>", "the program's name, the ELF's base name (default: the directory's name)")
    .option("--define <k[=v]>", "a -D define (repeatable)", collect, [])
    .option(
      "--cflag <flag>",
      "an extra compiler/linker flag (repeatable; $CFLAGS_EXTRA adds more)",
      collect,
      [],
    )
    .option("--werror", "treat warnings as errors (off by default for programs)")
    .option("--json", "print exactly one JSON object on stdout (the build's own lines go to stderr)")
    .addHelpText(
      "after",
      `
Needs the RISC-V toolchain (.ci/install-toolchain.sh) and runs from a Verdict
checkout. Prints "<name>: <elf> <bytes> <sha256>"; compiler warnings go to
stderr. Exit status: 0 built, 2 for a failed build or bad input.

JSON fields: name, elf and manifest (absolute paths), elfBytes, elfSha256, sourceHash.`,
    )
    .action(async (dir: string, opts) => {
      const { buildCommand } = await import("./commands/buildCommand.ts");
      await buildCommand(dir, opts, io);
    });

  withConnection(cli.command("audit"), { signer: false })
    .description(
      "Can the output of job N be trusted, and why? Rebuilds its provenance from the chain and re-executes it.",
    )
    .argument("<job>", "job id")
    .option("--elf <file>", "the program's RV32IM ELF (without it the result is unverifiable)")
    .option("--manifest <file>", "the program's manifest JSON, checked against the registered manifest hash")
    .option("--from-block <n>", "first block to scan for events (default: the deployment's block)")
    .option("--block <n>", "audit as of this block (default: the head)")
    .option("--max-steps <n>", `largest re-execution (${COUNT_FORMS})`, DEFAULT_MAX_STEPS)
    .option("--json", "print exactly one JSON object on stdout")
    .addHelpText(
      "after",
      `
Verdicts and exit status: verified 0, mismatch 3 (with the input, output or the
trace segment where the claim parts from our re-execution), pending 4,
rolled-back 5, unverifiable 6 (what is missing is listed); 2 for bad input
(unknown job, bad option, unreadable file), 1 for an internal error or an
unreachable RPC.

JSON fields: jobId, verdict, reason, position, missing, chainId, blockNumber,
contracts, program, input (with attestation), proposals, games, result, output,
reexecution, checks [{ name, ok, detail }], timeline [{ blockNumber, time, kind,
text, ... }].`,
    )
    .action(async (job: string, opts) => {
      const { auditCommand } = await import("./commands/auditCommand.ts");
      await auditCommand(job, opts, io);
    });

  addChainCommands(cli, io);
  addGovCommands(cli, io);

  // The dispute explorer (explorer/): a local web page over the indexer.
  withConnection(cli.command("explorer"), { signer: false })
    .description(
      "Serve the dispute explorer on 127.0.0.1: jobs, proposals, audit timelines and games drawn round by round, live.",
    )
    .option("--port <n>", "TCP port on 127.0.0.1 (0: any free port)", "7070")
    .option("--db <file>", "SQLite file of the index, kept across restarts (default: in memory)")
    .option("--from-block <n>", "first block to index (default: the deployment's block)")
    .option("--poll-ms <n>", "how often to poll the chain head, in milliseconds", "500")
    .addHelpText(
      "after",
      `
Pages: / (jobs), /jobs/N, /proposals, /games, /games/N. The JSON behind them:
/api/status, /api/jobs, /api/jobs/N, /api/proposals, /api/games, /api/games/N;
/api/stream sends a server-sent event each time the index moves. Runs until
Ctrl-C. Exit status: 2 for bad input (bad option, not a Verdict contract, port
taken), 1 for an unreachable RPC or an internal error.`,
    )
    .action(async (opts) => {
      const { explorerCommand } = await import("./commands/explorerCommand.ts");
      await explorerCommand(opts, io);
    });

  // Daemon hook: the proposer owns its options (proposer/src/cli.ts); every
  // argument after `proposer` is handed to it unparsed.
  cli
    .command("proposer")
    .description("Run the proposer daemon (options: verdict proposer --help).")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]")
    .action(async (args: string[]) => {
      const { runProposerCli } = await import("../../../proposer/src/cli.ts");
      await runProposerCli(args);
    });

  // Same hook for the challenger (challenger/src/cli.ts owns its options).
  cli
    .command("challenger")
    .description("Run the challenger (watchtower) daemon (options: verdict challenger --help).")
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]")
    .action(async (args: string[]) => {
      const { runChallengerCli } = await import("../../../challenger/src/cli.ts");
      await runChallengerCli(args);
    });

  // And for the challenger's workers (challenger/src/work/workerCli.ts owns their options).
  cli
    .command("worker")
    .description(
      "Run a watchtower worker: recomputations from the challenger's broker queue (options: verdict worker --help).",
    )
    .helpOption(false)
    .allowUnknownOption()
    .allowExcessArguments()
    .argument("[args...]")
    .action(async (args: string[]) => {
      const { runWorkerCli } = await import("../../../challenger/src/work/workerCli.ts");
      await runWorkerCli(args);
    });

  return cli;
}
