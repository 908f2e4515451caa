// waitForResult: polls Verdict until a job has a final result (a proposal
// carrying it finalized and the result was recorded), or gives up.

import type { Address, Hex } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ReadClients } from "./client.ts";
import { WaitTimeoutError } from "./errors.ts";

export type WaitForResultParameters = {
  verdict: Address;
  jobId: bigint;
  /** Default: 10 minutes. Unit: milliseconds. */
  timeoutMs?: number;
  /** Default: the public client's polling interval. Unit: milliseconds. */
  pollingIntervalMs?: number;
};

export type WaitForResultReturnType = { jobId: bigint; finalStateHash: Hex; proposalId: bigint };
export type WaitForResultErrorType = WaitTimeoutError | Error;

export async function waitForResult(
  clients: ReadClients,
  p: WaitForResultParameters,
): Promise<WaitForResultReturnType> {
  const timeoutMs = p.timeoutMs ?? 600_000;
  const interval = p.pollingIntervalMs ?? clients.publicClient.pollingInterval;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const [final, finalStateHash, proposalId] = await clients.publicClient.readContract({
      address: p.verdict,
      abi: verdictAbi,
      functionName: "result",
      args: [p.jobId],
    });
    if (final) return { jobId: p.jobId, finalStateHash, proposalId };
    if (Date.now() + interval > deadline) throw new WaitTimeoutError({ jobId: p.jobId, timeoutMs });
    await new Promise((r) => setTimeout(r, interval));
  }
}
