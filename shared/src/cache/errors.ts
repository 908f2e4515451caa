// Typed errors of the trace cache. Corruption is not an error for callers
// (the entry is dropped and rebuilt); only an unusable cache directory is.

import { BaseError } from "../errors/base.ts";

export class CacheDirectoryError extends BaseError {
  override name = "CacheDirectoryError";
  constructor({ dir, cause }: { dir: string; cause: unknown }) {
    super(`Cannot use cache directory ${dir}: ${(cause as NodeJS.ErrnoException).code ?? cause}.`, {
      cause,
      metaMessages: ["Try: a writable --data-dir."],
    });
  }
}

/** Work content that cannot be keyed (a caller bug, not bad data from disk). */
export class WorkKeyError extends BaseError {
  override name = "WorkKeyError";
  constructor(reason: string) {
    super(`Cannot key this work: ${reason}.`);
  }
}
