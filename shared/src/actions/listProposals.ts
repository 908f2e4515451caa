// listProposals: the newest proposals (or a window of ids), newest first.

import type { Address } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { getProposal, type Proposal } from "./getProposal.ts";
import { idWindow } from "./idWindow.ts";

export type ListProposalsParameters = { verdict: Address; limit?: number; beforeId?: bigint };
export type ListProposalsReturnType = Proposal[];
export type ListProposalsErrorType = Error;

export async function listProposals(
  clients: ReadClients,
  p: ListProposalsParameters,
): Promise<ListProposalsReturnType> {
  const blockNumber = await clients.publicClient.getBlockNumber();
  const count = await clients.publicClient.readContract({
    address: p.verdict,
    abi: verdictAbi,
    functionName: "proposalCount",
    blockNumber,
  });
  return Promise.all(
    idWindow(count, p).map((proposalId) =>
      getProposal(clients, { verdict: p.verdict, proposalId, blockNumber }),
    ),
  );
}
