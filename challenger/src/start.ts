// Package entry of `pnpm --filter @verdict/challenger start`. The documented form is
// `npx verdict challenger …` from the repository root; this one runs in the package
// directory (relative paths resolve there), and pnpm forwards a literal "--"
// before the flags, which is dropped here rather than read as an argument.
import { runChallengerCli } from "./cli.ts";

const args = process.argv.slice(2);
await runChallengerCli(args[0] === "--" ? args.slice(1) : args);
