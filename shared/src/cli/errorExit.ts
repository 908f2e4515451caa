// Maps an error to what the CLI prints and its exit code. Expected failures
// print `error: <shortMessage>` and details, no stack: typed errors that are
// not retryable and usage errors are bad input (exit 2); a retryable typed
// error (an RPC hiccup) exits 1. Anything else is a bug: message plus stack,
// exit 1.

import { CommanderError } from "commander";
import { isBaseError } from "../errors/base.ts";

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_BAD_INPUT = 2;

export type ErrorExit = { exitCode: number; text: string };

const COMMAND_EXIT_CODE = Symbol.for("verdict.CommandExitCode");

/**
 * Not an error: a command that has printed its answer and whose answer is also
 * an exit status (`verdict audit`'s verdicts) throws this to set it.
 */
export class CommandExitCode {
  /**
   * Recognised by a registry-wide symbol rather than by class identity: the
   * module can be loaded twice (a test importing the sources from another
   * package, or source and bundled copies side by side), and an exit code
   * must not turn into an "internal error" then.
   */
  readonly [COMMAND_EXIT_CODE] = true;
  constructor(readonly exitCode: number) {}
  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && COMMAND_EXIT_CODE in value;
  }
}

export function errorExit(err: unknown): ErrorExit {
  if (err instanceof CommandExitCode) return { exitCode: err.exitCode, text: "" };
  if (err instanceof CommanderError) {
    // Commander has already printed its own message (help, version, usage).
    return { exitCode: err.exitCode === 0 ? EXIT_OK : EXIT_BAD_INPUT, text: "" };
  }
  if (isBaseError(err)) {
    const lines = [`error: ${err.shortMessage}`];
    if (err.metaMessages?.length) lines.push(...err.metaMessages.map((m) => `  ${m}`));
    if (err.details) lines.push(...err.details.split("\n").map((l) => `  ${l}`));
    // A wrapped non-BaseError cause (an fs error, say) is context, not a crash.
    const cause = err.cause;
    // System errors (ENOENT…) are already translated into the short message.
    const systemError = typeof (cause as { code?: unknown } | undefined)?.code === "string";
    if (cause instanceof Error && !isBaseError(cause) && !systemError)
      lines.push(`  cause: ${cause.message}`);
    else if (isBaseError(cause)) lines.push(`  cause: ${cause.shortMessage}`);
    return { exitCode: err.retryable ? EXIT_FAILURE : EXIT_BAD_INPUT, text: `${lines.join("\n")}\n` };
  }
  const e = err instanceof Error ? err : new Error(String(err));
  return {
    exitCode: EXIT_FAILURE,
    text: `error: ${e.message}\n${e.stack ?? ""}\n(internal error: please report it with the command that caused it)\n`,
  };
}
