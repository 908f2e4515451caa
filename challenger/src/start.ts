// Package entry (`pnpm --filter @verdict/challenger start -- <flags>`).
import { runChallengerCli } from "./cli.ts";

await runChallengerCli(process.argv.slice(2));
