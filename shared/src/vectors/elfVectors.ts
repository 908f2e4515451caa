// ELF loading vectors (docs/spec.md §1.9): one small file per loader rule,
// each either rejected with the typed error the rule names or accepted with
// the program root and entry it must load to. Every rejected file breaks
// exactly one rule, so the expected error does not depend on the order in
// which a loader checks. Built with writeElf plus byte patches; the expected
// outcome is stated here and checked against loadElf when generated.

import { bytesToHex, type Hex } from "viem";
import { loadElf } from "../elf/loadElf.ts";
import { type WriteElfParameters, type WriteElfSegment, writeElf } from "../elf/writeElf.ts";
import { programRoot } from "../machine/createMachine.ts";

export type ElfVectorExpect = { error: string } | { programRoot: Hex; entry: number };

export type ElfVector = {
  name: string;
  /** The §1.9 rule the file exercises, in words. */
  rule: string;
  elf: Hex;
  expect: ElfVectorExpect;
};

export class ElfVectorError extends Error {
  override name = "ElfVectorError";
}

// li a7, 93; ecall
const CODE = new Uint8Array([0x93, 0x08, 0xd0, 0x05, 0x73, 0x00, 0x00, 0x00]);
const DATA = new Uint8Array([1, 2, 3, 4, 5]);

function base(over: Partial<WriteElfParameters> = {}, segments?: WriteElfSegment[]): Uint8Array {
  return writeElf({
    entry: 0x1000,
    segments: segments ?? [
      { vaddr: 0x1000, data: CODE, flags: 5 },
      { vaddr: 0x2000, data: DATA, memSize: 0x100, flags: 6 },
    ],
    ...over,
  });
}

function patch(bytes: Uint8Array, edits: [offset: number, size: 1 | 2 | 4, value: number][]): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  for (const [o, size, value] of edits) {
    if (size === 1) out[o] = value;
    else if (size === 2) v.setUint16(o, value, true);
    else v.setUint32(o, value >>> 0, true);
  }
  return out;
}

/** Moves the program header table one byte later (e_phoff = 53), fixing every p_offset. */
function unalignedPhoff(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(bytes.length + 1);
  out.set(bytes.subarray(0, 52));
  out.set(bytes.subarray(52), 53);
  const v = new DataView(out.buffer);
  v.setUint32(28, 53, true);
  const phnum = v.getUint16(44, true);
  for (let i = 0; i < phnum; i++) {
    const ph = 53 + 32 * i;
    v.setUint32(ph + 4, v.getUint32(ph + 4, true) + 1, true);
  }
  return out;
}

type Case = { name: string; rule: string; bytes: Uint8Array; error?: string };

