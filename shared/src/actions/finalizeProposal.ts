// finalizeProposal: finalizes a proposal whose challenge window has closed with
// no open game (anyone may; the proposer's daemon usually does).

import type { Address, Hex } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";

export type FinalizeProposalParameters = { verdict: Address; proposalId: bigint };
export type FinalizeProposalReturnType = { proposalId: bigint; txHash: Hex };
export type FinalizeProposalErrorType = ContractRevertError | Error;

export async function finalizeProposal(
  clients: WriteClients,
  p: FinalizeProposalParameters,
): Promise<FinalizeProposalReturnType> {
  const r = await sendAndWait(clients, verdictAbi, "finalize", () =>
    clients.walletClient.writeContract({
      address: p.verdict,
      abi: verdictAbi,
      functionName: "finalize",
      args: [p.proposalId],
      account: clients.walletClient.account,
      chain: chainOf(clients),
    }),
  );
  return { proposalId: p.proposalId, txHash: r.transactionHash };
}
