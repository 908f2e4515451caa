// `verdict proposer` (`npx verdict proposer …` from the repository root): the command
// line of the proposer. Flags mirror the config schema (kebab-case); each can
// also come from its VERDICT_* environment variable or a JSON --config file.
// Exit codes: 2 bad configuration, 1 any other startup or runtime failure.

import { keyHelp } from "@verdict/shared/src/cli/daemonConnection.ts";
import { ConfigError, ConfigFileError } from "@verdict/shared/src/config/errors.ts";
import { addSchemaOptions } from "@verdict/shared/src/config/schemaOptions.ts";
import { Command } from "commander";
import { buildProposerConfig, PROPOSER_KEY_ENV, proposerSchema } from "./config.ts";
import { runProposer } from "./runProposer.ts";

export const EXIT_CONFIG = 2;
export const EXIT_FAILURE = 1;

/** The `proposer` command, to be added to the `verdict` CLI or run on its own. */
export function createProposerCommand(onExit: (code: number) => void = (c) => process.exit(c)): Command {
  const cmd = new Command("proposer")
    .description("Run the proposer daemon: execute jobs, propose bonded batches, defend every game, settle.")
    .option("--config <file>", "JSON config file (keys are the option names in camelCase)");
  addSchemaOptions(cmd, proposerSchema);
  cmd.addHelpText(
    "after",
    `\n${keyHelp(PROPOSER_KEY_ENV, "challenger")}\nFault injection (--inject-fault) is for tests and demos only: the proposer then posts wrong results.`,
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    const { config: file, ...cli } = opts;
    for (const k of Object.keys(cli)) if (cli[k] === true) cli[k] = "true";
    let config: ReturnType<typeof buildProposerConfig>;
    try {
      config = buildProposerConfig({ cli, env: process.env, file: file as string | undefined });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof ConfigFileError) {
        process.stderr.write(`verdict proposer: ${err.message}\n`);
        onExit(EXIT_CONFIG);
        return;
      }
      throw err;
    }
    try {
      await runProposer({ config });
      onExit(0);
    } catch (err) {
      process.stderr.write(`verdict proposer: ${(err as Error).message}\n`);
      onExit(EXIT_FAILURE);
    }
  });
  return cmd;
}

/** Runs the proposer command on `argv` (user arguments only). */
export async function runProposerCli(argv: string[]): Promise<void> {
  await createProposerCommand().parseAsync(argv, { from: "user" });
}
