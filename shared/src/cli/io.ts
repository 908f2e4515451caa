// The streams a CLI command writes to, injectable so tests can capture them.

import type { ProgressStream } from "./progress.ts";

export type CliIo = {
  stdout: { write(text: string): unknown };
  /** Also where the progress bar draws; `isTTY` decides whether it may. */
  stderr: ProgressStream;
};

export const processIo: CliIo = { stdout: process.stdout, stderr: process.stderr };
