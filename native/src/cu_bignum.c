/*
** cu_bignum.c - limb arithmetic on magnitudes (cu_bignum.h): addition,
** subtraction, schoolbook and Karatsuba multiplication and squaring,
** Knuth's algorithm D for division, shifts, and on top of them
** remainders, square roots, greatest common divisors, modular powers.
**
** Invariants. Every intermediate is a cu_Wide, twice a limb's width
** (cu_bignum.h: 64-bit limbs in 128 bits, or 32 in 64): a limb times a
** limb plus two limbs is at most B^2 - 1 for B = 2^CU_BN_LIMBBITS, so no
** step overflows, and a difference that wraps shows in its top bit. Nothing here allocates or keeps state. The loops
** whose cost grows with the product of the operands' lengths count their
** work through cu_bignum_work once per row (and Karatsuba once per split),
** so a stop interrupts them within one row; the linear ones (add, sub,
** shifts) are left to their callers, which count them once per operation.
*/
#include <string.h>

#include "lua.h"

#include "cu_bignum.h"
#include "cu_loopstep.h" /* a long operation is stopped like a library loop */

#define LO(w)      ((cu_Limb)(w))
#define HI(w)      ((cu_Limb)((w) >> CU_BN_LIMBBITS))
#define WRAPPED(w) ((cu_Limb)((w) >> (2 * CU_BN_LIMBBITS - 1))) /* 1 if a difference wrapped */
#define TOPBIT     ((cu_Limb)1 << (CU_BN_LIMBBITS - 1))


void cu_bignum_work (lua_State *L, size_t ops) {
  size_t steps = ops / CU_BN_STEPWORK + 1;
  while (steps-- > 0) luai_loopstep(L);
}


size_t cu_bignum_setu64 (cu_Limb *r, uint64_t v) {
  size_t i;
  for (i = 0; i < CU_BN_U64LIMBS; i++) {
    r[i] = (cu_Limb)v;
    v = CU_BN_U64LIMBS > 1 ? v >> (CU_BN_LIMBBITS % 64) : 0;
  }
  return cu_bignum_trim(r, CU_BN_U64LIMBS);
}


int cu_bignum_getu64 (const cu_Limb *a, size_t n, uint64_t *v) {
  size_t i = n;
  if (n > CU_BN_U64LIMBS)
    return 0;
  *v = 0;
  while (i-- > 0) *v = (CU_BN_U64LIMBS > 1 ? *v << (CU_BN_LIMBBITS % 64) : 0) | a[i];
  return 1;
}


size_t cu_bignum_trim (const cu_Limb *a, size_t n) {
  while (n > 0 && a[n - 1] == 0) n--;
  return n;
}


size_t cu_bignum_bitlen (const cu_Limb *a, size_t n) {
  size_t bits;
  cu_Limb top;
  if (n == 0)
    return 0;
  bits = (n - 1) * CU_BN_LIMBBITS;
  for (top = a[n - 1]; top != 0; top >>= 1) bits++;
  return bits;
}


int cu_bignum_cmp (const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn) {
  if (an != bn)
    return an < bn ? -1 : 1;
  while (an-- > 0)
    if (a[an] != b[an])
      return a[an] < b[an] ? -1 : 1;
  return 0;
}


size_t cu_bignum_add (cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn) {
  size_t i;
  cu_Wide carry = 0;
  if (an < bn) { /* a is the longer one */
    const cu_Limb *t = a;
    size_t tn = an;
    a = b, an = bn;
    b = t, bn = tn;
  }
  for (i = 0; i < bn; i++) {
    carry += (cu_Wide)a[i] + b[i];
    r[i] = LO(carry);
    carry >>= CU_BN_LIMBBITS;
  }
  for (; i < an; i++) {
    carry += a[i];
    r[i] = LO(carry);
    carry >>= CU_BN_LIMBBITS;
  }
  r[an] = LO(carry);
  return cu_bignum_trim(r, an + 1);
}


size_t cu_bignum_sub (cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn) {
  size_t i;
  cu_Wide borrow = 0; /* 0 or 1 */
  for (i = 0; i < an; i++) {
    cu_Wide t = (cu_Wide)a[i] - (i < bn ? b[i] : 0) - borrow;
    r[i] = LO(t);
    borrow = WRAPPED(t); /* the difference was negative */
  }
  return cu_bignum_trim(r, an);
}


