/*
 * cpubench example: CPU-bound work that reads no input, writes no output and
 * touches no memory at or above 0x80000000, so the same ELF runs unchanged on
 * the Verdict machine and under qemu-riscv32 (reference speed).
 *
 * Work: CPUBENCH_ROUNDS rounds of 16 steps mixing xorshift, MUL, MULHU, DIVU,
 * REMU, table loads/stores and data-dependent branches. The result is folded
 * to 8 bits and returned as the exit code (qemu-user reports only 8 bits).
 * guest/reference.ts (cpubenchReference) computes the same value; the
 * expected exit code of the committed build is in guest/README.md.
 */
#include <stdint.h>

#ifndef CPUBENCH_ROUNDS
#define CPUBENCH_ROUNDS 500000u
#endif

static uint32_t table[256];

int main(void) {
  uint32_t x = 0x9e3779b9u, acc = 0;
  for (uint32_t i = 0; i < 256; i++) {
    x = x * 1664525u + 1013904223u;
    table[i] = x;
  }
  for (uint32_t r = 0; r < CPUBENCH_ROUNDS; r++) {
    for (uint32_t j = 0; j < 16; j++) {
      x ^= x << 13;
      x ^= x >> 17;
      x ^= x << 5;
      uint32_t idx = x & 255;
      uint32_t t = table[idx];
      acc += t * x + (uint32_t)(((uint64_t)t * x) >> 32);
      if (acc & 1) {
        acc ^= acc / ((t | 1) & 0xffff);
      } else {
        acc += acc % ((x | 1) & 0xfff);
      }
      table[idx] = t + acc;
    }
  }
  acc ^= acc >> 16;
  acc ^= acc >> 8;
  return (int)(acc & 0xff);
}
