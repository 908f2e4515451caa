// publishOutput: puts a job's output bytes on the chain. Outputs first needs
// the output opened from the job's final result (openOutput: the packed final
// state and two subroots, computeOutputOpening derives them); then
// publishOutput emits the bytes after checking they hash to the opened root.

import type { Address, Hex } from "viem";
import { outputsAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";
import type { OutputOpening } from "./computeOutputOpening.ts";
import { OutputUnavailableError } from "./errors.ts";

export type PublishOutputParameters = {
  outputs: Address;
  jobId: bigint;
  /** The output bytes (default: `opening.output`). */
  output?: Hex;
  /** Opens the output first when it is not open yet for the job's current result. */
  opening?: OutputOpening;
};

export type PublishOutputReturnType = { opened: boolean; openTxHash: Hex | null; txHash: Hex };
export type PublishOutputErrorType = ContractRevertError | OutputUnavailableError | Error;

export async function publishOutput(
  clients: WriteClients,
  p: PublishOutputParameters,
): Promise<PublishOutputReturnType> {
  const base = {
    address: p.outputs,
    abi: outputsAbi,
    account: clients.walletClient.account,
    chain: chainOf(clients),
  } as const;
  const output = p.output ?? p.opening?.output ?? null;
  if (output === null)
    throw new OutputUnavailableError({
      jobId: p.jobId,
      reason: "no output bytes (the final state's output region holds none)",
    });
  const [, current] = await clients.publicClient.readContract({
    address: p.outputs,
    abi: outputsAbi,
    functionName: "output",
    args: [p.jobId],
  });
  let openTxHash: Hex | null = null;
  if (!current) {
    const o = p.opening;
    if (!o)
      throw new OutputUnavailableError({
        jobId: p.jobId,
        reason: "not opened yet",
        hint: "Pass the opening (computeOutputOpening, or `verdict publish-output --elf`).",
      });
    const r = await sendAndWait(clients, outputsAbi, "openOutput", () =>
      clients.walletClient.writeContract({
        ...base,
        functionName: "openOutput",
        args: [p.jobId, o.stateData, o.programSubroot, o.inputSubroot, o.outputRoot],
      }),
    );
    openTxHash = r.transactionHash;
  }
  const r = await sendAndWait(clients, outputsAbi, "publishOutput", () =>
    clients.walletClient.writeContract({ ...base, functionName: "publishOutput", args: [p.jobId, output] }),
  );
  return { opened: openTxHash !== null, openTxHash, txHash: r.transactionHash };
}
