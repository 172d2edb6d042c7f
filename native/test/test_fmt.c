/*
** test_fmt.c - float text (cu_fmt.c) against the definition it keeps: the
** shortest of "%.15g", "%.16g", "%.17g" that strtod reads back as the
** same double, '.' for the point, ".0" after an integer. Short decimals
** (the fast path), its bounds, and random bit patterns (the C library's).
*/
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_fmt.h"
#include "check.h"

/* The definition, the slow way (the test runs in the "C" locale). */
static void reference (char *buf, double d) {
  int len = 0;
  for (int prec = 15; prec <= 17; prec++) {
    len = snprintf(buf, CU_FMT_FLOAT, "%.*g", prec, d);
    if (strtod(buf, NULL) == d)
      break;
  }
  if (strpbrk(buf, ".en") == NULL)
    memcpy(buf + len, ".0", 3);
}

static uint64_t seed = 0x2545f4914f6cdd1du;

static uint64_t rnd (void) {
  seed ^= seed << 13;
  seed ^= seed >> 7;
  seed ^= seed << 17;
  return seed;
}

static int mismatches;

static void same (double d) {
  char want[CU_FMT_FLOAT], got[CU_FMT_FLOAT];
  size_t n;
  reference(want, d);
  n = cu_fmt_float(got, d);
  if (strcmp(want, got) != 0 || n != strlen(got)) {
    if (mismatches++ < 10)
      printf("  %a: want %s, got %s\n", d, want, got);
  }
}

static void shortDecimalsAsTheCLibraryWritesThem (void) {
  static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                                 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};
  mismatches = 0;
  for (int i = 0; i < 500000; i++) {
    uint64_t digits = 1 + rnd() % 16; /* m of 1 to 16 digits */
    double m = (double)(rnd() % (uint64_t)pow10[digits]);
    double d = m / pow10[rnd() % 20];
    same((rnd() & 1) ? -d : d);
  }
  CHECK(mismatches == 0);
}

static void boundsAndOddValues (void) {
  static const double odd[] = {0.0,
                               1e-4,
                               1e15,
                               1e14,
                               0.1,
                               0.2,
                               0.3,
                               1.0,
                               2.5,
                               100.0,
                               1e-5,
                               999999999999999.0,
                               999999999999999.9,
                               123456789012345.6,
                               9007199254740992.0,
                               9007199254740993.0,
                               5e-324,
                               DBL_MAX,
                               DBL_MIN,
                               1.7976931348623157e308,
                               0.000123,
                               0.0001000000000001,
                               3.141592653589793,
                               2.718281828459045,
                               1e21,
                               1e22,
                               1e23};
  mismatches = 0;
  for (size_t i = 0; i < sizeof odd / sizeof odd[0]; i++) {
    double d = odd[i];
    same(d);
    same(-d);
    same(nextafter(d, 0));
    same(nextafter(d, INFINITY));
    same(-nextafter(d, INFINITY));
  }
  CHECK(mismatches == 0);
}

static void randomBitPatterns (void) {
  mismatches = 0;
  for (int i = 0; i < 300000; i++) {
    uint64_t bits = rnd();
    double d;
    memcpy(&d, &bits, sizeof d);
    if (isfinite(d))
      same(d);
  }
  CHECK(mismatches == 0);
}

int main (void) {
  shortDecimalsAsTheCLibraryWritesThem();
  boundsAndOddValues();
  randomBitPatterns();
  return cut_done();
}
