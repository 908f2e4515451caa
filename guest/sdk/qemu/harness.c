/*
 * qemu-riscv32 test harness (never part of a committed ELF): lets the I/O
 * examples run under qemu-user, which has no Verdict input/output regions.
 * Before _start it maps the input and output regions and the first part of
 * the heap with Linux mmap, copies stdin into the input region (with its
 * header), and at exit writes the output payload to stdout. It replaces
 * exit.c; everything else is the production SDK, unchanged.
 */
#include <stdint.h>

#include "verdict.h"

#define LINUX_READ 63
#define LINUX_WRITE 64
#define LINUX_EXIT 93
#define LINUX_MMAP 222
#define PROT_RW 3
#define MAP_PRIVATE_ANON_FIXED_NOREPLACE (0x02 | 0x20 | 0x100000)
#define REGION_MAP_BYTES (64u << 20)
#define HEAP_MAP_BYTES (64u << 20)
#define HARNESS_FAILED 125

extern char __heap_start[];

static long linux_call(long n, long a0, long a1, long a2, long a3, long a4, long a5) {
  register long r0 __asm__("a0") = a0;
  register long r1 __asm__("a1") = a1;
  register long r2 __asm__("a2") = a2;
  register long r3 __asm__("a3") = a3;
  register long r4 __asm__("a4") = a4;
  register long r5 __asm__("a5") = a5;
  register long r7 __asm__("a7") = n;
  __asm__ volatile("ecall" : "+r"(r0) : "r"(r1), "r"(r2), "r"(r3), "r"(r4), "r"(r5), "r"(r7) : "memory");
  return r0;
}

__attribute__((noreturn)) static void linux_exit(int code) {
  for (;;) linux_call(LINUX_EXIT, code, 0, 0, 0, 0, 0);
}

__attribute__((noreturn)) static void fail(const char *msg, unsigned len) {
  linux_call(LINUX_WRITE, 2, (long)msg, len, 0, 0, 0);
  linux_exit(HARNESS_FAILED);
}

static void map_fixed(uintptr_t addr, uint32_t bytes) {
  long r = linux_call(LINUX_MMAP, (long)addr, (long)bytes, PROT_RW, MAP_PRIVATE_ANON_FIXED_NOREPLACE, -1, 0);
  if ((uintptr_t)r != addr) fail("harness: mmap failed\n", 21);
}

__attribute__((used)) void __verdict_harness_init(void) {
  map_fixed(VERDICT_INPUT_BASE, REGION_MAP_BYTES);
  map_fixed(VERDICT_OUTPUT_BASE, REGION_MAP_BYTES);
  map_fixed(((uintptr_t)__heap_start + 0xfff) & ~(uintptr_t)0xfff, HEAP_MAP_BYTES);
  uint8_t *data = (uint8_t *)(VERDICT_INPUT_BASE + VERDICT_HEADER_SIZE);
  uint32_t cap = REGION_MAP_BYTES - VERDICT_HEADER_SIZE, len = 0;
  for (;;) {
    long r = linux_call(LINUX_READ, 0, (long)(data + len), (long)(cap - len), 0, 0, 0);
    if (r < 0) fail("harness: read failed\n", 21);
    if (r == 0) break;
    len += (uint32_t)r;
    if (len == cap) fail("harness: input too large\n", 25);
  }
  *(volatile uint32_t *)VERDICT_INPUT_BASE = len;
}

__attribute__((noreturn)) void verdict_exit(int code) {
  const uint8_t *out = (const uint8_t *)(VERDICT_OUTPUT_BASE + VERDICT_HEADER_SIZE);
  uint32_t len = (uint32_t)verdict_output_len(), done = 0;
  while (done < len) {
    long r = linux_call(LINUX_WRITE, 1, (long)(out + done), (long)(len - done), 0, 0, 0);
    if (r <= 0) fail("harness: write failed\n", 22);
    done += (uint32_t)r;
  }
  linux_exit(code);
}

__attribute__((noreturn)) void _exit(int code) { verdict_exit(code); }

/* Entry (-e _start_harness): qemu already gave us sp; set gp for the C call,
 * prepare the regions, then run the normal crt0. */
__asm__(
    ".section .text.harness_entry, \"ax\", @progbits\n"
    ".globl _start_harness\n"
    "_start_harness:\n"
    ".option push\n"
    ".option norelax\n"
    "la gp, __global_pointer$\n"
    ".option pop\n"
    "call __verdict_harness_init\n"
    "tail _start\n");
