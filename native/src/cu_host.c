/*
** cu_host.c - host functions: Java functions callable from Lua through
** the cu_HostFn upcall (cu_jni.h). Arguments and results cross in the slots when
** they are scalars (cu_slots.h), else as CBOR arrays.
*/
#include <string.h>

#include "cu_core.h"
#include "cu_value.h"
#include "cu_valuedec.h"
#include "cu_slots.h"
#include "cu_perm.h"
#include "cu_host.h"
#include "cu_jni.h"


int cu_host_results (lua_State *L, cu_State *S, int r) {
  if (r == CU_HOST_SLOTS && S->slots != NULL) {
    lua_settop(L, 0);
    return cu_slots_push(L, S->slots);
  }
  if (r != 0) {
    luaL_where(L, 1);
    lua_pushlstring(L, (const char *)S->up.reply, S->up.replylen);
    lua_concat(L, 2);
    return cu_upcall_raise(L, S);
  }
  lua_settop(L, 0);
  if (S->up.replylen == 0)
    return 0;
  return cu_valuedec_args(L, S->up.reply, S->up.replylen, S->codec);
}

/*
** The Lua side of every host function; upvalue 1 is its index. Scalar
** arguments and results cross in the slots when Java made one (Java reads
** the arguments before anything else can use the slots, C pushes the
** results before anything else can); the others as CBOR.
*/
static int host_call (lua_State *L) {
  cu_State *S = cu_getstate(L);
  cu_Slots *f = S->slots;
  int32_t fn = (int32_t)lua_tointeger(L, lua_upvalueindex(1));
  int n = lua_gettop(L), mark = S->href.nfresh, r;
  if (!cu_jni_hashost(S))
    return luaL_error(L, "host functions are not available");
  S->up.replylen = 0;
  if (f != NULL && cu_slots_put(L, f, 1, n))
    r = cu_jni_host(S, fn, NULL, 0);
  else {
    cu_buf_reset(L, &S->buf.args);
    cu_value_encodelist(L, &S->buf.args, 1, n, S->codec);
    S->href.nfresh = mark; /* the handles among the arguments are Java's now */
    r = cu_jni_host(S, fn, S->buf.args.p, S->buf.args.n);
  }
  return cu_host_results(L, S, r);
}


typedef struct RegArgs {
  const char *path;
  int32_t fn;
  int status;
} RegArgs;

/*
** Pushes the closure of host function a->fn, storable by the name a->path.
** Registering a path again with the same index pushes the closure made the
** first time, so re-registering never grows the table of permanents.
*/
static void pushclosure (lua_State *L, RegArgs *a) {
  cu_State *S = cu_getstate(L);
  lua_pushstring(L, a->path);
  if (cu_perm_func(L, S, -1) == LUA_TFUNCTION && lua_tocfunction(L, -1) == host_call) {
    lua_getupvalue(L, -1, 1);
    if (lua_tointeger(L, -1) == a->fn) {
      lua_pop(L, 1);
      lua_remove(L, -2); /* the path */
      return;
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 2);
  lua_pushinteger(L, a->fn);
  lua_pushcclosure(L, host_call, 1);
  cu_perm_add(L, S, -1, a->path); /* storable by name */
}

static int pregister (lua_State *L) {
  RegArgs *a = (RegArgs *)lua_touserdata(L, 1);
  const char *p = a->path, *dot;
  lua_pushglobaltable(L);
  while ((dot = strchr(p, '.')) != NULL) {
    lua_pushlstring(L, p, (size_t)(dot - p));
    lua_pushvalue(L, -1);
    switch (lua_rawget(L, -3)) {
      case LUA_TTABLE: break;
      case LUA_TNIL:
        lua_pop(L, 1);
        lua_newtable(L);
        lua_pushvalue(L, -2);
        lua_pushvalue(L, -2);
        lua_rawset(L, -5);
        break;
      default: a->status = CU_ERRARG; return 0;
    }
    lua_remove(L, -2);
    lua_remove(L, -2);
    p = dot + 1;
  }
  pushclosure(L, a);
  lua_setfield(L, -2, p);
  a->status = CU_OK;
  return 0;
}


CU_API int cu_host_register (cu_State *S, const char *path, int32_t fn) {
  RegArgs a;
  a.path = path;
  a.fn = fn;
  a.status = CU_ERRMEM;
  if (cu_protect(S, pregister, &a) != LUA_OK)
    return CU_ERRMEM;
  return a.status;
}


CU_API void cu_host_setfn (cu_State *S, cu_HostFn fn) {
  S->up.hostfn = fn;
}
