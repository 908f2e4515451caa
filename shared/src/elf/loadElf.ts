// ELF loader: turns the bytes of a statically linked RV32IM executable into
// the ProgramImage the machine loads. It is the trust boundary for program
// files, so it validates everything the machine relies on (class, endianness,
// machine, type, segment bounds, overlaps, entry) and reports each defect as
// its own typed error instead of a RangeError or a silently wrong image.

import {
  ElfClassError,
  ElfDynamicError,
  ElfEndiannessError,
  ElfEntryError,
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
import type { ProgramImage, ProgramSegment } from "./types.ts";

/** End of the program region (exclusive): input and output regions follow. */
export const PROGRAM_REGION_END = 0x8000_0000;
/** Upper bound on the sum of all PT_LOAD p_memsz, bytes. */
export const MAX_TOTAL_MEM_SIZE = 1 << 30;
/** Upper bound on e_phnum (real guests have 2 to 5). */
export const MAX_PROGRAM_HEADERS = 64;

export const EM_RISCV = 243;
export const ET_EXEC = 2;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const ELF32_EHDR_SIZE = 52;
export const ELF32_PHDR_SIZE = 32;
/** e_flags bits the machine cannot honour: RVC (compressed) and a hardware float ABI. */
const EF_RISCV_RVC = 0x1;
const EF_RISCV_FLOAT_ABI = 0x6;
/**
 * e_flags bits the machine honours by construction, so they load: RVE (0x8, the
 * 16-register base; RV32E code is RV32I code) and TSO (0x10, total store order;
 * a single hart in program order is sequentially consistent).
 */
export const EF_RISCV_ACCEPTED = 0x8 | 0x10;
/** Bits the RISC-V psABI leaves reserved: a requirement nobody can check we meet, so they reject. */
const EF_RISCV_RESERVED = ~0x1f >>> 0;

export type LoadElfParameters = Uint8Array;
export type LoadElfReturnType = ProgramImage;
export type LoadElfErrorType =
  | ElfNotElfError
  | ElfTruncatedError
  | ElfClassError
  | ElfEndiannessError
  | ElfVersionError
  | ElfMachineError
  | ElfTypeError
  | ElfFlagsError
  | ElfHeaderError
  | ElfSizeError
  | ElfNoLoadSegmentsError
  | ElfDynamicError
  | ElfSegmentFileSizeError
  | ElfSegmentOutsideProgramRegionError
  | ElfSegmentOverlapError
  | ElfEntryError;

const hex32 = (v: number) => `0x${(v >>> 0).toString(16)}`;

type Indexed = ProgramSegment & { index: number; fileSize: number };

/**
 * Parses and validates an ELF32 little-endian RISC-V executable. Only PT_LOAD
 * segments with a non-zero p_memsz become part of the image (sorted by address);
 * every other program header is ignored except PT_INTERP, which is rejected.
 * Segment data is copied, so the image does not alias `bytes`.
 */
export function loadElf(bytes: LoadElfParameters): LoadElfReturnType {
  const length = bytes.length;
  if (length < 4 || bytes[0] !== 0x7f || bytes[1] !== 0x45 || bytes[2] !== 0x4c || bytes[3] !== 0x46)
    throw new ElfNotElfError({ length, magic: bytes.subarray(0, 4) });
  // e_ident is checked before the full header so a 64-bit or big-endian file
  // is named as such even when it is short.
  if (length < 16) throw new ElfTruncatedError({ what: "e_ident", offset: 0, size: 16, length });
  if (bytes[4] !== 1) throw new ElfClassError({ elfClass: bytes[4] });
  if (bytes[5] !== 1) throw new ElfEndiannessError({ data: bytes[5] });
  if (bytes[6] !== 1) throw new ElfVersionError({ field: "EI_VERSION", version: bytes[6] });
  if (length < ELF32_EHDR_SIZE)
    throw new ElfTruncatedError({ what: "the ELF header", offset: 0, size: ELF32_EHDR_SIZE, length });

  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (o: number) => view.getUint16(o, true);
  const u32 = (o: number) => view.getUint32(o, true);

  const type = u16(16);
  const machine = u16(18);
  if (machine !== EM_RISCV) throw new ElfMachineError({ machine });
  if (type !== ET_EXEC) throw new ElfTypeError({ type });
  const version = u32(20);
  if (version !== 1) throw new ElfVersionError({ field: "e_version", version });
  const entry = u32(24);
  const phoff = u32(28);
  const flags = u32(36);
  if (flags & EF_RISCV_RVC)
    throw new ElfFlagsError({
      flags,
      reason: "compressed instructions (EF_RISCV_RVC) are not part of RV32IM",
    });
  if (flags & EF_RISCV_FLOAT_ABI)
    throw new ElfFlagsError({
      flags,
      reason: "a hardware floating-point ABI is set; the machine has no FPU",
    });
  if ((flags & EF_RISCV_RESERVED) !== 0)
    throw new ElfFlagsError({
      flags,
      reason: `bits ${hex32(flags & EF_RISCV_RESERVED)} are reserved by the RISC-V psABI; only RVE (0x8) and TSO (0x10) may be set`,
    });
  const ehsize = u16(40);
  if (ehsize !== ELF32_EHDR_SIZE)
    throw new ElfHeaderError({ field: "e_ehsize", value: ehsize, expected: ELF32_EHDR_SIZE });
  const phentsize = u16(42);
  const phnum = u16(44);
  if (phnum > MAX_PROGRAM_HEADERS)
    throw new ElfSizeError({
      what: "program header count (e_phnum)",
      value: phnum,
      limit: MAX_PROGRAM_HEADERS,
    });
  if (phnum === 0) throw new ElfNoLoadSegmentsError({ phnum });
  if (phentsize !== ELF32_PHDR_SIZE)
    throw new ElfHeaderError({ field: "e_phentsize", value: phentsize, expected: ELF32_PHDR_SIZE });
  // phoff < 2^32 and phnum * 32 <= 2048, so the sum is exact in a double.
  if (phoff + phnum * ELF32_PHDR_SIZE > length)
    throw new ElfTruncatedError({
      what: `the program header table (${phnum} entries at e_phoff ${phoff})`,
      offset: phoff,
      size: phnum * ELF32_PHDR_SIZE,
      length,
    });

  const segments: Indexed[] = [];
  let totalMemSize = 0;
  for (let i = 0; i < phnum; i++) {
    const ph = phoff + i * ELF32_PHDR_SIZE;
    const pType = u32(ph);
    if (pType === PT_INTERP) throw new ElfDynamicError({ index: i });
    if (pType !== PT_LOAD) continue;
    const offset = u32(ph + 4);
    const vaddr = u32(ph + 8);
    const fileSize = u32(ph + 16);
    const memSize = u32(ph + 20);
    const pFlags = u32(ph + 24);
    if (fileSize > memSize) throw new ElfSegmentFileSizeError({ index: i, fileSize, memSize });
    // An empty segment occupies no memory, so it cannot overlap or leave the region.
    if (memSize === 0) continue;
    // All operands are < 2^32, so these sums are exact: no wrap-around to hide a segment.
    if (vaddr + memSize > PROGRAM_REGION_END)
      throw new ElfSegmentOutsideProgramRegionError({ index: i, vaddr, memSize });
    totalMemSize += memSize;
    if (totalMemSize > MAX_TOTAL_MEM_SIZE)
      throw new ElfSizeError({
        what: "total size of the loadable segments (sum of p_memsz)",
        value: totalMemSize,
        limit: MAX_TOTAL_MEM_SIZE,
      });
    if (offset + fileSize > length)
      throw new ElfTruncatedError({ what: `segment ${i}'s file bytes`, offset, size: fileSize, length });
    segments.push({
      index: i,
      vaddr,
      memSize,
      fileSize,
      flags: pFlags,
      data: bytes.slice(offset, offset + fileSize),
    });
  }
  if (segments.length === 0) throw new ElfNoLoadSegmentsError({ phnum });

  segments.sort((a, b) => a.vaddr - b.vaddr || a.index - b.index);
  for (let k = 1; k < segments.length; k++) {
    const a = segments[k - 1];
    const b = segments[k];
    if (a.vaddr + a.memSize > b.vaddr) throw new ElfSegmentOverlapError({ a, b });
  }

  // The entry must hold a real instruction word: outside the file-backed bytes
  // memory is zero, which decodes as an illegal instruction and traps at step 1.
  if (entry % 4 !== 0) throw new ElfEntryError({ entry, reason: "is not 4-byte aligned" });
  const home = segments.find((s) => entry >= s.vaddr && entry < s.vaddr + s.memSize);
  if (!home) throw new ElfEntryError({ entry, reason: "is not inside any PT_LOAD segment" });
  if (entry + 4 > home.vaddr + home.fileSize)
    throw new ElfEntryError({
      entry,
      reason: `lies in the zero-filled (.bss) part of segment ${home.index}, not in its file-backed code`,
    });

  return {
    entry,
    segments: segments.map(({ vaddr, data, memSize, flags }) => ({ vaddr, data, memSize, flags })),
  };
}