cu_Limb cu_bignum_addmul1 (cu_Limb *r, const cu_Limb *a, size_t n, cu_Limb m) {
  cu_Limb c = 0;
  size_t i = 0;
  for (; i + 4 <= n; i += 4) { /* four at a time: fewer loop tests between the carries */
    cu_Wide t0 = (cu_Wide)m * a[i] + r[i] + c, t1, t2, t3;
    r[i] = LO(t0);
    t1 = (cu_Wide)m * a[i + 1] + r[i + 1] + HI(t0);
    r[i + 1] = LO(t1);
    t2 = (cu_Wide)m * a[i + 2] + r[i + 2] + HI(t1);
    r[i + 2] = LO(t2);
    t3 = (cu_Wide)m * a[i + 3] + r[i + 3] + HI(t2);
    r[i + 3] = LO(t3);
    c = HI(t3);
  }
  for (; i < n; i++) {
    cu_Wide t = (cu_Wide)m * a[i] + r[i] + c;
    r[i] = LO(t);
    c = HI(t);
  }
  return c;
}


/* r = a * b (schoolbook), all an + bn limbs written, untrimmed; an >= bn. */
static void schoolbook (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b,
                        size_t bn) {
  size_t j;
  memset(r, 0, (an + bn) * sizeof(cu_Limb));
  for (j = 0; j < bn; j++) { /* rows over the shorter operand: fewer stop checks */
    cu_bignum_work(L, an);
    r[an + j] = cu_bignum_addmul1(r + j, a, an, b[j]);
  }
}

/*
** r = a * a (schoolbook), all 2 an limbs written, untrimmed: the products
** a[i] * a[j] for i < j once, doubled by a shift, then the squares
** a[i] * a[i] added on the diagonal.
*/
static void sqrschool (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an) {
  size_t i;
  cu_Limb carry;
  memset(r, 0, 2 * an * sizeof(cu_Limb));
  for (i = 0; i + 1 < an; i++) {
    cu_bignum_work(L, an - i);
    r[i + an] = cu_bignum_addmul1(r + 2 * i + 1, a + i + 1, an - i - 1, a[i]);
  }
  carry = 0; /* double: the cross products fill at most 2 * an - 1 limbs */
  for (i = 0; i < 2 * an; i++) {
    cu_Limb top = r[i] >> (CU_BN_LIMBBITS - 1);
    r[i] = (cu_Limb)(r[i] << 1) | carry;
    carry = top;
  }
  carry = 0;
  for (i = 0; i < an; i++) {
    cu_Wide t = (cu_Wide)a[i] * a[i] + r[2 * i] + carry;
    r[2 * i] = LO(t);
    t = (t >> CU_BN_LIMBBITS) + r[2 * i + 1];
    r[2 * i + 1] = LO(t);
    carry = HI(t);
  }
}

/* a[0..an) += b[0..bn), bn <= an; callers know that no carry leaves a[an - 1]. */
static void addto (cu_Limb *a, size_t an, const cu_Limb *b, size_t bn) {
  cu_Wide carry = 0;
  size_t i;
  for (i = 0; i < bn; i++) {
    carry += (cu_Wide)a[i] + b[i];
    a[i] = LO(carry);
    carry >>= CU_BN_LIMBBITS;
  }
  for (; carry != 0 && i < an; i++) {
    carry += a[i];
    a[i] = LO(carry);
    carry >>= CU_BN_LIMBBITS;
  }
}

/* The scratch of karatsuba on n limbs: its sums and middle product, then its largest child's. */
static size_t kscratch (size_t n) {
  size_t s = 0;
  while (n >= CU_BN_KARATSUBA) {
    size_t m = n - n / 2 + 1;
    s += 4 * m;
    n = m;
  }
  return s;
}

/*
** r = a * b for a and b of n limbs each (untrimmed), all 2n limbs of r
** written; w has kscratch(n) limbs. With a = a1 B^h + a0 and b alike,
** a b = z2 B^2h + (z1 - z2 - z0) B^h + z0 where z0 = a0 b0, z2 = a1 b1
** and z1 = (a0 + a1)(b0 + b1): three products of half the size, which
** are squares when a is b.
*/
static void karatsuba (lua_State *L, cu_Limb *r, const cu_Limb *a, const cu_Limb *b, size_t n,
                       cu_Limb *w) {
  size_t h = n / 2, hh = n - h, m = hh + 1;
  cu_Limb *sa = w, *sb = w + m, *z1 = w + 2 * m, *rest = w + 4 * m;
  if (n < CU_BN_KARATSUBA) {
    if (a == b)
      sqrschool(L, r, a, n);
    else
      schoolbook(L, r, a, n, b, n);
    return;
  }
  karatsuba(L, r, a, b, h, rest);                  /* z0 in r[0 .. 2h) */
  karatsuba(L, r + 2 * h, a + h, b + h, hh, rest); /* z2 in r[2h .. 2n) */
  cu_bignum_add(sa, a, h, a + h, hh);              /* m limbs each */
  if (a == b)
    sb = sa;
  else
    cu_bignum_add(sb, b, h, b + h, hh);
  karatsuba(L, z1, sa, sb, m, rest);
  cu_bignum_sub(z1, z1, 2 * m, r, 2 * h); /* z1 - z0 - z2 = a0 b1 + a1 b0 >= 0 */
  cu_bignum_sub(z1, z1, 2 * m, r + 2 * h, 2 * hh);
  addto(r + h, 2 * n - h, z1, 2 * m); /* 2 * m <= 2 * n - h as h >= 2 */
  cu_bignum_work(L, 4 * n);
}


