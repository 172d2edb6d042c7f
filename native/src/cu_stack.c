/*
** cu_stack.c - the shim's stack check (cu_stack.h). It reads the size of
** a thread's stack from Lua's internals (lstate.h), which the API does not
** give: lua_checkstack answers 0 both when the stack would pass
** LUAI_MAXSTACK and when the allocator refused the bigger stack.
*/
#include "lua.h"
#include "lauxlib.h"
#include "ldo.h"
#include "lstate.h"

#include "cu_stack.h"

#if LUA_VERSION_RELEASE_NUM != 50407
#error "cu_stack.c reads Lua 5.4.7's internals: check them against this release"
#endif


void cu_stack_check (lua_State *L, int n, const char *msg) {
  if (lua_checkstack(L, n))
    return;
  if ((L->top.p - L->stack.p) + n <= LUAI_MAXSTACK) /* not an overflow: the memory limit */
    luaD_throw(L, LUA_ERRMEM);
  luaL_error(L, "stack overflow (%s)", msg);
}
