/*
** cu_bigtext.c - magnitudes as digits in bases 2 to 36, and as the
** nearest float (cu_bigtext.h).
**
** Invariants. Nothing here allocates. A power-of-two base reads and
** writes fields of bits, in linear time; any other base goes through
** the largest power of the base that a limb holds (k digits at a time),
** in time quadratic in the length, counted through cu_bignum_work once
** per pass so that a stop interrupts a long conversion.
*/
#include <math.h>
#include <string.h>

#include "lua.h"

#include "cu_bignum.h"
#include "cu_bigtext.h"

#define LO(w) ((cu_Limb)(w))
#define HI(w) ((cu_Limb)((w) >> CU_BN_LIMBBITS))


int cu_bigtext_digitval (int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'z')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'Z')
    return c - 'A' + 10;
  return 99;
}

size_t cu_bigtext_scan (lua_State *L, const char *s, size_t len, cu_BigScan *sc) {
  size_t i = 0;
  sc->neg = 0;
  if (i < len && (s[i] == '+' || s[i] == '-'))
    sc->neg = s[i++] == '-';
  if ((sc->base == 0 || sc->base == 16) && i + 1 < len && s[i] == '0' &&
      (s[i + 1] == 'x' || s[i + 1] == 'X')) {
    sc->base = 16;
    i += 2;
  }
  if (sc->base == 0)
    sc->base = 10;
  if (i == len)
    return len + 1;
  for (sc->start = i; i < len; i++) {
    if (cu_bigtext_digitval((unsigned char)s[i]) >= sc->base)
      return i + 1;
    if ((i & 4095) == 0)
      cu_bignum_work(L, 4096 / CU_BN_STEPWORK);
  }
  while (sc->start + 1 < len && s[sc->start] == '0') sc->start++;
  return 0;
}


static int floorlog2 (int x) {
  int l = 0;
  while (x >>= 1) l++;
  return l;
}

/* The most digits k whose power base^k fits a limb; sets *power to base^k. */
static int chunk (int base, cu_Limb *power) {
  cu_Wide p = (cu_Wide)base;
  int k = 1;
  while (p * (cu_Wide)base <= (cu_Wide)(cu_Limb)-1) {
    p *= (cu_Wide)base;
    k++;
  }
  *power = LO(p);
  return k;
}

/* The digits of x < 2^bits number at most ceil(bits / log2(base)). */
size_t cu_bigtext_maxdigits (size_t bits, int base) {
  cu_Limb power;
  return bits / (size_t)floorlog2(base) + 1 + (size_t)chunk(base, &power);
}


size_t cu_bigtext_todigits (lua_State *L, char *buf, size_t size, cu_Limb *t, size_t tn, int base) {
  static const char digits[] = "0123456789abcdefghijklmnopqrstuvwxyz";
  size_t pos = size;
  if ((base & (base - 1)) == 0) { /* a power of two: each digit is a field of bits */
    int s = floorlog2(base);
    size_t bits = cu_bignum_bitlen(t, tn), at;
    cu_bignum_work(L, tn);
    for (at = 0; at < bits; at += (size_t)s) {
      size_t li = at / CU_BN_LIMBBITS;
      cu_Wide w = t[li] | (li + 1 < tn ? (cu_Wide)t[li + 1] << CU_BN_LIMBBITS : 0);
      buf[--pos] = digits[(w >> (at % CU_BN_LIMBBITS)) & (cu_Wide)(base - 1)];
    }
    return size - pos; /* the last field holds the top bit: no leading zero */
  }
  else { /* divide by the largest power of base a limb holds; each remainder is k digits */
    cu_Limb power;
    int k = chunk(base, &power);
    while (tn > 0) {
      cu_Limb rem = cu_bignum_div1(t, t, tn, power);
      tn = cu_bignum_trim(t, tn);
      cu_bignum_work(L, tn);
      for (int i = 0; i < k; i++) {
        buf[--pos] = digits[rem % (cu_Limb)base];
        rem /= (cu_Limb)base;
      }
    }
    while (buf[pos] == '0') pos++; /* the number is not zero: a digit is not '0' */
    return size - pos;
  }
}


/* Each digit adds at most ceil(log2(base)) bits. */
size_t cu_bigtext_limbsfor (size_t len, int base) {
  size_t per = (size_t)floorlog2(base - 1) + 1;
  if (len > CU_BN_MAXLIMBS * CU_BN_LIMBBITS / per)
    return CU_BN_MAXLIMBS + 1;
  return len * per / CU_BN_LIMBBITS + 2;
}


size_t cu_bigtext_fromdigits (lua_State *L, cu_Limb *r, const char *s, size_t len, int base) {
  size_t n = 0, i = 0;
  if ((base & (base - 1)) == 0) { /* a power of two: place each digit's bits */
    int sh = floorlog2(base);
    size_t at = 0, j = len;
    n = (len * (size_t)sh + CU_BN_LIMBBITS - 1) / CU_BN_LIMBBITS;
    memset(r, 0, n * sizeof(cu_Limb));
    cu_bignum_work(L, n);
    for (; j-- > 0; at += (size_t)sh) {
      cu_Wide v = (cu_Wide)cu_bigtext_digitval(s[j]) << (at % CU_BN_LIMBBITS);
      r[at / CU_BN_LIMBBITS] |= LO(v);
      if (HI(v) != 0) /* then the digit's bits reach the next limb, which is below n */
        r[at / CU_BN_LIMBBITS + 1] |= HI(v);
    }
    return cu_bignum_trim(r, n);
  }
  else { /* r = r * base^k + (the next k digits), k digits at a time */
    cu_Limb power;
    int k = chunk(base, &power);
    while (i < len) {
      cu_Limb val = 0, mul = 1, carry;
      for (int c = 0; c < k && i < len; c++, i++) {
        val = val * (cu_Limb)base + (cu_Limb)cu_bigtext_digitval(s[i]);
        mul *= (cu_Limb)base;
      }
      carry = cu_bignum_muladd1(r, n, mul, val);
      if (carry != 0)
        r[n++] = carry;
      cu_bignum_work(L, n);
    }
    return n;
  }
}


/* The 64 bits of (a, n) from bit 'at' up, zeros past the top limb. */
static uint64_t field64 (const cu_Limb *a, size_t n, size_t at) {
  size_t li = at / CU_BN_LIMBBITS;
  int s = (int)(at % CU_BN_LIMBBITS), got = 0;
  uint64_t m = 0;
  for (; got < 64 && li < n; li++, s = 0) {
    m |= (uint64_t)(a[li] >> s) << got; /* bits past the 64th fall off */
    got += CU_BN_LIMBBITS - s;
  }
  return m;
}

/*
** The top 64 bits, with the lowest one set when any bit below them is
** (a sticky bit): converting that to a double rounds once, as the whole
** number would.
*/
double cu_bigtext_tofloat (const cu_Limb *a, size_t n) {
  size_t bits = cu_bignum_bitlen(a, n), shift, li, i;
  uint64_t m;
  int s, sticky;
  if (bits <= 64)
    return (double)field64(a, n, 0);
  shift = bits - 64;
  if (shift > 2048)
    return HUGE_VAL;
  li = shift / CU_BN_LIMBBITS;
  s = (int)(shift % CU_BN_LIMBBITS);
  m = field64(a, n, shift);
  sticky = (a[li] & (((cu_Limb)1 << s) - 1)) != 0;
  for (i = 0; i < li && !sticky; i++) sticky = a[i] != 0;
  return ldexp((double)(m | (uint64_t)sticky), (int)shift);
}
