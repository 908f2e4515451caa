/*
 * echo example: copies the input to the output through picolibc stdio
 * (getchar/putchar over the SDK's stdin/stdout), so it exercises the libc
 * glue rather than the raw region API. Exit code 0.
 */
#include <stdio.h>

int main(void) {
  int c;
  while ((c = getchar()) != EOF) putchar(c);
  return 0;
}
