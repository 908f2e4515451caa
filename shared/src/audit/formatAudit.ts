// The two faces of an audit report: a human timeline (the verdict line first,
// then the checks, proposals, games and the dated history) and one JSON object
// for machines (bigints as JSON numbers when exact, else decimal strings).

import { formatEther } from "viem";
import { jsonNumber } from "../cli/formatOutput.ts";
import type { AuditReport, AuditVerdict } from "./auditJob.ts";

/** Process exit status of `verdict audit` per verdict (2 and 1 stay bad input and internal error). */
export const AUDIT_EXIT_CODES: Record<AuditVerdict, number> = {
  verified: 0,
  mismatch: 3,
  pending: 4,
  "rolled-back": 5,
  unverifiable: 6,
};

/** The one line the demo and scripts print: `audit job #N: <verdict>`. */
export function verdictLine(r: AuditReport): string {
  const where =
    r.position?.kind === "trace"
      ? r.position.exact
        ? ` at step ${r.position.start}`
        : ` within steps [${r.position.start}, ${r.position.end}]`
      : r.position
        ? ` (${r.position.kind})`
        : "";
  return `audit job #${r.jobId}: ${r.verdict}${where}`;
}

export function auditJson(r: AuditReport): string {
  return JSON.stringify(r, (_k, v) => (typeof v === "bigint" ? jsonNumber(v) : v));
}

function when(t: bigint | null): string {
  return t === null ? "?" : new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
}

export function formatAudit(r: AuditReport): string {
  const mark = (ok: boolean | null) => (ok === true ? "ok  " : ok === false ? "FAIL" : "--  ");
  const lines = [verdictLine(r), `  ${r.reason}`];
  if (r.missing.length) lines.push(`  missing: ${r.missing.join("; ")}`);
  lines.push(
    "",
    `chain ${r.chainId} at block ${r.blockNumber}; Verdict ${r.contracts.verdict}, DisputeGame ${r.contracts.game}, registry ${r.contracts.registry}${r.contracts.outputs ? `, Outputs ${r.contracts.outputs}` : " (no --outputs: output records not read)"}`,
    `program #${r.program.programId}: root ${r.program.programRoot}, entry 0x${r.program.entry.toString(16)}, D=${r.program.depth}, manifest ${r.program.manifestHash}, machine v${r.program.machineVersion}`,
    `input: ${r.input.bytes} bytes, root ${r.input.inputRoot} (${r.input.calldata})`,
    "",
    "checks",
  );
  for (const c of r.checks) lines.push(`  ${mark(c.ok)} ${c.name}: ${c.detail}`);
  if (r.reexecution) {
    const x = r.reexecution;
    lines.push(
      "",
      `re-execution: ${["RUNNING", "EXITED", "TRAPPED"][x.status]} with exit code ${x.exitCode} after ${x.steps} steps`,
      `  final state ${x.stateHash}, output root ${x.outputRoot}, ${x.output === null ? `no output bytes (${x.noOutput})` : `${(x.output.length - 2) / 2} output bytes`}`,
    );
  }
  if (r.games.length) {
    lines.push("", "games");
    for (const g of r.games)
      lines.push(
        `  #${g.gameId} on proposal #${g.proposalId}: ${g.challenges} challenge(s), ${g.dissections} dissection(s)${g.stepped ? `, one-step proof at step ${g.stepped.position >> 8n} (${g.stepped.holds ? "claim held" : "claim failed"})` : ""}; root ${g.rootOutcome ?? "unresolved"}${g.invalidated ? " (invalidated)" : ""}; bonds ${formatEther(g.bondsPosted)} ETH posted, ${formatEther(g.paidToChallengers)} to challengers, ${formatEther(g.paidToProposer)} to the proposer, ${formatEther(g.burned)} burned${g.divergence ? `; its claim parts from our trace ${g.divergence.exact ? `at step ${g.divergence.start}` : `within [${g.divergence.start}, ${g.divergence.end}]`}` : ""}`,
      );
  }
  lines.push("", "timeline");
  for (const e of r.timeline) lines.push(`  ${when(e.time)}  block ${e.blockNumber}  ${e.text}`);
  return `${lines.join("\n")}\n`;
}
