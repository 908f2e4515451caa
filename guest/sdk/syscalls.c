/*
 * POSIX-style read/write for libc users: fd 0 reads the input region, fd 1
 * appends to the output region, fd 2 is discarded (the machine has nowhere
 * to put diagnostics; use the exit code). Anything else fails with EBADF.
 */
#include <errno.h>
#include <sys/types.h>
#include <unistd.h>

#include "verdict.h"

ssize_t read(int fd, void *buf, size_t n) {
  if (fd != 0) {
    errno = EBADF;
    return -1;
  }
  return (ssize_t)verdict_read(buf, n);
}

ssize_t write(int fd, const void *buf, size_t n) {
  if (fd == 1) {
    size_t written = verdict_output_write(buf, n);
    if (written == 0 && n != 0) {
      errno = ENOSPC;
      return -1;
    }
    return (ssize_t)written;
  }
  if (fd == 2) return (ssize_t)n;
  errno = EBADF;
  return -1;
}
