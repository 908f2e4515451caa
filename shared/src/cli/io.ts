// The streams a CLI command writes to, injectable so tests can capture them,
// and what happens when the reader of stdout goes away.

import type { ProgressStream } from "./progress.ts";

export type CliIo = {
  stdout: { write(text: string): unknown };
  /** Also where the progress bar draws; `isTTY` decides whether it may. */
  stderr: ProgressStream;
};

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };

/**
 * A reader that stops reading (`verdict gov rollback --help | head -3`) is
 * not an error: on EPIPE the process exits at once, quietly and with status 0
 * (under `set -o pipefail` too), instead of dying of an unhandled 'error'
 * event. Any other stream error is still thrown.
 */
export function exitQuietlyOnEpipe(
  stream: NodeJS.EventEmitter,
  exit: (code: number) => void = (code) => process.exit(code),
): void {
  stream.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code !== "EPIPE") throw err;
    exit(0);
  });
}
