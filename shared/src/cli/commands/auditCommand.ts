// `verdict audit <job>`: rebuilds a job's provenance from the chain, re-executes
// it and prints the verdict (audit/auditJob.ts) as a timeline or one JSON
// object. The verdict is also the exit status (audit/formatAudit.ts).

import { type AuditReport, auditJob } from "../../audit/auditJob.ts";
import { AUDIT_EXIT_CODES, auditJson, formatAudit } from "../../audit/formatAudit.ts";
import { parseManifest } from "../../manifest/parseManifest.ts";
import { type ConnectionOptions, connect } from "../connection.ts";
import { CommandExitCode } from "../errorExit.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { readFileArg } from "../readFileArg.ts";

export type AuditCommandOptions = ConnectionOptions & {
  elf?: string;
  manifest?: string;
  fromBlock?: string;
  block?: string;
  maxSteps?: string;
  json?: boolean;
};

export async function auditCommand(job: string, opts: AuditCommandOptions, io: CliIo): Promise<AuditReport> {
  const jobId = parseCount(job, "job id", { min: 1n });
  const elf = opts.elf === undefined ? undefined : readFileArg(opts.elf, "ELF file");
  const manifest =
    opts.manifest === undefined
      ? undefined
      : parseManifest(new TextDecoder().decode(readFileArg(opts.manifest, "manifest file")), opts.manifest);
  // The shared connection: --deployment or --verdict, env vars, a clear error for a dead RPC.
  const { publicClient, contracts } = await connect(opts);
  const report = await auditJob({
    publicClient,
    verdict: contracts.verdict,
    outputs: contracts.outputs ?? undefined,
    jobId,
    elf,
    manifest,
    fromBlock:
      opts.fromBlock === undefined
        ? contracts.fromBlock
        : parseCount(opts.fromBlock, "--from-block", { min: 0n }),
    blockNumber: opts.block === undefined ? undefined : parseCount(opts.block, "--block", { min: 0n }),
    maxSteps: opts.maxSteps === undefined ? undefined : parseCount(opts.maxSteps, "--max-steps", { min: 1n }),
  });
  io.stdout.write(opts.json ? `${auditJson(report)}\n` : formatAudit(report));
  const code = AUDIT_EXIT_CODES[report.verdict];
  if (code !== 0) throw new CommandExitCode(code);
  return report;
}
