/*
** cu_bigmont.c - b^e mod m (cu_bigmont.h). For an odd m of n limbs,
** with B = 2^CU_BN_LIMBBITS and R = B^n (coprime to m), a residue x is
** held in its Montgomery form x R mod m. The product of two forms, T,
** goes back to a form by REDC(T) = T R^-1 mod m without a division: for
** each limb i from the bottom, add u m B^i where u = T[i] (-m^-1) mod B,
** which makes limb i zero; after n limbs T is a multiple of R, and
** dropping those n zero limbs divides by it. The exponent is read from
** its top bit in windows of at most k bits that end with a 1 (sliding
** window): each bit costs a squaring, each window one product by an odd
** power b, b^3, ..., b^(2^k - 1) from a table made first.
**
** Invariants. The forms are below m, each in n limbs (untrimmed: its top
** limbs may be 0). T < m R whenever REDC runs, so T + sum(u m B^i) <
** 2 m R and the result is below 2m: one subtraction of m finishes it.
*/
#include <string.h>

#include "lua.h"

#include "cu_bigmont.h"
#include "cu_bignum.h"

#define LO(w) ((cu_Limb)(w))
#define HI(w) ((cu_Limb)((w) >> CU_BN_LIMBBITS))

/* The modulus and the scratch of one power. */
typedef struct Mont {
  lua_State *L;
  const cu_Limb *m; /* odd, trimmed, n limbs */
  size_t n;
  cu_Limb minv; /* -m^-1 mod B */
  cu_Limb *t;   /* a product: 2n limbs */
  cu_Limb *kw;  /* cu_bignum_mulscratch(n, n) limbs */
} Mont;

/*
** The window for an exponent of 'bits' bits and a modulus of mn limbs:
** with k, the table costs 2^(k-1) products and the windows about
** bits / (k + 1), so k + 1 beats k once bits / ((k + 1)(k + 2)) exceeds
** 2^(k-1). The table stays within half the scratch a bigint may have
** (cu_bigval_scratch), so a huge modulus gets a narrower window.
*/
static int window (size_t bits, size_t mn) {
  int k = 1;
  while (k < 6 && bits > ((size_t)1 << (k - 1)) * (size_t)((k + 1) * (k + 2)) &&
         ((size_t)1 << k) * mn <= 4 * CU_BN_MAXLIMBS)
    k++;
  return k;
}

/*
** -m0^-1 mod B for odd m0. m0 m0 = 1 mod 8, so x = m0 is right in its low
** 3 bits; Newton's step x (2 - m0 x) doubles the bits that are right.
*/
static cu_Limb inverse (cu_Limb m0) {
  cu_Limb x = m0;
  int bits;
  for (bits = 3; bits < CU_BN_LIMBBITS; bits *= 2) x *= (cu_Limb)2 - m0 * x;
  return (cu_Limb)0 - x;
}

/* r = REDC(T) for T in M->t (2n limbs, consumed); r has n limbs and may be anything but M->t. */
static void redc (Mont *M, cu_Limb *r) {
  const cu_Limb *m = M->m;
  cu_Limb *t = M->t, hi = 0; /* hi: the carry into t[i + n + 1], 0 or 1 */
  size_t n = M->n, i;
  cu_Limb borrow = 0;
  for (i = 0; i < n; i++) {
    cu_Limb c;
    cu_Wide s;
    cu_bignum_work(M->L, n);
    c = cu_bignum_addmul1(t + i, m, n, t[i] * M->minv); /* t[i] becomes 0 */
    s = (cu_Wide)t[i + n] + c + hi;
    t[i + n] = LO(s);
    hi = HI(s);
  }
  t += n; /* the result: (hi, t[0..n)) < 2m */
  if (hi == 0) {
    for (i = n; i-- > 0 && t[i] == m[i];) {}
    if (i != (size_t)-1 && t[i] < m[i]) { /* below m already */
      memcpy(r, t, n * sizeof(cu_Limb));
      return;
    }
  }
  for (i = 0; i < n; i++) { /* r = t - m, dropping the borrow that hi cancels */
    cu_Limb d = t[i] - m[i] - borrow;
    borrow = (t[i] < m[i]) | ((t[i] == m[i]) & borrow);
    r[i] = d;
  }
}

