// The first read a daemon makes of the Verdict contract at start-up. Its
// failure is the first sign of a wrong --verdict (another protocol contract,
// or any contract on the wrong chain), so a revert or undecodable answer
// becomes a WrongContractError that says which flag to fix, instead of
// viem's multi-screen call dump. RPC trouble is rethrown for the retry logic.

import type { Address, Chain, PublicClient, Transport } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import { isRetryableError } from "./classifyError.ts";
import { WrongContractError } from "./errors.ts";

export type ReadVerdictParamsParameters = {
  publicClient: PublicClient<Transport, Chain>;
  verdict: Address;
  /** The option the address came from, named in the error. */
  flag?: string;
};

export async function readVerdictParams({
  publicClient,
  verdict,
  flag = "--verdict",
}: ReadVerdictParamsParameters) {
  try {
    return await publicClient.readContract({ address: verdict, abi: verdictAbi, functionName: "params" });
  } catch (cause) {
    if (isRetryableError(cause)) throw cause;
    throw new WrongContractError({
      address: verdict,
      chainId: publicClient.chain.id,
      expected: "Verdict",
      flag,
      call: "params()",
      cause,
    });
  }
}
