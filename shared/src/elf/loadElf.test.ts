// Tests of the ELF loader: a valid image round-trips, every malformed case
// gives its own typed error, and random corruption never escapes as anything
// but a BaseError.

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { expect } from "chai";
import { BaseError } from "../errors/base.ts";
import {
  ElfClassError,
  ElfDynamicError,
  ElfEndiannessError,
  ElfEntryError,
  ElfError,
  ElfFlagsError,
  ElfHeaderError,
  ElfMachineError,
  ElfNoLoadSegmentsError,
  ElfNotElfError,
  ElfSegmentFileSizeError,
  ElfSegmentOutsideProgramRegionError,
  ElfSegmentOverlapError,
  ElfSizeError,
  ElfTruncatedError,
  ElfTypeError,
  ElfVersionError,
} from "../errors/elf.ts";
import { loadElf } from "./loadElf.ts";
import { type WriteElfParameters, type WriteElfSegment, writeElf, writeElfFromWords } from "./writeElf.ts";

const examples = fileURLToPath(new URL("../../../guest/examples/", import.meta.url));
const code = new Uint8Array([0x93, 0x08, 0xd0, 0x05, 0x73, 0x00, 0x00, 0x00]); // li a7,93; ecall
const rodata = new Uint8Array([1, 2, 3, 4, 5]);

function valid(over: Partial<WriteElfParameters> = {}, segs?: WriteElfSegment[]): Uint8Array {
  return writeElf({
    entry: 0x1000,
    segments: segs ?? [
      { vaddr: 0x1000, data: code, flags: 5 },
      { vaddr: 0x2000, data: rodata, memSize: 0x100, flags: 6 },
    ],
    ...over,
  });
}

function expectThrow<T extends Error>(fn: () => unknown, cls: new (...a: never[]) => T, text?: RegExp): T {
  try {
    fn();
  } catch (err) {
    expect(err, String(err)).to.be.instanceOf(cls);
    expect(err).to.be.instanceOf(ElfError).and.instanceOf(BaseError);
    expect((err as BaseError).retryable).to.equal(false);
    if (text) expect((err as BaseError).shortMessage).to.match(text);
    return err as T;
  }
  throw new Error(`expected ${cls.name}, nothing was thrown`);
}

