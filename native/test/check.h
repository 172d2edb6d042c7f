/*
** check.h - the check counter of the shim's C tests, for programs with or
** without a cu state, and their random numbers. Each program prints "N
** passed, N failed" through cut_done and exits non-zero on any failure.
*/
#ifndef check_h
#define check_h

#include <stdint.h>
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

/* A number in [0, n): xorshift64 from a fixed seed, so a failing run repeats. */
static uint64_t cut_seed = 0x9e3779b97f4a7c15u;

static inline unsigned cut_rnd (unsigned n) {
  cut_seed ^= cut_seed << 13;
  cut_seed ^= cut_seed >> 7;
  cut_seed ^= cut_seed << 17;
  return (unsigned)(cut_seed % n);
}

static int cut_done (void) {
  printf("%d passed, %d failed\n", cut_passed, cut_failed);
  return cut_failed == 0 ? 0 : 1;
}

#endif
