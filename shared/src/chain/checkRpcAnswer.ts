// Checks the shape of a node's answer before viem formats it, for the calls
// the daemons build their view from: a wrong shape is a retryable
// RpcAnswerError, never a value. viem formats leniently (a block without a
// number becomes `number: null`, a receipt status it does not know becomes
// undefined, a log it cannot decode is dropped), so without this a bad answer
// surfaces far from the call, as a crash or, worse, as a missed event or a
// successful transaction read as reverted.

import { RpcAnswerError } from "./errors.ts";

export type CheckRpcAnswerParameters = { method: string; params: unknown; result: unknown };
export type CheckRpcAnswerErrorType = RpcAnswerError;

const QUANTITY = /^0x(0|[1-9a-f][0-9a-f]*)$/i;
const DATA = /^0x([0-9a-f]{2})*$/i;
const HASH = /^0x[0-9a-f]{64}$/i;
const ADDRESS = /^0x[0-9a-f]{40}$/i;

const QUANTITY_METHODS = new Set([
  "eth_blockNumber",
  "eth_chainId",
  "eth_getTransactionCount",
  "eth_getBalance",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_estimateGas",
]);

const is = (re: RegExp, v: unknown) => typeof v === "string" && re.test(v);

function blockProblem(block: unknown, tag: unknown): string | undefined {
  if (block === null)
    // A numbered block may not exist (yet, or any more): viem says BlockNotFoundError. The head never.
    return typeof tag === "string" && !tag.startsWith("0x") ? `no "${tag}" block` : undefined;
  if (typeof block !== "object") return `a block that is a ${typeof block}`;
  const b = block as Record<string, unknown>;
  for (const f of ["number", "timestamp", "gasLimit"] as const)
    if (!is(QUANTITY, b[f])) return `block field ${f} is ${JSON.stringify(b[f])}`;
  // A pending block has no hash yet.
  for (const f of tag === "pending" ? (["parentHash"] as const) : (["hash", "parentHash"] as const))
    if (!is(HASH, b[f])) return `block field ${f} is ${JSON.stringify(b[f])}`;
  if (b.baseFeePerGas !== undefined && !is(QUANTITY, b.baseFeePerGas))
    return `block field baseFeePerGas is ${JSON.stringify(b.baseFeePerGas)}`;
  return undefined;
}

function logsProblem(logs: unknown, filter: unknown): string | undefined {
  if (!Array.isArray(logs)) return `logs that are not an array (${typeof logs})`;
  const f = (filter ?? {}) as { address?: unknown; fromBlock?: unknown; toBlock?: unknown };
  const addresses =
    f.address === undefined
      ? undefined
      : (Array.isArray(f.address) ? f.address : [f.address]).map((a) => String(a).toLowerCase());
  const from = is(QUANTITY, f.fromBlock) ? BigInt(f.fromBlock as string) : undefined;
  const to = is(QUANTITY, f.toBlock) ? BigInt(f.toBlock as string) : undefined;
  for (const [i, log] of logs.entries()) {
    if (!log || typeof log !== "object") return `log ${i} is not an object`;
    const l = log as Record<string, unknown>;
    if (!is(ADDRESS, l.address)) return `log ${i} address is ${JSON.stringify(l.address)}`;
    if (!Array.isArray(l.topics) || !l.topics.every((t) => is(HASH, t)))
      return `log ${i} topics are ${JSON.stringify(l.topics)}`;
    if (!is(DATA, l.data)) return `log ${i} data is not hex bytes`;
    for (const k of ["blockNumber", "logIndex", "transactionIndex"] as const)
      if (!is(QUANTITY, l[k])) return `log ${i} ${k} is ${JSON.stringify(l[k])}`;
    for (const k of ["blockHash", "transactionHash"] as const)
      if (!is(HASH, l[k])) return `log ${i} ${k} is ${JSON.stringify(l[k])}`;
    // A log the filter did not ask for is another request's answer.
    if (addresses && !addresses.includes((l.address as string).toLowerCase()))
      return `log ${i} of ${l.address}, which the filter did not ask for`;
    const n = BigInt(l.blockNumber as string);
    if ((from !== undefined && n < from) || (to !== undefined && n > to))
      return `log ${i} of block ${n}, outside the range asked for`;
  }
  return undefined;
}

function receiptProblem(receipt: unknown, hash: unknown): string | undefined {
  if (receipt === null) return undefined; // not mined (yet)
  if (typeof receipt !== "object") return `a receipt that is a ${typeof receipt}`;
  const r = receipt as Record<string, unknown>;
  if (r.status !== "0x0" && r.status !== "0x1") return `receipt status ${JSON.stringify(r.status)}`;
  if (!is(QUANTITY, r.blockNumber)) return `receipt blockNumber is ${JSON.stringify(r.blockNumber)}`;
  if (!is(HASH, r.blockHash)) return `receipt blockHash is ${JSON.stringify(r.blockHash)}`;
  if (!is(QUANTITY, r.gasUsed)) return `receipt gasUsed is ${JSON.stringify(r.gasUsed)}`;
  if (typeof hash === "string" && String(r.transactionHash).toLowerCase() !== hash.toLowerCase())
    return `the receipt of ${r.transactionHash}, not of ${hash}`;
  return logsProblem(r.logs, undefined);
}

/** What is wrong with `result` as an answer to `method`, or undefined when its shape is right. */
function problemOf(method: string, params: unknown, result: unknown): string | undefined {
  const p = Array.isArray(params) ? params : [];
  if (QUANTITY_METHODS.has(method))
    return is(QUANTITY, result) ? undefined : `${JSON.stringify(result)} is not a hex quantity`;
  switch (method) {
    case "eth_getBlockByNumber":
    case "eth_getBlockByHash":
      return blockProblem(result, p[0]);
    case "eth_getLogs":
      return logsProblem(result, p[0]);
    case "eth_getTransactionReceipt":
      return receiptProblem(result, p[0]);
    case "eth_call":
    case "eth_getCode":
    case "eth_getStorageAt":
      // "0x" is a right shape (no code, no return data); the caller decides what it means.
      return is(DATA, result) ? undefined : `${JSON.stringify(result)} is not hex bytes`;
    case "eth_sendRawTransaction":
      return is(HASH, result) ? undefined : `${JSON.stringify(result)} is not a transaction hash`;
    default:
      return undefined;
  }
}

/** Throws a retryable RpcAnswerError when `result` cannot be a right answer to `method`. */
export function checkRpcAnswer({ method, params, result }: CheckRpcAnswerParameters): void {
  const problem = problemOf(method, params, result);
  if (problem !== undefined) throw new RpcAnswerError({ method, problem });
}
