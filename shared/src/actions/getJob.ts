// getJob: one job as Verdict stores it, with its result's finality
// (`result(jobId)`: final only while the proposal it came from is finalized).

import type { Address, Hex } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { NotFoundError } from "./errors.ts";

export type GetJobParameters = { verdict: Address; jobId: bigint; blockNumber?: bigint };

export type Job = {
  jobId: bigint;
  requester: Address;
  programId: bigint;
  inputRoot: Hex;
  /** Zero address when the input is unsigned. */
  signer: Address;
  /** Escrowed fee, 0 once claimed or reclaimed. Unit: wei. */
  feeWei: bigint;
  /** Final state hash of the recorded result; null when none is recorded. */
  resultHash: Hex | null;
  resultProposalId: bigint;
  /** True when the recorded result is valid now (its proposal finalized, not rolled back). */
  final: boolean;
};

export type GetJobReturnType = Job;
export type GetJobErrorType = NotFoundError | Error;

const ZERO32 = `0x${"0".repeat(64)}`;

export async function getJob(clients: ReadClients, p: GetJobParameters): Promise<GetJobReturnType> {
  const at = { address: p.verdict, abi: verdictAbi, blockNumber: p.blockNumber } as const;
  const count = await clients.publicClient.readContract({ ...at, functionName: "jobCount" });
  if (p.jobId < 1n || p.jobId > count) throw new NotFoundError({ kind: "job", id: p.jobId, count });
  const [j, [final]] = await Promise.all([
    clients.publicClient.readContract({ ...at, functionName: "getJob", args: [p.jobId] }),
    clients.publicClient.readContract({ ...at, functionName: "result", args: [p.jobId] }),
  ]);
  return {
    jobId: p.jobId,
    requester: j.requester,
    programId: j.programId,
    inputRoot: j.inputRoot,
    signer: j.signer,
    feeWei: j.fee,
    resultHash: j.resultHash === ZERO32 ? null : j.resultHash,
    resultProposalId: j.resultProposalId,
    final,
  };
}