/* Karatsuba on a and a, whose products are squares all the way down, or the schoolbook square. */
size_t cu_bignum_sqr (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, cu_Limb *w) {
  if (an == 0)
    return 0;
  if (an >= CU_BN_KARATSUBA)
    karatsuba(L, r, a, a, an, w);
  else
    sqrschool(L, r, a, an);
  return cu_bignum_trim(r, 2 * an);
}


size_t cu_bignum_mulscratch (size_t an, size_t bn) {
  size_t s = an < bn ? an : bn;
  return s < CU_BN_KARATSUBA ? 0 : 2 * s + kscratch(s);
}


/*
** Schoolbook when the shorter operand is short; else Karatsuba, on the
** longer operand's pieces of the shorter one's length when they differ.
*/
size_t cu_bignum_mul (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *b,
                      size_t bn, cu_Limb *w) {
  size_t off;
  if (an == 0 || bn == 0)
    return 0;
  if (an < bn) { /* a is the longer one */
    const cu_Limb *t = a;
    size_t tn = an;
    a = b, an = bn;
    b = t, bn = tn;
  }
  if (bn < CU_BN_KARATSUBA)
    schoolbook(L, r, a, an, b, bn);
  else if (an == bn)
    karatsuba(L, r, a, b, an, w);
  else {
    cu_Limb *t = w, *kw = w + 2 * bn;
    memset(r, 0, (an + bn) * sizeof(cu_Limb));
    for (off = 0; off < an; off += bn) {
      size_t len = an - off < bn ? an - off : bn;
      if (len == bn)
        karatsuba(L, t, a + off, b, bn, kw);
      else
        schoolbook(L, t, b, bn, a + off, len);
      addto(r + off, an + bn - off, t, bn + len);
    }
  }
  return cu_bignum_trim(r, an + bn);
}


cu_Limb cu_bignum_muladd1 (cu_Limb *a, size_t n, cu_Limb m, cu_Limb add) {
  cu_Wide carry = add;
  for (size_t i = 0; i < n; i++) {
    carry += (cu_Wide)m * a[i];
    a[i] = LO(carry);
    carry >>= CU_BN_LIMBBITS;
  }
  return LO(carry);
}


cu_Limb cu_bignum_div1 (cu_Limb *q, const cu_Limb *a, size_t n, cu_Limb d) {
  cu_Wide rem = 0;
  while (n-- > 0) {
    cu_Wide cur = (rem << CU_BN_LIMBBITS) | a[n];
    q[n] = LO(cur / d);
    rem = cur % d;
  }
  return LO(rem);
}


/* The leading zero bits of a nonzero limb. */
static int clz (cu_Limb x) {
  int s = 0;
  while ((x & TOPBIT) == 0) {
    x <<= 1;
    s++;
  }
  return s;
}


