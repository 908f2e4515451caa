// Package entry (`pnpm --filter @verdict/proposer start -- <flags>`).
import { runProposerCli } from "./cli.ts";

await runProposerCli(process.argv.slice(2));
