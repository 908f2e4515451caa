// The connection flags every chain command shares and their environment
// variables. Apart from connection.ts so that building the command tree
// (and --help) loads no viem.

import type { Command } from "commander";

export const CONNECTION_ENV = {
  rpcUrl: "VERDICT_RPC_URL",
  deployment: "VERDICT_DEPLOYMENT",
  verdict: "VERDICT_ADDRESS",
  outputs: "VERDICT_OUTPUTS_ADDRESS",
  timelock: "VERDICT_TIMELOCK_ADDRESS",
  keystore: "VERDICT_KEYSTORE",
  passwordFile: "VERDICT_PASSWORD_FILE",
  password: "VERDICT_KEYSTORE_PASSWORD",
  privateKey: "VERDICT_PRIVATE_KEY",
} as const;

/** Adds the shared connection flags; `signer` adds the key flags too. */
export function withConnection(
  cmd: Command,
  { signer, contracts = true }: { signer: boolean; contracts?: boolean },
): Command {
  const E = CONNECTION_ENV;
  cmd.option("--rpc-url <url>", `JSON-RPC endpoint (env ${E.rpcUrl})`);
  if (contracts) {
    cmd
      .option("--deployment <file>", `deployment file written by \`verdict deploy\` (env ${E.deployment})`)
      .option("--verdict <address>", `Verdict contract, instead of a deployment file (env ${E.verdict})`)
      .option("--outputs <address>", `Outputs contract, with --verdict (env ${E.outputs})`);
  }
  if (signer) {
    cmd
      .option("--keystore <file>", `v3 keystore of the signing key (env ${E.keystore})`)
      .option(
        "--password-file <file>",
        `keystore password file (env ${E.passwordFile}; or env ${E.password})`,
      )
      .option("--private-key <hex>", `raw signing key; prefer env ${E.privateKey} or a keystore`);
  }
  return cmd;
}
