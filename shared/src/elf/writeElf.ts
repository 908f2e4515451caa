// Minimal ELF32 writer for tests and tools: builds a valid RV32 executable
// from segments, with every header field overridable so tests can produce
// each malformed variant on purpose. Not a linker: no sections, no symbols.

import { ELF32_EHDR_SIZE, ELF32_PHDR_SIZE, EM_RISCV, ET_EXEC, PT_LOAD } from "./loadElf.ts";

export type WriteElfSegment = {
  vaddr: number;
  /** File-backed bytes (default empty). */
  data?: Uint8Array;
  /** p_memsz (default data.length). */
  memSize?: number;
  /** p_flags (default R|X = 5). */
  flags?: number;
  /** p_type (default PT_LOAD). */
  type?: number;
  /** p_offset override (default: where the writer places the data). */
  offset?: number;
  /** p_filesz override (default data.length). */
  fileSize?: number;
};

export type WriteElfParameters = {
  entry: number;
  segments: WriteElfSegment[];
  /** Header overrides, for building malformed files. */
  elfClass?: number;
  dataEncoding?: number;
  identVersion?: number;
  type?: number;
  machine?: number;
  version?: number;
  flags?: number;
  ehsize?: number;
  phentsize?: number;
  /** e_phnum override (default segments.length). */
  phnum?: number;
  /** e_phoff override (default 52, right after the header). */
  phoff?: number;
};

export type WriteElfReturnType = Uint8Array;

/** Lays out header, program headers, then each segment's data 4-byte aligned. */
export function writeElf(p: WriteElfParameters): WriteElfReturnType {
  const phTableEnd = ELF32_EHDR_SIZE + p.segments.length * ELF32_PHDR_SIZE;
  const offsets: number[] = [];
  let cursor = phTableEnd;
  for (const s of p.segments) {
    cursor = (cursor + 3) & ~3;
    offsets.push(cursor);
    cursor += s.data?.length ?? 0;
  }
  const out = new Uint8Array(cursor);
  const view = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, p.elfClass ?? 1, p.dataEncoding ?? 1, p.identVersion ?? 1], 0);
  view.setUint16(16, p.type ?? ET_EXEC, true);
  view.setUint16(18, p.machine ?? EM_RISCV, true);
  view.setUint32(20, p.version ?? 1, true);
  view.setUint32(24, p.entry >>> 0, true);
  view.setUint32(28, p.phoff ?? ELF32_EHDR_SIZE, true);
  view.setUint32(32, 0, true); // no section headers
  view.setUint32(36, p.flags ?? 0, true);
  view.setUint16(40, p.ehsize ?? ELF32_EHDR_SIZE, true);
  view.setUint16(42, p.phentsize ?? ELF32_PHDR_SIZE, true);
  view.setUint16(44, p.phnum ?? p.segments.length, true);
  view.setUint16(46, 40, true); // e_shentsize of ELF32
  p.segments.forEach((s, i) => {
    const ph = ELF32_EHDR_SIZE + i * ELF32_PHDR_SIZE;
    const data = s.data ?? new Uint8Array(0);
    view.setUint32(ph, s.type ?? PT_LOAD, true);
    view.setUint32(ph + 4, (s.offset ?? offsets[i]) >>> 0, true);
    view.setUint32(ph + 8, s.vaddr >>> 0, true);
    view.setUint32(ph + 12, s.vaddr >>> 0, true);
    view.setUint32(ph + 16, (s.fileSize ?? data.length) >>> 0, true);
    view.setUint32(ph + 20, (s.memSize ?? data.length) >>> 0, true);
    view.setUint32(ph + 24, s.flags ?? 5, true);
    view.setUint32(ph + 28, 4, true);
    out.set(data, offsets[i]);
  });
  return out;
}

/**
 * Convenience for machine tests: one R|W|X segment at `base` holding the given
 * instruction words (little-endian), entry at `base`, plus `bssSize` zero bytes.
 */
export function writeElfFromWords(
  words: ArrayLike<number>,
  { base = 0x1000, bssSize = 0 }: { base?: number; bssSize?: number } = {},
): Uint8Array {
  const data = new Uint8Array(words.length * 4);
  const view = new DataView(data.buffer);
  for (let i = 0; i < words.length; i++) view.setUint32(i * 4, words[i] >>> 0, true);
  return writeElf({
    entry: base,
    segments: [{ vaddr: base, data, memSize: data.length + bssSize, flags: 7 }],
  });
}
