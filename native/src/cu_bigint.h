/*
** cu_bigint.h - the built-in 'bigint' module (docs/SANDBOX.md, "bigint"):
** arbitrary-precision integers as immutable full userdata, with Lua's
** operators through metamethods, written against Lua's C API only.
** Every function of the module raises a Lua error on bad input or a
** failed allocation; every block it allocates is a userdata, so the
** state's allocator counts it and nothing outlives an error except
** through Lua's collector. Long operations count their work through
** luai_loopstep (cu_loopstep.h), so the run's stops reach them.
*/
#ifndef cu_bigint_h
#define cu_bigint_h

#include <stddef.h>

#include "lua.h"

#include "cu_bignum.h"

/*
** A lua_CFunction, like a luaopen_ function: pushes the module table.
** The metatable of the values is created on the first call and shared
** by every later one in the same state.
*/
int cu_bigint_open (lua_State *L);

/* Whether the value at idx is a bigint. Does not raise. */
int cu_bigint_is (lua_State *L, int idx);

/*
** For the value converter (cu_value.c, cu_valuedec.c), which reads and writes bigints
** without the module table: the magnitude of the bigint at idx, trimmed
** (cu_bignum.h), with its length in *n and its sign in *neg (1 for a
** negative value); NULL when the value is not a bigint. Does not raise.
** The limbs stay valid while the value is on the stack.
*/
const cu_Limb *cu_bigint_get (lua_State *L, int idx, size_t *n, int *neg);

/*
** Pushes a new bigint, zero, with room for 'cap' limbs (all 0), and
** returns them for the caller to fill before the value is used; then
** cu_bigint_fix gives it its length and sign. Makes the values'
** metatable when the state has none yet, so a value read from CBOR is a
** bigint whether or not the script required the module. Raises a memory
** error, or "bigint: number too large" beyond CU_BN_MAXLIMBS limbs.
*/
cu_Limb *cu_bigint_new (lua_State *L, size_t cap);

/*
** Pushes the bigint whose magnitude m is the big-endian bytes p[0..len-1]
** (leading zero bytes allowed), or -1 - m when neg: the content of CBOR's
** tags 2 and 3. Raises a memory error, or "bigint: number too large" when
** the value needs more than CU_BN_MAXLIMBS limbs.
*/
void cu_bigint_pushbytes (lua_State *L, const unsigned char *p, size_t len, int neg);

/*
** Sets the bigint at idx, made by cu_bigint_new, to (neg ? -1 : 1) times
** its first n limbs (trimmed here; zero is never negative). Does not raise.
*/
void cu_bigint_fix (lua_State *L, int idx, size_t n, int neg);

#endif
