/*
** cu_bigtext.h - magnitudes (cu_bignum.h) as text in bases 2 to 36 and
** as floats (cu_bigtext.c). Digits are 0-9 then a-z (A-Z too when
** reading). Nothing here allocates; the functions taking a lua_State may
** raise a stop only (cu_bignum_work).
*/
#ifndef cu_bigtext_h
#define cu_bigtext_h

#include <stddef.h>

#include "lua.h"

#include "cu_bignum.h"

/* The form of a number's text, as cu_bigtext_scan reads it. */
typedef struct cu_BigScan {
  int base;     /* in: 0 (10, or 16 after "0x") or 2 to 36; out: the base of the digits */
  int neg;      /* out: whether a '-' came first */
  size_t start; /* out: the first digit that counts (leading zeros skipped, the last kept) */
} cu_BigScan;

/*
** Reads an optional sign, then a "0x" or "0X" prefix when sc->base is 0
** or 16, then digits of the base and nothing else (no spaces). Returns
** 0, or the position (from 1) of the first byte that is not a digit, or
** len + 1 when no digit came. Counts its work: may raise a stop.
*/
size_t cu_bigtext_scan (lua_State *L, const char *s, size_t len, cu_BigScan *sc);

/* The value of digit character c, or 36 or more for any other byte. */
int cu_bigtext_digitval (int c);

/*
** Room for the digits of a number below 2^bits, with the padding
** cu_bigtext_todigits may write before it trims.
*/
size_t cu_bigtext_maxdigits (size_t bits, int base);

/*
** Writes the digits of trimmed nonzero (t, tn) so that they end at
** buf + size (size >= cu_bigtext_maxdigits), destroying t. Returns how
** many: the digits are buf[size - count .. size - 1], without leading zeros.
*/
size_t cu_bigtext_todigits (lua_State *L, char *buf, size_t size, cu_Limb *t, size_t tn, int base);

/* The limbs cu_bigtext_fromdigits needs for 'len' digits; more than CU_BN_MAXLIMBS when too many. */
size_t cu_bigtext_limbsfor (size_t len, int base);

/* r = the value of digits s[0..len-1], each valid in 'base'; r has cu_bigtext_limbsfor limbs. */
size_t cu_bigtext_fromdigits (lua_State *L, cu_Limb *r, const char *s, size_t len, int base);

/* The float nearest to trimmed (a, n), ties to even; HUGE_VAL beyond the float range. */
double cu_bigtext_tofloat (const cu_Limb *a, size_t n);

#endif