/*
** Algorithm D on u (un + 1 limbs, normalized: shifted so that v's top
** bit is set; u[un] is the limb the shift carried out) and v (vn >= 2
** limbs). Leaves the quotient in q (un - vn + 1 limbs, or NULL) and the
** normalized remainder in u[0..vn-1].
*/
static void knuth (lua_State *L, cu_Limb *q, cu_Limb *u, size_t un, const cu_Limb *v, size_t vn) {
  const cu_Wide B = (cu_Wide)1 << CU_BN_LIMBBITS;
  const cu_Wide vtop = v[vn - 1], vnext = v[vn - 2];
  size_t j = un - vn + 1;
  while (j-- > 0) {
    /* estimate the quotient digit from the top two limbs; it is at most 2 too large */
    cu_Wide num = ((cu_Wide)u[j + vn] << CU_BN_LIMBBITS) | u[j + vn - 1];
    cu_Wide qhat = num / vtop, rhat = num % vtop;
    cu_Wide carry = 0, borrow = 0, t;
    size_t i;
    cu_bignum_work(L, vn);
    while (qhat >= B || qhat * vnext > ((rhat << CU_BN_LIMBBITS) | u[j + vn - 2])) {
      qhat--;
      rhat += vtop;
      if (rhat >= B)
        break;
    }
    /* u[j..j+vn] -= qhat * v */
    for (i = 0; i < vn; i++) {
      cu_Wide p = qhat * v[i] + carry;
      carry = p >> CU_BN_LIMBBITS;
      t = (cu_Wide)u[i + j] - LO(p) - borrow;
      u[i + j] = LO(t);
      borrow = WRAPPED(t);
    }
    t = (cu_Wide)u[j + vn] - carry - borrow;
    u[j + vn] = LO(t);
    if (WRAPPED(t)) { /* qhat was one too large: add v back */
      qhat--;
      carry = 0;
      for (i = 0; i < vn; i++) {
        carry += (cu_Wide)u[i + j] + v[i];
        u[i + j] = LO(carry);
        carry >>= CU_BN_LIMBBITS;
      }
      u[j + vn] = LO(u[j + vn] + carry);
    }
    if (q != NULL)
      q[j] = LO(qhat);
  }
}


void cu_bignum_divmod (lua_State *L, cu_Limb *q, size_t *qn, cu_Limb *r, size_t *rn, cu_Limb *w,
                       const cu_Limb *a, size_t an, const cu_Limb *b, size_t bn) {
  size_t qlen = an - bn + 1, rlen;
  if (bn == 1) {
    cu_Limb *qq = q != NULL ? q : w;
    r[0] = cu_bignum_div1(qq, a, an, b[0]);
    cu_bignum_work(L, an);
    rlen = r[0] != 0;
  }
  else {
    cu_Limb *u = w, *v = w + an + 1;
    int s = clz(b[bn - 1]);
    size_t i;
    if (s == 0) { /* the divisor is normalized already */
      memcpy(v, b, bn * sizeof(cu_Limb));
      memcpy(u, a, an * sizeof(cu_Limb));
      u[an] = 0;
    }
    else {
      for (i = bn - 1; i > 0; i--) v[i] = (b[i] << s) | (b[i - 1] >> (CU_BN_LIMBBITS - s));
      v[0] = b[0] << s;
      u[an] = a[an - 1] >> (CU_BN_LIMBBITS - s);
      for (i = an - 1; i > 0; i--) u[i] = (a[i] << s) | (a[i - 1] >> (CU_BN_LIMBBITS - s));
      u[0] = a[0] << s;
    }
    knuth(L, q, u, an, v, bn);
    /* unnormalize the remainder */
    if (s == 0)
      memcpy(r, u, bn * sizeof(cu_Limb));
    else {
      for (i = 0; i + 1 < bn; i++) r[i] = (u[i] >> s) | (u[i + 1] << (CU_BN_LIMBBITS - s));
      r[bn - 1] = u[bn - 1] >> s;
    }
    rlen = cu_bignum_trim(r, bn);
  }
  if (qn != NULL)
    *qn = q != NULL ? cu_bignum_trim(q, qlen) : 0;
  if (rn != NULL)
    *rn = rlen;
}


size_t cu_bignum_shl (cu_Limb *r, const cu_Limb *a, size_t an, size_t bits) {
  size_t limbs = bits / CU_BN_LIMBBITS, i;
  int s = (int)(bits % CU_BN_LIMBBITS);
  if (an == 0)
    return 0;
  memset(r, 0, limbs * sizeof(cu_Limb));
  if (s == 0) {
    memcpy(r + limbs, a, an * sizeof(cu_Limb));
    r[an + limbs] = 0;
  }
  else {
    r[an + limbs] = a[an - 1] >> (CU_BN_LIMBBITS - s);
    for (i = an - 1; i > 0; i--) r[i + limbs] = (a[i] << s) | (a[i - 1] >> (CU_BN_LIMBBITS - s));
    r[limbs] = a[0] << s;
  }
  return cu_bignum_trim(r, an + limbs + 1);
}


size_t cu_bignum_shr (cu_Limb *r, const cu_Limb *a, size_t an, size_t bits) {
  size_t limbs = bits / CU_BN_LIMBBITS, n, i;
  int s = (int)(bits % CU_BN_LIMBBITS);
  if (limbs >= an)
    return 0;
  n = an - limbs;
  if (s == 0)
    memmove(r, a + limbs, n * sizeof(cu_Limb));
  else {
    for (i = 0; i + 1 < n; i++)
      r[i] = (a[i + limbs] >> s) | (a[i + limbs + 1] << (CU_BN_LIMBBITS - s));
    r[n - 1] = a[an - 1] >> s;
  }
  return cu_bignum_trim(r, n);
}



