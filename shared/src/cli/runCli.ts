// Runs the CLI on an argument vector and returns the exit code instead of
// exiting, so tests drive it in-process. All error reporting happens here.

import { createCli } from "./createCli.ts";
import { EXIT_OK, errorExit } from "./errorExit.ts";
import { type CliIo, processIo } from "./io.ts";

/** `args` are the user's arguments (process.argv.slice(2)). */
export async function runCli(args: string[], io: CliIo = processIo): Promise<number> {
  try {
    await createCli(io).parseAsync(args, { from: "user" });
    return EXIT_OK;
  } catch (err) {
    const { exitCode, text } = errorExit(err);
    if (text) io.stderr.write(text);
    return exitCode;
  }
}
