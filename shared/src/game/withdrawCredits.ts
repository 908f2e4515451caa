// Withdraws what a daemon is owed from both ledgers: Verdict's (stakes, fees,
// leaf rewards) and DisputeGame's (bonds returned and won). The game ledger is
// only emptied while no queued move needs its credit (the responder decides,
// under the same lock as its sends), so a withdraw never races a bond.

import type { Address, Chain, PublicClient, Transport } from "viem";
import { verdictAbi } from "../bindings/abis.ts";
import type { TxSender } from "../chain/createTxSender.ts";
import { ContractRevertError } from "../chain/errors.ts";
import type { Responder } from "./createResponder.ts";

export type WithdrawCreditsParameters = {
  publicClient: PublicClient<Transport, Chain>;
  sender: TxSender;
  verdict: Address;
  responder: Pick<Responder, "withdrawIdle">;
};

/** Wei withdrawn from each ledger (0n when there was nothing, or the game credit is still needed). */
export type WithdrawCreditsReturnType = { verdict: bigint; game: bigint };

export async function withdrawCredits({
  publicClient,
  sender,
  verdict,
  responder,
}: WithdrawCreditsParameters): Promise<WithdrawCreditsReturnType> {
  let fromVerdict = 0n;
  const credit = await publicClient.readContract({
    address: verdict,
    abi: verdictAbi,
    functionName: "credit",
    args: [sender.address],
  });
  if (credit > 0n) {
    try {
      await sender.send({ address: verdict, abi: verdictAbi, functionName: "withdraw", args: [] });
      fromVerdict = credit;
    } catch (err) {
      // Someone (another process with our key) withdrew first: nothing is lost.
      if (!(err instanceof ContractRevertError && err.errorName === "NothingToWithdraw")) throw err;
    }
  }
  const fromGame = await responder.withdrawIdle();
  return { verdict: fromVerdict, game: fromGame };
}
