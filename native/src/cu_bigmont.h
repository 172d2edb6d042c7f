/*
** cu_bigmont.h - modular powers of magnitudes (cu_bignum.h) for the
** 'bigint' module: Montgomery multiplication with a sliding window for
** odd moduli (cu_bigmont.c), cu_bignum_powmod for even ones.
**
** Invariants as in cu_bignum.h: nothing here allocates, and the work is
** counted through cu_bignum_work, so a stop (only) may be raised.
*/
#ifndef cu_bigmont_h
#define cu_bigmont_h

#include <stddef.h>

#include "lua.h"

#include "cu_bignum.h"

/* The scratch limbs cu_bigmont_powmod needs for a modulus of mn limbs and an exponent of en. */
size_t cu_bigmont_scratch (size_t mn, size_t en);

/*
** r = b^e mod m for trimmed b < m, m nonzero, e trimmed; r has mn limbs
** and overlaps nothing, w has cu_bigmont_scratch(mn, en) limbs.
*/
size_t cu_bigmont_powmod (lua_State *L, cu_Limb *r, const cu_Limb *b, size_t bn, const cu_Limb *e,
                          size_t en, const cu_Limb *m, size_t mn, cu_Limb *w);

#endif
