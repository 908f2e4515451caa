// Program image: what the ELF loader hands to the machine. Owned by the ELF
// loader; the machine only reads it.

/** One loadable segment, already validated to lie inside the program region. */
export type ProgramSegment = {
  /** First byte address. */
  vaddr: number;
  /** File-backed bytes (may be shorter than memSize; the rest is zero). */
  data: Uint8Array;
  /** Size in memory, bytes (>= data.length). */
  memSize: number;
  /** ELF p_flags (R=4, W=2, X=1), kept for diagnostics only: memory has no permissions. */
  flags: number;
};

export type ProgramImage = {
  /** Entry point (ELF e_entry). */
  entry: number;
  segments: ProgramSegment[];
};
