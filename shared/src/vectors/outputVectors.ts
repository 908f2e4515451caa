// Output-region vectors (docs/spec.md §1.2): a final state's output region,
// given as the bytes written into an otherwise zero region, with its output
// root and the output bytes it holds, or "no output" when no byte string has
// that region as its image. Forge replays the output roots through the
// verifier's `inputRoot`, the function `Outputs.publishOutput` uses.

import { bytesToHex, type Hex } from "viem";
import { OUTPUT_BASE } from "../machine/constants.ts";
import { outputBytes, outputRoot } from "../machine/createMachine.ts";
import { Machine } from "../machine/machine.ts";

export type OutputVector = {
  name: string;
  rule: string;
  /** Bytes written into the zero output region: [address, bytes]. */
  writes: { at: number; bytes: Hex }[];
  outputRoot: Hex;
  /** Whether the region holds output bytes (`output` is then not null). */
  hasOutput: boolean;
  /**
   * The output bytes, or null for "no output". For a null case `naive` is what
   * a reader that trusts the length field alone would return (when the length
   * fits the region): its root must differ from outputRoot.
   */
  output: Hex | null;
  naive?: Hex;
};

export class OutputVectorError extends Error {
  override name = "OutputVectorError";
}

const le64 = (n: bigint): Uint8Array => {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, n, true);
  return b;
};

type Case = { name: string; rule: string; writes: [number, Uint8Array][]; output: Uint8Array | null };

function header(len: bigint, extra: number[] = []): Uint8Array {
  const h = new Uint8Array(32);
  h.set(le64(len));
  for (const at of extra) h[at] = 0xee;
  return h;
}

function cases(): Case[] {
  const payload = new TextEncoder().encode("verdict output\n");
  const full = (p: Uint8Array) => {
    const out = new Uint8Array(32 + p.length);
    out.set(header(BigInt(p.length)));
    out.set(p, 32);
    return out;
  };
  const big = new Uint8Array(100).map((_, i) => (i * 7 + 1) & 0xff);
  return [
    {
      name: "empty-region",
      rule: "an all-zero region is the empty output",
      writes: [],
      output: new Uint8Array(0),
    },
    {
      name: "payload",
      rule: "le64 length, 24 zero bytes, payload",
      writes: [[OUTPUT_BASE, full(payload)]],
      output: payload,
    },
    {
      name: "payload-across-leaves",
      rule: "the payload may span leaves",
      writes: [[OUTPUT_BASE, full(big)]],
      output: big,
    },
    {
      name: "payload-with-zero-tail-bytes",
      rule: "trailing zero bytes inside the length belong to the output",
      writes: [[OUTPUT_BASE, full(new Uint8Array([1, 2, 0, 0]))]],
      output: new Uint8Array([1, 2, 0, 0]),
    },
    {
      name: "byte-after-payload",
      rule: "every byte after the payload is zero",
      writes: [
        [OUTPUT_BASE, full(payload)],
        [OUTPUT_BASE + 32 + payload.length, new Uint8Array([6])],
      ],
      output: null,
    },
    {
      name: "byte-at-region-end",
      rule: "every byte after the payload is zero, up to 0xFFFFFFFF",
      writes: [
        [OUTPUT_BASE, full(payload)],
        [0xffff_ffff, new Uint8Array([1])],
      ],
      output: null,
    },
    ...[8, 16, 31].map((at) => ({
      name: `header-byte-${at}`,
      rule: "header bytes 8..31 are zero",
      writes: [
        [OUTPUT_BASE, header(3n, [at])],
        [OUTPUT_BASE + 32, new Uint8Array([1, 2, 3])],
      ] as [number, Uint8Array][],
      output: null,
    })),
    {
      name: "length-above-region",
      rule: "the length is at most 2^30 - 32",
      writes: [[OUTPUT_BASE, header(2n ** 30n - 31n)]],
      output: null,
    },
    {
      name: "length-high-word",
      rule: "the length is at most 2^30 - 32 (all 8 bytes count)",
      writes: [
        [OUTPUT_BASE, header(2n ** 32n + 3n)],
        [OUTPUT_BASE + 32, new Uint8Array([1, 2, 3])],
      ],
      output: null,
    },
    {
      name: "length-shorter-than-written",
      rule: "bytes written beyond the length make the region no output",
      writes: [
        [OUTPUT_BASE, header(2n)],
        [OUTPUT_BASE + 32, new Uint8Array([1, 2, 3])],
      ],
      output: null,
    },
  ];
}

/** Every output vector, checked against the machine's outputBytes. */
export function outputVectors(): OutputVector[] {
  return cases().map(({ name, rule, writes, output }) => {
    const m = new Machine();
    for (const [at, bytes] of writes) m.mem.writeBytes(at, bytes);
    let got: Uint8Array | null = null;
    try {
      got = outputBytes(m);
    } catch (err) {
      if (!(err instanceof Error && err.name === "NoOutputError")) throw err;
    }
    const want = output === null ? null : bytesToHex(output);
    const have = got === null ? null : bytesToHex(got);
    if (want !== have)
      throw new OutputVectorError(`${name}: outputBytes gives ${have}, the spec says ${want}`);
    const v: OutputVector = {
      name,
      rule,
      writes: writes.map(([at, bytes]) => ({ at, bytes: bytesToHex(bytes) })),
      outputRoot: outputRoot(m),
      hasOutput: want !== null,
      output: want,
    };
    if (output === null) {
      const len = new DataView(new Uint8Array(m.mem.readBytes(OUTPUT_BASE, 8)).buffer).getBigUint64(0, true);
      if (len <= 1024n) v.naive = bytesToHex(m.mem.readBytes(OUTPUT_BASE + 32, Number(len)));
    }
    return v;
  });
}
