/*
** cu_exthook.c - the metatable of external tables' proxies: the hooks
** (__index, __newindex, __len, __pairs, __call, __tostring), the operator
** trampolines that load a table before its stored metamethod runs, and
** the promotion of hot tables (docs/ARCHITECTURE.md#external-tables).
** The proxies, caches and copy on assign they use are cu_ext.c's.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_core.h"
#include "cu_ext.h"
#include "cu_exthook.h"


/* Pushes the stored metatable's field 'event' for proxy p; returns its type. */
static int usermeta (lua_State *L, int p, const char *event) {
  if (cu_ext_hidden(L, p, CU_K_META) != LUA_TTABLE) {
    lua_pop(L, 1);
    lua_pushnil(L);
    return LUA_TNIL;
  }
  lua_getfield(L, -1, event);
  lua_remove(L, -2);
  return lua_type(L, -1);
}



/* The hooks a hot proxy's own metatable keeps (its __index is the cache). */
static const char *const hot_events[] = {"__newindex", "__len",       "__pairs", "__tostring",
                                         "__call",     "__metatable", NULL};

/*
** Proxy p, whose cache c is loaded and which has no stored metatable, was
** read CU_HOT_READS times in a row through ext_index (counted per slot of
** S->ext.hot, keyed by address): it gets a metatable of its own whose __index
** is the cache, so later reads are plain table reads without a C call.
** Whoever drops or replaces the cache sets the shared metatable back.
*/
static void heat (lua_State *L, cu_State *S, int p, int c) {
  const void *addr = lua_topointer(L, p);
  uintptr_t a = (uintptr_t)addr;
  unsigned slot = (unsigned)((a >> 4) ^ (a >> 10)) % CU_HOT_SLOTS;
  if (S->ext.hot == NULL) { /* an idle unit does without: made at the first read */
    S->ext.hot = (cu_Hot *)calloc(CU_HOT_SLOTS, sizeof *S->ext.hot);
    if (S->ext.hot == NULL) /* no memory: reads go through ext_index, as before they heat */
      return;
  }
  if (S->ext.hot[slot].p != addr) {
    S->ext.hot[slot].p = addr;
    S->ext.hot[slot].n = 1;
    return;
  }
  if (++S->ext.hot[slot].n < CU_HOT_READS)
    return;
  S->ext.hot[slot].p = NULL;
  if (cu_ext_hidden(L, p, CU_K_META) != LUA_TNIL || !lua_getmetatable(L, p)) {
    lua_pop(L, 1);
    return;
  }
  cu_getref(L, S->ext.mt);
  if (!lua_rawequal(L, -1, -2)) { /* already a metatable of its own */
    lua_pop(L, 3);
    return;
  }
  lua_createtable(L, 0, 7);
  for (const char *const *e = hot_events; *e; e++) {
    lua_getfield(L, -2, *e);
    lua_setfield(L, -2, *e);
  }
  lua_pushvalue(L, c);
  lua_setfield(L, -2, "__index");
  lua_setmetatable(L, p);
  lua_pop(L, 3);
}


static int ext_index (lua_State *L) {
  if (cu_ext_hidden(L, 1, CU_K_CACHE) != LUA_TTABLE) { /* not loaded yet */
    lua_pop(L, 1);
    cu_ext_pushcache(L, cu_getstate(L), 1);
  }
  else
    heat(L, cu_getstate(L), 1, 3);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) != LUA_TNIL)
    return 1;
  switch (usermeta(L, 1, "__index")) { /* the stored metatable's __index */
    case LUA_TFUNCTION:
      lua_pushvalue(L, 1);
      lua_pushvalue(L, 2);
      lua_call(L, 2, 1);
      return 1;
    case LUA_TTABLE:
      lua_pushvalue(L, 2);
      lua_gettable(L, -2);
      return 1;
    default: lua_pushnil(L); return 1;
  }
}


static int ext_newindex (lua_State *L) {
  cu_State *S = cu_getstate(L);
  lua_settop(L, 3);
  cu_ext_pushcache(L, S, 1);
  lua_pushvalue(L, 2);
  if (lua_rawget(L, -2) == LUA_TNIL) { /* a new key: the stored __newindex first */
    switch (usermeta(L, 1, "__newindex")) {
      case LUA_TFUNCTION:
        lua_pushvalue(L, 1);
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 3);
        lua_call(L, 3, 0);
        return 0;
      case LUA_TTABLE:
        lua_pushvalue(L, 2);
        lua_pushvalue(L, 3);
        lua_settable(L, -3);
        return 0;
      default: break;
    }
  }
  lua_settop(L, 3);
  cu_ext_checkkey(L, 2);
  lua_pushnil(L);                /* 4: copied, made when needed (also through upvalues) */
  cu_ext_convert(L, S, 3, 4, 0); /* 5: the value to store; raises before any change */
  cu_ext_pushcache(L, S, 1);     /* 6 */
  lua_pushvalue(L, 2);
  lua_pushvalue(L, 5);
  lua_rawset(L, 6);
  cu_ext_markdirty(L, S, 1, 2);
  return 0;
}


static int ext_len (lua_State *L) {
  cu_ext_pushcache(L, cu_getstate(L), 1);
  lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
  return 1;
}


