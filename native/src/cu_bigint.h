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

#include "lua.h"

/*
** A lua_CFunction, like a luaopen_ function: pushes the module table.
** The metatable of the values is created on the first call and shared
** by every later one in the same state.
*/
int cu_bigint_open (lua_State *L);

/* Whether the value at idx is a bigint. Does not raise. */
int cu_bigint_is (lua_State *L, int idx);

#endif