/* r = REDC(a b) for forms a and b; r may be either. */
static void montmul (Mont *M, cu_Limb *r, const cu_Limb *a, const cu_Limb *b) {
  size_t n = M->n, an = cu_bignum_trim(a, n), bn = cu_bignum_trim(b, n);
  if (an == 0 || bn == 0) { /* no product, but a step of the power: counted, or 0^e runs free */
    cu_bignum_work(M->L, n);
    memset(r, 0, n * sizeof(cu_Limb));
    return;
  }
  if (a == b)
    cu_bignum_sqr(M->L, M->t, a, an, M->kw); /* writes 2 an limbs */
  else
    cu_bignum_mul(M->L, M->t, a, an, b, bn, M->kw); /* writes an + bn limbs */
  memset(M->t + an + bn, 0, (2 * n - an - bn) * sizeof(cu_Limb));
  redc(M, r);
}

/* r = x R mod m (n limbs) for trimmed x < m; dw has 3n + 1 limbs. */
static void toform (Mont *M, cu_Limb *r, const cu_Limb *x, size_t xn, cu_Limb *dw) {
  size_t n = M->n, rn = 0;
  if (xn > 0) {
    memset(M->t, 0, n * sizeof(cu_Limb));
    memcpy(M->t + n, x, xn * sizeof(cu_Limb));
    rn = cu_bignum_mod(M->L, r, M->t, n + xn, M->m, n, dw);
  }
  memset(r + rn, 0, (n - rn) * sizeof(cu_Limb));
}

static int bit (const cu_Limb *e, size_t i) {
  return (int)((e[i / CU_BN_LIMBBITS] >> (i % CU_BN_LIMBBITS)) & 1);
}

/* The table's forms, then t, the division's scratch and Karatsuba's. */
size_t cu_bigmont_scratch (size_t mn, size_t en) {
  size_t k = (size_t)window(en * CU_BN_LIMBBITS, mn);
  size_t mont = (((size_t)1 << (k - 1)) + 2) * mn + 3 * mn + 1;
  size_t plain = 5 * mn + 1; /* cu_bignum_powmod's, for even moduli */
  return (mont > plain ? mont : plain) + cu_bignum_mulscratch(mn, mn);
}

size_t cu_bigmont_powmod (lua_State *L, cu_Limb *r, const cu_Limb *b, size_t bn, const cu_Limb *e,
                          size_t en, const cu_Limb *m, size_t mn, cu_Limb *w) {
  static const cu_Limb one[1] = {1};
  size_t bits = cu_bignum_bitlen(e, en), i, j, n = mn, size;
  int k = window(bits, mn), started = 0;
  cu_Limb *tab = w, *dw;
  Mont M;
  if ((m[0] & 1) == 0)
    return cu_bignum_powmod(L, r, b, bn, e, en, m, mn, w);
  size = (size_t)1 << (k - 1); /* tab[j] = b^(2j + 1) */
  M.L = L;
  M.m = m;
  M.n = n;
  M.minv = inverse(m[0]);
  M.t = tab + size * n;
  dw = M.t + 2 * n;
  M.kw = dw + 3 * n + 1;
  if (bits == 0)
    return cu_bignum_mod(L, r, one, 1, m, mn, dw);
  toform(&M, tab, b, bn, dw);
  if (size > 1) {
    montmul(&M, dw, tab, tab); /* b^2 */
    for (j = 1; j < size; j++) montmul(&M, tab + j * n, tab + (j - 1) * n, dw);
  }
  for (i = bits; i > 0;) { /* r = b^(e >> i) so far (once started) */
    size_t low;
    unsigned val = 0;
    if (!bit(e, i - 1)) {
      montmul(&M, r, r, r);
      i--;
      continue;
    }
    low =
      i > (size_t)k ? i - (size_t)k : 0; /* the window: bits i - 1 down to low, a 1 at each end */
    while (!bit(e, low)) low++;
    for (j = i; j-- > low;) {
      val = 2 * val + (unsigned)bit(e, j);
      if (started)
        montmul(&M, r, r, r);
    }
    if (started)
      montmul(&M, r, r, tab + (val >> 1) * n);
    else {
      memcpy(r, tab + (val >> 1) * n, n * sizeof(cu_Limb));
      started = 1;
    }
    i = low;
  }
  memcpy(M.t, r, n * sizeof(cu_Limb)); /* out of the form: REDC(r) = r R^-1 */
  memset(M.t + n, 0, n * sizeof(cu_Limb));
  redc(&M, r);
  return cu_bignum_trim(r, n);
}
