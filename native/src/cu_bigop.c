/*
** cu_bigop.c - the arithmetic of the 'bigint' module (cu_bigop.h): Lua's
** arithmetic, comparison and bitwise operators on bigints, as metamethods
** of the values, and the functions abs, sqrt, divmod, powmod and gcd, over
** the magnitudes of cu_bignum.c and cu_bigmont.c. Operands and results
** are values of cu_bigval.h, with its invariants.
**
** Invariants. Floor division and modulo follow Lua's rules for integers:
** '//' rounds toward minus infinity and '%' has the sign of the divisor.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_bigmont.h"
#include "cu_bignum.h"
#include "cu_bigop.h"
#include "cu_bigval.h"

static const cu_Limb one[1] = {1};


/* ---------------------------------------------------------------- operands */

/* Pushes a bigint with magnitude (a, n) and sign neg (ignored for zero). */
static cu_Big *pushmag (lua_State *L, const cu_Limb *a, size_t n, int neg) {
  cu_Big *x = cu_bigval_new(L, n);
  memcpy(x->d, a, n * sizeof(cu_Limb));
  x->n = n;
  x->neg = neg && n > 0;
  return x;
}

/* The operand at idx as an integer (an exponent, a shift count). */
static lua_Integer tosmall (lua_State *L, int idx, const char *op) {
  int fits;
  lua_Integer i = cu_bigval_toint(cu_bigval_check(L, idx, op), &fits);
  if (!fits)
    luaL_error(L, "bigint: bad operand #%d to '%s' (out of integer range)", idx, op);
  return i;
}

static int cmpbig (const cu_Big *a, const cu_Big *b) {
  int c;
  if (a->neg != b->neg)
    return a->neg ? -1 : 1;
  c = cu_bignum_cmp(a->d, a->n, b->d, b->n);
  return a->neg ? -c : c;
}


/* --------------------------------------------------------------- arithmetic */

/* Pushes a + b, with b's sign taken as bneg. */
static void pushsum (lua_State *L, const cu_Big *a, const cu_Big *b, int bneg) {
  cu_Big *r;
  if (a->n == 0 || a->neg == bneg || b->n == 0) {
    r = cu_bigval_new(L, (a->n > b->n ? a->n : b->n) + 1);
    r->n = cu_bignum_add(r->d, a->d, a->n, b->d, b->n);
    r->neg = a->n > 0 ? a->neg : bneg;
  }
  else { /* opposite signs: the larger magnitude minus the smaller, with its sign */
    int c = cu_bignum_cmp(a->d, a->n, b->d, b->n);
    const cu_Big *hi = c >= 0 ? a : b, *lo = c >= 0 ? b : a;
    r = cu_bigval_new(L, hi->n);
    r->n = cu_bignum_sub(r->d, hi->d, hi->n, lo->d, lo->n);
    r->neg = c >= 0 ? a->neg : bneg;
  }
  r->neg = r->neg && r->n > 0;
  cu_bignum_work(L, r->n);
}

static void pushproduct (lua_State *L, const cu_Big *a, const cu_Big *b) {
  cu_Big *r = cu_bigval_new(L, a->n + b->n);
  size_t ws = cu_bignum_mulscratch(a->n, b->n);
  cu_Limb *w = ws > 0 ? cu_bigval_scratch(L, ws) : NULL; /* short operands need none */
  if (a == b)
    r->n = cu_bignum_sqr(L, r->d, a->d, a->n, w);
  else
    r->n = cu_bignum_mul(L, r->d, a->d, a->n, b->d, b->n, w);
  r->neg = r->n > 0 && a->neg != b->neg;
  if (w != NULL)
    lua_pop(L, 1);
}

