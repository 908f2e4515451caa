// Package entry of `pnpm --filter @verdict/proposer start`. The documented form is
// `npx verdict proposer …` from the repository root; this one runs in the package
// directory (relative paths resolve there), and pnpm forwards a literal "--"
// before the flags, which is dropped here rather than read as an argument.
import { runProposerCli } from "./cli.ts";

const args = process.argv.slice(2);
await runProposerCli(args[0] === "--" ? args.slice(1) : args);
