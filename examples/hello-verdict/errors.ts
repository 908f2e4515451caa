// The example's own typed errors, built on the library's BaseError like every
// error it throws: each says what was wrong and what to do, and `retryable`
// tells main.ts the exit code (2 for bad input, 1 for trouble worth a retry).

import { BaseError } from "@verdict/shared";

/** A flag or environment variable the app cannot use. */
export class UsageError extends BaseError {
  override name = "UsageError";
  readonly option: string;
  constructor({ option, value, reason }: { option: string; value?: string; reason: string }) {
    super(`Invalid ${option}${value === undefined ? "" : ` ${JSON.stringify(value)}`}: ${reason}.`, {
      metaMessages: ["Run with --help for the accepted flags."],
    });
    this.option = option;
  }
}

/** A file named by a flag (deployment, input, ELF) that cannot be read or does not fit. */
export class FileError extends BaseError {
  override name = "FileError";
  readonly path: string;
  constructor({
    what,
    path,
    reason,
    cause,
  }: { what: string; path: string; reason: string; cause?: unknown }) {
    super(`Cannot use ${what} ${path}: ${reason}.`, { cause });
    this.path = path;
  }
}

/** The RPC endpoint does not answer; the same run may work later. */
export class ConnectionError extends BaseError {
  override name = "ConnectionError";
  constructor({ url, cause }: { url: string; cause: unknown }) {
    super(`Cannot reach the RPC endpoint ${url}.`, {
      cause,
      retryable: true,
      metaMessages: ["Is the node running, and is --rpc-url (VERDICT_RPC_URL) its HTTP URL?"],
    });
  }
}

/** The deployment file is for another chain than the RPC endpoint serves. */
export class ChainMismatchError extends BaseError {
  override name = "ChainMismatchError";
  constructor({ expected, actual, url }: { expected: number; actual: number; url: string }) {
    super(`The deployment file is for chain ${expected}, but ${url} serves chain ${actual}.`, {
      metaMessages: ["Use the deployment file of the network this RPC endpoint belongs to."],
    });
  }
}
