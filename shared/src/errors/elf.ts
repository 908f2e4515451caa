// Typed errors of the ELF loader: one class per way an ELF can be unusable, so
// callers (the CLI, the proposer's program registration) can tell the user
// exactly what is wrong. None is retryable: the same bytes fail the same way.

import { BaseError } from "./base.ts";

const hex = (n: number | bigint) => `0x${n.toString(16)}`;

/** Base of every ELF loader error, so callers can catch the whole family. */
export class ElfError extends BaseError {
  override name = "ElfError";
}

export type ElfNotElfErrorType = ElfNotElfError & { name: "ElfNotElfError" };
export class ElfNotElfError extends ElfError {
  override name = "ElfNotElfError";
  constructor({ length, magic }: { length: number; magic: Uint8Array }) {
    super(
      length < 4
        ? `Not an ELF file: only ${length} byte(s), no ELF magic.`
        : `Not an ELF file: magic is ${Array.from(magic, (b) => b.toString(16).padStart(2, "0")).join(" ")}, expected 7f 45 4c 46.`,
      { details: "The program must be a statically linked RV32IM ELF executable." },
    );
  }
}

export type ElfTruncatedErrorType = ElfTruncatedError & { name: "ElfTruncatedError" };
export class ElfTruncatedError extends ElfError {
  override name = "ElfTruncatedError";
  constructor({
    what,
    offset,
    size,
    length,
  }: { what: string; offset: number; size: number; length: number }) {
    super(
      `Truncated ELF: ${what} needs bytes [${hex(offset)}, ${hex(offset + size)}) but the file has ${length} byte(s).`,
    );
  }
}

export type ElfClassErrorType = ElfClassError & { name: "ElfClassError" };
export class ElfClassError extends ElfError {
  override name = "ElfClassError";
  constructor({ elfClass }: { elfClass: number }) {
    super(
      elfClass === 2
        ? "ELF is 64-bit (EI_CLASS = 2); the machine runs 32-bit RV32IM only."
        : `ELF class ${elfClass} is invalid; expected 1 (32-bit).`,
      { details: "Build with a 32-bit target, e.g. -march=rv32im -mabi=ilp32." },
    );
  }
}

export type ElfEndiannessErrorType = ElfEndiannessError & { name: "ElfEndiannessError" };
export class ElfEndiannessError extends ElfError {
  override name = "ElfEndiannessError";
  constructor({ data }: { data: number }) {
    super(
      data === 2
        ? "ELF is big-endian (EI_DATA = 2); the machine is little-endian."
        : `ELF data encoding ${data} is invalid; expected 1 (little-endian).`,
    );
  }
}

export type ElfVersionErrorType = ElfVersionError & { name: "ElfVersionError" };
export class ElfVersionError extends ElfError {
  override name = "ElfVersionError";
  constructor({ field, version }: { field: "EI_VERSION" | "e_version"; version: number }) {
    super(`ELF ${field} is ${version}; expected 1 (EV_CURRENT).`);
  }
}

export type ElfMachineErrorType = ElfMachineError & { name: "ElfMachineError" };
export class ElfMachineError extends ElfError {
  override name = "ElfMachineError";
  constructor({ machine }: { machine: number }) {
    const known: Record<number, string> = { 3: "x86", 8: "MIPS", 40: "ARM", 62: "x86-64", 183: "AArch64" };
    super(`ELF machine is ${machine}${known[machine] ? ` (${known[machine]})` : ""}; expected 243 (RISC-V).`);
  }
}

export type ElfTypeErrorType = ElfTypeError & { name: "ElfTypeError" };
export class ElfTypeError extends ElfError {
  override name = "ElfTypeError";
  constructor({ type }: { type: number }) {
    const known: Record<number, string> = {
      0: "ET_NONE",
      1: "ET_REL, an unlinked object file",
      3: "ET_DYN, a shared object or position-independent executable",
      4: "ET_CORE, a core dump",
    };
    super(`ELF type is ${type}${known[type] ? ` (${known[type]})` : ""}; expected 2 (ET_EXEC).`, {
      details:
        "Link a static, non-PIE executable (e.g. -static -nostartfiles with the guest SDK linker script).",
    });
  }
}

