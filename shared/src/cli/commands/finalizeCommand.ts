// `verdict finalize PROPOSAL`: finalizes a proposal whose window has closed.

import { finalizeProposal } from "../../actions/finalizeProposal.ts";
import { type ConnectionOptions, connectSigner } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { parseCount } from "../parseCount.ts";
import { printResult } from "./printResult.ts";

export type FinalizeCommandOptions = ConnectionOptions & { json?: boolean };

export async function finalizeCommand(proposal: string, opts: FinalizeCommandOptions, io: CliIo) {
  const proposalId = parseCount(proposal, "proposal id", { min: 1n });
  const c = await connectSigner(opts);
  const r = await finalizeProposal(c, { verdict: c.contracts.verdict, proposalId });
  printResult(io, opts.json, r);
  return r;
}
