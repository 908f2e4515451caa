// `verdict withdraw`: pays out the signer's credit from Verdict and DisputeGame.

import { withdraw } from "../../actions/withdraw.ts";
import { type ConnectionOptions, connectSigner } from "../connection.ts";
import type { CliIo } from "../io.ts";
import { printResult } from "./printResult.ts";

export type WithdrawCommandOptions = ConnectionOptions & { json?: boolean };

export async function withdrawCommand(opts: WithdrawCommandOptions, io: CliIo) {
  const c = await connectSigner(opts);
  const r = await withdraw(c, { verdict: c.contracts.verdict, disputeGame: c.contracts.disputeGame });
  const out = { account: c.walletClient.account.address, ...r };
  printResult(io, opts.json, out);
  return out;
}
