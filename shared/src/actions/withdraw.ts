// withdraw: pays out the account's credit (fees, stakes, bonds) from both
// ledgers, Verdict's and DisputeGame's; a ledger with nothing owed is skipped.

import type { Address, Hex } from "viem";
import { disputeGameAbi, verdictAbi } from "../bindings/abis.ts";
import type { ContractRevertError } from "../chain/errors.ts";
import { chainOf, sendAndWait, type WriteClients } from "./client.ts";

export type WithdrawParameters = { verdict: Address; disputeGame: Address };
export type WithdrawReturnType = {
  /** Unit: wei. */
  verdictWei: bigint;
  /** Unit: wei. */
  gameWei: bigint;
  txHashes: Hex[];
};
export type WithdrawErrorType = ContractRevertError | Error;

export async function withdraw(clients: WriteClients, p: WithdrawParameters): Promise<WithdrawReturnType> {
  const who = clients.walletClient.account.address;
  const [verdictWei, gameWei] = await Promise.all([
    clients.publicClient.readContract({
      address: p.verdict,
      abi: verdictAbi,
      functionName: "credit",
      args: [who],
    }),
    clients.publicClient.readContract({
      address: p.disputeGame,
      abi: disputeGameAbi,
      functionName: "credit",
      args: [who],
    }),
  ]);
  const txHashes: Hex[] = [];
  const common = {
    account: clients.walletClient.account,
    chain: chainOf(clients),
    functionName: "withdraw",
  } as const;
  if (verdictWei > 0n) {
    const r = await sendAndWait(clients, verdictAbi, "withdraw", () =>
      clients.walletClient.writeContract({ ...common, address: p.verdict, abi: verdictAbi }),
    );
    txHashes.push(r.transactionHash);
  }
  if (gameWei > 0n) {
    const r = await sendAndWait(clients, disputeGameAbi, "withdraw", () =>
      clients.walletClient.writeContract({ ...common, address: p.disputeGame, abi: disputeGameAbi }),
    );
    txHashes.push(r.transactionHash);
  }
  return { verdictWei, gameWei, txHashes };
}
