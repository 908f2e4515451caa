// Process entry of the `verdict` CLI (started by shared/bin/verdict.js).
// Sets the exit code rather than calling process.exit, so stdout is flushed
// even when it is a pipe; a pipe closed by its reader ends the process quietly.

import { exitQuietlyOnEpipe } from "./io.ts";
import { runCli } from "./runCli.ts";

exitQuietlyOnEpipe(process.stdout);
process.exitCode = await runCli(process.argv.slice(2));
