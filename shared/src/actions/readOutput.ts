// readOutput: a job's opened output (root, exit code, status, steps) from
// Outputs, and its bytes when someone published them (OutputData event).

import type { Address, Hex } from "viem";
import { outputsAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { OutputUnavailableError } from "./errors.ts";

export type ReadOutputParameters = {
  outputs: Address;
  jobId: bigint;
  /** First block to search for published bytes (the deployment block). Default 0. */
  fromBlock?: bigint;
};

export type ReadOutputReturnType = {
  jobId: bigint;
  outputRoot: Hex;
  exitCode: number;
  /** Machine status of the final state: 1 EXITED, 2 TRAPPED (0 RUNNING: budget exhausted). */
  status: number;
  steps: bigint;
  /** The output bytes, null until someone publishes them (publishOutput). */
  bytes: Hex | null;
};
export type ReadOutputErrorType = OutputUnavailableError | Error;

export async function readOutput(
  clients: ReadClients,
  p: ReadOutputParameters,
): Promise<ReadOutputReturnType> {
  const [out, current] = await clients.publicClient.readContract({
    address: p.outputs,
    abi: outputsAbi,
    functionName: "output",
    args: [p.jobId],
  });
  if (!current)
    throw new OutputUnavailableError({
      jobId: p.jobId,
      reason: "no output opened for its current final result",
      hint: "Once the result is final, anyone may open and publish it: `verdict publish-output JOB --elf FILE`.",
    });
  const events = await clients.publicClient.getContractEvents({
    address: p.outputs,
    abi: outputsAbi,
    eventName: "OutputData",
    args: { jobId: p.jobId, outputRoot: out.outputRoot },
    fromBlock: p.fromBlock ?? 0n,
  });
  const bytes = events.at(-1)?.args.output ?? null;
  return {
    jobId: p.jobId,
    outputRoot: out.outputRoot,
    exitCode: out.exitCode,
    status: out.status,
    steps: out.steps,
    bytes,
  };
}
