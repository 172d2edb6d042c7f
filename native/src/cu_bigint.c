/*
** cu_bigint.c - the 'bigint' module: signed arbitrary-precision integers
** for scripts, over the magnitudes of cu_bignum.c. Values first, then
** the operators, then text and numbers, then the module table. The
** values' layout and the helpers that make and read them are in
** cu_bigval.h, with their invariants.
**
** Invariants. Floor division and modulo follow Lua's rules for integers:
** '//' rounds toward minus infinity and '%' has the sign of the divisor.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_bigint.h"
#include "cu_bigmont.h"
#include "cu_bignum.h"
#include "cu_bigtext.h"
#include "cu_bigval.h"

static const cu_Limb one[1] = {1};


/* ------------------------------------------------------------------ values */

static void pushmeta (lua_State *L);

/* Pushes a bigint with magnitude (a, n) and sign neg (ignored for zero). */
static cu_Big *pushmag (lua_State *L, const cu_Limb *a, size_t n, int neg) {
  cu_Big *x = cu_bigval_new(L, n);
  memcpy(x->d, a, n * sizeof(cu_Limb));
  x->n = n;
  x->neg = neg && n > 0;
  return x;
}

int cu_bigint_is (lua_State *L, int idx) {
  return luaL_testudata(L, idx, CU_BIGVAL_META) != NULL;
}

const cu_Limb *cu_bigint_get (lua_State *L, int idx, size_t *n, int *neg) {
  const cu_Big *x = (const cu_Big *)luaL_testudata(L, idx, CU_BIGVAL_META);
  if (x == NULL)
    return NULL;
  *n = x->n;
  *neg = x->neg;
  return x->d;
}

cu_Limb *cu_bigint_new (lua_State *L, size_t cap) {
  cu_Big *x;
  if (cap > CU_BN_MAXLIMBS)
    luaL_error(L, "bigint: number too large");
  x = (cu_Big *)lua_newuserdatauv(L, sizeof(cu_Big) + cap * sizeof(cu_Limb), 0);
  x->n = 0;
  x->neg = 0;
  memset(x->d, 0, cap * sizeof(cu_Limb));
  pushmeta(L);
  lua_setmetatable(L, -2);
  return x->d;
}

void cu_bigint_fix (lua_State *L, int idx, size_t n, int neg) {
  cu_Big *x = (cu_Big *)lua_touserdata(L, idx);
  x->n = cu_bignum_trim(x->d, n);
  x->neg = neg && x->n > 0;
}

