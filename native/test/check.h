/*
** check.h - the check counter of the shim's C tests, for programs with or
** without a cu state. Each program prints "N passed, N failed" through
** cut_done and exits non-zero on any failure.
*/
#ifndef check_h
#define check_h

#include <stdio.h>

static int cut_passed, cut_failed;

#define CHECK(cond)                                                                                \
  do {                                                                                             \
    if (cond)                                                                                      \
      cut_passed++;                                                                                \
    else {                                                                                         \
      cut_failed++;                                                                                \
      fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);                     \
    }                                                                                              \
  } while (0)

static int cut_done (void) {
  printf("%d passed, %d failed\n", cut_passed, cut_failed);
  return cut_failed == 0 ? 0 : 1;
}

#endif