/*
** Pushes q = a // b and r = a % b. With A = |a|, B = |b| and A = Q*B + R
** (truncated), the floor rules are: q = Q, r = R with b's sign, when the
** signs agree or R = 0; else q = -(Q + 1) and r = B - R with b's sign.
*/
static void pushdivmod (lua_State *L, const cu_Big *a, const cu_Big *b) {
  cu_Big *q, *r;
  if (b->n == 0)
    luaL_error(L, "bigint: division by zero");
  if (cu_bignum_cmp(a->d, a->n, b->d, b->n) < 0) { /* Q = 0, R = A */
    q = cu_bigval_new(L, 2);
    r = cu_bigval_new(L, b->n);
    memcpy(r->d, a->d, a->n * sizeof(cu_Limb));
    r->n = a->n;
  }
  else {
    q = cu_bigval_new(L, a->n - b->n + 2); /* one more limb for Q + 1 */
    r = cu_bigval_new(L, b->n);
    cu_bignum_divmod(L, q->d, &q->n, r->d, &r->n, cu_bigval_scratch(L, a->n + b->n + 1), a->d, a->n,
                     b->d, b->n);
    lua_pop(L, 1);
  }
  if (a->neg != b->neg && r->n > 0) {
    q->n = cu_bignum_add(q->d, q->d, q->n, one, 1);
    r->n = cu_bignum_sub(r->d, b->d, b->n, r->d, r->n);
  }
  q->neg = q->n > 0 && a->neg != b->neg;
  r->neg = r->n > 0 && b->neg;
}

/*
** Pushes the bigint at idx raised to e >= 0, squaring from the top bit of
** e down. The result and a scratch array of its greatest size (e times
** the bits of the base) are allocated first, so a power the memory limit
** cannot hold fails at once, not after the squarings that come before;
** each product goes from one array into the other.
*/
static void pushpow (lua_State *L, int idx, lua_Integer e) {
  const cu_Big *a = (const cu_Big *)lua_touserdata(L, idx);
  size_t bits = cu_bignum_bitlen(a->d, a->n), cap, xn;
  int bit = 62;
  cu_Limb *x, *y, *t, *w;
  cu_Big *r;
  if (e == 0 || bits <= 1) { /* a^0 = 1, 0^e = 0, 1^e = 1, (-1)^e = +-1 */
    cu_bigval_pushint(L, e == 0 ? 1 : a->n == 0 ? 0 : (a->neg && (e & 1)) ? -1 : 1);
    return;
  }
  if ((uint64_t)e > (uint64_t)(CU_BN_MAXLIMBS * CU_BN_LIMBBITS) / bits)
    luaL_error(L, "bigint: number too large");
  cap = bits * (size_t)e / CU_BN_LIMBBITS + 3; /* + 3: the untrimmed sizes products ask for */
  r = cu_bigval_new(L, cap);
  x = r->d;
  y = cu_bigval_scratch(L, cap);
  w = cu_bigval_scratch(L, cu_bignum_mulscratch(cap / 2 + 2, cap / 2 + 2) +
                             cu_bignum_mulscratch(cap, a->n));
  memcpy(x, a->d, a->n * sizeof(cu_Limb));
  xn = a->n;
  while (!((e >> bit) & 1)) bit--;
  while (bit-- > 0) { /* x = a^(e >> bit) so far */
    xn = cu_bignum_sqr(L, y, x, xn, w);
    t = x, x = y, y = t;
    if ((e >> bit) & 1) {
      xn = cu_bignum_mul(L, y, x, xn, a->d, a->n, w);
      t = x, x = y, y = t;
    }
  }
  if (x != r->d)
    memcpy(r->d, x, xn * sizeof(cu_Limb));
  lua_pop(L, 2);
  r->n = xn;
  r->neg = a->neg && (e & 1);
}

/* ---------------------------------------------------------------- operators */

static int big_add (lua_State *L) {
  const cu_Big *a = cu_bigval_check(L, 1, "+"), *b = cu_bigval_check(L, 2, "+");
  pushsum(L, a, b, b->neg);
  return 1;
}

static int big_sub (lua_State *L) {
  const cu_Big *a = cu_bigval_check(L, 1, "-"), *b = cu_bigval_check(L, 2, "-");
  pushsum(L, a, b, b->n > 0 && !b->neg);
  return 1;
}

static int big_mul (lua_State *L) {
  pushproduct(L, cu_bigval_check(L, 1, "*"), cu_bigval_check(L, 2, "*"));
  return 1;
}

static int big_idiv (lua_State *L) {
  pushdivmod(L, cu_bigval_check(L, 1, "//"), cu_bigval_check(L, 2, "//"));
  lua_pop(L, 1);
  return 1;
}

static int big_mod (lua_State *L) {
  pushdivmod(L, cu_bigval_check(L, 1, "%"), cu_bigval_check(L, 2, "%"));
  return 1;
}

