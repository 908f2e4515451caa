/*
 * Verdict guest SDK: the I/O ABI between a guest program and the Verdict
 * machine (docs/spec.md §1.2). The machine has no devices and no syscalls
 * other than exit: input and output are plain memory regions with a 32-byte
 * header whose first 8 bytes hold the payload length (little-endian).
 */
#ifndef VERDICT_H
#define VERDICT_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define VERDICT_INPUT_BASE 0x80000000u
#define VERDICT_OUTPUT_BASE 0xC0000000u
#define VERDICT_HEADER_SIZE 32u
/* Payload capacity of each region: 1 GiB minus the header. */
#define VERDICT_REGION_CAPACITY (0x40000000u - VERDICT_HEADER_SIZE)

/* ECALL numbers the machine implements (a7); every other number returns -38. */
#define VERDICT_SYS_EXIT 93
#define VERDICT_SYS_EXIT_GROUP 94

/* Halts the machine with status EXITED and exitCode = code (ECALL a7=93). */
__attribute__((noreturn)) void verdict_exit(int code);

/* Whole input as one read-only buffer; *len receives its length (clamped to
 * the region capacity). Never NULL, even for an empty input. */
const uint8_t *verdict_input(size_t *len);

/* Sequential reader over the input: copies up to n bytes after the previous
 * read and returns how many were copied (0 at end of input). */
size_t verdict_read(void *buf, size_t n);

/* Appends n bytes to the output and updates the output header's length.
 * Returns the bytes written: n, or fewer only when the region is full. */
size_t verdict_output_write(const void *buf, size_t n);

/* Current output length (from the output header). */
size_t verdict_output_len(void);

/* Discards everything written so far (header length := 0). The bytes stay
 * in memory, so the output root still depends on them: prefer writing the
 * output once, at the end. */
void verdict_output_reset(void);

#ifdef __cplusplus
}
#endif

#endif /* VERDICT_H */
