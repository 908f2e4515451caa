// getJobInput: a job's input bytes, from its JobSubmitted event (inputs live in
// calldata and events, never in storage).

import type { Address, Hex } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { ActionError } from "./errors.ts";

export type GetJobInputParameters = { verdict: Address; jobId: bigint; fromBlock?: bigint };
export type GetJobInputReturnType = { input: Hex; programId: bigint; blockNumber: bigint };
export type GetJobInputErrorType = ActionError | Error;

export async function getJobInput(
  clients: ReadClients,
  p: GetJobInputParameters,
): Promise<GetJobInputReturnType> {
  const [ev] = await clients.publicClient.getContractEvents({
    address: p.verdict,
    abi: verdictAbi,
    eventName: "JobSubmitted",
    args: { jobId: p.jobId },
    fromBlock: p.fromBlock ?? 0n,
  });
  if (!ev)
    throw new ActionError(`No JobSubmitted event for job ${p.jobId} since block ${p.fromBlock ?? 0n}.`);
  return { input: ev.args.input as Hex, programId: ev.args.programId as bigint, blockNumber: ev.blockNumber };
}
