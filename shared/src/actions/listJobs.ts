// listJobs: the newest jobs (or a window of ids), newest first.

import type { Address } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { getJob, type Job } from "./getJob.ts";
import { idWindow } from "./idWindow.ts";

export type ListJobsParameters = {
  verdict: Address;
  /** At most this many (default 20). */
  limit?: number;
  /** Highest id to list (default: the newest). */
  beforeId?: bigint;
};
export type ListJobsReturnType = Job[];
export type ListJobsErrorType = Error;

export async function listJobs(clients: ReadClients, p: ListJobsParameters): Promise<ListJobsReturnType> {
  const blockNumber = await clients.publicClient.getBlockNumber();
  const count = await clients.publicClient.readContract({
    address: p.verdict,
    abi: verdictAbi,
    functionName: "jobCount",
    blockNumber,
  });
  return Promise.all(
    idWindow(count, p).map((jobId) => getJob(clients, { verdict: p.verdict, jobId, blockNumber })),
  );
}
