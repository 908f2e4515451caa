// Connects to an RPC endpoint: probes it (bounded retries, so an unreachable
// node is a clear startup error and never a hang), learns the chain id, and
// returns a public client and, given an account, a wallet client.

import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { RpcUnreachableError } from "./errors.ts";
import { withRetry } from "./withRetry.ts";

export type CreateChainClientsParameters = {
  rpcUrl: string;
  account?: Account;
  /** Per-request timeout. Unit: milliseconds. */
  timeoutMs?: number;
  /** Polling interval for receipts and watchers. Unit: milliseconds. */
  pollingIntervalMs?: number;
  /** Attempts to reach the node at startup before giving up. */
  probeAttempts?: number;
};

export type ChainClients = {
  chain: Chain;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account> | undefined;
};

export async function createChainClients({
  rpcUrl,
  account,
  timeoutMs = 10_000,
  pollingIntervalMs = 1_000,
  probeAttempts = 3,
}: CreateChainClientsParameters): Promise<ChainClients> {
  // Retries live in the daemon loops and the tx sender (they count and log
  // them); the transport itself fails fast.
  const transport = http(rpcUrl, { timeout: timeoutMs, retryCount: 0 });
  const probe = createPublicClient({ transport });
  let chainId: number;
  try {
    chainId = await withRetry(() => probe.getChainId(), {
      retries: probeAttempts - 1,
      minDelayMs: 300,
      maxDelayMs: 2_000,
    });
  } catch (cause) {
    throw new RpcUnreachableError({ url: rpcUrl, attempts: probeAttempts, cause });
  }
  const chain = defineChain({
    id: chainId,
    name: `chain-${chainId}`,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  });
  const publicClient = createPublicClient({ chain, transport, pollingInterval: pollingIntervalMs });
  const walletClient = account
    ? createWalletClient({ chain, transport, account, pollingInterval: pollingIntervalMs })
    : undefined;
  return { chain, publicClient: publicClient as PublicClient<Transport, Chain>, walletClient };
}
