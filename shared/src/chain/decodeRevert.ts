// Turns a failed contract call into a ContractRevertError carrying the custom
// error's name and arguments, decoded with the contract's ABI. Errors that are
// not reverts (RPC trouble) are returned unchanged for the retry logic. Data
// the caller's ABI does not know (a revert bubbled up from another protocol
// contract, e.g. DisputeGame's error through Verdict) is decoded against every
// protocol error, so no protocol revert is ever logged as "unknown".

import { type Abi, type AbiItem, decodeErrorResult, type Hex } from "viem";
import {
  disputeGameAbi,
  outputsAbi,
  programRegistryAbi,
  timelockControllerAbi,
  verdictAbi,
} from "../bindings/abis.ts";
import { isRetryableError } from "./classifyError.ts";
import { ContractRevertError } from "./errors.ts";

function findRevertData(err: unknown): {
  data?: Hex;
  errorName?: string;
  args?: readonly unknown[];
  isRevert: boolean;
} {
  const seen = new Set<unknown>();
  let e = err as Record<string, unknown> | undefined;
  let isRevert = false;
  while (e && typeof e === "object" && !seen.has(e)) {
    seen.add(e);
    const name = String(e.name ?? "");
    if (name === "ContractFunctionRevertedError") {
      const d = e.data as { errorName?: string; args?: readonly unknown[] } | undefined;
      const raw = (e.raw as Hex | undefined) ?? undefined;
      if (d?.errorName) return { data: raw, errorName: d.errorName, args: d.args ?? [], isRevert: true };
      if (raw) return { data: raw, isRevert: true };
      isRevert = true;
    }
    if (name === "ExecutionRevertedError" || name === "RawContractError") isRevert = true;
    // Nodes put revert data in error.data (string or {data}).
    const data = typeof e.data === "string" ? e.data : (e.data as { data?: unknown } | undefined)?.data;
    if (typeof data === "string" && data.startsWith("0x") && data.length >= 10)
      return { data: data as Hex, isRevert: true };
    const msg = typeof e.message === "string" ? e.message : "";
    if (/execution reverted|revert/i.test(msg)) isRevert = true;
    e = e.cause as Record<string, unknown> | undefined;
  }
  return { isRevert };
}

let protocolErrors: Abi | undefined;
/** Every custom error of the protocol's contracts, once each. */
export function protocolErrorsAbi(): Abi {
  if (protocolErrors) return protocolErrors;
  const seen = new Map<string, AbiItem>();
  for (const abi of [verdictAbi, disputeGameAbi, outputsAbi, programRegistryAbi, timelockControllerAbi])
    for (const item of abi as Abi)
      if (item.type === "error") seen.set(`${item.name}(${item.inputs.map((i) => i.type).join(",")})`, item);
  protocolErrors = [...seen.values()] as Abi;
  return protocolErrors;
}

function tryDecode(abi: Abi, data: Hex): { errorName: string; args: readonly unknown[] } | undefined {
  try {
    const r = decodeErrorResult({ abi, data });
    return { errorName: r.errorName, args: (r.args ?? []) as readonly unknown[] };
  } catch {
    return undefined;
  }
}

/** Decodes raw revert data with `abi`, then with every protocol error; "unknown" when nothing matches. */
export function decodeRevertData(
  abi: Abi,
  data: Hex | undefined,
): { errorName: string; args: readonly unknown[] } {
  if (!data || data === "0x") return { errorName: "unknown", args: [] };
  return tryDecode(abi, data) ?? tryDecode(protocolErrorsAbi(), data) ?? { errorName: "unknown", args: [] };
}

/** A ContractRevertError when `err` is a revert, otherwise `err` itself. */
export function decodeRevert(err: unknown, abi: Abi, functionName: string, txHash?: string): unknown {
  const found = findRevertData(err);
  // A node failure that viem dressed up as a revert stays retryable.
  if (!found.isRevert || (!found.data && !found.errorName && isRetryableError(err))) return err;
  const decoded = found.errorName
    ? { errorName: found.errorName, args: found.args ?? [] }
    : decodeRevertData(abi, found.data);
  return new ContractRevertError({
    functionName,
    errorName: decoded.errorName,
    errorArgs: decoded.args,
    data: found.data,
    txHash,
    cause: err,
  });
}
