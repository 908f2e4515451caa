// Parses step counts given on the command line. Accepts what people type for
// trace budgets: decimal (1000000, 1_000_000), hex (0x10000) and powers of two
// (2^30, 2**30). Steps are uint64 in the spec, so the result is a bigint.

import { CliUsageError } from "../errors/cli.ts";

export type ParseCountErrorType = CliUsageError;

const UINT64_MAX = (1n << 64n) - 1n;

/** `option` names the flag in error messages, e.g. "--step". */
export function parseCount(text: string, option: string, { min = 0n }: { min?: bigint } = {}): bigint {
  const t = text.trim();
  let value: bigint;
  const pow = /^2\s*(?:\^|\*\*)\s*(\d{1,3})$/.exec(t);
  if (pow) value = 1n << BigInt(pow[1]);
  else if (/^0x[0-9a-f]+(?:_[0-9a-f]+)*$/i.test(t)) value = BigInt(t.replaceAll("_", ""));
  else if (/^\d+(?:_\d+)*$/.test(t)) value = BigInt(t.replaceAll("_", ""));
  else
    throw new CliUsageError({
      option,
      value: text,
      reason: "expected a non-negative integer (decimal, 0x hex, or 2^k)",
    });
  if (value > UINT64_MAX) throw new CliUsageError({ option, value: text, reason: "larger than 2^64 - 1" });
  if (value < min) throw new CliUsageError({ option, value: text, reason: `must be at least ${min}` });
  return value;
}
