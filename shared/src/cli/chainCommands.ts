// The chain commands of `verdict` (deploy, register, submit, attest, list,
// show, publish-output, finalize, withdraw), built on the client actions
// (src/actions). Kept apart from createCli.ts so the command tree grows by
// one call there. Implementations load when a command runs, so --help stays fast.

import type { Command } from "commander";
import { CONNECTION_ENV, withConnection } from "./connectionFlags.ts";
import type { CliIo } from "./io.ts";

const collect = (v: string, prev: string[] = []) => [...prev, v];

const NOTE = `
Connection: --rpc-url, --deployment FILE (or --verdict ADDR [--outputs ADDR]),
--keystore FILE [--password-file FILE] or --private-key HEX; each also an
environment variable: ${Object.values(CONNECTION_ENV).join(", ")}.
Exit status: 0 done; 2 bad input (bad option, unreadable file, unknown id, a
revert, printed with its custom error name); 1 internal error or RPC trouble.`;

export function addChainCommands(cli: Command, io: CliIo): void {
  withConnection(
    cli
      .command("deploy")
      .description(
        "Deploy the protocol from a config file and write the deployment file the other commands read.",
      )
      .requiredOption("--config <file>", "deploy config JSON (k, params, optional roles and timelock)")
      .option("--out <file>", "deployment file to write", "deployment.json")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: true, contracts: false },
  )
    .addHelpText("after", NOTE)
    .action(async (opts) => {
      const { deployCommand } = await import("./commands/deployCommand.ts");
      await deployCommand(opts, io);
    });

  withConnection(
    cli
      .command("register")
      .description(
        "Register a program: root and entry from the ELF, trace exponent D, manifest hash, data-source signers.",
      )
      .argument("<elf>", "RV32IM ELF executable")
      .requiredOption("--depth <d>", "trace exponent D: jobs may run up to 2^D steps")
      .option("--signer <address>", "data source whose attestation inputs need (repeatable)", collect)
      .option(
        "--manifest <file>",
        "program manifest JSON (default: manifest.json beside the ELF, if present)",
      )
      .option("--verifier <address>", "step verifier (default: the deployment's)")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: true },
  )
    .addHelpText(
      "after",
      `\nJSON fields: programId, programRoot, entry, txHash, depth, manifestHash, signers.${NOTE}`,
    )
    .action(async (elf: string, opts) => {
      const { registerCommand } = await import("./commands/registerCommand.ts");
      await registerCommand(elf, opts, io);
    });

  withConnection(
    cli
      .command("submit")
      .description("Submit a job: a program and input bytes, with a fee for the proposer.")
      .requiredOption("--program <id>", "program id")
      .requiredOption("--input <file>", "input bytes ('-' for stdin)")
      .option("--fee <eth>", "fee in ETH, e.g. 0.01", "0")
      .option(
        "--attestation <file>",
        "data source's attestation (from `verdict attest`), for signed programs",
      )
      .option("--wait", "wait until the job has a final result")
      .option("--timeout <seconds>", "with --wait: give up after this long", "600")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: true },
  )
    .addHelpText(
      "after",
      `\nJSON fields: jobId, inputRoot, txHash, blockNumber, programId, feeWei, finalStateHash, proposalId.${NOTE}`,
    )
    .action(async (opts) => {
      const { submitCommand } = await import("./commands/submitCommand.ts");
      await submitCommand(opts, io);
    });

  withConnection(
    cli
      .command("attest")
      .description(
        "As a data source, sign (EIP-712) that an input may be submitted by one requester with one fee.",
      )
      .requiredOption("--program <id>", "program id")
      .requiredOption("--input <file>", "input bytes ('-' for stdin)")
      .requiredOption("--requester <address>", "the account that will submit the job")
      .option("--fee <eth>", "the fee the job must carry, in ETH", "0")
      .option("--nonce <n>", "one-time number of this signer (default: derived from the clock)")
      .option(
        "--deadline <unix-seconds>",
        "last second the attestation is valid (default: one hour after the chain's latest block)",
      )
      .option("--out <file>", "write the attestation JSON here (what `verdict submit --attestation` reads)")
      .option("--json", "print the attestation JSON on stdout"),
    { signer: true },
  )
    .addHelpText(
      "after",
      `\nPrints what was signed; with --json the attestation JSON: signer, nonce, deadline,\nsignature, inputRoot (nonce and deadline as decimal strings).${NOTE}`,
    )
    .action(async (opts) => {
      const { attestCommand } = await import("./commands/attestCommand.ts");
      await attestCommand(opts, io);
    });

  withConnection(
    cli
      .command("list")
      .description("List the newest jobs, proposals or games.")
      .argument("<kind>", "jobs | proposals | games")
      .option("--limit <n>", "at most this many", "20")
      .option("--before <id>", "start at this id (default: the newest)")
      .option("--json", "print a JSON array on stdout"),
    { signer: false },
  )
    .addHelpText("after", NOTE)
    .action(async (kind: string, opts) => {
      const { listCommand } = await import("./commands/listCommand.ts");
      await listCommand(kind, opts, io);
    });

  withConnection(
    cli
      .command("show")
      .description("Show one job (with its output), proposal, or game (with its moves as a timeline).")
      .argument("<kind>", "job | proposal | game")
      .argument("<id>", "its id")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: false },
  )
    .addHelpText("after", NOTE)
    .action(async (kind: string, id: string, opts) => {
      const { showCommand } = await import("./commands/showCommand.ts");
      await showCommand(kind, id, opts, io);
    });

  withConnection(
    cli
      .command("publish-output")
      .description(
        "Re-execute a finalized job, open its output from the final state and publish the bytes onchain.",
      )
      .argument("<job>", "job id")
      .requiredOption("--elf <file>", "the job's program (RV32IM ELF)")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: true },
  )
    .addHelpText("after", NOTE)
    .action(async (job: string, opts) => {
      const { publishOutputCommand } = await import("./commands/publishOutputCommand.ts");
      await publishOutputCommand(job, opts, io);
    });

  withConnection(
    cli
      .command("finalize")
      .description("Finalize a proposal whose challenge window has closed with no open game.")
      .argument("<proposal>", "proposal id")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: true },
  )
    .addHelpText("after", NOTE)
    .action(async (proposal: string, opts) => {
      const { finalizeCommand } = await import("./commands/finalizeCommand.ts");
      await finalizeCommand(proposal, opts, io);
    });

  withConnection(
    cli
      .command("withdraw")
      .description("Withdraw the signer's credit (fees, stakes, bonds) from Verdict and DisputeGame.")
      .option("--json", "print exactly one JSON object on stdout"),
    { signer: true },
  )
    .addHelpText("after", NOTE)
    .action(async (opts) => {
      const { withdrawCommand } = await import("./commands/withdrawCommand.ts");
      await withdrawCommand(opts, io);
    });
}
