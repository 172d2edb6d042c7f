/*
** cu_coro.h - the coroutine library's stoppable resume, wrap and close
** (cu_coro.c).
*/
#ifndef cu_coro_h
#define cu_coro_h

#include "lua.h"

/* Replaces resume, wrap and close in the coroutine table at the top of L. */
void cu_coro_open (lua_State *L);

#endif
