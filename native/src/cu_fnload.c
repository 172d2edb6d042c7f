/*
** cu_fnload.c - loading stored functions (docs/FORMAT.md, "Functions"):
** the decoding of the rows' function tags (FUNCREF, FUNCTION, PERMANENT)
** for the store's codec, closures from bytecode, upvalues bound to their
** boxes, and the undoing of a load that fails. The registries it fills
** are cu_persist.c's (invariants there).
*/
#include "lua.h"
#include "lauxlib.h"

#include "cu_cbor.h"
#include "cu_core.h"
#include "cu_valuedec.h"
#include "cu_ext.h"
#include "cu_perm.h"
#include "cu_persist.h"
#include "cu_stack.h" /* room on the stack, or a memory error */
#include "cu_fnload.h"


/* Stands for a stored C function this unit does not have (a host function). */
static int missing (lua_State *L) {
  return luaL_error(L,
                    "function '%s' is not available in this unit (register it with "
                    "Builder.function)",
                    lua_tostring(L, lua_upvalueindex(1)));
}

/* Pushes the permanent named name[0, len), or a placeholder that stores back by name. */
static void pushpermanent (lua_State *L, cu_State *S, const char *name, size_t len) {
  lua_pushlstring(L, name, len);
  if (cu_perm_func(L, S, -1) != LUA_TFUNCTION) {
    /* keep the table usable: a placeholder that stores back under the same name */
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_pushcclosure(L, missing, 1);
    cu_perm_add(L, S, -1, lua_tostring(L, -2));
  }
  lua_remove(L, -2);
}


typedef struct ReadState {
  const char *code;
  size_t len;
} ReadState;

static const char *reader (lua_State *L, void *ud, size_t *size) {
  ReadState *r = (ReadState *)ud;
  (void)L;
  *size = r->len;
  r->len = 0;
  return r->code;
}

/* Pushes the closure of bytecode 'code'; F > 0 registers it as function F. */
static void materialize (lua_State *L, cu_State *S, const char *code, size_t len, lua_Integer F) {
  ReadState r;
  int st;
  r.code = code;
  r.len = len;
  st = lua_load(L, reader, &r, "=stored function", "b");
  if (st == LUA_ERRMEM) /* the memory limit, not a bad row: the run fails as out of memory */
    lua_error(L);
  if (st != LUA_OK)
    luaL_error(L, "storage error: a stored function does not load: %s", lua_tostring(L, -1));
  if (F > 0) {
    lua_pushboolean(L, 1);
    cu_refseti(L, S->fn.fnload, F, -1); /* listed before registered: see unload */
    lua_pop(L, 1);
    lua_pushinteger(L, F);
    cu_refset(L, S->fn.fnids, -2, -1);
    lua_pop(L, 1);
    cu_refseti(L, S->fn.fns, F, -1);
  }
}

/* Binds upvalue i of f (at index f) to box B: joined, or loaded at 'depth'. */
static void bindbox (lua_State *L, cu_State *S, int f, int i, int64_t box, int depth) {
  lua_Integer B = (lua_Integer)box;
  int p;
  f = lua_absindex(L, f);
  if (cu_refgeti(L, S->fn.boxes, B) == LUA_TFUNCTION &&
      cu_refgeti(L, S->fn.boxidx, B) == LUA_TNUMBER) {
    lua_upvaluejoin(L, f, i, -2, (int)lua_tointeger(L, -1));
    lua_pop(L, 2);
    return;
  }
  lua_settop(L, f);
  lua_pushboolean(L, 1);
  cu_refseti(L, S->fn.boxload, B, -1); /* listed before registered: see unload */
  lua_pop(L, 1);
  cu_refseti(L, S->fn.boxes, B, f);
  S->fn.nboxes++;
  lua_pushinteger(L, i);
  cu_refseti(L, S->fn.boxidx, B, -1);
  lua_pop(L, 1);
  cu_getref(L, S->fn.upids);
  lua_pushlightuserdata(L, lua_upvalueid(L, f, i));
  lua_pushinteger(L, B);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  cu_ext_push(L, S, B);
  p = lua_gettop(L);
  cu_refseti(L, S->fn.boxp, B, p);
  cu_ext_loadcache(L, S, p, depth);
  lua_rawgeti(L, -1, 1);
  lua_setupvalue(L, f, i);
  lua_settop(L, f);
}

