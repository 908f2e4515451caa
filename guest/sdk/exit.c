/*
 * Exit: the only syscall the machine implements (ECALL a7=93, code in a0).
 * qemu-user implements the same call as Linux exit, so this also ends a
 * guest run under qemu-riscv32.
 */
#include "verdict.h"

__attribute__((noreturn)) void verdict_exit(int code) {
  register int a0 __asm__("a0") = code;
  register int a7 __asm__("a7") = VERDICT_SYS_EXIT;
  for (;;) __asm__ volatile("ecall" : : "r"(a0), "r"(a7) : "memory");
}

/* picolibc's exit() ends here after running atexit handlers. */
__attribute__((noreturn)) void _exit(int code) { verdict_exit(code); }
