/*
** cu_fmt.c - float text (cu_fmt.h). The C library's "%.*g" with a read
** back through strtod is exact but slow: a decimal float of a JSON
** document spent most of its encoding there. Most floats in data are
** short decimals, m / 10^k for an integer m of a few digits, and for
** those the digits are written directly.
**
** Why the short path writes what "%.15g" writes: when m < 10^15 and
** m / 10^k, rounded to the nearest double, is d, then d lies within half
** an ulp (about 1.1e-16 of d) of the decimal m / 10^k, which has at most
** 15 significant digits; rounding d to 15 significant digits moves it by
** up to half a unit of the 15th digit (at least 5e-16 of d), so it gives
** m / 10^k back, and strtod of that text gives d back (the nearest double
** to it). With the least such k, m has no trailing zero after the point,
** as "%g" strips them; and for 1e-4 <= |d| < 1e15 "%.15g" writes no
** exponent. Anything else takes the C library's path.
*/
#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cu_fmt.h"

/* Powers of ten that doubles hold exactly. */
static const double p10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,  1e8,  1e9,
                             1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19};

/*
** Writes 'd' as the digits of m with the point k digits from the right,
** when d is m / 10^k as above; returns the length, or 0 when it is not.
*/
static size_t shortfloat (char *buf, double d) {
  double a = fabs(d), m = 0;
  char digits[24];
  int k, n = 0, len = 0;
  if (!(a >= 1e-4 && a < 1e15))
    return 0;
  for (k = 0; k < (int)(sizeof p10 / sizeof p10[0]); k++) {
    double s = a * p10[k];
    if (s >= 1e15)
      return 0; /* more than 15 significant digits */
    m = nearbyint(s);
    if (m / p10[k] == a)
      break;
  }
  if (k == (int)(sizeof p10 / sizeof p10[0]))
    return 0;
  for (uint64_t u = (uint64_t)m; u > 0 || n <= k; u /= 10) /* at least one digit before the point */
    digits[n++] = (char)('0' + u % 10);
  if (d < 0)
    buf[len++] = '-';
  while (n > 0) {
    if (n == k)
      buf[len++] = '.';
    buf[len++] = digits[--n];
  }
  if (k == 0) { /* an integer: keep it a float */
    buf[len++] = '.';
    buf[len++] = '0';
  }
  buf[len] = '\0';
  return (size_t)len;
}

size_t cu_fmt_float (char *buf, double d) {
  char point = localeconv()->decimal_point[0];
  int prec, len = 0;
  size_t n = shortfloat(buf, d);
  if (n > 0)
    return n;
  for (prec = 15; prec <= 17; prec++) {
    len = snprintf(buf, CU_FMT_FLOAT, "%.*g", prec, d);
    if (strtod(buf, NULL) == d)
      break;
  }
  for (char *q = buf; *q; q++) /* the C library writes the locale's decimal point */
    if (*q == point)
      *q = '.';
  if (strpbrk(buf, ".en") == NULL) { /* integral: keep it a float */
    memcpy(buf + len, ".0", 3);
    len += 2;
  }
  return (size_t)len;
}
