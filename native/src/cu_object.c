/*
** cu_object.c - exported Java objects: a Java object whose class has
** @LuaExport methods is a full userdata in Lua, holding the object's id
** and its class index as Java gave them. Every object shares one
** metatable: __index finds the class's methods (nothing else), __tostring
** gives the class's simple name, __newindex refuses, __metatable hides it,
** __name ("Java object") names the type in Lua's messages, and __gc
** records the id for Java to drop the object (cu_object_drain).
**
** Invariants:
** - 'live' (weak values) maps an id to its userdata: one id has at most
**   one live userdata, so the same Java object is the same Lua value.
** - 'released' holds the ids whose userdata was collected and that no
**   newer userdata took again; Java drops exactly those, between runs.
**   A finalizer runs after its value left 'live', maybe after the same id
**   crossed again and got a new userdata: then the id is not released,
**   and a new userdata takes its id back out of 'released'.
** - A class's methods are asked of Java once (CU_OBJECT_DESCRIBE), at the
**   first method lookup or tostring, and kept in 'classes' as the record
**   {simple name, name -> closure}. Each closure holds its class index,
**   method index, name and the mask of the argument positions where the
**   method takes a LuaTable (those tables go as handles, the rest as
**   copies), and calls Java only for a self of its class.
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"
#include "cu_value.h"
#include "cu_valuedec.h"
#include "cu_href.h"
#include "cu_slots.h"
#include "cu_host.h"
#include "cu_object.h"
#include "cu_jni.h"

/* What an object's userdata holds. */
typedef struct Obj {
  int64_t id;  /* Java's id of the object, >= 1 */
  int32_t cls; /* Java's index of its class, >= 0 */
} Obj;

/* Registry keys (their addresses). */
static const char K_MT = 'm';       /* the objects' metatable */
static const char K_LIVE = 'l';     /* id -> userdata (weak values) */
static const char K_RELEASED = 'r'; /* id -> true: collected, for Java to drop */
static const char K_CLASSES = 'c';  /* class index -> {name, methods} */

#define TYPENAME "Java object"


/* The object at idx, or NULL when it is not one. Does not raise. */
static Obj *toobj (lua_State *L, int idx) {
  Obj *o = (Obj *)lua_touserdata(L, idx);
  int same;
  if (o == NULL || lua_type(L, idx) != LUA_TUSERDATA || !lua_getmetatable(L, idx))
    return NULL;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_MT);
  same = lua_rawequal(L, -1, -2);
  lua_pop(L, 2);
  return same ? o : NULL;
}


/*
** Pushes the record {name, methods} of class 'cls', asking Java the first
** time: its reply is [simple name, [method names]], and each method
** becomes a closure (objcall) holding (cls, index, name).
*/
static int objcall (lua_State *L);

static void pushclass (lua_State *L, int32_t cls) {
  cu_State *S = cu_getstate(L);
  int n, i, top;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_CLASSES);
  if (lua_rawgeti(L, -1, cls) == LUA_TTABLE) {
    lua_remove(L, -2);
    return;
  }
  lua_pop(L, 1);
  if (!cu_jni_hasobject(S))
    luaL_error(L, "Java objects are not available");
  S->up.replylen = 0;
  if (cu_jni_object(S, CU_OBJECT_DESCRIBE, 0, cls, 0, NULL, 0) != 0) {
    luaL_where(L, 1);
    lua_pushliteral(L, "Java object: ");
    lua_pushlstring(L, (const char *)S->up.reply, S->up.replylen);
    lua_concat(L, 3);
    cu_upcall_raise(L, S);
  }
  top = lua_gettop(L);
  n = cu_valuedec_args(L, S->up.reply, S->up.replylen, S->codec);
  if (n != 3 || lua_type(L, top + 1) != LUA_TSTRING || lua_type(L, top + 2) != LUA_TTABLE ||
      lua_type(L, top + 3) != LUA_TTABLE || lua_rawlen(L, top + 3) != lua_rawlen(L, top + 2))
    luaL_error(L, "malformed class description");
  lua_createtable(L, 2, 0); /* the record */
  lua_pushvalue(L, top + 1);
  lua_rawseti(L, -2, 1);
  lua_newtable(L); /* its methods */
  n = (int)lua_rawlen(L, top + 2);
  for (i = 1; i <= n; i++) {
    if (lua_rawgeti(L, top + 2, i) != LUA_TSTRING)
      luaL_error(L, "malformed class description");
    lua_pushinteger(L, cls);
    lua_pushinteger(L, i - 1);
    lua_pushvalue(L, -3);
    if (lua_rawgeti(L, top + 3, i) != LUA_TNUMBER || !lua_isinteger(L, -1))
      luaL_error(L, "malformed class description");
    lua_pushcclosure(L, objcall, 4);
    lua_rawset(L, -3); /* methods[name] = closure */
  }
  lua_rawseti(L, -2, 2);
  lua_replace(L, top + 1);
  lua_settop(L, top + 1);
  lua_pushvalue(L, -1);
  lua_rawseti(L, top, cls); /* classes[cls] = record */
  lua_remove(L, top);
}


