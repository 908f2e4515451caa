// Formatting helpers shared by the CLI commands: JSON-safe numbers, output
// bytes as hex and (when they are printable UTF-8) as text, status names.

import type { Hex } from "viem";

/**
 * JSON number when exactly representable (|v| <= 2^53 - 1), else a decimal
 * string: consumers never silently lose precision on steps or exit codes.
 */
export function jsonNumber(v: number | bigint): number | string {
  if (typeof v === "number") return Number.isSafeInteger(v) ? v : String(v);
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER)
    ? Number(v)
    : v.toString();
}

export const STATUS_NAMES = ["RUNNING", "EXITED", "TRAPPED"] as const;
export type StatusName = (typeof STATUS_NAMES)[number];

export function statusName(status: number): StatusName {
  const n = STATUS_NAMES[status];
  if (!n) throw new RangeError(`status ${status} is not 0, 1 or 2`);
  return n;
}

const decoder = new TextDecoder("utf-8", { fatal: true });

/**
 * The bytes as text when they are valid UTF-8 without control characters
 * other than tab, newline and carriage return; null otherwise.
 */
export function printableText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    return null;
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find them
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text) ? null : text;
}

/**
 * Lower-case 0x hex, as viem's bytesToHex. Local so that the CLI's own code
 * does not load viem's barrel, which costs seconds through tsx's loader.
 */
export function hex(bytes: Uint8Array): Hex {
  return `0x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex")}`;
}

/** 0x-prefixed, zero-padded to 8 digits: how addresses and registers are shown. */
export function hex32(v: number): string {
  return `0x${(v >>> 0).toString(16).padStart(8, "0")}`;
}