static int big_div (lua_State *L) {
  return luaL_error(L, "bigint: '/' is not defined for bigint (use '//', or tonumber)");
}

static int big_pow (lua_State *L) {
  lua_Integer e;
  cu_bigval_check(L, 1, "^");
  e = tosmall(L, 2, "^");
  if (e < 0)
    return luaL_error(L, "bigint: negative exponent");
  pushpow(L, 1, e);
  return 1;
}

static int big_unm (lua_State *L) {
  const cu_Big *a = cu_bigval_check(L, 1, "unary -");
  pushmag(L, a->d, a->n, !a->neg);
  return 1;
}

/* Lua asks only when both are full userdata: another kind of userdata is just unequal. */
static int big_eq (lua_State *L) {
  const cu_Big *a = (const cu_Big *)luaL_testudata(L, 1, CU_BIGVAL_META);
  const cu_Big *b = (const cu_Big *)luaL_testudata(L, 2, CU_BIGVAL_META);
  lua_pushboolean(L, a != NULL && b != NULL && cmpbig(a, b) == 0);
  return 1;
}

static int big_lt (lua_State *L) {
  lua_pushboolean(L, cmpbig(cu_bigval_check(L, 1, "<"), cu_bigval_check(L, 2, "<")) < 0);
  return 1;
}

static int big_le (lua_State *L) {
  lua_pushboolean(L, cmpbig(cu_bigval_check(L, 1, "<="), cu_bigval_check(L, 2, "<=")) <= 0);
  return 1;
}

/* The operand at idx as a non-negative bigint, for the bitwise operators. */
static const cu_Big *tobits (lua_State *L, int idx, const char *op) {
  const cu_Big *x = cu_bigval_check(L, idx, op);
  if (x->neg)
    luaL_error(L, "bigint: bad operand #%d to '%s' (negative: bitwise operators need values >= 0)",
               idx, op);
  return x;
}

static int bitwise (lua_State *L, char op) {
  const char name[2] = {op, '\0'};
  const cu_Big *a = tobits(L, 1, name), *b = tobits(L, 2, name);
  size_t n = op == '&' ? (a->n < b->n ? a->n : b->n) : (a->n > b->n ? a->n : b->n), i;
  cu_Big *r = cu_bigval_new(L, n);
  for (i = 0; i < n; i++) {
    cu_Limb x = i < a->n ? a->d[i] : 0, y = i < b->n ? b->d[i] : 0;
    r->d[i] = op == '&' ? x & y : op == '|' ? x | y : x ^ y;
  }
  r->n = cu_bignum_trim(r->d, n);
  cu_bignum_work(L, n);
  return 1;
}

static int big_band (lua_State *L) {
  return bitwise(L, '&');
}

static int big_bor (lua_State *L) {
  return bitwise(L, '|');
}

static int big_bxor (lua_State *L) {
  return bitwise(L, '~');
}

static int big_bnot (lua_State *L) {
  return luaL_error(L, "bigint: unary '~' is not defined for bigint (it has no fixed width)");
}

/* a << k for left, else a >> k; a negative k shifts the other way, as in Lua. */
static int shift (lua_State *L, int left, const char *op) {
  const cu_Big *a = tobits(L, 1, op);
  lua_Integer k = tosmall(L, 2, op);
  uint64_t bits = k >= 0 ? (uint64_t)k : (uint64_t)0 - (uint64_t)k;
  cu_Big *r;
  if (k < 0)
    left = !left;
  if (a->n == 0 || (!left && bits / CU_BN_LIMBBITS >= a->n))
    r = cu_bigval_new(L, 0);
  else if (left) {
    if (bits > (uint64_t)CU_BN_MAXLIMBS * CU_BN_LIMBBITS)
      return luaL_error(L, "bigint: number too large");
    r = cu_bigval_new(L, a->n + (size_t)bits / CU_BN_LIMBBITS + 1);
    r->n = cu_bignum_shl(r->d, a->d, a->n, (size_t)bits);
  }
  else {
    r = cu_bigval_new(L, a->n - (size_t)bits / CU_BN_LIMBBITS);
    r->n = cu_bignum_shr(r->d, a->d, a->n, (size_t)bits);
  }
  cu_bignum_work(L, r->n);
  return 1;
}

static int big_shl (lua_State *L) {
  return shift(L, 1, "<<");
}

