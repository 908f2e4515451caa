// Process entry of the `verdict` CLI (started by shared/bin/verdict.js).
// Sets the exit code rather than calling process.exit, so stdout is flushed
// even when it is a pipe.

import { runCli } from "./runCli.ts";

process.exitCode = await runCli(process.argv.slice(2));
