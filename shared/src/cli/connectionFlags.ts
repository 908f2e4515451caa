// The connection flags every chain command and both daemons share, their
// descriptions and their environment variables. Apart from connection.ts so
// that building the command tree (and --help) loads no viem. The daemons read
// the same table as config fields (daemonConnection.ts), so a flag means the
// same thing, under the same variable, wherever it is given.

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

/** What each connection flag is, in words (the environment variable is added where it is shown). */
export const CONNECTION_FLAGS = {
  rpcUrl: "JSON-RPC endpoint",
  deployment: "deployment file written by `verdict deploy`",
  verdict: "Verdict contract, instead of a deployment file",
  outputs: "Outputs contract (default: the deployment file's)",
  keystore: "v3 keystore of the signing key",
  passwordFile: "keystore password file",
  privateKey: "raw signing key",
} as const;

/** Adds the shared connection flags; `signer` adds the key flags too. */
export function withConnection(
  cmd: Command,
  { signer, contracts = true }: { signer: boolean; contracts?: boolean },
): Command {
  const E = CONNECTION_ENV;
  const F = CONNECTION_FLAGS;
  cmd.option("--rpc-url <url>", `${F.rpcUrl} (env ${E.rpcUrl})`);
  if (contracts) {
    cmd
      .option("--deployment <file>", `${F.deployment} (env ${E.deployment})`)
      .option("--verdict <address>", `${F.verdict} (env ${E.verdict})`)
      .option("--outputs <address>", `${F.outputs} (env ${E.outputs})`);
  }
  if (signer) {
    cmd
      .option("--keystore <file>", `${F.keystore} (env ${E.keystore})`)
      .option("--password-file <file>", `${F.passwordFile} (env ${E.passwordFile}; or env ${E.password})`)
      .option("--private-key <hex>", `${F.privateKey}; prefer env ${E.privateKey} or a keystore`);
  }
  return cmd;
}
