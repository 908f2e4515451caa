// `verdict deploy --config FILE`: deploys the protocol (shared/src/deploy) and
// writes the deployment file every other chain command reads (--deployment).

import { readFileSync, writeFileSync } from "node:fs";
import { deploy } from "../../deploy/deploy.ts";
import { parseDeployConfig } from "../../deploy/parseDeployConfig.ts";
import type { Deployment } from "../../deploy/types.ts";
import { CliFileError } from "../../errors/cli.ts";
import { type ConnectionOptions, connectRpc, loadSigner, toJson, walletFor } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { printResult } from "./printResult.ts";

export type DeployCommandOptions = ConnectionOptions & { config: string; out: string; json?: boolean };

export async function deployCommand(opts: DeployCommandOptions, io: CliIo): Promise<Deployment> {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(opts.config, "utf8"));
  } catch (cause) {
    const code = (cause as { code?: string }).code;
    throw new CliFileError({
      what: "deploy config",
      path: opts.config,
      reason: code === "ENOENT" ? "no such file (see docs/cli.md for its fields)" : "not valid JSON",
      cause,
    });
  }
  const config = parseDeployConfig(raw);
  const account = await loadSigner(opts);
  const { publicClient, rpcUrl } = await connectRpc(opts);
  const deployment = await deploy({
    publicClient,
    walletClient: walletFor(publicClient, rpcUrl, account),
    config,
  });
  writeFileSync(
    opts.out,
    `${JSON.stringify(JSON.parse(toJson({ ...deployment, deployedAtBlock: deployment.deployedAtBlock.toString() })), null, 2)}\n`,
  );
  printResult(io, opts.json, { ...deployment, deploymentFile: opts.out });
  return deployment;
}
