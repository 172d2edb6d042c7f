/*
** cu_bigint.c - the 'bigint' module (cu_bigint.h): signed arbitrary-
** precision integers for scripts. Here: the values as the codecs make
** and read them, text and numbers (new, tostring, tointeger, tonumber,
** '..'), and the module table with the values' metatable. The operators
** and the arithmetic functions are in cu_bigop.c; the values' layout and
** the helpers that make and read them, with their invariants, are in
** cu_bigval.h.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_bigint.h"
#include "cu_bignum.h"
#include "cu_bigop.h"
#include "cu_bigtext.h"
#include "cu_bigval.h"


/* ------------------------------------------------------------------ values */

static void pushmeta (lua_State *L);

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


/* --------------------------------------------------------------- the module */

/* The metamethods of text; cu_bigop_metamethods has the operators'. */
static const luaL_Reg metamethods[] = {
  {"__tostring", big_tostring},
  {"__concat",   big_concat  },
  {NULL,         NULL        }
};

/* The methods of text and numbers; cu_bigop_functions has the arithmetic. */
static const luaL_Reg methods[] = {
  {"tostring",  big_tostring },
  {"tointeger", big_tointeger},
  {"tonumber",  big_tonumber },
  {NULL,        NULL         }
};

/* The functions of a luaL_Reg list, without the {NULL, NULL} that ends it. */
#define NFUNCS(l) ((int)(sizeof(l) / sizeof((l)[0])) - 1)

/* Pushes a new table of the values' methods, which are functions of the module too. */
static void pushmethods (lua_State *L) {
  luaL_checkversion(L);
  lua_createtable(L, 0, NFUNCS(methods) + NFUNCS(cu_bigop_functions));
  luaL_setfuncs(L, methods, 0);
  luaL_setfuncs(L, cu_bigop_functions, 0);
}

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
  /* + 3: __index, __name and __metatable */
  lua_createtable(L, 0, NFUNCS(cu_bigop_metamethods) + NFUNCS(metamethods) + 3);
  luaL_setfuncs(L, cu_bigop_metamethods, 0);
  luaL_setfuncs(L, metamethods, 0);
  pushmethods(L);
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
  pushmethods(L);
  lua_pushcfunction(L, big_new);
  lua_setfield(L, -2, "new");
  lua_pushcfunction(L, big_isbigint);
  lua_setfield(L, -2, "isbigint");
  return 1;
}
