// What every action receives: viem clients. Reads need a public client; writes
// also a wallet client with an account (it signs) and wait for the receipt on
// the public client, so an action returns what the transaction produced (ids).

import type {
  Abi,
  Account,
  Chain,
  Hex,
  PublicClient,
  TransactionReceipt,
  Transport,
  WalletClient,
} from "viem";
import { decodeRevert } from "../chain/decodeRevert.ts";
import { ContractRevertError } from "../chain/errors.ts";
import { waitForReceipt } from "../chain/waitForReceipt.ts";

export type ReadClients = { publicClient: PublicClient<Transport, Chain | undefined> };
export type WriteClients = ReadClients & {
  walletClient: WalletClient<Transport, Chain | undefined, Account>;
};

/**
 * Sends a simulated-then-signed transaction and waits for it: a revert in the
 * simulation throws a ContractRevertError naming the custom error (nothing is
 * sent), a revert when mined throws one too.
 */
export async function sendAndWait(
  clients: WriteClients,
  abi: Abi,
  functionName: string,
  send: () => Promise<Hex>,
): Promise<TransactionReceipt> {
  let hash: Hex;
  try {
    hash = await send();
  } catch (err) {
    throw decodeRevert(err, abi, functionName);
  }
  const receipt = await waitForReceipt(clients.publicClient, { hash });
  if (receipt.status !== "success")
    throw new ContractRevertError({ functionName, errorName: "unknown", txHash: hash });
  return receipt;
}

/** The chain of the wallet client, for writeContract (viem needs it explicit when the client has none). */
export function chainOf(clients: WriteClients): Chain | undefined {
  return clients.walletClient.chain ?? clients.publicClient.chain;
}
