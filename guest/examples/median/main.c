/*
 * median example: aggregates price reports, the typical "authenticated data
 * feed" job. Formats (little-endian, no padding; see guest/README.md):
 *
 *   input   u32 count, then count records of 20 bytes:
 *             u32 sourceId | i64 price | u64 timestamp
 *           the input length must be exactly 4 + 20 * count.
 *   output  32 bytes: u64 count | i64 median | i64 mean | u64 latestTimestamp
 *             median: middle price; for an even count floor((lo + hi) / 2)
 *             mean:   floor(sum / count), sum computed exactly (128-bit)
 *
 * Exit codes: 0 ok, 1 malformed input, 2 no reports, 3 out of memory.
 * On a non-zero exit nothing is written.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "verdict.h"

#define RECORD_SIZE 20u

enum { EXIT_OK = 0, EXIT_MALFORMED = 1, EXIT_EMPTY = 2, EXIT_NO_MEMORY = 3 };

static uint32_t le32(const uint8_t *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p) { return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32; }

static void put_le64(uint8_t *p, uint64_t v) {
  for (int i = 0; i < 8; i++) p[i] = (uint8_t)(v >> (8 * i));
}

static int compare_prices(const void *a, const void *b) {
  int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
  return (x > y) - (x < y);
}

/* Signed 128-bit accumulator: value = hi * 2^64 + lo. */
typedef struct {
  int64_t hi;
  uint64_t lo;
} i128;

static void i128_add(i128 *s, int64_t x) {
  uint64_t old = s->lo;
  s->lo += (uint64_t)x;
  s->hi += (x < 0 ? -1 : 0) + (s->lo < old ? 1 : 0);
}

/* floor(s / d) for d > 0, assuming the quotient fits in int64 (it is a mean). */
static int64_t i128_floor_div(i128 s, uint32_t d) {
  int negative = s.hi < 0;
  uint64_t hi = (uint64_t)s.hi, lo = s.lo;
  if (negative) { /* two's complement negation of the 128-bit value */
    lo = ~lo + 1;
    hi = ~hi + (lo == 0 ? 1 : 0);
  }
  uint32_t limbs[4] = {(uint32_t)(hi >> 32), (uint32_t)hi, (uint32_t)(lo >> 32), (uint32_t)lo};
  uint64_t rem = 0;
  for (int i = 0; i < 4; i++) {
    uint64_t cur = rem << 32 | limbs[i];
    limbs[i] = (uint32_t)(cur / d);
    rem = cur % d;
  }
  uint64_t q = (uint64_t)limbs[2] << 32 | limbs[3];
  if (negative) return (int64_t)(0 - (q + (rem != 0 ? 1 : 0))); /* unsigned: no overflow at INT64_MIN */
  return (int64_t)q;
}

int main(void) {
  size_t len;
  const uint8_t *in = verdict_input(&len);
  if (len < 4) return EXIT_MALFORMED;
  uint32_t count = le32(in);
  if ((len - 4) / RECORD_SIZE != count || (len - 4) % RECORD_SIZE != 0) return EXIT_MALFORMED;
  if (count == 0) return EXIT_EMPTY;

  int64_t *prices = malloc((size_t)count * sizeof *prices);
  if (!prices) return EXIT_NO_MEMORY;

  i128 sum = {0, 0};
  uint64_t latest = 0;
  for (uint32_t i = 0; i < count; i++) {
    const uint8_t *rec = in + 4 + (size_t)i * RECORD_SIZE;
    int64_t price = (int64_t)le64(rec + 4);
    uint64_t timestamp = le64(rec + 12);
    prices[i] = price;
    i128_add(&sum, price);
    if (timestamp > latest) latest = timestamp;
  }

  qsort(prices, count, sizeof *prices, compare_prices);
  int64_t median;
  if (count % 2) {
    median = prices[count / 2];
  } else {
    int64_t lo = prices[count / 2 - 1], hi = prices[count / 2];
    /* lo + floor((hi - lo) / 2): exact, and cannot overflow since hi >= lo. */
    median = lo + (int64_t)(((uint64_t)hi - (uint64_t)lo) >> 1);
  }

  uint8_t out[32];
  put_le64(out, count);
  put_le64(out + 8, (uint64_t)median);
  put_le64(out + 16, (uint64_t)i128_floor_div(sum, count));
  put_le64(out + 24, latest);
  verdict_output_write(out, sizeof out);
  free(prices);
  return EXIT_OK;
}