/*
** -1 - m has the magnitude m + 1, one limb longer than m only when m's
** limbs are all ones (or m is 0): the room for that limb is taken unless
** m has the most limbs a value may have, and then such a carry is refused.
*/
void cu_bigint_pushbytes (lua_State *L, const unsigned char *p, size_t len, int neg) {
  size_t n, cap, i;
  cu_Limb *a;
  while (len > 0 && *p == 0) {
    p++;
    len--;
  }
  n = len / sizeof(cu_Limb) + (len % sizeof(cu_Limb) != 0);
  cap = (neg && n < CU_BN_MAXLIMBS) ? n + 1 : n;
  a = cu_bigint_new(L, cap); /* raises beyond CU_BN_MAXLIMBS */
  for (i = 0; i < len; i++)  /* byte i from the least significant end */
    a[i / sizeof(cu_Limb)] |= (cu_Limb)p[len - 1 - i] << (8 * (i % sizeof(cu_Limb)));
  n = cu_bignum_trim(a, n);
  if (neg) { /* m + 1 in place */
    for (i = 0; i < n && ++a[i] == 0; i++)
      ;
    if (i == n) { /* the carry leaves the n limbs: m was 0 or all ones */
      if (n == cap)
        luaL_error(L, "bigint: number too large");
      a[n++] = 1;
    }
  }
  cu_bigint_fix(L, -1, n, neg);
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



/* --------------------------------------------------------- text and numbers */

static void pushtext (lua_State *L, const cu_Big *x, int base) {
  size_t size, count;
  cu_Limb *t;
  char *buf;
  if (x->n == 0) {
    lua_pushliteral(L, "0");
    return;
  }
  size = cu_bigtext_maxdigits(cu_bignum_bitlen(x->d, x->n), base) + 1; /* + 1: the sign */
  t = cu_bigval_scratch(L, x->n);
  memcpy(t, x->d, x->n * sizeof(cu_Limb));
  buf = (char *)lua_newuserdatauv(L, size, 0);
  count = cu_bigtext_todigits(L, buf, size, t, x->n, base);
  if (x->neg)
    buf[size - ++count] = '-';
  lua_pushlstring(L, buf + size - count, count);
  lua_replace(L, -3);
  lua_pop(L, 1);
}

/* Pushes the bigint that s (len bytes) writes in base (0: 10, or 16 after "0x"). */
static void pushparse (lua_State *L, const char *s, size_t len, int base) {
  cu_BigScan sc;
  size_t bad;
  cu_Big *x;
  sc.base = base;
  bad = cu_bigtext_scan(L, s, len, &sc);
  if (bad > len)
    luaL_error(L, "bigint.new: no digits at position %I", (lua_Integer)bad);
  else if (bad > 0)
    luaL_error(L, "bigint.new: invalid digit at position %I for base %d", (lua_Integer)bad,
               sc.base);
  x = cu_bigval_new(L, cu_bigtext_limbsfor(len - sc.start, sc.base));
  x->n = cu_bigtext_fromdigits(L, x->d, s + sc.start, len - sc.start, sc.base);
  x->neg = sc.neg && x->n > 0;
}

/* The base at idx: 10 when absent. */
static int checkbase (lua_State *L, int idx) {
  lua_Integer base = luaL_optinteger(L, idx, 10);
  luaL_argcheck(L, 2 <= base && base <= 36, idx, "base out of range");
  return (int)base;
}

/* bigint.new(v [, base]): v an integer, a string (in base), or a bigint (itself). */
static int big_new (lua_State *L) {
  size_t len;
  const char *s;
  if (lua_isnoneornil(L, 2)) {
    switch (lua_type(L, 1)) {
      case LUA_TSTRING:
        s = lua_tolstring(L, 1, &len);
        pushparse(L, s, len, 0);
        return 1;
      case LUA_TNUMBER: {
        int isint;
        lua_tointegerx(L, 1, &isint);
        if (!isint)
          return luaL_argerror(L, 1, "number has no integer representation");
        cu_bigval_check(L, 1, "new");
        lua_settop(L, 1);
        return 1;
      }
      default:
        if (cu_bigint_is(L, 1)) {
          lua_settop(L, 1);
          return 1;
        }
        return luaL_typeerror(L, 1, "integer, string or bigint");
    }
  }
  luaL_checktype(L, 1, LUA_TSTRING);
  s = lua_tolstring(L, 1, &len);
  pushparse(L, s, len, checkbase(L, 2));
  return 1;
}

static int big_isbigint (lua_State *L) {
  lua_pushboolean(L, cu_bigint_is(L, 1));
  return 1;
}

/* x:tostring([base]), and __tostring. */
static int big_tostring (lua_State *L) {
  const cu_Big *x = cu_bigval_check(L, 1, "tostring");
  pushtext(L, x, checkbase(L, 2));
  return 1;
}

static int big_tointeger (lua_State *L) {
  int fits;
  lua_Integer i = cu_bigval_toint(cu_bigval_check(L, 1, "tointeger"), &fits);
  if (!fits)
    return luaL_error(L, "bigint.tointeger: value out of integer range");
  lua_pushinteger(L, i);
  return 1;
}

static int big_tonumber (lua_State *L) {
  const cu_Big *x = cu_bigval_check(L, 1, "tonumber");
  double f = cu_bigtext_tofloat(x->d, x->n);
  lua_pushnumber(L, (lua_Number)(x->neg ? -f : f));
  return 1;
}

/* a .. b: a bigint is written in decimal; strings and numbers as Lua writes them. */
static int big_concat (lua_State *L) {
  for (int i = 1; i <= 2; i++) {
    if (cu_bigint_is(L, i)) {
      pushtext(L, (const cu_Big *)lua_touserdata(L, i), 10);
      lua_replace(L, i);
    }
    else if (!lua_isstring(L, i))
      return luaL_error(L, "attempt to concatenate a %s value", luaL_typename(L, i));
  }
  lua_concat(L, 2);
  return 1;
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


/* --------------------------------------------------------------- the module */

static const luaL_Reg metamethods[] = {
  {"__add",      big_add     },
  {"__sub",      big_sub     },
  {"__mul",      big_mul     },
  {"__idiv",     big_idiv    },
  {"__mod",      big_mod     },
  {"__div",      big_div     },
  {"__pow",      big_pow     },
  {"__unm",      big_unm     },
  {"__eq",       big_eq      },
  {"__lt",       big_lt      },
  {"__le",       big_le      },
  {"__band",     big_band    },
  {"__bor",      big_bor     },
  {"__bxor",     big_bxor    },
  {"__bnot",     big_bnot    },
  {"__shl",      big_shl     },
  {"__shr",      big_shr     },
  {"__tostring", big_tostring},
  {"__concat",   big_concat  },
  {NULL,         NULL        }
};

/* Methods of the values, and functions of the module too. */
static const luaL_Reg methods[] = {
  {"tostring",  big_tostring },
  {"tointeger", big_tointeger},
  {"tonumber",  big_tonumber },
  {"abs",       big_abs      },
  {"sqrt",      big_sqrt     },
  {"divmod",    big_divmod   },
  {"powmod",    big_powmod   },
  {"gcd",       big_gcd      },
  {NULL,        NULL         }
};

/*
** Pushes the values' metatable, made at the first call in the state: by
** cu_bigint_open, or by the decoder when a bigint arrives before any
** require('bigint') (cu_bigint_new). It is registered only once complete,
** so a memory error while making it leaves no half-made metatable behind.
*/
static void pushmeta (lua_State *L) {
  if (luaL_getmetatable(L, CU_BIGVAL_META) == LUA_TTABLE)
    return;
  lua_pop(L, 1);
  lua_createtable(L, 0, (int)(sizeof metamethods / sizeof metamethods[0]) + 3);
  luaL_setfuncs(L, metamethods, 0);
  luaL_newlib(L, methods);
  lua_setfield(L, -2, "__index");
  lua_pushliteral(L, "bigint"); /* for messages: "bigint expected, got ..." */
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, "bigint"); /* getmetatable's answer: scripts cannot reach the metatable */
  lua_setfield(L, -2, "__metatable");
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, CU_BIGVAL_META);
}

int cu_bigint_open (lua_State *L) {
  pushmeta(L);
  lua_pop(L, 1);
  luaL_newlib(L, methods);
  lua_pushcfunction(L, big_new);
  lua_setfield(L, -2, "new");
  lua_pushcfunction(L, big_isbigint);
  lua_setfield(L, -2, "isbigint");
  return 1;
}
