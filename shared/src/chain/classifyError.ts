// Classifies anything a viem call can throw: RPC/transport trouble (retryable)
// vs. everything else. viem wraps errors several levels deep (e.g.
// ContractFunctionExecutionError → CallExecutionError → HttpRequestError), so
// the whole cause chain is inspected by error name.

import { BaseError } from "../errors/base.ts";

const RETRYABLE_NAMES = new Set([
  "HttpRequestError",
  "TimeoutError",
  "SocketClosedError",
  "WebSocketRequestError",
  "LimitExceededRpcError",
  "ResourceUnavailableRpcError",
  "InternalRpcError",
  "UnknownNodeError",
  // Answers that do not decode (issue 14): a block the node no longer (or not yet) has, eth_call
  // answered "0x" or with too few bytes. The daemons read only contracts they checked at startup,
  // so these are the node's fault and the same call may be answered right later.
  "BlockNotFoundError",
  "ContractFunctionZeroDataError",
  "AbiDecodingZeroDataError",
  "AbiDecodingDataSizeTooSmallError",
  "PositionOutOfBoundsError",
]);
const NON_RETRYABLE_NAMES = new Set(["ContractFunctionRevertedError", "ExecutionRevertedError"]);
const NODE_NET_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
]);

function* chain(err: unknown): Generator<Record<string, unknown>> {
  const seen = new Set<unknown>();
  let e = err;
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    yield e as Record<string, unknown>;
    e = (e as { cause?: unknown }).cause;
  }
}

/**
 * Short label for metrics and logs: "wrong_chain", "bad_answer", "http", "timeout", "rpc:-32005",
 * "revert", "other".
 */
export function rpcErrorKind(err: unknown): string {
  // Our own diagnosis first: viem wraps it (an HttpRequestError around a bad id) but it says more.
  for (const e of chain(err)) {
    if (e.name === "WrongChainError") return "wrong_chain";
    if (e.name === "RpcAnswerError") return "bad_answer";
  }
  for (const e of chain(err)) {
    const name = String(e.name ?? "");
    if (NON_RETRYABLE_NAMES.has(name)) return "revert";
    if (name === "TimeoutError") return "timeout";
    if (name === "HttpRequestError") return typeof e.status === "number" ? `http:${e.status}` : "http";
    if (typeof e.code === "number" && name.endsWith("RpcError")) return `rpc:${e.code}`;
    if (typeof e.code === "string" && NODE_NET_CODES.has(e.code)) return `net:${e.code}`;
  }
  return "other";
}

/** True when some error in the chain carries revert data (a real revert, not a node hiccup). */
export function hasRevertData(err: unknown): boolean {
  for (const e of chain(err)) {
    if (
      String(e.name) === "ContractFunctionRevertedError" &&
      ((e.data as { errorName?: string })?.errorName || e.raw)
    )
      return true;
    const data = typeof e.data === "string" ? e.data : (e.data as { data?: unknown } | undefined)?.data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10) return true;
  }
  return false;
}

/**
 * True when retrying the same call later may succeed. viem reports some node
 * failures (e.g. -32603 internal error) as "reverted" wrappers, so a transport
 * error anywhere in the chain wins unless there is actual revert data.
 */
export function isRetryableError(err: unknown): boolean {
  if (hasRevertData(err)) return false;
  let verdict = false;
  for (const e of chain(err)) {
    if (e instanceof BaseError) {
      if (e.retryable) return true;
      continue;
    }
    const name = String(e.name ?? "");
    if (RETRYABLE_NAMES.has(name)) {
      // 4xx other than 408/429 is a request the server will keep refusing.
      const status = e.status;
      if (name === "HttpRequestError" && typeof status === "number" && status >= 400 && status < 500)
        return status === 408 || status === 429;
      return true;
    }
    if (typeof e.code === "string" && NODE_NET_CODES.has(e.code)) return true;
    if (name === "TypeError" && e.message === "fetch failed") return true;
    if (NON_RETRYABLE_NAMES.has(name)) verdict = false;
  }
  return verdict;
}

/** True when the node refused a call or transaction because the sender's balance cannot pay for it. */
export function isInsufficientFundsError(err: unknown): boolean {
  for (const e of chain(err)) {
    if (String(e.name ?? "") === "InsufficientFundsError") return true;
    if (typeof e.message === "string" && /insufficient funds/i.test(e.message)) return true;
  }
  return false;
}