static int big_shr (lua_State *L) {
  return shift(L, 0, ">>");
}


/* ------------------------------------------------------------ the functions */

static int big_divmod (lua_State *L) {
  pushdivmod(L, cu_bigval_check(L, 1, "divmod"), cu_bigval_check(L, 2, "divmod"));
  return 2;
}

static int big_abs (lua_State *L) {
  const cu_Big *x = cu_bigval_check(L, 1, "abs");
  if (x->neg)
    pushmag(L, x->d, x->n, 0);
  else
    lua_settop(L, 1);
  return 1;
}

/* The floor of the square root (cu_bignum_sqrt). */
static int big_sqrt (lua_State *L) {
  const cu_Big *a = cu_bigval_check(L, 1, "sqrt");
  cu_Big *x;
  if (a->neg)
    return luaL_error(L, "bigint.sqrt: negative argument");
  x = cu_bigval_new(L, a->n + 1);
  x->n = cu_bignum_sqrt(L, x->d, a->d, a->n, cu_bigval_scratch(L, 5 * a->n + 5));
  lua_pop(L, 1);
  return 1;
}

/* powmod(b, e, m) = b^e mod m, e >= 0, with the sign of m like '%'. */
static int big_powmod (lua_State *L) {
  const cu_Big *b = cu_bigval_check(L, 1, "powmod"), *e = cu_bigval_check(L, 2, "powmod"),
               *m = cu_bigval_check(L, 3, "powmod");
  size_t mn = m->n, bn;
  cu_Limb *base, *w;
  cu_Big *r;
  if (mn == 0)
    return luaL_error(L, "bigint.powmod: modulus is zero");
  if (e->neg)
    return luaL_error(L, "bigint.powmod: negative exponent");
  r = cu_bigval_new(L, mn);
  base = cu_bigval_scratch(L, mn);
  w = cu_bigval_scratch(L, b->n + mn + 1 + cu_bigmont_scratch(mn, e->n));
  bn = cu_bignum_mod(L, base, b->d, b->n, m->d, mn, w); /* the base in [0, |m|) */
  if (b->neg && bn > 0)
    bn = cu_bignum_sub(base, m->d, mn, base, bn);
  r->n = cu_bigmont_powmod(L, r->d, base, bn, e->d, e->n, m->d, mn, w);
  if (m->neg && r->n > 0) { /* r in [0, |m|) becomes r - |m| in (m, 0) */
    r->n = cu_bignum_sub(r->d, m->d, mn, r->d, r->n);
    r->neg = 1;
  }
  lua_pop(L, 2);
  return 1;
}

/* gcd(a, b) >= 0; gcd(0, 0) = 0. */
static int big_gcd (lua_State *L) {
  const cu_Big *a = cu_bigval_check(L, 1, "gcd"), *b = cu_bigval_check(L, 2, "gcd");
  size_t n = a->n > b->n ? a->n : b->n;
  cu_Big *g = cu_bigval_new(L, n);
  g->n = cu_bignum_gcd(L, g->d, a->d, a->n, b->d, b->n, cu_bigval_scratch(L, 4 * n + 1));
  lua_pop(L, 1);
  return 1;
}


/* --------------------------------------------------------------- the tables */

/* The sizes are those of cu_bigop.h, which cu_bigint.c counts on. */
const luaL_Reg cu_bigop_metamethods[] = {
  {"__add",  big_add },
  {"__sub",  big_sub },
  {"__mul",  big_mul },
  {"__idiv", big_idiv},
  {"__mod",  big_mod },
  {"__div",  big_div },
  {"__pow",  big_pow },
  {"__unm",  big_unm },
  {"__eq",   big_eq  },
  {"__lt",   big_lt  },
  {"__le",   big_le  },
  {"__band", big_band},
  {"__bor",  big_bor },
  {"__bxor", big_bxor},
  {"__bnot", big_bnot},
  {"__shl",  big_shl },
  {"__shr",  big_shr },
  {NULL,     NULL    }
};

const luaL_Reg cu_bigop_functions[] = {
  {"abs",    big_abs   },
  {"sqrt",   big_sqrt  },
  {"divmod", big_divmod},
  {"powmod", big_powmod},
  {"gcd",    big_gcd   },
  {NULL,     NULL      }
};
