/*
 * picolibc (tinystdio) streams: stdin reads the input region, stdout appends
 * to the output region, stderr discards. Unbuffered on purpose: nothing is
 * lost when a guest exits without flushing.
 */
#include <stdio.h>

#include "verdict.h"

static int put_output(char c, FILE *f) {
  (void)f;
  return verdict_output_write(&c, 1) == 1 ? (unsigned char)c : EOF;
}

static int get_input(FILE *f) {
  (void)f;
  unsigned char c;
  return verdict_read(&c, 1) == 1 ? c : _FDEV_EOF;
}

static int put_discard(char c, FILE *f) {
  (void)f;
  return (unsigned char)c;
}

static FILE verdict_stdio = FDEV_SETUP_STREAM(put_output, get_input, NULL, _FDEV_SETUP_RW);
static FILE verdict_stderr = FDEV_SETUP_STREAM(put_discard, NULL, NULL, _FDEV_SETUP_WRITE);

FILE *const stdin = &verdict_stdio;
FILE *const stdout = &verdict_stdio;
FILE *const stderr = &verdict_stderr;
