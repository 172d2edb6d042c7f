/*
** cu_bigval.h - the values of the 'bigint' module (cu_bigint.h): the
** userdata that holds one, and the helpers that every file of the module
** uses to make values and to read operands. The helpers run once or twice
** per operation, so each file has its own copies, not calls into another
** file. They are static, not inline: the compiler inlines them, or not, by
** its rules for a file's own static functions (with gcc, cu_bigval_new
** and cu_bigval_check stay calls, which keeps each operator short), and
** a link-time optimized build folds the copies into one.
**
** Invariants. A bigint is a full userdata with metatable CU_BIGVAL_META
** holding a cu_Big: a sign and a trimmed magnitude (cu_bignum.h). Values
** are immutable once pushed, so operations share them freely. Results and
** scratch arrays are userdata on the stack while in use, so a collection
** inside an allocation frees none of them, and a failed allocation or a
** stop leaves only garbage. An operand that is a Lua number is converted
** to a bigint in its own stack slot (lua_replace), which anchors it.
*/
#ifndef cu_bigval_h
#define cu_bigval_h

#include <stddef.h>
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_bignum.h"
#include "cu_conf.h"
#include "cu_json.h"

#define CU_BIGVAL_META CU_JSON_BIGINT /* registry key of the values' metatable */

/* A bigint: the value is (neg ? -1 : 1) * (d, n). Zero has neg == 0. */
typedef struct cu_Big {
  size_t n;    /* limbs in use, trimmed */
  int neg;     /* 1 for a negative value */
  cu_Limb d[]; /* the magnitude, least significant limb first */
} cu_Big;

/*
** Pushes a new zero with room for 'cap' limbs. Inside the module the
** metatable exists (an operand is a bigint, or cu_bigint_open ran).
*/
static CU_UNUSED cu_Big *cu_bigval_new (lua_State *L, size_t cap) {
  cu_Big *x;
  if (cap > CU_BN_MAXLIMBS)
    luaL_error(L, "bigint: number too large");
  x = (cu_Big *)lua_newuserdatauv(L, sizeof(cu_Big) + cap * sizeof(cu_Limb), 0);
  x->n = 0;
  x->neg = 0;
  luaL_setmetatable(L, CU_BIGVAL_META);
  return x;
}

/*
** Pushes a scratch array of n limbs (a userdata without a metatable). The
** largest, powmod's (cu_bigmont_scratch), is at most about 40 numbers'
** worth, and less for huge moduli.
*/
static CU_UNUSED cu_Limb *cu_bigval_scratch (lua_State *L, size_t n) {
  if (n > 8 * CU_BN_MAXLIMBS)
    luaL_error(L, "bigint: number too large");
  return (cu_Limb *)lua_newuserdatauv(L, (n > 0 ? n : 1) * sizeof(cu_Limb), 0);
}

static CU_UNUSED cu_Big *cu_bigval_pushint (lua_State *L, lua_Integer i) {
  uint64_t m = i < 0 ? (uint64_t)0 - (uint64_t)i : (uint64_t)i;
  cu_Big *x = cu_bigval_new(L, CU_BN_U64LIMBS);
  x->n = cu_bignum_setu64(x->d, m);
  x->neg = i < 0;
  return x;
}

/*
** The bigint at idx (absolute), converting an integer, or a float with
** an integral value in the integer range, in place. 'op' names the
** operation for the message.
*/
static CU_UNUSED cu_Big *cu_bigval_check (lua_State *L, int idx, const char *op) {
  cu_Big *x = (cu_Big *)luaL_testudata(L, idx, CU_BIGVAL_META);
  if (x != NULL)
    return x;
  if (lua_type(L, idx) == LUA_TNUMBER) {
    int isint;
    lua_Integer i = lua_tointegerx(L, idx, &isint);
    if (!isint)
      luaL_error(L, "bigint: bad operand #%d to '%s' (number has no integer representation)", idx,
                 op);
    x = cu_bigval_pushint(L, i);
    lua_replace(L, idx);
    return x;
  }
  luaL_error(L, "bigint: bad operand #%d to '%s' (bigint or integer expected, got %s)", idx, op,
             luaL_typename(L, idx));
  return NULL;
}

/* The value of x as an integer, or 0 with *fits == 0 when it is out of range. */
static CU_UNUSED lua_Integer cu_bigval_toint (const cu_Big *x, int *fits) {
  uint64_t m;
  *fits = 1;
  if (!cu_bignum_getu64(x->d, x->n, &m))
    m = UINT64_MAX;
  if (!x->neg && m <= (uint64_t)LUA_MAXINTEGER)
    return (lua_Integer)m;
  if (x->neg && m <= (uint64_t)LUA_MAXINTEGER + 1)
    return m == (uint64_t)LUA_MAXINTEGER + 1 ? LUA_MININTEGER : -(lua_Integer)m;
  *fits = 0;
  return 0;
}

#endif
