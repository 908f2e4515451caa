// The `verdict gov` command group: every governance action of the contracts
// (docs/spec.md §2.5), each sent directly by its role holder or through the
// timelock (--schedule, then --execute). Implementations load when a command
// runs, so --help stays fast.

import type { Command } from "commander";
import type { GovActionName, GovCommandOptions } from "./commands/govCommand.ts";
import { CONNECTION_ENV, withConnection } from "./connectionFlags.ts";
import type { CliIo } from "./io.ts";

const MODES = `
Modes: without --schedule/--execute the signer calls the contract directly and
must hold the role (the guardian's emergency actions: pause, unpause,
invalidate-proposal, invalidate-game, rollback, retire-verifier). With
--schedule a timelock proposer schedules the call on the TimelockController
(printed: operationId, readyAt = earliest chain time to execute); with --execute
(same arguments and --salt) an executor runs it once readyAt has passed. A call
the timelock holds no role for (a guardian action while the guardian is a
separate key) is refused before anything is sent, as is a signer without the
role, an operation not scheduled, not ready (the error says when it will be) or
already executed.

JSON fields: direct: action, txHash (rollback: rolledBack, done); --schedule:
action, operationId, readyAt, readyAtIso, delaySeconds, target, data, salt,
predecessor, txHash; --execute: action, operationId, txHash (rollback:
rolledBack, done).
Connection: as every chain command, plus --timelock ADDR (env
${CONNECTION_ENV.timelock}; default: the deployment file's "timelock").
Exit status: 0 done; 2 bad input (bad option, a missing role, an operation not
scheduled or not ready, a revert printed with its custom error name); 1
internal error or RPC trouble.`;

type Spec = {
  name: GovActionName;
  description: string;
  arg?: [string, string];
  options?: (c: Command) => Command;
};

const SPECS: Spec[] = [
  {
    name: "pause",
    description: "Pause the protocol: every user action stops, active time freezes (guardian).",
  },
  { name: "unpause", description: "Unpause: every party gets back exactly the time it had (guardian)." },
  {
    name: "invalidate-proposal",
    description:
      "Invalidate a pending proposal: it never finalizes, every stake and bond is refunded (guardian).",
    arg: ["<proposal>", "proposal id"],
  },
  {
    name: "invalidate-game",
    description: "Invalidate a game's proposal the same way (guardian).",
    arg: ["<game>", "game id"],
  },
  {
    name: "rollback",
    description:
      "While paused: roll back proposals finalized after a time, newest first; their results become re-provable (guardian).",
    options: (c) =>
      c
        .requiredOption("--after <unix-seconds>", "roll back proposals with finalizedAt after this")
        .option("--max-proposals <n>", "at most this many per call (repeat until done)", "100"),
  },
  {
    name: "retire-verifier",
    description: "Stop new programs from binding a verifier; existing ones keep it (guardian).",
    arg: ["<verifier>", "verifier address"],
  },
  {
    name: "set-params",
    description:
      "Set Verdict's parameters (parameter setter: the timelock). Unset flags keep their current value.",
    options: (c) =>
      c
        .option("--proposer-bond <eth>", "stake of each proposal, in ETH")
        .option("--claim-bond <eth>", "bond of every claim in a game, in ETH")
        .option("--challenge-window <seconds>", "challenge window (active time)")
        .option("--clock-seconds <seconds>", "each side's clock along each path of a game")
        .option("--burn-bps <n>", "share of forfeited bonds burned, in basis points")
        .option("--max-input-bytes <n>", "largest job input")
        .option("--max-batch-size <n>", "most leaves per proposal")
        .option("--fee-timeout <seconds>", "after this a fee without a result is reclaimable"),
  },
  {
    name: "approve-verifier",
    description: "Approve a new step verifier for new programs (admin: the timelock).",
    arg: ["<verifier>", "verifier address"],
  },
  {
    name: "set-max-depth",
    description: "Set the largest trace exponent D a new program may register (admin: the timelock).",
    arg: ["<depth>", "1..48"],
  },
];

export function addGovCommands(cli: Command, io: CliIo): void {
  const gov = cli
    .command("gov")
    .description(
      "Governance: pause, invalidate, roll back, set parameters, directly or through the timelock.",
    )
    .addHelpText("after", MODES);
  for (const spec of SPECS) {
    let cmd = gov.command(spec.name).description(spec.description);
    if (spec.arg) cmd = cmd.argument(spec.arg[0], spec.arg[1]);
    if (spec.options) cmd = spec.options(cmd);
    withConnection(
      cmd
        .option("--schedule", "schedule the call on the timelock (as a timelock proposer)")
        .option("--execute", "execute the scheduled call once its delay has passed (as a timelock executor)")
        .option("--salt <salt>", "timelock salt, the same for --schedule and --execute (default 0)")
        .option("--delay <seconds>", "with --schedule: delay (default: the timelock's minimum)")
        .option("--timelock <address>", `TimelockController (env ${CONNECTION_ENV.timelock})`)
        .option("--json", "print exactly one JSON object on stdout"),
      { signer: true },
    )
      .addHelpText("after", MODES)
      .action(async (...args: unknown[]) => {
        const { govCommand } = await import("./commands/govCommand.ts");
        const arg = spec.arg ? (args[0] as string) : undefined;
        const opts = args[spec.arg ? 1 : 0] as GovCommandOptions;
        await govCommand(spec.name, arg, opts, io);
      });
  }
}
