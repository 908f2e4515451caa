// Connects to an RPC endpoint: probes it (bounded retries, so an unreachable
// node is a clear startup error and never a hang), learns the chain id, and
// returns a public client and, given an account, a wallet client. With an
// expected chain id (--chain-id), a node of another chain is refused at
// startup (WrongChainError, not retryable). Once running, the clients are
// bound to that chain (the configured one, else the one read at startup):
// every later answer that carries a chain id (eth_chainId, a transaction) is
// checked, and a wrong one is never used; the call fails retryably
// (WrongChainError) and is tried again. Loops re-read eth_chainId (the block
// monitor every poll, the tx sender before each broadcast), so a node that
// switches chains mid-run stops the daemon acting until the chain is back.
// Answers of the wrong shape (checkRpcAnswer) and answers to another request
// (an id that is not ours) are retryable RpcAnswerErrors too.

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
import { checkRpcAnswer } from "./checkRpcAnswer.ts";
import { RpcAnswerError, RpcUnreachableError, WrongChainError } from "./errors.ts";
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
  const base = http(rpcUrl, { timeout: timeoutMs, retryCount: 0, fetchFn: idCheckedFetch });
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
  // Bound to the chain it serves now even without --chain-id: a later switch is refused the same way.
  const switches = { count: 0 };
  const transport = checkedTransport(base, rpcUrl, expectedChainId ?? chainId, switches);
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
  epochs.set(publicClient, () => switches.count);
  if (walletClient) epochs.set(walletClient, () => switches.count);
  return { chain, publicClient: publicClient as PublicClient<Transport, Chain>, walletClient };
}

const epochs = new WeakMap<object, () => number>();

/**
 * How many times the node behind a client made by createChainClients has switched chains (to
 * another chain, or back to ours), or undefined for any other client. State a reader kept from
 * before a change of this number may come from another chain (a read can reach the other chain
 * before a chain id check catches the switch), so it is to be dropped.
 */
export function chainEpochOf(client: object): number | undefined {
  return epochs.get(client)?.();
}

/**
 * fetch, then the answer's JSON-RPC id(s) checked against the request's: an answer to another
 * request (a confused proxy or pool) is an error viem reports as a retryable HttpRequestError.
 */
/** The answer's content type only: the body handed on is already decoded, its length may differ. */
const plainHeaders = (r: Response) => ({
  "content-type": r.headers.get("content-type") ?? "application/json",
});

const idCheckedFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const text = await response.text();
  let sent: unknown;
  let got: unknown;
  try {
    sent = JSON.parse(String(init?.body));
    got = JSON.parse(text);
  } catch {
    // Not JSON either way: viem reports it as it does today.
    return new Response(text, { status: response.status, headers: plainHeaders(response) });
  }
  const ids = (x: unknown) => (Array.isArray(x) ? x : [x]).map((c) => (c as { id?: unknown })?.id);
  const method = Array.isArray(sent) ? "a batch" : String((sent as { method?: unknown })?.method);
  const want = ids(sent);
  const have = ids(got);
  // A lone error to a batch is how a node refuses a whole batch; viem handles it.
  const loneError = Array.isArray(sent) && !Array.isArray(got);
  if (response.ok && !loneError) {
    if (have.length !== want.length)
      throw new RpcAnswerError({ method, problem: `${have.length} answers to ${want.length} calls` });
    if (Array.isArray(sent) ? !want.every((id) => have.includes(id)) : have[0] !== want[0])
      throw new RpcAnswerError({
        method,
        problem: `id ${JSON.stringify(have)}, not ${JSON.stringify(want)}`,
      });
  }
  return new Response(text, { status: response.status, headers: plainHeaders(response) });
};

/**
 * Wraps `base` so an answer carrying another chain's id throws a retryable WrongChainError, and
 * one of the wrong shape a retryable RpcAnswerError. Once eth_chainId has named another chain,
 * every call but eth_chainId fails the same way without reaching the node, until eth_chainId
 * names ours again: all loops of the daemon (not only the one that asked) stop reading the other
 * chain's state at once. The latch is shared by every client made from this transport.
 */
function checkedTransport(
  base: Transport,
  url: string,
  expected: number,
  switches: { count: number },
): Transport {
  let otherChain: number | undefined;
  const wrong = (actual: number, method: string) =>
    new WrongChainError({ url, expected, actual, method, retryable: true });
  return (params) => {
    const t = base(params);
    const request = (async (args, options) => {
      if (otherChain !== undefined && args.method !== "eth_chainId") throw wrong(otherChain, args.method);
      const result = await t.request(args, options);
      checkRpcAnswer({ method: args.method, params: args.params, result });
      const id = chainIdOf(args.method, result);
      if (args.method === "eth_chainId") {
        const now = id !== expected ? id : undefined;
        if (now !== otherChain) switches.count++;
        otherChain = now;
      }
      if (id !== undefined && id !== expected) throw wrong(id, args.method);
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
