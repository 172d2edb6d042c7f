/*
** cu_io.h - the _io table: structured input and output between Java and
** Lua, kept in the VM only (cu_io.c).
*/
#ifndef cu_io_h
#define cu_io_h

#include "cu_core.h"

void cu_io_open (lua_State *L, cu_State *S);

/*
** If the value at idx is the _io proxy, pushes its content and returns
** 1; else returns 0 and pushes nothing. Does not raise.
*/
int cu_io_view (lua_State *L, int idx);

#endif
