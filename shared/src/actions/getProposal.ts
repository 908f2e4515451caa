// getProposal: one proposal (a bonded batch of results) with its status name.

import type { Address, Hex } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { NotFoundError } from "./errors.ts";

/** protocol/src/lib/Types.sol ProposalStatus, by value. */
export const PROPOSAL_STATUS = [
  "None",
  "Pending",
  "Finalized",
  "Defeated",
  "Invalidated",
  "RolledBack",
] as const;
export type ProposalStatusName = (typeof PROPOSAL_STATUS)[number];

export type GetProposalParameters = { verdict: Address; proposalId: bigint; blockNumber?: bigint };

export type Proposal = {
  proposalId: bigint;
  proposer: Address;
  status: ProposalStatusName;
  root: Hex;
  /** Unit: wei. */
  stakeWei: bigint;
  /** Unit: wei. */
  claimBondWei: bigint;
  leafCount: number;
  /** End of the challenge window on the active-time axis (pauses excluded). Unit: seconds. */
  deadline: bigint;
  /** Block time it finalized, 0 unless finalized. Unit: unix seconds. */
  finalizedAt: bigint;
};

export type GetProposalReturnType = Proposal;
export type GetProposalErrorType = NotFoundError | Error;

export async function getProposal(
  clients: ReadClients,
  p: GetProposalParameters,
): Promise<GetProposalReturnType> {
  const at = { address: p.verdict, abi: verdictAbi, blockNumber: p.blockNumber } as const;
  const count = await clients.publicClient.readContract({ ...at, functionName: "proposalCount" });
  if (p.proposalId < 1n || p.proposalId > count)
    throw new NotFoundError({ kind: "proposal", id: p.proposalId, count });
  const r = await clients.publicClient.readContract({
    ...at,
    functionName: "getProposal",
    args: [p.proposalId],
  });
  return {
    proposalId: p.proposalId,
    proposer: r.proposer,
    status: PROPOSAL_STATUS[r.status] ?? "None",
    root: r.root,
    stakeWei: r.stake,
    claimBondWei: r.claimBond,
    leafCount: r.leafCount,
    deadline: r.deadline,
    finalizedAt: r.finalizedAt,
  };
}
