// `verdict list jobs|proposals|games`: the newest entries, one line each, or a JSON array.

import { listGames } from "../../actions/listGames.ts";
import { listJobs } from "../../actions/listJobs.ts";
import { listProposals } from "../../actions/listProposals.ts";
import { CliUsageError } from "../../errors/cli.ts";
import { type ConnectionOptions, connect, toJson } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";

export type ListCommandOptions = ConnectionOptions & { limit?: string; before?: string; json?: boolean };
export const LIST_KINDS = ["jobs", "proposals", "games"] as const;

export async function listCommand(kind: string, opts: ListCommandOptions, io: CliIo): Promise<unknown[]> {
  if (!(LIST_KINDS as readonly string[]).includes(kind))
    throw new CliUsageError({ option: "kind", value: kind, reason: "one of jobs, proposals, games" });
  const limit = opts.limit === undefined ? 20 : Number(parseCount(opts.limit, "--limit", { min: 1n }));
  const beforeId = opts.before === undefined ? undefined : parseCount(opts.before, "--before", { min: 1n });
  const c = await connect(opts);
  const { verdict, disputeGame } = c.contracts;
  let rows: unknown[];
  let lines: string[];
  if (kind === "jobs") {
    const jobs = await listJobs(c, { verdict, limit, beforeId });
    rows = jobs;
    lines = jobs.map(
      (j) =>
        `job ${j.jobId}  program ${j.programId}  requester ${j.requester}  fee ${j.feeWei} wei  ${j.final ? `final ${j.resultHash} (proposal ${j.resultProposalId})` : "no final result"}`,
    );
  } else if (kind === "proposals") {
    const ps = await listProposals(c, { verdict, limit, beforeId });
    rows = ps;
    lines = ps.map(
      (p) =>
        `proposal ${p.proposalId}  ${p.status}  ${p.leafCount} leaves  proposer ${p.proposer}  stake ${p.stakeWei} wei`,
    );
  } else {
    const gs = await listGames(c, { disputeGame, limit, beforeId });
    rows = gs;
    lines = gs.map(
      (g) =>
        `game ${g.gameId}  proposal ${g.proposalId}  job ${g.jobId}  root ${g.rootStatus}  depth ${g.depth}`,
    );
  }
  io.stdout.write(opts.json ? `${toJson(rows)}\n` : lines.length ? `${lines.join("\n")}\n` : `no ${kind}\n`);
  return rows;
}
