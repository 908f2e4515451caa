// `verdict challenger` (`npx verdict challenger …` from the repository root): the command
// line of the challenger. Flags mirror the config schema (kebab-case); each
// can also come from its VERDICT_* environment variable or a JSON --config
// file. Exit codes: 2 bad configuration, 1 any other startup or runtime failure.

import { keyHelp } from "@verdict/shared/src/cli/daemonConnection.ts";
import { ConfigError, ConfigFileError } from "@verdict/shared/src/config/errors.ts";
import { addSchemaOptions } from "@verdict/shared/src/config/schemaOptions.ts";
import { Command } from "commander";
import { buildChallengerConfig, CHALLENGER_KEY_ENV, challengerSchema } from "./config.ts";
import { runChallenger } from "./runChallenger.ts";

export const EXIT_CONFIG = 2;
export const EXIT_FAILURE = 1;

/** The `challenger` command, to be added to the `verdict` CLI or run on its own. */
export function createChallengerCommand(onExit: (code: number) => void = (c) => process.exit(c)): Command {
  const cmd = new Command("challenger")
    .description(
      "Run the challenger (watchtower): recompute every proposed result, challenge wrong ones, play each game to the end, claim bonds.",
    )
    .option("--config <file>", "JSON config file (keys are the option names in camelCase)");
  addSchemaOptions(cmd, challengerSchema);
  cmd.addHelpText(
    "after",
    `\n${keyHelp(CHALLENGER_KEY_ENV, "proposer")}\nWith --watch-only no key is needed: wrong results are alerted (log + --alert-webhook) but never challenged.`,
  );
  cmd.action(async (opts: Record<string, unknown>) => {
    const { config: file, ...cli } = opts;
    for (const k of Object.keys(cli)) if (cli[k] === true) cli[k] = "true";
    let config: ReturnType<typeof buildChallengerConfig>;
    try {
      config = buildChallengerConfig({ cli, env: process.env, file: file as string | undefined });
    } catch (err) {
      if (err instanceof ConfigError || err instanceof ConfigFileError) {
        process.stderr.write(`verdict challenger: ${err.message}\n`);
        onExit(EXIT_CONFIG);
        return;
      }
      throw err;
    }
    try {
      await runChallenger({ config });
      onExit(0);
    } catch (err) {
      process.stderr.write(`verdict challenger: ${(err as Error).message}\n`);
      onExit(EXIT_FAILURE);
    }
  });
  return cmd;
}

/** Runs the challenger command on `argv` (user arguments only). */
export async function runChallengerCli(argv: string[]): Promise<void> {
  await createChallengerCommand().parseAsync(argv, { from: "user" });
}
