// Connects to an RPC endpoint: probes it (bounded retries, so an unreachable
// node is a clear startup error and never a hang), learns the chain id, and
// returns a public client and, given an account, a wallet client. With an
// expected chain id (--chain-id), a node of another chain is refused at
// startup (WrongChainError, not retryable), and every later answer that
// carries a chain id (eth_chainId, a transaction) is checked too: a wrong one
// is never used, the call fails retryably and is tried again.

import {
  type Account,
  type Chain,
  createPublicClient,
  createWalletClient,
  defineChain,
  type EIP1193RequestFn,
  hexToNumber,
  http,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { RpcUnreachableError, WrongChainError } from "./errors.ts";
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
  /** The chain the daemon is configured for; undefined = whatever the node serves. */
  expectedChainId?: number;
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
  expectedChainId,
}: CreateChainClientsParameters): Promise<ChainClients> {
  // Retries live in the daemon loops and the tx sender (they count and log
  // them); the transport itself fails fast.
  const base = http(rpcUrl, { timeout: timeoutMs, retryCount: 0 });
  const probe = createPublicClient({ transport: base });
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
  if (expectedChainId !== undefined && chainId !== expectedChainId)
    throw new WrongChainError({
      url: rpcUrl,
      expected: expectedChainId,
      actual: chainId,
      method: "eth_chainId",
      retryable: false,
    });
  const transport = expectedChainId === undefined ? base : checkedTransport(base, rpcUrl, expectedChainId);
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

/** Wraps `base` so an answer carrying another chain's id throws a retryable WrongChainError. */
function checkedTransport(base: Transport, url: string, expected: number): Transport {
  return (params) => {
    const t = base(params);
    const request = (async (args, options) => {
      const result = await t.request(args, options);
      const id = chainIdOf(args.method, result);
      if (id !== undefined && id !== expected)
        throw new WrongChainError({ url, expected, actual: id, method: args.method, retryable: true });
      return result;
    }) as EIP1193RequestFn;
    return { ...t, request };
  };
}

/** The chain id an answer states, if it states one. */
function chainIdOf(method: string, result: unknown): number | undefined {
  if (method === "eth_chainId" && typeof result === "string") return hexToNumber(result as `0x${string}`);
  // Typed transactions carry their chain id; legacy ones may not.
  if (method === "eth_getTransactionByHash" && result && typeof result === "object") {
    const id = (result as { chainId?: unknown }).chainId;
    if (typeof id === "string") return hexToNumber(id as `0x${string}`);
  }
  return undefined;
}