export type ElfFlagsErrorType = ElfFlagsError & { name: "ElfFlagsError" };
export class ElfFlagsError extends ElfError {
  override name = "ElfFlagsError";
  constructor({ flags, reason }: { flags: number; reason: string }) {
    super(`ELF e_flags ${hex(flags)} not supported: ${reason}.`, {
      details: "Build with -march=rv32im -mabi=ilp32 (no compressed instructions, soft-float ABI).",
    });
  }
}

export type ElfHeaderErrorType = ElfHeaderError & { name: "ElfHeaderError" };
export class ElfHeaderError extends ElfError {
  override name = "ElfHeaderError";
  constructor({ field, value, expected }: { field: string; value: number; expected: number }) {
    super(`ELF header field ${field} is ${value}; expected ${expected}.`);
  }
}

export type ElfSizeErrorType = ElfSizeError & { name: "ElfSizeError" };
export class ElfSizeError extends ElfError {
  override name = "ElfSizeError";
  constructor({ what, value, limit }: { what: string; value: number; limit: number }) {
    super(`ELF ${what} is ${value} (${hex(value)}), above the limit of ${limit} (${hex(limit)}).`);
  }
}

export type ElfNoLoadSegmentsErrorType = ElfNoLoadSegmentsError & { name: "ElfNoLoadSegmentsError" };
export class ElfNoLoadSegmentsError extends ElfError {
  override name = "ElfNoLoadSegmentsError";
  constructor({ phnum }: { phnum: number }) {
    super(`ELF has no non-empty PT_LOAD segment (${phnum} program header(s)); there is nothing to run.`);
  }
}

export type ElfDynamicErrorType = ElfDynamicError & { name: "ElfDynamicError" };
export class ElfDynamicError extends ElfError {
  override name = "ElfDynamicError";
  constructor({ index }: { index: number }) {
    super(`ELF program header ${index} is PT_INTERP: the executable is dynamically linked.`, {
      details: "The machine has no dynamic loader; link statically.",
    });
  }
}

export type ElfSegmentFileSizeErrorType = ElfSegmentFileSizeError & { name: "ElfSegmentFileSizeError" };
export class ElfSegmentFileSizeError extends ElfError {
  override name = "ElfSegmentFileSizeError";
  constructor({ index, fileSize, memSize }: { index: number; fileSize: number; memSize: number }) {
    super(`ELF segment ${index}: p_filesz ${hex(fileSize)} is larger than p_memsz ${hex(memSize)}.`);
  }
}

export type ElfSegmentOutsideProgramRegionErrorType = ElfSegmentOutsideProgramRegionError & {
  name: "ElfSegmentOutsideProgramRegionError";
};
export class ElfSegmentOutsideProgramRegionError extends ElfError {
  override name = "ElfSegmentOutsideProgramRegionError";
  constructor({ index, vaddr, memSize }: { index: number; vaddr: number; memSize: number }) {
    super(
      `ELF segment ${index} at [${hex(vaddr)}, ${hex(vaddr + memSize)}) leaves the program region [0x0, 0x80000000).`,
      {
        details:
          "Input and output regions start at 0x80000000; the linker script must keep the program below.",
      },
    );
  }
}

export type ElfSegmentOverlapErrorType = ElfSegmentOverlapError & { name: "ElfSegmentOverlapError" };
export class ElfSegmentOverlapError extends ElfError {
  override name = "ElfSegmentOverlapError";
  constructor({
    a,
    b,
  }: {
    a: { index: number; vaddr: number; memSize: number };
    b: { index: number; vaddr: number; memSize: number };
  }) {
    super(
      `ELF segments ${a.index} [${hex(a.vaddr)}, ${hex(a.vaddr + a.memSize)}) and ${b.index} [${hex(b.vaddr)}, ${hex(b.vaddr + b.memSize)}) overlap.`,
    );
  }
}

export type ElfEntryErrorType = ElfEntryError & { name: "ElfEntryError" };
export class ElfEntryError extends ElfError {
  override name = "ElfEntryError";
  constructor({ entry, reason }: { entry: number; reason: string }) {
    super(`ELF entry point ${hex(entry)} ${reason}.`);
  }
}
