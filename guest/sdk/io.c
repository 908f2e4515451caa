/*
 * Input and output over the mapped regions (docs/spec.md §1.2). The output
 * header is the single source of truth for the output length, so a guest
 * that mixes verdict_output_write and stdio never loses bytes.
 */
#include <string.h>

#include "verdict.h"

#define INPUT_HEADER ((volatile uint32_t *)VERDICT_INPUT_BASE)
#define INPUT_DATA ((const uint8_t *)(VERDICT_INPUT_BASE + VERDICT_HEADER_SIZE))
#define OUTPUT_HEADER ((volatile uint32_t *)VERDICT_OUTPUT_BASE)
#define OUTPUT_DATA ((uint8_t *)(VERDICT_OUTPUT_BASE + VERDICT_HEADER_SIZE))

static size_t input_cursor;

/* Reads a little-endian u64 length header, clamped to the region capacity. */
static size_t header_len(volatile uint32_t *header) {
  uint32_t lo = header[0];
  uint32_t hi = header[1];
  if (hi != 0 || lo > VERDICT_REGION_CAPACITY) return VERDICT_REGION_CAPACITY;
  return lo;
}

const uint8_t *verdict_input(size_t *len) {
  if (len) *len = header_len(INPUT_HEADER);
  return INPUT_DATA;
}

size_t verdict_read(void *buf, size_t n) {
  size_t len = header_len(INPUT_HEADER);
  size_t left = len - input_cursor;
  if (n > left) n = left;
  memcpy(buf, INPUT_DATA + input_cursor, n);
  input_cursor += n;
  return n;
}

size_t verdict_output_len(void) { return header_len(OUTPUT_HEADER); }

size_t verdict_output_write(const void *buf, size_t n) {
  size_t len = header_len(OUTPUT_HEADER);
  size_t room = VERDICT_REGION_CAPACITY - len;
  if (n > room) n = room;
  memcpy(OUTPUT_DATA + len, buf, n);
  OUTPUT_HEADER[0] = (uint32_t)(len + n);
  OUTPUT_HEADER[1] = 0;
  return n;
}

void verdict_output_reset(void) {
  OUTPUT_HEADER[0] = 0;
  OUTPUT_HEADER[1] = 0;
}
