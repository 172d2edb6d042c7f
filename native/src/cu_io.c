/*
** cu_io.c - the _io table: structured input and output between Java and
** Lua. _io is a proxy like an external table, but its content lives in
** the VM only (slot 'iodata') and is never persisted: Java sets and reads
** whole values with one CBOR blob each (cu_io_set, cu_io_get), so a large
** input costs one decode, not one upcall per field.
*/
#include "cu_core.h"
#include "cu_value.h"
#include "cu_valuedec.h"
#include "cu_io.h"



int cu_io_view (lua_State *L, int idx) {
  cu_State *S = cu_getstate(L);
  int is;
  if (lua_type(L, idx) != LUA_TTABLE)
    return 0;
  idx = lua_absindex(L, idx);
  cu_getref(L, S->io.proxy);
  is = lua_rawequal(L, -1, idx);
  lua_pop(L, 1);
  if (is)
    cu_getref(L, S->io.data);
  return is;
}


static int io_index (lua_State *L) {
  cu_getref(L, cu_getstate(L)->io.data);
  lua_pushvalue(L, 2);
  lua_rawget(L, -2);
  return 1;
}


static int io_newindex (lua_State *L) {
  cu_getref(L, cu_getstate(L)->io.data);
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 3);
  lua_rawset(L, -3);
  return 0;
}


static int io_len (lua_State *L) {
  cu_getref(L, cu_getstate(L)->io.data);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
  return 1;
}


static int io_next (lua_State *L) {
  lua_settop(L, 2);
  cu_getref(L, cu_getstate(L)->io.data);
  lua_pushvalue(L, 2);
  if (lua_next(L, 3))
    return 2;
  lua_pushnil(L);
  return 1;
}


static int io_pairs (lua_State *L) {
  lua_pushcfunction(L, io_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}


static const luaL_Reg io_meta[] = {
  {"__index",    io_index   },
  {"__newindex", io_newindex},
  {"__len",      io_len     },
  {"__pairs",    io_pairs   },
  {NULL,         NULL       }
};


void cu_io_open (lua_State *L, cu_State *S) {
  S->io.data = cu_newref(L, NULL);
  lua_newtable(L);
  luaL_newlib(L, io_meta);
  lua_pushliteral(L, "io table");
  lua_setfield(L, -2, "__metatable");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  S->io.proxy = luaL_ref(L, LUA_REGISTRYINDEX);
  lua_setglobal(L, "_io");
}


typedef struct IoArgs {
  cu_State *S;
  const char *key, *field;
  const unsigned char *data;
  size_t len;
  int status;
} IoArgs;


/* Pushes the table that holds the addressed slot, and the slot's key. */
static void address (lua_State *L, IoArgs *a, int create) {
  cu_getref(L, a->S->io.data);
  if (a->field != NULL) {
    if (lua_getfield(L, -1, a->key) != LUA_TTABLE) {
      lua_pop(L, 1);
      if (!create) {
        lua_pushnil(L);
        lua_remove(L, -2);
        lua_pushstring(L, a->field);
        return;
      }
      lua_newtable(L);
      lua_pushvalue(L, -1);
      lua_setfield(L, -3, a->key);
    }
    lua_remove(L, -2);
    lua_pushstring(L, a->field);
  }
  else
    lua_pushstring(L, a->key);
}


static int pdecode (lua_State *L) {
  IoArgs *a = (IoArgs *)lua_touserdata(L, 1);
  cu_valuedec_value(L, a->data, a->len, a->S->codec);
  return 1;
}


static int pencode (lua_State *L) {
  IoArgs *a = (IoArgs *)lua_touserdata(L, 1);
  int t;
  address(L, a, 0);
  t = lua_gettop(L) - 1;
  if (lua_istable(L, t)) {
    lua_pushvalue(L, -1);
    lua_rawget(L, t);
  }
  else
    lua_pushnil(L);
  cu_buf_reset(L, &a->S->buf.out);
  cu_value_encode(L, &a->S->buf.out, -1, a->S->codec);
  return 0;
}


/*
** Calls f(a) for 'nres' results. A memory error propagates; any other
** error (malformed input, a value that cannot be encoded) becomes the
** payload [message, null, null] and status CU_ERRVALUE. Returns 1 on success.
*/
static int attempt (lua_State *L, IoArgs *a, lua_CFunction f, int nres) {
  int st;
  lua_pushcfunction(L, f);
  lua_pushlightuserdata(L, a);
  st = lua_pcall(L, 1, nres, 0);
  if (st == LUA_ERRMEM)
    lua_error(L);
  if (st == LUA_OK)
    return 1;
  cu_put_message(L, a->S, lua_tostring(L, -1));
  a->status = CU_ERRVALUE;
  return 0;
}


static int pset (lua_State *L) {
  IoArgs *a = (IoArgs *)lua_touserdata(L, 1);
  address(L, a, 1); /* 2: table, 3: key */
  if (a->len == 0)
    lua_pushnil(L);
  else if (!attempt(L, a, pdecode, 1))
    return 0;
  lua_rawset(L, 2);
  cu_buf_reset(L, &a->S->buf.out);
  a->status = CU_OK;
  return 0;
}


static int pget (lua_State *L) {
  IoArgs *a = (IoArgs *)lua_touserdata(L, 1);
  if (attempt(L, a, pencode, 0))
    a->status = CU_OK;
  return 0;
}


static int pclear (lua_State *L) {
  cu_State *S = cu_getstate(L);
  lua_newtable(L);
  lua_rawseti(L, LUA_REGISTRYINDEX, S->io.data);
  return 0;
}


/* Runs f(a) protected; the payload is valid unless memory ran out. */
static int io_call (cu_State *S, IoArgs *a, lua_CFunction f) {
  if (cu_protect(S, f, a) != LUA_OK) {
    cu_set_nomem(S);
    return CU_ERRMEM;
  }
  cu_set_out(S);
  return a->status;
}


CU_API int cu_io_set (cu_State *S, const char *key, const char *field, const unsigned char *data,
                      size_t len) {
  IoArgs a;
  a.S = S;
  a.key = key;
  a.field = field;
  a.data = data;
  a.len = len;
  a.status = CU_ERRMEM;
  return io_call(S, &a, pset);
}


CU_API int cu_io_get (cu_State *S, const char *key, const char *field) {
  IoArgs a;
  a.S = S;
  a.key = key;
  a.field = field;
  a.data = NULL;
  a.len = 0;
  a.status = CU_ERRMEM;
  return io_call(S, &a, pget);
}


CU_API int cu_io_clear (cu_State *S) {
  return cu_protect(S, pclear, NULL) == LUA_OK ? CU_OK : CU_ERRMEM;
}