/* Pushes the simple name of class 'cls'. */
static void pushclassname (lua_State *L, int32_t cls) {
  pushclass(L, cls);
  lua_rawgeti(L, -1, 1);
  lua_remove(L, -2);
}


/*
** Encodes arguments 2..n into the args buffer as one array; where bit i of
** 'tables' is set, a table argument i + 2 goes by reference (the method
** takes a LuaTable).
*/
static void encodeargs (lua_State *L, cu_State *S, int n, lua_Integer tables) {
  cu_buf_reset(L, &S->buf.args);
  if (tables == 0) {
    cu_value_encodelist(L, &S->buf.args, 2, n, S->codec);
    return;
  }
  cu_buf_head(L, &S->buf.args, CU_CBOR_ARRAY, (uint64_t)(n - 1));
  for (int i = 2; i <= n; i++) {
    if (i - 2 < 63 && (tables >> (i - 2) & 1) && lua_type(L, i) == LUA_TTABLE)
      cu_href_encodeany(L, &S->buf.args, i);
    else
      cu_value_encode(L, &S->buf.args, i, S->codec);
  }
}

/*
** A method: self (argument 1) must be an object of the closure's class;
** the other arguments go to Java in the slots when they are scalars, else
** as one array; its results come back the same ways.
*/
static int objcall (lua_State *L) {
  cu_State *S = cu_getstate(L);
  int32_t cls = (int32_t)lua_tointeger(L, lua_upvalueindex(1));
  int32_t m = (int32_t)lua_tointeger(L, lua_upvalueindex(2));
  const char *name = lua_tostring(L, lua_upvalueindex(3));
  lua_Integer tables = lua_tointeger(L, lua_upvalueindex(4));
  Obj *o = toobj(L, 1);
  int n = lua_gettop(L), mark = S->href.nfresh, r;
  if (o == NULL || o->cls != cls) { /* got: another class's name, or the type */
    if (o != NULL)
      pushclassname(L, o->cls);
    else
      lua_pushstring(L, luaL_typename(L, 1));
    pushclassname(L, cls);
    return luaL_error(L, "bad self for method '%s' (%s expected, got %s; call it as obj:%s(...))",
                      name, lua_tostring(L, -1), lua_tostring(L, -2), name);
  }
  if (!cu_jni_hasobject(S))
    return luaL_error(L, "Java objects are not available");
  S->up.replylen = 0;
  if (S->slots != NULL && cu_slots_put(L, S->slots, 2, n)) /* scalars: no CBOR, as cu_host */
    r = cu_jni_object(S, CU_OBJECT_CALL, o->id, cls, m, NULL, 0);
  else {
    encodeargs(L, S, n, tables);
    S->href.nfresh = mark; /* the handles among the arguments are Java's now */
    r = cu_jni_object(S, CU_OBJECT_CALL, o->id, cls, m, S->buf.args.p, S->buf.args.n);
  }
  return cu_host_results(L, S, r); /* a method answers like a host function */
}


/* __index: the class's method of that name, nil for anything else. */
static int objindex (lua_State *L) {
  Obj *o = toobj(L, 1);
  if (o == NULL || lua_type(L, 2) != LUA_TSTRING)
    return 0;
  pushclass(L, o->cls);
  lua_rawgeti(L, -1, 2);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  return 1;
}


static int objnewindex (lua_State *L) {
  return luaL_error(L, "cannot set a field of a " TYPENAME);
}


static int objtostring (lua_State *L) {
  Obj *o = toobj(L, 1);
  if (o == NULL)
    return luaL_error(L, TYPENAME " expected");
  pushclassname(L, o->cls);
  return 1;
}


/*
** __gc: records the id for Java, unless a newer userdata took it. Cannot
** raise but on a memory error, which Lua turns into a warning: the object
** then stays with Java until the unit closes.
*/
static int objgc (lua_State *L) {
  Obj *o = toobj(L, 1);
  if (o == NULL)
    return 0;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_LIVE);
  if (lua_rawgeti(L, -1, o->id) == LUA_TNIL) {
    lua_rawgetp(L, LUA_REGISTRYINDEX, &K_RELEASED);
    lua_pushboolean(L, 1);
    lua_rawseti(L, -2, o->id);
  }
  return 0;
}


static void newweak (lua_State *L, const void *key, const char *mode) {
  lua_newtable(L);
  if (mode != NULL) {
    lua_createtable(L, 0, 1);
    lua_pushstring(L, mode);
    lua_setfield(L, -2, "__mode");
    lua_setmetatable(L, -2);
  }
  lua_rawsetp(L, LUA_REGISTRYINDEX, key);
}


void cu_object_open (lua_State *L) {
  static const luaL_Reg meta[] = {
    {"__index",    objindex   },
    {"__newindex", objnewindex},
    {"__tostring", objtostring},
    {"__gc",       objgc      },
    {NULL,         NULL       }
  };
  luaL_newlibtable(L, meta);
  luaL_setfuncs(L, meta, 0);
  lua_pushliteral(L, TYPENAME);
  lua_setfield(L, -2, "__name");
  lua_pushliteral(L, TYPENAME);
  lua_setfield(L, -2, "__metatable");
  lua_rawsetp(L, LUA_REGISTRYINDEX, &K_MT);
  newweak(L, &K_LIVE, "v");
  newweak(L, &K_RELEASED, NULL);
  newweak(L, &K_CLASSES, NULL);
}