describe("loadElf", () => {
  it("loads a valid two-segment executable", () => {
    const img = loadElf(valid());
    expect(img.entry).to.equal(0x1000);
    expect(img.segments).to.have.length(2);
    expect(img.segments[0]).to.deep.include({ vaddr: 0x1000, memSize: 8, flags: 5 });
    expect(Array.from(img.segments[0].data)).to.deep.equal(Array.from(code));
    expect(img.segments[1]).to.deep.include({ vaddr: 0x2000, memSize: 0x100, flags: 6 });
    expect(Array.from(img.segments[1].data)).to.deep.equal(Array.from(rodata));
  });

  it("sorts segments by address, ignores non-LOAD and empty headers, copies data", () => {
    const bytes = valid({}, [
      { vaddr: 0x2000, data: rodata, flags: 6 },
      { vaddr: 0, type: 0x70000003, data: new Uint8Array(9) }, // PT_RISCV_ATTRIBUTES
      { vaddr: 0x1000, data: code },
      { vaddr: 0x1000, memSize: 0 }, // empty PT_LOAD inside another: occupies nothing
    ]);
    const img = loadElf(bytes);
    expect(img.segments.map((s) => s.vaddr)).to.deep.equal([0x1000, 0x2000]);
    bytes.fill(0);
    expect(img.segments[0].data[0]).to.equal(0x93);
  });

  it("accepts a segment that ends exactly at 0x80000000 and adjacent segments", () => {
    const img = loadElf(
      valid({ entry: 0x7fff_fff0 }, [
        { vaddr: 0x7fff_fff0, data: new Uint8Array(16) },
        { vaddr: 0x7fff_0000, memSize: 0xfff0 },
      ]),
    );
    expect(img.segments).to.have.length(2);
  });

  it("accepts a subarray view with a non-zero byteOffset", () => {
    const bytes = valid();
    const padded = new Uint8Array(bytes.length + 3);
    padded.set(bytes, 3);
    expect(loadElf(padded.subarray(3)).entry).to.equal(0x1000);
  });

  it("accepts RVE (0x8) and TSO (0x10) in e_flags: the machine meets both (§1.9)", () => {
    const plain = loadElf(valid());
    for (const flags of [0x8, 0x10, 0x18]) expect(loadElf(valid({ flags }))).to.deep.equal(plain);
  });

  it("writeElfFromWords builds a loadable image", () => {
    const img = loadElf(writeElfFromWords([0x05d00893, 0x00000073], { base: 0x400, bssSize: 64 }));
    expect(img).to.deep.include({ entry: 0x400 });
    expect(img.segments[0].memSize).to.equal(8 + 64);
  });

  describe("typed errors", () => {
    it("not ELF: empty, short, wrong magic", () => {
      expectThrow(() => loadElf(new Uint8Array(0)), ElfNotElfError, /0 byte/);
      expectThrow(() => loadElf(new Uint8Array([0x7f, 0x45])), ElfNotElfError);
      expectThrow(
        () => loadElf(new TextEncoder().encode("#!/bin/sh\necho hi\n")),
        ElfNotElfError,
        /23 21 2f 62/,
      );
    });
    it("64-bit", () => expectThrow(() => loadElf(valid({ elfClass: 2 })), ElfClassError, /64-bit/));
    it("bad class", () => expectThrow(() => loadElf(valid({ elfClass: 0 })), ElfClassError, /class 0/));
    it("big-endian", () =>
      expectThrow(() => loadElf(valid({ dataEncoding: 2 })), ElfEndiannessError, /big-endian/));
    it("bad EI_VERSION", () =>
      expectThrow(() => loadElf(valid({ identVersion: 0 })), ElfVersionError, /EI_VERSION/));
    it("bad e_version", () =>
      expectThrow(() => loadElf(valid({ version: 2 })), ElfVersionError, /e_version is 2/));
    it("not RISC-V", () =>
      expectThrow(() => loadElf(valid({ machine: 62 })), ElfMachineError, /62 \(x86-64\)/));
    it("relocatable object", () => expectThrow(() => loadElf(valid({ type: 1 })), ElfTypeError, /ET_REL/));
    it("PIE / shared object", () => expectThrow(() => loadElf(valid({ type: 3 })), ElfTypeError, /ET_DYN/));
    it("compressed-instruction flag", () =>
      expectThrow(() => loadElf(valid({ flags: 1 })), ElfFlagsError, /0x1 .*compressed/));
    it("hard-float ABI flag", () =>
      expectThrow(() => loadElf(valid({ flags: 4 })), ElfFlagsError, /floating/));
    it("every float-ABI value and every reserved e_flags bit (§1.9)", () => {
      for (const f of [2, 4, 6]) expectThrow(() => loadElf(valid({ flags: f })), ElfFlagsError, /floating/);
      for (let bit = 5; bit < 32; bit++)
        expectThrow(() => loadElf(valid({ flags: 2 ** bit })), ElfFlagsError, /reserved/);
    });
    it("e_ehsize wrong", () =>
      expectThrow(() => loadElf(valid({ ehsize: 64 })), ElfHeaderError, /e_ehsize is 64/));
    it("e_phentsize wrong", () =>
      expectThrow(() => loadElf(valid({ phentsize: 56 })), ElfHeaderError, /e_phentsize is 56/));
    it("too many program headers", () =>
      expectThrow(() => loadElf(valid({ phnum: 0xffff })), ElfSizeError, /65535/));
    it("no program headers", () => expectThrow(() => loadElf(valid({ phnum: 0 })), ElfNoLoadSegmentsError));
    it("only non-LOAD or empty segments", () =>
      expectThrow(
        () => loadElf(valid({}, [{ vaddr: 0x1000, type: 4, data: code }, { vaddr: 0x1000 }])),
        ElfNoLoadSegmentsError,
      ));
    it("PT_INTERP (dynamically linked)", () =>
      expectThrow(
        () =>
          loadElf(
            valid({}, [
              { vaddr: 0x1000, data: code },
              { vaddr: 0, type: 3, data: rodata },
            ]),
          ),
        ElfDynamicError,
        /header 1/,
      ));
    it("truncated e_ident and header", () => {
      const bytes = valid();
      expectThrow(() => loadElf(bytes.subarray(0, 10)), ElfTruncatedError, /10 byte/);
      expectThrow(() => loadElf(bytes.subarray(0, 51)), ElfTruncatedError, /ELF header/);
    });
    it("truncated program header table", () => {
      expectThrow(() => loadElf(valid().subarray(0, 60)), ElfTruncatedError, /program header table/);
      expectThrow(() => loadElf(valid({ phoff: 0xffff_fff0 })), ElfTruncatedError, /0xfffffff0/);
    });
    it("truncated segment data", () => {
      const bytes = valid();
      expectThrow(() => loadElf(bytes.subarray(0, bytes.length - 1)), ElfTruncatedError, /segment 1/);
      expectThrow(
        () => loadElf(valid({}, [{ vaddr: 0x1000, data: code, offset: 0xffff_ffff }])),
        ElfTruncatedError,
        /segment 0.*0xffffffff/,
      );
    });
    it("filesz > memsz", () =>
      expectThrow(
        () => loadElf(valid({}, [{ vaddr: 0x1000, data: code, memSize: 4 }])),
        ElfSegmentFileSizeError,
        /0x8 .*0x4/,
      ));
    it("segment in the input region", () =>
      expectThrow(
        () => loadElf(valid({ entry: 0x8000_0000 }, [{ vaddr: 0x8000_0000, data: code }])),
        ElfSegmentOutsideProgramRegionError,
        /0x80000000, 0x80000008/,
      ));
    it("segment straddling 0x80000000", () =>
      expectThrow(
        () =>
          loadElf(
            valid({}, [
              { vaddr: 0x1000, data: code },
              { vaddr: 0x7fff_fff0, memSize: 0x11 },
            ]),
          ),
        ElfSegmentOutsideProgramRegionError,
        /segment 1/,
      ));
    it("segment whose end wraps past 2^32", () =>
      expectThrow(
        () =>
          loadElf(
            valid({}, [
              { vaddr: 0x1000, data: code },
              { vaddr: 0x10, memSize: 0xffff_fff8 },
            ]),
          ),
        // memsz alone exceeds the program region, named as such rather than a wrap
        ElfSegmentOutsideProgramRegionError,
      ));
    it("total memsz above 1 GiB", () =>
      expectThrow(
        () =>
          loadElf(
            valid({}, [
              { vaddr: 0x1000, data: code },
              { vaddr: 0x1000_0000, memSize: 0x3000_0000 },
              { vaddr: 0x4000_0000, memSize: 0x3000_0000 },
            ]),
          ),
        ElfSizeError,
        /sum of p_memsz/,
      ));
    it("overlapping segments", () =>
      expectThrow(
        () =>
          loadElf(
            valid({}, [
              { vaddr: 0x1000, data: code, memSize: 0x100 },
              { vaddr: 0x10ff, memSize: 1 },
            ]),
          ),
        ElfSegmentOverlapError,
        /segments 0 .* and 1/,
      ));
    it("identical segments overlap", () =>
      expectThrow(
        () =>
          loadElf(
            valid({}, [
              { vaddr: 0x1000, data: code },
              { vaddr: 0x1000, data: code },
            ]),
          ),
        ElfSegmentOverlapError,
      ));
    it("entry outside every segment", () =>
      expectThrow(() => loadElf(valid({ entry: 0x3000 })), ElfEntryError, /0x3000 is not inside/));
    it("entry misaligned", () =>
      expectThrow(() => loadElf(valid({ entry: 0x1002 })), ElfEntryError, /aligned/));
    it("entry in .bss", () => expectThrow(() => loadElf(valid({ entry: 0x2008 })), ElfEntryError, /bss/));
  });

  it("loads the committed guest ELFs (built by gcc + ld)", () => {
    for (const name of ["echo", "sha256", "median", "cpubench"]) {
      const img = loadElf(readFileSync(join(examples, name, `${name}.elf`)));
      expect(img.entry % 4, name).to.equal(0);
      expect(img.segments.length, name).to.be.at.least(1);
    }
  });

  const fuzzBases: [string, () => Uint8Array][] = [
    [
      "a written ELF",
      () =>
        valid({}, [
          { vaddr: 0x1000, data: code, flags: 5 },
          { vaddr: 0, type: 0x70000003, data: new Uint8Array(12) },
          { vaddr: 0x2000, data: rodata, memSize: 0x100, flags: 6 },
        ]),
    ],
    ["guest/examples/echo/echo.elf", () => new Uint8Array(readFileSync(join(examples, "echo", "echo.elf")))],
  ];
  for (const [label, makeBase] of fuzzBases)
    it(`fuzz (${label}): byte flips and truncations load or throw an ElfError, never anything else`, function () {
      const runs = Number(process.env.VERDICT_FUZZ_RUNS ?? 10000);
      this.timeout(60_000);
      const base = makeBase();
      // Header, program headers, then anywhere: where the parser looks is where flips matter.
      const phEnd = 52 + new DataView(base.buffer, base.byteOffset).getUint16(44, true) * 32;
      // Deterministic PRNG (xorshift32) so a failure reproduces.
      let seed = 0x2545f491;
      const rnd = (n: number) => {
        seed ^= seed << 13;
        seed ^= seed >>> 17;
        seed ^= seed << 5;
        return (seed >>> 0) % n;
      };
      const seen = new Map<string, number>();
      for (let r = 0; r < runs; r++) {
        const bytes = base.slice(0, rnd(8) === 0 ? rnd(base.length + 1) : base.length);
        const flips = 1 + rnd(4);
        for (let f = 0; f < flips && bytes.length > 0; f++) {
          const at = rnd(8) < 5 ? rnd(Math.min(bytes.length, phEnd)) : rnd(bytes.length);
          bytes[at] = rnd(4) === 0 ? 0xff : rnd(256);
        }
        let outcome = "ok";
        try {
          const img = loadElf(bytes);
          // Whatever loads must satisfy the image's contract.
          for (const s of img.segments) {
            expect(s.vaddr + s.memSize).to.be.at.most(0x8000_0000);
            expect(s.data.length).to.be.at.most(s.memSize);
          }
        } catch (err) {
          if (!(err instanceof ElfError)) throw new Error(`run ${r}: escaped ${String(err)}`, { cause: err });
          outcome = err.name;
        }
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      }
      // The corpus must actually reach the deep checks, or the test proves little.
      expect(seen.get("ok") ?? 0).to.be.greaterThan(0);
      expect(seen.size, JSON.stringify([...seen])).to.be.greaterThan(8);
      if (process.env.VERDICT_FUZZ_VERBOSE) console.log(seen);
    });
});
