/*
** cu_bignum.h - arithmetic on magnitudes: little-endian arrays of limbs
** (cu_bignum.c), under the 'bigint' module (cu_bigop.c). A limb is 64
** bits where the compiler has a 128-bit integer type (gcc and clang on
** 64-bit targets) and 32 bits elsewhere (or when CU_BN_LIMB32 is defined);
** nothing outside cu_bignum.c, cu_bigmont.c and cu_bigtext.c depends on
** the size, and those work with either.
**
** Invariants. A magnitude is (a, n): limbs a[0..n-1], least significant
** first. A trimmed magnitude has a[n - 1] != 0, and zero is n == 0; every
** function that returns a length returns the trimmed one. Nothing here
** allocates: callers pass result and scratch arrays of the sizes stated,
** which never overlap an operand unless a comment allows it. Only the
** functions taking a lua_State may raise, and only a stop (through
** luai_loopstep, cu_loopstep.h): they count their work with
** cu_bignum_work, so a time limit or an interrupt stops a long operation.
*/
#ifndef cu_bignum_h
#define cu_bignum_h

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

#if defined(__SIZEOF_INT128__) && !defined(CU_BN_LIMB32)
typedef uint64_t cu_Limb;
__extension__ typedef unsigned __int128 cu_Wide; /* holds a limb times a limb plus two limbs */
#define CU_BN_LIMBBITS 64
#else
typedef uint32_t cu_Limb;
typedef uint64_t cu_Wide; /* holds a limb times a limb plus two limbs */
#define CU_BN_LIMBBITS 32
#endif

/*
** The most limbs of a number (2^31 bits, 256 MiB): sizes in bits stay far
** from overflow. A test build may define a smaller one to reach the limit.
*/
#ifndef CU_BN_MAXLIMBS
#define CU_BN_MAXLIMBS (((size_t)1 << 31) / CU_BN_LIMBBITS)
#endif

/* The limbs of a 64-bit integer (cu_bignum_setu64). */
#define CU_BN_U64LIMBS (64 / CU_BN_LIMBBITS)

/* r = v (r has CU_BN_U64LIMBS limbs); returns the trimmed length. */
size_t cu_bignum_setu64 (cu_Limb *r, uint64_t v);

/* Whether trimmed (a, n) is below 2^64; if so, *v is its value. */
int cu_bignum_getu64 (const cu_Limb *a, size_t n, uint64_t *v);

/* Limb operations per library-loop step (luai_loopstep) that cu_bignum_work counts. */
#define CU_BN_STEPWORK 32

/* Counts 'ops' limb operations against the loop countdown; may raise a stop. */
void cu_bignum_work (lua_State *L, size_t ops);

/* The trimmed length of (a, n). */
size_t cu_bignum_trim (const cu_Limb *a, size_t n);

/* The number of significant bits of trimmed (a, n): 0 for zero. */
size_t cu_bignum_bitlen (const cu_Limb *a, size_t n);

/* -1, 0 or 1 as trimmed (a, an) is below, equal to or above trimmed (b, bn). */
int cu_bignum_cmp (const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn);

/* r = a + b; r has max(an, bn) + 1 limbs and may be a or b. */
size_t cu_bignum_add (cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn);

/* r = a - b for a >= b (both trimmed); r has an limbs and may be a or b. */
size_t cu_bignum_sub (cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn);

/*
** Operands of at least this many limbs multiply by Karatsuba's method;
** shorter, by schoolbook. 40 suits both limb sizes (a 2,048-bit square
** of 32 64-bit limbs is faster by schoolbook); a build may define a
** smaller one to test Karatsuba on short operands.
*/
#ifndef CU_BN_KARATSUBA
#define CU_BN_KARATSUBA 40
#endif

/* The scratch limbs cu_bignum_mul and cu_bignum_sqr need for operands of an and bn limbs (or fewer). */
size_t cu_bignum_mulscratch (size_t an, size_t bn);

/*
** r = a * b; r has an + bn limbs and overlaps neither operand, w has
** cu_bignum_mulscratch(an, bn) limbs (none for short operands: NULL will do).
*/
size_t cu_bignum_mul (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b,
                      size_t bn, cu_Limb *w);

/* r = a * a; r has 2 * an limbs, not overlapping a; w as for cu_bignum_mul(an, an). */
size_t cu_bignum_sqr (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, cu_Limb *w);

/* r[0..n) += a[0..n) * m; returns the carry out, the next limb. r and a do not overlap. */
cu_Limb cu_bignum_addmul1 (cu_Limb *r, const cu_Limb *a, size_t n, cu_Limb m);

/* a = a * m + add in place (n limbs); returns the carry out, the next limb. */
cu_Limb cu_bignum_muladd1 (cu_Limb *a, size_t n, cu_Limb m, cu_Limb add);

/* q = a / d for d > 0; q has n limbs and may be a. Returns the remainder. */
cu_Limb cu_bignum_div1 (cu_Limb *q, const cu_Limb *a, size_t n, cu_Limb d);

/*
** Division with remainder of trimmed magnitudes, b nonzero and an >= bn
** (Knuth, TAOCP vol. 2, 4.3.1, algorithm D): q = a / b (an - bn + 1 limbs,
** or NULL when only the remainder is wanted), r = a % b (bn limbs).
** 'w' is scratch of an + bn + 1 limbs. None of q, r, w overlaps another
** array. The lengths of q and r come back trimmed through qn and rn
** (either may be NULL).
*/
void cu_bignum_divmod (lua_State *L, cu_Limb *q, size_t *qn, cu_Limb *r, size_t *rn, cu_Limb *w,
                       const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn);

/* r = a << bits; r has an + bits / CU_BN_LIMBBITS + 1 limbs, not overlapping a. */
size_t cu_bignum_shl (cu_Limb *r, const cu_Limb *a, size_t an, size_t bits);

/* r = a >> bits; r has an - bits / CU_BN_LIMBBITS limbs (none when that is not positive) and may be a. */
size_t cu_bignum_shr (cu_Limb *r, const cu_Limb *a, size_t an, size_t bits);


/* r = a mod m, m nonzero; r has mn limbs, w an + mn + 1. */
size_t cu_bignum_mod (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *m,
                      size_t mn, cu_Limb *w);

/* x = floor(sqrt(a)); x has an + 1 limbs, w 5 * an + 5. */
size_t cu_bignum_sqrt (lua_State *L, cu_Limb *x, const cu_Limb *a, size_t an, cu_Limb *w);

/* g = gcd(a, b) (0 when both are 0); g has n = max(an, bn) limbs, w 4 * n + 1. */
size_t cu_bignum_gcd (lua_State *L, cu_Limb *g, const cu_Limb *a, size_t an, const cu_Limb *b,
                      size_t bn, cu_Limb *w);

/*
** r = b^e mod m for b < m, m nonzero, by square and multiply with a
** division after each product (any modulus; cu_bigmont_powmod is faster
** for odd ones); r has mn limbs, w 5 * mn + 1 + cu_bignum_mulscratch(mn, mn).
*/
size_t cu_bignum_powmod (lua_State *L, cu_Limb *r, const cu_Limb *b, size_t bn, const cu_Limb *e,
                         size_t en, const cu_Limb *m, size_t mn, cu_Limb *w);

#endif
