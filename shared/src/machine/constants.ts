// Machine-wide constants from spec §1 (status codes, memory map, sizes).

/**
 * Version of the machine these semantics implement: the value the onchain
 * verifier reports (RV32IM.sol MACHINE_VERSION). Part of every content key
 * (cache/workKey.ts): a result computed by another machine version is other work.
 */
export const MACHINE_VERSION = 1;

export const STATUS_RUNNING = 0;
export const STATUS_EXITED = 1;
export const STATUS_TRAPPED = 2;
export type MachineStatus = 0 | 1 | 2;

/** Bytes of the packed state encoding (spec §1.1). */
export const STATE_SIZE = 173;

export const PROGRAM_BASE = 0x00000000;
export const INPUT_BASE = 0x80000000;
export const OUTPUT_BASE = 0xc0000000;
/** Bytes in the input or output region (2^30), header included. */
export const IO_REGION_SIZE = 0x40000000;
/** Header size of the input/output regions; the payload starts after it. */
export const IO_HEADER_SIZE = 32;

/** ECALL numbers that halt with EXITED (Linux exit, exit_group). */
export const SYS_EXIT = 93;
export const SYS_EXIT_GROUP = 94;
/** a0 returned by every other ECALL: -38 (ENOSYS) as uint32. */
export const ENOSYS_U32 = 0xffffffda;

/** Page size of the interpreter's paged memory (4 KiB = 128 leaves, subtree height 7). */
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;
export const PAGE_COUNT = 1 << (32 - PAGE_SHIFT);
/** Height of a page's subtree in the memory tree. */
export const PAGE_HEIGHT = PAGE_SHIFT - 5;
