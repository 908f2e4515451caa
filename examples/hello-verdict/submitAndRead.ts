// The app's one piece of protocol logic, on the public client library only:
// submit a job with its fee, wait until its result is final (a proposer posted
// it and the challenge window closed unchallenged), then read the output
// bytes. Output bytes reach the chain when someone publishes them: a proposer
// run with --publish-outputs, or this app when given the program's ELF (it
// re-executes the job locally, checks that it ends in the final state the
// chain recorded, and publishes).

import {
  computeOutputOpening,
  OutputUnavailableError,
  programRegistryAbi,
  publishOutput,
  type ReadOutputReturnType,
  ResultMismatchError,
  readOutput,
  submitJob,
  type WriteClients,
  waitForResult,
} from "@verdict/shared";
import type { Hex } from "viem";
import type { AppDeployment } from "./deployment.ts";

export type SubmitAndReadParameters = {
  deployment: AppDeployment;
  programId: bigint;
  input: Uint8Array;
  /** Unit: wei. */
  feeWei: bigint;
  /** The program's ELF: with it, publish the output when nobody has. */
  elf: Uint8Array | null;
  /** For the whole run, submission to output. Unit: milliseconds. */
  timeoutMs: number;
  /** Between two reads of the chain. Unit: milliseconds. */
  pollMs?: number;
  /** One line per stage, for a human watching. */
  onProgress?: (message: string) => void;
};

export type SubmitAndReadReturnType = {
  jobId: bigint;
  proposalId: bigint;
  finalStateHash: Hex;
  exitCode: number;
  /** 1 EXITED, 2 TRAPPED, 0 RUNNING (the program's step budget ran out). */
  status: number;
  steps: bigint;
  output: Hex;
  /** True when this run published the output bytes. */
  published: boolean;
};

export type SubmitAndReadErrorType = OutputUnavailableError | ResultMismatchError | Error;

export async function submitAndRead(
  clients: WriteClients,
  p: SubmitAndReadParameters,
): Promise<SubmitAndReadReturnType> {
  const deadline = Date.now() + p.timeoutMs;
  const pollMs = p.pollMs ?? 1000;
  const say = p.onProgress ?? (() => {});
  const { verdict, outputs, registry, deployedAtBlock } = p.deployment;

  const job = await submitJob(clients, {
    verdict,
    programId: p.programId,
    input: p.input,
    feeWei: p.feeWei,
  });
  const { jobId } = job;
  say(`submitted job ${jobId} (tx ${job.txHash})`);

  const result = await waitForResult(clients, {
    verdict,
    jobId,
    timeoutMs: Math.max(deadline - Date.now(), 1),
    pollingIntervalMs: pollMs,
  });
  say(`job ${jobId}: result final (proposal ${result.proposalId}, final state ${result.finalStateHash})`);

  let published = false;
  for (;;) {
    const out = await readOpenedOutput(clients, { outputs, jobId, fromBlock: deployedAtBlock });
    if (out?.bytes)
      return {
        jobId,
        proposalId: result.proposalId,
        finalStateHash: result.finalStateHash,
        exitCode: out.exitCode,
        status: out.status,
        steps: out.steps,
        output: out.bytes,
        published,
      };
    if (p.elf && !published) {
      const { depth } = await clients.publicClient.readContract({
        address: registry,
        abi: programRegistryAbi,
        functionName: "getProgram",
        args: [p.programId],
      });
      const opening = computeOutputOpening({ elf: p.elf, input: p.input, depth });
      // A different ELF (or a wrong result) would open an output that does not belong to this job.
      if (opening.stateHash.toLowerCase() !== result.finalStateHash.toLowerCase())
        throw new ResultMismatchError({ jobId, local: opening.stateHash, onchain: result.finalStateHash });
      const r = await publishOutput(clients, { outputs, jobId, opening });
      say(`job ${jobId}: output ${r.opened ? "opened and " : ""}published (tx ${r.txHash})`);
      published = true;
      continue;
    }
    if (Date.now() + pollMs > deadline)
      throw new OutputUnavailableError({
        jobId,
        reason: "the result is final but nobody published the output bytes in time",
        hint: "Pass --elf FILE (the program's ELF) to publish them yourself.",
      });
    await new Promise((r) => setTimeout(r, pollMs));
  }
}

/** readOutput, or null while no output is opened for the job's final result. */
async function readOpenedOutput(
  clients: WriteClients,
  p: { outputs: AppDeployment["outputs"]; jobId: bigint; fromBlock: bigint },
): Promise<ReadOutputReturnType | null> {
  try {
    return await readOutput(clients, p);
  } catch (err) {
    if (err instanceof OutputUnavailableError) return null;
    throw err;
  }
}