int cu_object_tag (lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud) {
  uint64_t id, cls;
  Obj *o;
  (void)depth;
  (void)ud;
  if (tag != CU_TAG_OBJECT)
    return 0;
  if (cu_valuedec_head(L, r, CU_CBOR_ARRAY, "an object needs [id, class]") != 2)
    cu_valuedec_bad(L, "an object needs [id, class]");
  id = cu_valuedec_id(L, r);
  cls = cu_valuedec_head(L, r, CU_CBOR_UINT, "an object's class needs an unsigned index");
  if (cls > INT32_MAX)
    cu_valuedec_bad(L, "object class out of range");
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_LIVE);
  if (lua_rawgeti(L, -1, (lua_Integer)id) == LUA_TUSERDATA) {
    o = (Obj *)lua_touserdata(L, -1);
    if (o->cls != (int32_t)cls)
      cu_valuedec_bad(L, "object of another class");
    lua_remove(L, -2);
    return 1;
  }
  lua_pop(L, 1);
  o = (Obj *)lua_newuserdatauv(L, sizeof(Obj), 0);
  o->id = (int64_t)id;
  o->cls = (int32_t)cls;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_MT);
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawseti(L, -3, (lua_Integer)id); /* live[id] = o */
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_RELEASED);
  lua_pushnil(L);
  lua_rawseti(L, -2, (lua_Integer)id); /* taken again: no longer released */
  lua_pop(L, 1);
  lua_remove(L, -2);
  return 1;
}


int cu_object_encode (lua_State *L, cu_Buf *b, int idx, void *ud) {
  Obj *o = toobj(L, idx);
  (void)ud;
  if (o == NULL)
    return 0;
  cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_OBJECT);
  cu_buf_head(L, b, CU_CBOR_ARRAY, 2);
  cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)o->id);
  cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)o->cls);
  return 1;
}


/* ------------------------------------------------------------ exports */

typedef struct ObjArgs {
  cu_State *S;
  const char *name;
  const unsigned char *data;
  size_t len;
  int status;
} ObjArgs;

static int pdecode (lua_State *L) {
  ObjArgs *a = (ObjArgs *)lua_touserdata(L, 1);
  cu_valuedec_value(L, a->data, a->len, a->S->codec);
  return 1;
}

static int psetglobal (lua_State *L) {
  ObjArgs *a = (ObjArgs *)lua_touserdata(L, 1);
  int st;
  lua_pushcfunction(L, pdecode);
  lua_pushlightuserdata(L, a);
  st = lua_pcall(L, 1, 1, 0);
  if (st == LUA_ERRMEM)
    lua_error(L);
  if (st != LUA_OK) {
    a->status = CU_ERRVALUE;
    cu_put_message(L, a->S, lua_tostring(L, -1));
    return 0;
  }
  lua_setglobal(L, a->name);
  cu_buf_reset(L, &a->S->buf.out);
  a->status = CU_OK;
  return 0;
}

CU_API int cu_object_setglobal (cu_State *S, const char *name, const unsigned char *data,
                                size_t len) {
  ObjArgs a;
  a.S = S;
  a.name = name;
  a.data = data;
  a.len = len;
  a.status = CU_ERRMEM;
  if (cu_protect(S, psetglobal, &a) != LUA_OK) {
    cu_set_nomem(S);
    return CU_ERRMEM;
  }
  cu_set_out(S);
  return a.status;
}


/* Encodes the released ids into the payload and starts a new set. */
static int pdrain (lua_State *L) {
  cu_State *S = cu_getstate(L);
  int n = 0;
  lua_rawgetp(L, LUA_REGISTRYINDEX, &K_RELEASED);
  lua_newtable(L); /* the ids, as a sequence */
  lua_pushnil(L);
  while (lua_next(L, -3)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_rawseti(L, -3, ++n);
  }
  cu_buf_reset(L, &S->buf.out);
  cu_buf_head(L, &S->buf.out, CU_CBOR_ARRAY, (uint64_t)n);
  for (int i = 1; i <= n; i++) {
    lua_rawgeti(L, -1, i);
    cu_buf_head(L, &S->buf.out, CU_CBOR_UINT, (uint64_t)lua_tointeger(L, -1));
    lua_pop(L, 1);
  }
  newweak(L, &K_RELEASED, NULL);
  return 0;
}

CU_API int cu_object_drain (cu_State *S) {
  if (cu_protect(S, pdrain, NULL) != LUA_OK) {
    cu_set_nomem(S);
    return CU_ERRMEM;
  }
  cu_set_out(S);
  return CU_OK;
}


CU_API void cu_object_setfn (cu_State *S, cu_ObjectFn fn) {
  S->up.objectfn = fn;
}
