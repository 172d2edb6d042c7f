/*
** cu_coro.h - the coroutine library's stoppable resume, wrap and close
** (cu_coro.c).
*/
#ifndef cu_coro_h
#define cu_coro_h

#include "lua.h"

/*
** Resumes 'co' with the top 'narg' values of L, as coroutine.resume does.
** Returns the number of results, moved to L, or -1 with the error value at
** L's top. Never raises.
*/
int cu_coro_resume (lua_State *L, lua_State *co, int narg);

/* Replaces resume, wrap and close in the coroutine table at the top of L. */
void cu_coro_open (lua_State *L);

#endif