/* ------------------------------------------------------ number theory */

size_t cu_bignum_mod (lua_State *L, cu_Limb *r, const cu_Limb *a, size_t an, const cu_Limb *m,
                      size_t mn, cu_Limb *w) {
  size_t rn;
  if (cu_bignum_cmp(a, an, m, mn) < 0) {
    memcpy(r, a, an * sizeof(cu_Limb));
    return an;
  }
  cu_bignum_divmod(L, NULL, NULL, r, &rn, w, a, an, m, mn);
  return rn;
}


/*
** Newton's iteration x = (x + a / x) / 2 from x = 2^ceil(bits / 2) >=
** sqrt(a): x decreases until it reaches the floor of the root, and the
** first step that does not decrease ends the loop.
*/
size_t cu_bignum_sqrt (lua_State *L, cu_Limb *x, const cu_Limb *a, size_t an, cu_Limb *w) {
  size_t half = (cu_bignum_bitlen(a, an) + 1) / 2, xn = half / CU_BN_LIMBBITS + 1, qn, sn;
  cu_Limb *q = w, *s = q + an + 1, *r = s + an + 1, *dw = r + an + 1; /* dw: 2 * an + 2 */
  if (an == 0)
    return 0;
  memset(x, 0, xn * sizeof(cu_Limb));
  x[xn - 1] = (cu_Limb)1 << (half % CU_BN_LIMBBITS);
  for (;;) {
    if (cu_bignum_cmp(a, an, x, xn) < 0)
      qn = 0;
    else
      cu_bignum_divmod(L, q, &qn, r, NULL, dw, a, an, x, xn);
    sn = cu_bignum_add(s, x, xn, q, qn);
    sn = cu_bignum_shr(s, s, sn, 1);
    if (cu_bignum_cmp(s, sn, x, xn) >= 0)
      return xn;
    memcpy(x, s, sn * sizeof(cu_Limb));
    xn = sn;
  }
}


/* Euclid: (x, y) = (y, x mod y) until y is 0, in three rotating arrays. */
size_t cu_bignum_gcd (lua_State *L, cu_Limb *g, const cu_Limb *a, size_t an, const cu_Limb *b,
                      size_t bn, cu_Limb *w) {
  size_t n = an > bn ? an : bn, xn, yn;
  cu_Limb *x = g, *y = w, *r = w + n, *dw = w + 2 * n;
  if (cu_bignum_cmp(a, an, b, bn) < 0) {
    const cu_Limb *t = a;
    a = b, b = t;
    xn = an, an = bn, bn = xn;
  }
  memcpy(x, a, an * sizeof(cu_Limb));
  xn = an;
  memcpy(y, b, bn * sizeof(cu_Limb));
  yn = bn;
  while (yn > 0) {
    size_t rn = cu_bignum_mod(L, r, x, xn, y, yn, dw);
    cu_Limb *t = x;
    x = y, xn = yn;
    y = r, yn = rn;
    r = t;
    cu_bignum_work(L, xn);
  }
  if (x != g)
    memcpy(g, x, xn * sizeof(cu_Limb));
  return xn;
}


/* Square and multiply from the top bit of e down, reducing after each product. */
size_t cu_bignum_powmod (lua_State *L, cu_Limb *r, const cu_Limb *b, size_t bn, const cu_Limb *e,
                         size_t en, const cu_Limb *m, size_t mn, cu_Limb *w) {
  static const cu_Limb one[1] = {1};
  cu_Limb *prod = w, *dw = w + 2 * mn, *mw = dw + 3 * mn + 1; /* dw: 3 * mn + 1 */
  size_t rn = cu_bignum_mod(L, r, one, 1, m, mn, dw), pn, i;
  for (i = cu_bignum_bitlen(e, en); i-- > 0;) {
    cu_bignum_work(L, mn);
    pn = cu_bignum_sqr(L, prod, r, rn, mw);
    rn = cu_bignum_mod(L, r, prod, pn, m, mn, dw);
    if ((e[i / CU_BN_LIMBBITS] >> (i % CU_BN_LIMBBITS)) & 1) {
      pn = cu_bignum_mul(L, prod, r, rn, b, bn, mw);
      rn = cu_bignum_mod(L, r, prod, pn, m, mn, dw);
    }
  }
  return rn;
}
