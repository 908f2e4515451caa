// Typed errors of the `verdict` CLI: bad arguments and unreadable files. They
// map to exit code 2 (bad input), like every other typed error.

import { BaseError } from "./base.ts";

export type CliUsageErrorType = CliUsageError & { name: "CliUsageError" };
/** An option or argument value the command cannot use. */
export class CliUsageError extends BaseError {
  override name = "CliUsageError";
  constructor({ option, value, reason }: { option: string; value: string; reason: string }) {
    super(`Invalid ${option} ${JSON.stringify(value)}: ${reason}.`, {
      metaMessages: ["Run `verdict help <command>` for the accepted forms."],
    });
  }
}

export type CliFileErrorType = CliFileError & { name: "CliFileError" };
/** A file named on the command line that cannot be read. */
export class CliFileError extends BaseError {
  override name = "CliFileError";
  readonly path: string;
  constructor({
    what,
    path,
    reason,
    cause,
  }: { what: string; path: string; reason: string; cause?: unknown }) {
    super(`Cannot read ${what} ${path}: ${reason}.`, { cause });
    this.path = path;
  }
}
