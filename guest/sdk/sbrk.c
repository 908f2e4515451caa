/*
 * Heap for malloc: grows from the end of .bss (__heap_start) up to the stack
 * reserve (__heap_end), both set by verdict.ld, so it never leaves the
 * program region.
 */
#include <errno.h>
#include <stddef.h>
#include <stdint.h>

extern char __heap_start[], __heap_end[];

static char *heap_brk;

void *sbrk(ptrdiff_t incr) {
  if (!heap_brk) heap_brk = __heap_start;
  char *old = heap_brk;
  if (incr >= 0 ? (size_t)(__heap_end - heap_brk) < (size_t)incr
                : (size_t)(heap_brk - __heap_start) < (size_t)-incr) {
    errno = ENOMEM;
    return (void *)-1;
  }
  heap_brk += incr;
  return old;
}