/* Loads stored function F, its row decoded at 'depth', and pushes it. */
static void loadfn (lua_State *L, cu_State *S, int64_t id, int depth) {
  S->store.load(L, S, id, id, depth);
  if (!lua_istable(L, -1) || lua_rawgeti(L, -1, 0) != LUA_TFUNCTION)
    luaL_error(L, "storage error: function %I is missing or malformed", (lua_Integer)id);
  lua_replace(L, -2);
}


/* Empties the table in registry slot 'slot'. No allocation. */
static void clear (lua_State *L, int slot) {
  int top = lua_gettop(L);
  cu_getref(L, slot);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) {
    lua_pop(L, 1);
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, top + 1);
  }
  lua_settop(L, top);
}

/* t[k] = nil for t in registry slot 'slot' and integer k. No allocation. */
static void unsetint (lua_State *L, int slot, lua_Integer k) {
  cu_getref(L, slot);
  lua_pushnil(L);
  lua_rawseti(L, -2, k);
  lua_pop(L, 1);
}

/*
** A function load failed: the functions and boxes it registered (listed in
** fnload and boxload before being registered) are unregistered, so no
** half-built closure (whose upvalues still hold what lua_load gave them,
** the globals or nil) is reused or synced into its box. Box caches loaded
** for them are dropped unless changed in this run. Allocates nothing
** (only existing keys are cleared), so it runs after a memory error too.
*/
static void unload (lua_State *L, cu_State *S) {
  int top = lua_gettop(L);
  cu_getref(L, S->fn.fnload);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) {
    lua_Integer F;
    lua_pop(L, 1);
    F = lua_tointeger(L, -1);
    if (cu_refgeti(L, S->fn.fns, F) == LUA_TFUNCTION) {
      cu_getref(L, S->fn.fnids);
      lua_pushvalue(L, -2);
      lua_pushnil(L);
      lua_rawset(L, -3);
      lua_pop(L, 1);
    }
    lua_pop(L, 1);
    unsetint(L, S->fn.fns, F);
  }
  lua_settop(L, top);
  cu_getref(L, S->fn.boxload);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) {
    lua_Integer B;
    lua_pop(L, 1);
    B = lua_tointeger(L, -1);
    if (cu_refgeti(L, S->fn.boxes, B) == LUA_TFUNCTION &&
        cu_refgeti(L, S->fn.boxidx, B) == LUA_TNUMBER) {
      void *uid = lua_upvalueid(L, -2, (int)lua_tointeger(L, -1));
      cu_getref(L, S->fn.upids);
      lua_pushlightuserdata(L, uid);
      if (lua_rawget(L, -2) == LUA_TNUMBER && lua_tointeger(L, -1) == B) {
        lua_pop(L, 1);
        lua_pushlightuserdata(L, uid);
        lua_pushnil(L);
        lua_rawset(L, -3);
      }
    }
    lua_settop(L, top + 2);
    if (cu_refgeti(L, S->fn.boxp, B) == LUA_TTABLE) {
      int p = lua_gettop(L);
      if (cu_ext_hidden(L, p, CU_K_DIRTY) == LUA_TNIL) {
        lua_pushnil(L);
        cu_ext_sethidden(L, p, CU_K_CACHE);
        if (cu_ext_hidden(L, p, CU_K_META) == LUA_TNIL) { /* a hot proxy reads its cache */
          cu_getref(L, S->ext.mt);
          lua_setmetatable(L, p);
        }
      }
    }
    lua_settop(L, top + 2);
    unsetint(L, S->fn.boxes, B);
    unsetint(L, S->fn.boxidx, B);
    unsetint(L, S->fn.boxp, B);
  }
  lua_settop(L, top);
  clear(L, S->fn.fnload);
  clear(L, S->fn.boxload);
}

