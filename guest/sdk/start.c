/*
 * C start-up: zero .tbss/.bss, run constructors, call main, exit with its
 * return value. The machine's memory is already zero, but clearing keeps the
 * guest correct on any loader and costs a few steps per 4 bytes of .bss.
 */
#include <stdint.h>

#include "verdict.h"

extern uint32_t __bss_start[], __bss_end[];
extern void (*__preinit_array_start[])(void);
extern void (*__preinit_array_end[])(void);
extern void (*__init_array_start[])(void);
extern void (*__init_array_end[])(void);

int main(int argc, char **argv);

static char *verdict_argv[] = {0};

__attribute__((noreturn, used)) void __verdict_start(void) {
  /* volatile: keep GCC from turning the loop into a libc memset call. */
  for (volatile uint32_t *p = __bss_start; p < __bss_end; p++) *p = 0;
  for (void (**f)(void) = __preinit_array_start; f < __preinit_array_end; f++) (*f)();
  for (void (**f)(void) = __init_array_start; f < __init_array_end; f++) (*f)();
  verdict_exit(main(0, verdict_argv));
}
