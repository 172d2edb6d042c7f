/*
** cu_coro.c - the coroutine library's resume, wrap and close, replaced so
** that a stop reaches the thread that runs (cu_limits_switch names it).
** They keep Lua's results, errors and positions (docs/SANDBOX.md).
*/
#include <stdatomic.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_limits.h"
#include "cu_coro.h"


/*
** Calls lua_resume(co, L, narg) or lua_closethread(co, L) ('close'), with
** 'current' naming co meanwhile. A stop pending before or after arms the
** thread that is about to run. Returns Lua's status.
*/
static int run_thread (lua_State *L, lua_State *co, int narg, int *nres, int close) {
  lua_State *prev = cu_limits_switch(L, co);
  int st = close ? lua_closethread(co, L) : lua_resume(co, L, narg, nres);
  cu_limits_switchback(L, prev);
  return st;
}


/*
** Resumes 'co' with the top 'narg' values of L, as Lua's coroutine library
** does. Returns the number of results, moved to L, or -1 with the error
** value at L's top. Never raises. 'co' may be any thread, L itself
** included: lua_resume then refuses it and leaves only its message.
*/
static int resume (lua_State *L, lua_State *co, int narg) {
  int nres, st;
  if (!lua_checkstack(co, narg)) {
    lua_pushliteral(L, "too many arguments to resume");
    return -1;
  }
  lua_xmove(L, co, narg);
  st = run_thread(L, co, narg, &nres, 0);
  if (st != LUA_OK && st != LUA_YIELD) {
    lua_xmove(co, L, 1); /* the error (a no-op when co is L) */
    return -1;
  }
  if (!lua_checkstack(L, nres + 1)) {
    lua_pop(co, nres);
    lua_pushliteral(L, "too many results to resume");
    return -1;
  }
  lua_xmove(co, L, nres);
  return nres;
}


int cu_coro_resume (lua_State *L, lua_State *co, int narg) {
  return resume(L, co, narg);
}


/* coroutine.resume: true and the results, or false and the error. */
static int co_resume (lua_State *L) {
  lua_State *co = lua_tothread(L, 1);
  int r;
  luaL_argexpected(L, co != NULL, 1, "thread");
  r = resume(L, co, lua_gettop(L) - 1);
  if (r < 0) {
    lua_pushboolean(L, 0);
    lua_insert(L, -2);
    return 2;
  }
  lua_pushboolean(L, 1);
  lua_insert(L, -(r + 1));
  return r + 1;
}


/*
** The function coroutine.wrap returns: resumes upvalue 1, errors raise.
** Only a coroutine that died with an error is closed (its to-be-closed
** variables run on it); one that is dead, running or normal is left as
** it is, and the refusal raises like any error.
*/
static int co_wrapped (lua_State *L) {
  lua_State *co = lua_tothread(L, lua_upvalueindex(1));
  int r = resume(L, co, lua_gettop(L)), st;
  if (r >= 0)
    return r;
  st = lua_status(co);
  if (st != LUA_OK && st != LUA_YIELD) { /* it died with an error */
    st = run_thread(L, co, 0, NULL, 1);
    lua_xmove(co, L, 1); /* the error as closing left it */
  }
  if (st != LUA_ERRMEM && lua_type(L, -1) == LUA_TSTRING) {
    luaL_where(L, 1); /* where the wrapped function was called */
    lua_insert(L, -2);
    lua_concat(L, 2);
  }
  return lua_error(L);
}


static int co_wrap (lua_State *L) {
  lua_State *co;
  luaL_checktype(L, 1, LUA_TFUNCTION);
  co = lua_newthread(L);
  lua_pushvalue(L, 1);
  lua_xmove(L, co, 1);
  lua_pushcclosure(L, co_wrapped, 1);
  return 1;
}


/*
** Lua's coroutine.close: a C function without upvalues, the same in every
** state, so every open stores the same pointer (and co_close stays a
** plain C function, which the permanents share across states).
*/
static _Atomic(lua_CFunction) close_original;

/*
** coroutine.close (Lua's own, close_original), with 'current' naming the
** coroutine while its __close handlers run on it, so a stop reaches them.
** The errors Lua's would raise are raised here first, from a function
** that the script called, so they carry the same position.
*/
static int co_close (lua_State *L) {
  lua_State *co = lua_tothread(L, 1), *prev;
  lua_Debug ar;
  int n;
  luaL_argexpected(L, co != NULL, 1, "thread"); /* Lua's words */
  if (co == L)
    return luaL_error(L, "cannot close a running coroutine");
  if (lua_status(co) == LUA_OK && lua_getstack(co, 0, &ar))
    return luaL_error(L, "cannot close a normal coroutine");
  lua_pushcfunction(L, atomic_load_explicit(&close_original, memory_order_relaxed));
  lua_insert(L, 1);
  prev = cu_limits_switch(L, co);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET); /* does not raise */
  n = lua_gettop(L);
  cu_limits_switchback(L, prev);
  return n;
}


/* Replaces resume, wrap and close in the coroutine table at the top of L. */
void cu_coro_open (lua_State *L) {
  lua_pushcfunction(L, co_resume);
  lua_setfield(L, -2, "resume");
  lua_getfield(L, -1, "close");
  atomic_store_explicit(&close_original, lua_tocfunction(L, -1), memory_order_relaxed);
  lua_pop(L, 1);
  lua_pushcfunction(L, co_close);
  lua_setfield(L, -2, "close");
  lua_pushcfunction(L, co_wrap);
  lua_setfield(L, -2, "wrap");
}
