// TypeScript reference implementations of the example guests (guest/examples):
// what each ELF must output and exit with for a given input, so machine and
// end-to-end tests can compare a run against an independent computation. Also
// the encoders/decoders of the median example's binary formats (guest/README.md).

import { createHash } from "node:crypto";
import { BaseError } from "../shared/src/errors/base.ts";

/** What a guest run is expected to produce. */
export type GuestResult = {
  exitCode: number;
  output: Uint8Array;
};

export class GuestFormatError extends BaseError {
  override name = "GuestFormatError";
  constructor(shortMessage: string, details?: string) {
    super(shortMessage, { details, retryable: false });
  }
}

// ---- sha256 ----------------------------------------------------------------

/** Output of examples/sha256: the 32-byte SHA-256 digest of the input. */
export function sha256Reference(input: Uint8Array): Uint8Array {
  return new Uint8Array(createHash("sha256").update(input).digest());
}

// ---- echo ------------------------------------------------------------------

/** Output of examples/echo: the input itself. */
export function echoReference(input: Uint8Array): Uint8Array {
  return Uint8Array.from(input);
}

// ---- median ----------------------------------------------------------------

export type PriceReport = {
  /** uint32 */
  sourceId: number;
  /** int64, in the feed's smallest price unit */
  price: bigint;
  /** uint64, unit chosen by the feed (e.g. seconds since the epoch) */
  timestamp: bigint;
};

export type MedianResult = {
  count: bigint;
  median: bigint;
  mean: bigint;
  latestTimestamp: bigint;
};

export const PRICE_RECORD_BYTES = 20;
export const MEDIAN_OUTPUT_BYTES = 32;
/** Exit codes of examples/median. */
export const MEDIAN_EXIT = { ok: 0, malformed: 1, empty: 2, noMemory: 3 } as const;

const U32_MAX = 0xffffffffn;
const I64_MIN = -(1n << 63n);
const I64_MAX = (1n << 63n) - 1n;
const U64_MAX = (1n << 64n) - 1n;

/** Input of examples/median: u32 count, then count × (u32 sourceId | i64 price | u64 timestamp), LE. */
export function encodePriceReports(reports: readonly PriceReport[]): Uint8Array {
  if (BigInt(reports.length) > U32_MAX)
    throw new GuestFormatError("Too many price reports", `${reports.length}`);
  const out = new Uint8Array(4 + reports.length * PRICE_RECORD_BYTES);
  const view = new DataView(out.buffer);
  view.setUint32(0, reports.length, true);
  reports.forEach((r, i) => {
    if (!Number.isInteger(r.sourceId) || r.sourceId < 0 || r.sourceId > 0xffffffff)
      throw new GuestFormatError(`Report ${i}: sourceId must be a uint32`, String(r.sourceId));
    if (r.price < I64_MIN || r.price > I64_MAX)
      throw new GuestFormatError(`Report ${i}: price must fit in int64`, String(r.price));
    if (r.timestamp < 0n || r.timestamp > U64_MAX)
      throw new GuestFormatError(`Report ${i}: timestamp must fit in uint64`, String(r.timestamp));
    const at = 4 + i * PRICE_RECORD_BYTES;
    view.setUint32(at, r.sourceId, true);
    view.setBigInt64(at + 4, r.price, true);
    view.setBigUint64(at + 12, r.timestamp, true);
  });
  return out;
}

/** Inverse of encodePriceReports; throws GuestFormatError where the guest would exit 1. */
export function decodePriceReports(input: Uint8Array): PriceReport[] {
  if (input.length < 4) throw new GuestFormatError("Price report input shorter than its 4-byte count");
  const view = new DataView(input.buffer, input.byteOffset, input.byteLength);
  const count = view.getUint32(0, true);
  if (input.length !== 4 + count * PRICE_RECORD_BYTES)
    throw new GuestFormatError(
      "Price report input length does not match its count",
      `count ${count} needs ${4 + count * PRICE_RECORD_BYTES} bytes, got ${input.length}`,
    );
  const reports: PriceReport[] = [];
  for (let i = 0; i < count; i++) {
    const at = 4 + i * PRICE_RECORD_BYTES;
    reports.push({
      sourceId: view.getUint32(at, true),
      price: view.getBigInt64(at + 4, true),
      timestamp: view.getBigUint64(at + 12, true),
    });
  }
  return reports;
}

/** Floor division for bigint (BigInt `/` truncates toward zero). */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n !== b < 0n ? q - 1n : q;
}

/** The aggregate examples/median computes (count must be > 0). */
export function aggregatePrices(reports: readonly PriceReport[]): MedianResult {
  if (reports.length === 0) throw new GuestFormatError("No price reports to aggregate");
  const prices = reports.map((r) => r.price).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const n = prices.length;
  const median = n % 2 ? prices[(n - 1) / 2]! : floorDiv(prices[n / 2 - 1]! + prices[n / 2]!, 2n);
  const sum = prices.reduce((s, p) => s + p, 0n);
  let latest = 0n;
  for (const r of reports) if (r.timestamp > latest) latest = r.timestamp;
  return { count: BigInt(n), median, mean: floorDiv(sum, BigInt(n)), latestTimestamp: latest };
}

