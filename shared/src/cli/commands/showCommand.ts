// `verdict show job|proposal|game ID`: one entry in full. A job shows its
// output when one is opened; a game shows its moves as a timeline.

import { getGame } from "../../actions/getGame.ts";
import { getJob } from "../../actions/getJob.ts";
import { getProposal } from "../../actions/getProposal.ts";
import { readOutput } from "../../actions/readOutput.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { type ConnectionOptions, connect } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { formatPairs, printResult } from "./printResult.ts";

export type ShowCommandOptions = ConnectionOptions & { json?: boolean };
export const SHOW_KINDS = ["job", "proposal", "game"] as const;

export async function showCommand(
  kind: string,
  id: string,
  opts: ShowCommandOptions,
  io: CliIo,
): Promise<object> {
  if (!(SHOW_KINDS as readonly string[]).includes(kind))
    throw new CliUsageError({ option: "kind", value: kind, reason: "one of job, proposal, game" });
  const n = parseCount(id, `${kind} id`, { min: 1n });
  const c = await connect(opts);
  const { verdict, disputeGame, outputs, fromBlock } = c.contracts;
  if (kind === "job") {
    const job = await getJob(c, { verdict, jobId: n });
    const output =
      job.final && outputs ? await readOutput(c, { outputs, jobId: n, fromBlock }).catch(() => null) : null;
    const out = { ...job, output };
    const extra = output
      ? formatPairs({
          outputRoot: output.outputRoot,
          exitCode: output.exitCode,
          outputBytes: output.bytes ?? "(not published)",
        })
      : "";
    printResult(io, opts.json, out, formatPairs(job) + extra);
    return out;
  }
  if (kind === "proposal") {
    const p = await getProposal(c, { verdict, proposalId: n });
    printResult(io, opts.json, p);
    return p;
  }
  const g = await getGame(c, { disputeGame, gameId: n, movesFromBlock: fromBlock });
  const timeline = (g.moves ?? []).map((m) => {
    const a = m.args;
    const who = (a.challenger ?? a.opener ?? a.stepper ?? a.by ?? "") as string;
    const status =
      a.status === undefined
        ? ""
        : ` ${["None", "Challenged", "Dissected", "Defeated", "Upheld", "Refunded"][Number(a.status)]}`;
    return `  block ${m.blockNumber}  ${m.kind.padEnd(15)} position ${m.position}${status}${who ? `  by ${who}` : ""}`;
  });
  printResult(io, opts.json, g, `${formatPairs(g)}moves\n${timeline.join("\n") || "  (none)"}\n`);
  return g;
}