function cases(): Case[] {
  const c: Case[] = [];
  const reject = (name: string, rule: string, bytes: Uint8Array, error: string) =>
    c.push({ name, rule, bytes, error });
  const accept = (name: string, rule: string, bytes: Uint8Array) => c.push({ name, rule, bytes });

  // Identification and header.
  reject("empty-file", "magic 7f 45 4c 46", new Uint8Array(0), "ElfNotElfError");
  reject("bad-magic", "magic 7f 45 4c 46", patch(base(), [[3, 1, 0x47]]), "ElfNotElfError");
  reject("truncated-ident", "e_ident is 16 bytes", base().slice(0, 10), "ElfTruncatedError");
  reject("class-64", "EI_CLASS = 1", base({ elfClass: 2 }), "ElfClassError");
  reject("big-endian", "EI_DATA = 1", base({ dataEncoding: 2 }), "ElfEndiannessError");
  reject("ei-version-0", "EI_VERSION = 1", base({ identVersion: 0 }), "ElfVersionError");
  reject(
    "truncated-header",
    "the 52-byte ELF header is in the file",
    base().slice(0, 40),
    "ElfTruncatedError",
  );
  reject("machine-x86-64", "e_machine = 243", base({ machine: 62 }), "ElfMachineError");
  reject("type-rel", "e_type = 2 (ET_EXEC)", base({ type: 1 }), "ElfTypeError");
  reject("type-dyn", "e_type = 2 (ET_EXEC)", base({ type: 3 }), "ElfTypeError");
  reject("e-version-2", "e_version = 1", base({ version: 2 }), "ElfVersionError");
  reject("flags-rvc", "e_flags bit 0x1 (RVC) rejects", base({ flags: 0x1 }), "ElfFlagsError");
  for (const [f, abi] of [
    [0x2, "single"],
    [0x4, "double"],
    [0x6, "quad"],
  ] as const)
    reject(`flags-float-${abi}`, "e_flags bits 0x6 (float ABI) reject", base({ flags: f }), "ElfFlagsError");
  for (const bit of [5, 16, 31])
    reject(
      `flags-reserved-bit-${bit}`,
      "e_flags bits 5..31 (reserved) reject",
      base({ flags: 2 ** bit }),
      "ElfFlagsError",
    );
  reject("ehsize-64", "e_ehsize = 52", base({ ehsize: 64 }), "ElfHeaderError");
  reject("phentsize-56", "e_phentsize = 32", base({ phentsize: 56 }), "ElfHeaderError");
  reject("phnum-0", "1 <= e_phnum", base({ phnum: 0 }), "ElfNoLoadSegmentsError");
  reject(
    "phnum-65",
    "e_phnum <= 64",
    base({}, [{ vaddr: 0x1000, data: CODE }, ...Array.from({ length: 64 }, () => ({ vaddr: 0, type: 0 }))]),
    "ElfSizeError",
  );
  reject(
    "ph-table-past-eof",
    "the program header table is in the file",
    base({ phoff: 0x1000 }),
    "ElfTruncatedError",
  );
  // Program headers.
  reject(
    "pt-interp",
    "PT_INTERP rejects",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x3000, type: 3, data: new Uint8Array([0x2f, 0]) },
    ]),
    "ElfDynamicError",
  );
  reject(
    "filesz-above-memsz",
    "p_filesz <= p_memsz",
    base({}, [{ vaddr: 0x1000, data: CODE, memSize: 4 }]),
    "ElfSegmentFileSizeError",
  );
  reject(
    "empty-segment-with-file-bytes",
    "p_filesz <= p_memsz holds for PT_LOAD with p_memsz = 0 too",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x3000, data: DATA, memSize: 0 },
    ]),
    "ElfSegmentFileSizeError",
  );
  reject(
    "segment-bytes-past-eof",
    "[p_offset, p_offset + p_filesz) is in the file",
    base({}, [{ vaddr: 0x1000, data: CODE, offset: 0xffff_fff0 }]),
    "ElfTruncatedError",
  );
  reject(
    "segment-in-input-region",
    "p_vaddr + p_memsz <= 0x80000000",
    base({ entry: 0x1000 }, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x8000_0000, memSize: 4 },
    ]),
    "ElfSegmentOutsideProgramRegionError",
  );
  reject(
    "segment-straddles-region-end",
    "p_vaddr + p_memsz <= 0x80000000",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x7fff_fff0, memSize: 0x11 },
    ]),
    "ElfSegmentOutsideProgramRegionError",
  );
  reject(
    "segment-end-wraps-2-32",
    "p_vaddr + p_memsz is computed without wrap-around",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x10, memSize: 0xffff_fff8 },
    ]),
    "ElfSegmentOutsideProgramRegionError",
  );
  reject(
    "total-memsz-above-2-30",
    "sum of p_memsz <= 2^30",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x1000_0000, memSize: 0x2000_0000 },
      { vaddr: 0x3000_0000, memSize: 0x2000_0000 },
    ]),
    "ElfSizeError",
  );
  reject(
    "memory-ranges-overlap-by-one-byte",
    "no two loaded segments share a memory byte",
    base({}, [
      { vaddr: 0x1000, data: CODE, memSize: 0x100 },
      { vaddr: 0x10ff, memSize: 1 },
    ]),
    "ElfSegmentOverlapError",
  );
  reject(
    "identical-segments",
    "no two loaded segments share a memory byte",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x1000, data: CODE },
    ]),
    "ElfSegmentOverlapError",
  );
  reject(
    "no-loadable-segment",
    "at least one PT_LOAD with p_memsz > 0",
    base({}, [{ vaddr: 0x1000, type: 4, data: CODE }, { vaddr: 0x1000 }]),
    "ElfNoLoadSegmentsError",
  );
  // Entry.
  reject("entry-misaligned", "e_entry is 4-byte aligned", base({ entry: 0x1002 }), "ElfEntryError");
  reject(
    "entry-outside-segments",
    "e_entry lies in a loaded segment",
    base({ entry: 0x5000 }),
    "ElfEntryError",
  );
  reject("entry-in-bss", "e_entry lies in file-backed bytes", base({ entry: 0x2008 }), "ElfEntryError");
  reject(
    "entry-word-crosses-file-end",
    "all 4 bytes at e_entry are file-backed",
    base({ entry: 0x2004 }, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x2000, data: DATA, memSize: 0x100 },
    ]),
    "ElfEntryError",
  );

  // Accepted files: each pins a freedom the spec grants.
  accept("minimal", "a valid two-segment executable", base());
  accept("flags-rve", "e_flags bit 0x8 (RVE) loads", base({ flags: 0x8 }));
  accept("flags-tso", "e_flags bit 0x10 (TSO) loads", base({ flags: 0x10 }));
  accept("flags-rve-tso", "RVE and TSO together load", base({ flags: 0x18 }));
  accept(
    "empty-segment-anywhere",
    "a PT_LOAD with p_memsz = 0 (and p_filesz = 0) is ignored: its p_vaddr and p_offset are not checked",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x2000, data: DATA, memSize: 0x100 },
      { vaddr: 0xffff_fff0, memSize: 0, offset: 0xffff_ffff },
      { vaddr: 0x1004, memSize: 0 },
    ]),
  );
  accept(
    "file-ranges-overlap",
    "overlap is about memory ranges: two segments may load the same file bytes",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x4000, data: CODE, offset: 52 + 2 * 32 },
    ]),
  );
  accept(
    "adjacent-segments-and-region-end",
    "segments may touch; a segment may end exactly at 0x80000000",
    base({}, [
      { vaddr: 0x1000, data: CODE, memSize: 0x1000 },
      { vaddr: 0x2000, data: DATA, memSize: 0x10 },
      { vaddr: 0x7fff_fff0, memSize: 0x10 },
    ]),
  );
  accept("unaligned-phoff", "e_phoff need not be aligned", unalignedPhoff(base()));
  accept(
    "ident-osabi-and-padding",
    "e_ident bytes 7..15 (EI_OSABI, EI_ABIVERSION, padding) are not read: any values load",
    patch(base(), [
      [7, 1, 0x61],
      [8, 1, 0xff],
      [9, 1, 0x01],
      [15, 1, 0x80],
    ]),
  );
  accept(
    "corrupt-section-headers",
    "section headers are never read: e_shoff, e_shentsize, e_shnum, e_shstrndx may be anything",
    patch(base(), [
      [32, 4, 0xffff_fff0],
      [46, 2, 7],
      [48, 2, 0xffff],
      [50, 2, 0xfffe],
    ]),
  );
  accept(
    "other-program-headers-ignored",
    "PT_DYNAMIC, PT_NOTE, PT_GNU_STACK and unknown types are ignored",
    base({}, [
      { vaddr: 0x1000, data: CODE },
      { vaddr: 0x9000_0000, type: 2, data: DATA },
      { vaddr: 0x1000, type: 4, data: DATA },
      { vaddr: 0, type: 0x6474e551 },
      { vaddr: 0xffff_0000, type: 0x7000_0003, memSize: 0x10_0000 },
    ]),
  );
  const plain = base();
  accept(
    "paddr-align-flags-ignored",
    "p_paddr, p_align and p_flags have no effect",
    patch(plain, [
      [52 + 12, 4, 0xdead_beef],
      [52 + 24, 4, 0],
      [52 + 28, 4, 3],
      [84 + 12, 4, 0],
      [84 + 24, 4, 0xffff_ffff],
      [84 + 28, 4, 0x1000_0000],
    ]),
  );
  return c;
}

/** Every ELF vector, in a fixed order, with its outcome checked against loadElf. */
export function elfVectors(): ElfVector[] {
  return cases().map(({ name, rule, bytes, error }) => {
    let expect: ElfVectorExpect;
    try {
      const image = loadElf(bytes);
      if (error) throw new ElfVectorError(`${name}: loads, but the spec rejects it with ${error}`);
      expect = { programRoot: programRoot(image), entry: image.entry };
    } catch (err) {
      if (err instanceof ElfVectorError) throw err;
      const got = err instanceof Error ? err.name : String(err);
      if (!error) throw new ElfVectorError(`${name}: rejected with ${got}, but the spec accepts it`);
      if (got !== error) throw new ElfVectorError(`${name}: rejected with ${got}, expected ${error}`);
      expect = { error };
    }
    return { name, rule, elf: bytesToHex(bytes), expect };
  });
}