static int ploadfn (lua_State *L) {
  cu_State *S = cu_getstate(L);
  loadfn(L, S, (int64_t)lua_tointeger(L, 1), (int)lua_tointeger(L, 2));
  return 1;
}

/*
** Pushes stored function F, loading its row on first use. The outermost
** load runs protected (nested loads, of the functions its upvalues hold,
** run within it): if any part fails, unload undoes the registrations and
** the error is raised again unchanged (lua_error keeps a memory error one).
*/
static void push (lua_State *L, cu_State *S, int64_t id, int depth) {
  int st;
  if (cu_refgeti(L, S->fn.fns, (lua_Integer)id) == LUA_TFUNCTION)
    return;
  lua_pop(L, 1);
  if (S->fn.loading) {
    loadfn(L, S, id, depth);
    return;
  }
  cu_stack_check(L, 4, "cannot load a stored function");
  lua_pushcfunction(L, ploadfn);
  lua_pushinteger(L, (lua_Integer)id);
  lua_pushinteger(L, depth);
  S->fn.loading = 1;
  st = lua_pcall(L, 2, 1, 0);
  S->fn.loading = 0;
  if (st != LUA_OK) {
    unload(L, S);
    lua_error(L);
  }
  clear(L, S->fn.fnload);
  clear(L, S->fn.boxload);
}


/* Tag FUNCTION [bytecode, upvalues]: a stored Lua function; *fn names its row. */
static void function (lua_State *L, cu_State *S, cu_Reader *r, int64_t *fn, int depth) {
  size_t len, n;
  int f;
  lua_Integer F = (lua_Integer)*fn;
  if (cu_valuedec_head(L, r, CU_CBOR_ARRAY, "a function is [bytecode, upvalues]") != 2)
    cu_valuedec_bad(L, "a function is [bytecode, upvalues]");
  len =
    cu_valuedec_count(L, r, cu_valuedec_head(L, r, CU_CBOR_BYTES, "bytecode is a byte string"), 1);
  *fn = 0; /* only the row's first function is the row's function */
  materialize(L, S, (const char *)r->p, len, F);
  r->p += len;
  f = lua_gettop(L);
  n = cu_valuedec_count(L, r, cu_valuedec_head(L, r, CU_CBOR_ARRAY, "upvalues are an array"), 1);
  for (size_t i = 1; i <= n; i++) {
    uint64_t tag = cu_valuedec_head(L, r, CU_CBOR_TAG, "an upvalue is a tagged item");
    if (tag == CU_TAG_ENV) {
      cu_valuedec_null(L, r, "_ENV carries null");
      lua_pushglobaltable(L);
      if (lua_setupvalue(L, f, (int)i) == NULL)
        lua_pop(L, 1);
    }
    else if (tag == CU_TAG_BOX) {
      uint64_t box = cu_valuedec_id(L, r);
      if (lua_getupvalue(L, f, (int)i) == NULL)
        cu_valuedec_bad(L, "more upvalues than the function has");
      lua_pop(L, 1);
      bindbox(L, S, f, (int)i, (int64_t)box, depth + 1); /* binding loads the box's row */
    }
    else
      cu_valuedec_bad(L, "unknown upvalue kind");
  }
  lua_settop(L, f);
}


int cu_fnload_rowtag (lua_State *L, cu_State *S, cu_Reader *r, uint64_t tag, int64_t *fn,
                      int depth) {
  switch (tag) {
    case CU_TAG_FUNCREF:
      cu_persist_need(L, S);
      push(L, S, (int64_t)cu_valuedec_id(L, r), depth + 1);
      return 1;
    case CU_TAG_PERMANENT: {
      size_t len = cu_valuedec_count(
        L, r, cu_valuedec_head(L, r, CU_CBOR_TEXT, "a standard function is named by text"), 1);
      pushpermanent(L, S, (const char *)r->p, len);
      r->p += len;
      return 1;
    }
    case CU_TAG_FUNCTION:
      cu_persist_need(L, S);
      function(L, S, r, fn, depth);
      return 1;
    default: return 0;
  }
}
