// What an account's own transactions did to its wallet between two blocks: the
// ETH it sent to each address and the gas it paid. With it a test can state a
// balance exactly: after - before == withdrawn - sent - gas, so a bond that was
// never returned, or a withdrawal that paid the wrong amount, shows up as a
// wrong balance rather than passing unseen.

import type { Address, Chain, PublicClient, Transport } from "viem";

export type WalletFlows = {
  /** ETH sent with the account's transactions, by lower-cased recipient. Unit: wei. */
  sentTo: Map<string, bigint>;
  /** Total gas paid (gasUsed * effectiveGasPrice). Unit: wei. */
  gasPaid: bigint;
  txCount: number;
};

/** Scans blocks (fromBlock, toBlock] for transactions sent by `account`. */
export async function walletFlows(
  publicClient: PublicClient<Transport, Chain>,
  account: Address,
  fromBlock: bigint,
  toBlock: bigint,
): Promise<WalletFlows> {
  const me = account.toLowerCase();
  const sentTo = new Map<string, bigint>();
  let gasPaid = 0n;
  let txCount = 0;
  for (let b = fromBlock + 1n; b <= toBlock; b++) {
    const block = await publicClient.getBlock({ blockNumber: b, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.from.toLowerCase() !== me) continue;
      txCount++;
      const receipt = await publicClient.getTransactionReceipt({ hash: tx.hash });
      gasPaid += receipt.gasUsed * receipt.effectiveGasPrice;
      // A reverted transaction moved no value.
      if (receipt.status !== "success" || !tx.to) continue;
      const to = tx.to.toLowerCase();
      sentTo.set(to, (sentTo.get(to) ?? 0n) + tx.value);
    }
  }
  return { sentTo, gasPaid, txCount };
}
