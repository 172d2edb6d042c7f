/*
** cu_stack.h - the shim's stack check (cu_stack.c). Not installed.
*/
#ifndef cu_stack_h
#define cu_stack_h

#include "lua.h"

/*
** [-0, +0, m|e] luaL_checkstack for the shim's modules: makes room for n
** more values, or raises. Lua reports every refused growth as a stack
** overflow; when the stack would stay under Lua's limit, the refusal was
** the allocator's (the memory limit), and this raises the memory error a
** failed allocation raises instead. Otherwise: "stack overflow (msg)".
*/
void cu_stack_check (lua_State *L, int n, const char *msg);

#endif