int cu_exthook_next (lua_State *L) {
  lua_settop(L, 2);
  cu_ext_pushcache(L, cu_getstate(L), 1);
  lua_pushvalue(L, 2);
  if (lua_next(L, 3))
    return 2;
  lua_pushnil(L);
  return 1;
}


static int ext_pairs (lua_State *L) {
  lua_pushcfunction(L, cu_exthook_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}


static int ext_call (lua_State *L) {
  cu_State *S = cu_getstate(L);
  cu_ext_pushcache(L, S, 1); /* loads the table, and so its metatable */
  lua_pop(L, 1);
  if (usermeta(L, 1, "__call") == LUA_TNIL)
    return luaL_error(L, "attempt to call an external table");
  lua_insert(L, 1);
  lua_call(L, lua_gettop(L) - 1, LUA_MULTRET);
  return lua_gettop(L);
}


/*
** Operators on an external table whose content (and so its stored
** metatable) is not loaded yet: load, then use the stored metamethod
** 'event'.
*/
static int ext_event (lua_State *L, const char *event) {
  cu_State *S = cu_getstate(L);
  int n = lua_gettop(L), p = 0;
  for (int i = 1; i <= 2 && i <= n && p == 0; i++)
    if (cu_ext_id(L, i, NULL)) {
      cu_ext_pushcache(L, S, i);
      lua_pop(L, 1);
      if (usermeta(L, i, event) != LUA_TNIL)
        p = i; /* the handler stays on top */
      else
        lua_pop(L, 1);
    }
  if (p == 0) {
    if (strcmp(event, "__eq") == 0) {
      lua_pushboolean(L, 0); /* distinct tables, no __eq: not equal */
      return 1;
    }
    return luaL_error(L, "attempt to use an external table with no %s metamethod", event);
  }
  lua_insert(L, 1);
  lua_settop(L, n + 1);
  lua_call(L, n, 1);
  return 1;
}

/*
** The trampolines: one plain C function per event, so that the shared
** metatable of each state holds light C functions, not closures.
*/
#define TRAMPOLINE(e)                                                                              \
  static int ext_##e(lua_State *L) {                                                               \
    return ext_event(L, "__" #e);                                                                  \
  }

TRAMPOLINE(add)
TRAMPOLINE(sub)
TRAMPOLINE(mul)
TRAMPOLINE(div)
TRAMPOLINE(mod)
TRAMPOLINE(pow)
TRAMPOLINE(unm)
TRAMPOLINE(idiv)
TRAMPOLINE(band)
TRAMPOLINE(bor)
TRAMPOLINE(bxor)
TRAMPOLINE(shl)
TRAMPOLINE(shr)
TRAMPOLINE(bnot)
TRAMPOLINE(concat)
TRAMPOLINE(eq)
TRAMPOLINE(lt)
TRAMPOLINE(le)

static const luaL_Reg trampolines[] = {
  {"__add",    ext_add   },
  {"__sub",    ext_sub   },
  {"__mul",    ext_mul   },
  {"__div",    ext_div   },
  {"__mod",    ext_mod   },
  {"__pow",    ext_pow   },
  {"__unm",    ext_unm   },
  {"__idiv",   ext_idiv  },
  {"__band",   ext_band  },
  {"__bor",    ext_bor   },
  {"__bxor",   ext_bxor  },
  {"__shl",    ext_shl   },
  {"__shr",    ext_shr   },
  {"__bnot",   ext_bnot  },
  {"__concat", ext_concat},
  {"__eq",     ext_eq    },
  {"__lt",     ext_lt    },
  {"__le",     ext_le    },
  {NULL,       NULL      }
};


static int ext_tostring (lua_State *L) {
  int64_t id = 0;
  cu_State *S = cu_getstate(L);
  if (cu_ext_id(L, 1, NULL)) {
    cu_ext_pushcache(L, S, 1);
    lua_pop(L, 1);
    if (usermeta(L, 1, "__tostring") == LUA_TFUNCTION) {
      lua_pushvalue(L, 1);
      lua_call(L, 1, 1);
      return 1;
    }
    lua_pop(L, 1);
  }
  cu_ext_id(L, 1, &id);
  lua_pushfstring(L, "external table %I: %p", (lua_Integer)id, lua_topointer(L, 1));
  return 1;
}


static const luaL_Reg ext_meta[] = {
  {"__index",    ext_index   },
  {"__newindex", ext_newindex},
  {"__len",      ext_len     },
  {"__pairs",    ext_pairs   },
  {"__tostring", ext_tostring},
  {"__call",     ext_call    },
  {NULL,         NULL        }
};


/* The hooks, __metatable and the trampolines: sized once, the table never grows. */
#define META_FIELDS                                                                                \
  (sizeof ext_meta / sizeof ext_meta[0] + sizeof trampolines / sizeof trampolines[0] - 1)

void cu_exthook_open (lua_State *L, cu_State *S) {
  lua_createtable(L, 0, (int)META_FIELDS);
  luaL_setfuncs(L, ext_meta, 0);
  luaL_setfuncs(L, trampolines, 0);
  lua_pushliteral(L, "external table");
  lua_setfield(L, -2, "__metatable");
  S->ext.mt = luaL_ref(L, LUA_REGISTRYINDEX);
  S->ext.proxies = cu_newref(L, "v");
  S->ext.dirty = cu_newref(L, NULL);
}