/** Output of examples/median: u64 count | i64 median | i64 mean | u64 latestTimestamp, LE. */
export function encodeMedianOutput(r: MedianResult): Uint8Array {
  const out = new Uint8Array(MEDIAN_OUTPUT_BYTES);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, r.count, true);
  view.setBigInt64(8, r.median, true);
  view.setBigInt64(16, r.mean, true);
  view.setBigUint64(24, r.latestTimestamp, true);
  return out;
}

export function decodeMedianOutput(output: Uint8Array): MedianResult {
  if (output.length !== MEDIAN_OUTPUT_BYTES)
    throw new GuestFormatError("Median output must be 32 bytes", `got ${output.length}`);
  const view = new DataView(output.buffer, output.byteOffset, output.byteLength);
  return {
    count: view.getBigUint64(0, true),
    median: view.getBigInt64(8, true),
    mean: view.getBigInt64(16, true),
    latestTimestamp: view.getBigUint64(24, true),
  };
}

/** Exit code and output examples/median produces for `input` (errors give empty output). */
export function medianReference(input: Uint8Array): GuestResult {
  let reports: PriceReport[];
  try {
    reports = decodePriceReports(input);
  } catch {
    return { exitCode: MEDIAN_EXIT.malformed, output: new Uint8Array() };
  }
  if (reports.length === 0) return { exitCode: MEDIAN_EXIT.empty, output: new Uint8Array() };
  return { exitCode: MEDIAN_EXIT.ok, output: encodeMedianOutput(aggregatePrices(reports)) };
}

// ---- cpubench --------------------------------------------------------------

/** CPUBENCH_ROUNDS of the committed build (examples/cpubench/main.c). */
export const CPUBENCH_ROUNDS = 500_000;
/** Exit code of the committed cpubench.elf (= cpubenchReference(CPUBENCH_ROUNDS)). */
export const CPUBENCH_EXIT_CODE = 168;
/**
 * Instructions the committed cpubench.elf retires under qemu-riscv32. Counted
 * with `qemu-riscv32 -singlestep -d nochain,exec` on 100/200/1000-round builds:
 * exactly 2120 + 436·rounds (both branch paths of the inner step are 27
 * instructions); the committed build needs one more instruction (lui+addi) to
 * load 500000. On the Verdict machine crt0 also runs the 2-instruction
 * `la sp` that qemu skips (qemu provides a stack), so the machine should halt
 * with step = CPUBENCH_INSTRUCTIONS + 2 = 218,002,123.
 */
export const CPUBENCH_INSTRUCTIONS = 2121 + 436 * CPUBENCH_ROUNDS;

/** High 32 bits of the 64-bit product of two uint32 (RISC-V MULHU). */
function mulhu(a: number, b: number): number {
  const a0 = a & 0xffff;
  const a1 = a >>> 16;
  const b0 = b & 0xffff;
  const b1 = b >>> 16;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = ((a0 * b0) >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  return (a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16)) >>> 0;
}

/** Exit code of examples/cpubench built with CPUBENCH_ROUNDS = rounds (same arithmetic, in uint32). */
export function cpubenchReference(rounds: number = CPUBENCH_ROUNDS): number {
  const table = new Uint32Array(256);
  let x = 0x9e3779b9;
  let acc = 0;
  for (let i = 0; i < 256; i++) {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    table[i] = x;
  }
  for (let r = 0; r < rounds; r++) {
    for (let j = 0; j < 16; j++) {
      x = (x ^ (x << 13)) >>> 0;
      x = (x ^ (x >>> 17)) >>> 0;
      x = (x ^ (x << 5)) >>> 0;
      const idx = x & 255;
      const t = table[idx]!;
      acc = (acc + Math.imul(t, x) + mulhu(t, x)) >>> 0;
      if (acc & 1) acc = (acc ^ Math.floor(acc / ((t | 1) & 0xffff))) >>> 0;
      else acc = (acc + (acc % ((x | 1) & 0xfff))) >>> 0;
      table[idx] = (t + acc) >>> 0;
    }
  }
  acc = (acc ^ (acc >>> 16)) >>> 0;
  acc = (acc ^ (acc >>> 8)) >>> 0;
  return acc & 0xff;
}

// ---- dispatch --------------------------------------------------------------

export const EXAMPLE_NAMES = ["cpubench", "echo", "median", "sha256"] as const;
export type ExampleName = (typeof EXAMPLE_NAMES)[number];

/** Expected result of running example `name` on `input` (cpubench ignores its input). */
export function guestReference(name: ExampleName, input: Uint8Array): GuestResult {
  switch (name) {
    case "sha256":
      return { exitCode: 0, output: sha256Reference(input) };
    case "echo":
      return { exitCode: 0, output: echoReference(input) };
    case "median":
      return medianReference(input);
    case "cpubench":
      return { exitCode: cpubenchReference(), output: new Uint8Array() };
  }
}
