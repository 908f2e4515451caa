// `verdict audit <job>`: rebuilds a job's provenance from the chain, re-executes
// it and prints the verdict (audit/auditJob.ts) as a timeline or one JSON
// object. The verdict is also the exit status (audit/formatAudit.ts).

import { type Address, createPublicClient, defineChain, http, isAddress } from "viem";
import { type AuditReport, auditJob } from "../../audit/auditJob.ts";
import { AuditError } from "../../audit/errors.ts";
import { AUDIT_EXIT_CODES, auditJson, formatAudit } from "../../audit/formatAudit.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { parseManifest } from "../../manifest/parseManifest.ts";
import { CommandExitCode } from "../errorExit.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";

export type AuditCommandOptions = {
  rpcUrl?: string;
  verdict?: string;
  outputs?: string;
  elf?: string;
  manifest?: string;
  fromBlock?: string;
  block?: string;
  maxSteps?: string;
  json?: boolean;
};

function address(option: string, value: string | undefined, required: boolean): Address | undefined {
  if (value === undefined || value === "") {
    if (required)
      throw new CliUsageError({ option, value: "", reason: "required (or set its environment variable)" });
    return undefined;
  }
  if (!isAddress(value, { strict: false }))
    throw new CliUsageError({ option, value, reason: "not a 20-byte 0x address" });
  return value;
}

export async function auditCommand(job: string, opts: AuditCommandOptions, io: CliIo): Promise<AuditReport> {
  const jobId = parseCount(job, "job id", { min: 1n });
  const rpcUrl = opts.rpcUrl ?? process.env.VERDICT_RPC_URL;
  if (!rpcUrl)
    throw new CliUsageError({ option: "--rpc-url", value: "", reason: "required (or set VERDICT_RPC_URL)" });
  const verdict = address("--verdict", opts.verdict ?? process.env.VERDICT_ADDRESS, true) as Address;
  const outputs = address("--outputs", opts.outputs ?? process.env.VERDICT_OUTPUTS_ADDRESS, false);
  const elf = opts.elf === undefined ? undefined : readFileArg(opts.elf, "ELF file");
  const manifest =
    opts.manifest === undefined
      ? undefined
      : parseManifest(new TextDecoder().decode(readFileArg(opts.manifest, "manifest file")), opts.manifest);
  const probe = createPublicClient({ transport: http(rpcUrl, { retryCount: 1 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (cause) {
    throw new AuditError(`Cannot reach the RPC endpoint ${rpcUrl}.`, { cause, retryable: true });
  }
  const publicClient = createPublicClient({
    chain: defineChain({
      id: chainId,
      name: `chain-${chainId}`,
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [rpcUrl] } },
    }),
    transport: http(rpcUrl),
  });
  const report = await auditJob({
    publicClient,
    verdict,
    outputs,
    jobId,
    elf,
    manifest,
    fromBlock:
      opts.fromBlock === undefined ? undefined : parseCount(opts.fromBlock, "--from-block", { min: 0n }),
    blockNumber: opts.block === undefined ? undefined : parseCount(opts.block, "--block", { min: 0n }),
    maxSteps: opts.maxSteps === undefined ? undefined : parseCount(opts.maxSteps, "--max-steps", { min: 1n }),
  });
  io.stdout.write(opts.json ? `${auditJson(report)}\n` : formatAudit(report));
  const code = AUDIT_EXIT_CODES[report.verdict];
  if (code !== 0) throw new CommandExitCode(code);
  return report;
}
