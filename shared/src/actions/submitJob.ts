// submitJob: submits a job (program + input bytes, with its fee) to Verdict
// and returns the job id from its JobSubmitted event. With an attestation the
// job goes through `submitSignedJob` (programs registered with signers).

import { type Address, bytesToHex, type Hex, parseEventLogs } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import type { Attestation } from "./attestInput.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";
import { MissingEventError } from "./errors.ts";

export type SubmitJobParameters = {
  verdict: Address;
  programId: bigint;
  input: Hex | Uint8Array;
  /** Paid to the proposer whose result is recorded. Unit: wei. */
  feeWei?: bigint;
  /** A data source's signature over the input (attestInput); required by programs with signers. */
  attestation?: Attestation;
};

export type SubmitJobReturnType = { jobId: bigint; inputRoot: Hex; txHash: Hex; blockNumber: bigint };
export type SubmitJobErrorType = ContractRevertError | MissingEventError | Error;

export async function submitJob(clients: WriteClients, p: SubmitJobParameters): Promise<SubmitJobReturnType> {
  const input = typeof p.input === "string" ? p.input : bytesToHex(p.input);
  const value = p.feeWei ?? 0n;
  const common = {
    address: p.verdict,
    abi: verdictAbi,
    value,
    account: clients.walletClient.account,
    chain: chainOf(clients),
  } as const;
  const a = p.attestation;
  const receipt = await sendAndWait(clients, verdictAbi, a ? "submitSignedJob" : "submitJob", () =>
    a
      ? clients.walletClient.writeContract({
          ...common,
          functionName: "submitSignedJob",
          args: [p.programId, input, a.signer, a.nonce, a.deadline, a.signature],
        })
      : clients.walletClient.writeContract({
          ...common,
          functionName: "submitJob",
          args: [p.programId, input],
        }),
  );
  const [ev] = parseEventLogs({ abi: verdictAbi, eventName: "JobSubmitted", logs: receipt.logs });
  if (!ev) throw new MissingEventError({ eventName: "JobSubmitted", txHash: receipt.transactionHash });
  return {
    jobId: ev.args.jobId,
    inputRoot: ev.args.inputRoot,
    txHash: receipt.transactionHash,
    blockNumber: receipt.blockNumber,
  };
}
