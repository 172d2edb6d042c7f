/*
** cu_module.c - require: Lua source modules from the Java loader and
** built-in C modules, run in the unit's sandbox and cached per unit.
**
** Invariants: the cache (registry field LOADED) maps a module name to its
** value. While a chunk runs, LOADING maps its name to the thread running
** it; that thread's status is LUA_OK for as long as the chunk runs (a
** chunk cannot yield), so a mark whose thread has another status was
** left by a coroutine that died with an error (Lua runs its to-be-closed
** guard only when the coroutine is closed) and counts as absent. The
** guard removes the mark when the chunk raises; require removes it when
** the chunk returns. Module chunks load in mode "t" only. Without a
** module upcall, require never calls Java. LOADED, LOADING, PRELOAD and
** GUARD are made at the first require or preload: a unit that uses
** neither has none of them, and a read of an absent one finds nothing.
*/
#include <string.h>

#include "lauxlib.h"

#include "cu_bigint.h"
#include "cu_core.h"
#include "cu_ext.h"
#include "cu_io.h"
#include "cu_json.h"
#include "cu_module.h"

#define LOADED  "cu.module.loaded"
#define LOADING "cu.module.loading"
#define PRELOAD "cu.module.preload"
#define GUARD   "cu.module.guard"

/* The longest module name require accepts. */
#define NAME_MAX_LEN 200

/*
** The built-in modules of every state, one line each: {"name", open}.
** require finds them before the states' own (cu_module_preload) and the
** Java loader.
*/
/* json.encode sees an external table's entries and _io's data, as results do. */
static int jsonview (lua_State *L, int idx) {
  return cu_ext_view(L, idx) || cu_io_view(L, idx);
}

/* json.array marks an external table's cache (stored at the commit) and _io's data. */
static int jsonmark (lua_State *L, int idx) {
  if (cu_ext_markarray(L, idx))
    return 1;
  if (!cu_io_view(L, idx))
    return 0;
  cu_json_mark(L, -1);
  lua_pop(L, 1);
  return 1;
}

static const cu_JsonHooks jsonhooks = {jsonview, jsonmark};

static int openjson (lua_State *L) {
  return cu_json_openhooks(L, &jsonhooks);
}

static const luaL_Reg builtins[] = {
  {"json",   openjson      },
  {"bigint", cu_bigint_open},
  {NULL,     NULL          }
};


/* Letters, digits and '_' in segments separated by single dots. */
static int validname (const char *name, size_t len) {
  size_t seg = 0;
  if (len == 0 || len > NAME_MAX_LEN)
    return 0;
  for (size_t i = 0; i < len; i++) {
    char c = name[i];
    if (c == '.') {
      if (seg == 0)
        return 0;
      seg = 0;
    }
    else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')
      seg++;
    else
      return 0;
  }
  return seg > 0;
}


/* Pushes the table of registry field 'key', made empty if absent. Raises on memory errors. */
static void regtable (lua_State *L, const char *key) {
  if (lua_getfield(L, LUA_REGISTRYINDEX, key) == LUA_TTABLE)
    return;
  lua_pop(L, 1);
  lua_newtable(L);
  lua_pushvalue(L, -1);
  lua_setfield(L, LUA_REGISTRYINDEX, key);
}


/*
** __close of the guard (user values: the name, the thread): removes the
** mark if it is still this thread's.
*/
static int guard_close (lua_State *L) {
  lua_settop(L, 1);
  lua_getiuservalue(L, 1, 1);
  lua_getiuservalue(L, 1, 2);
  if (lua_getfield(L, LUA_REGISTRYINDEX, LOADING) != LUA_TTABLE) /* 4 */
    return 0; /* made before any guard: unreachable */
  lua_pushvalue(L, 2);
  lua_rawget(L, 4);
  if (lua_rawequal(L, -1, 3)) {
    lua_pushvalue(L, 2);
    lua_pushnil(L);
    lua_rawset(L, 4); /* the key exists: no allocation */
  }
  return 0;
}


/* Is a chunk of module 'name' running now? A stale mark is not. */
static int isloading (lua_State *L, const char *name) {
  lua_State *T;
  if (lua_getfield(L, LUA_REGISTRYINDEX, LOADING) == LUA_TTABLE)
    lua_getfield(L, -1, name);
  else
    lua_pushnil(L);
  T = lua_tothread(L, -1);
  lua_pop(L, 2);
  return T != NULL && lua_status(T) == LUA_OK;
}


/*
** Asks the Java loader for 'name'. Pushes the loaded chunk and its chunk
** name and returns 1; or pushes the places tried and returns 0. Raises
** when the source does not compile or the loader failed.
*/
static int fromjava (lua_State *L, cu_State *S, const char *name, size_t len) {
  const char *reply, *zero;
  int r;
  if (S->up.modulefn == NULL) {
    lua_pushliteral(L, "\n\tno module loader is set");
    return 0;
  }
  S->up.replylen = 0;
  r = S->up.modulefn(name, len);
  reply = (const char *)S->up.reply;
  if (r == CU_MODULE_MISSING) {
    lua_pushliteral(L, "\n\t");
    lua_pushlstring(L, reply != NULL ? reply : "", S->up.replylen);
    luaL_gsub(L, lua_tostring(L, -1), "\n", "\n\t");
    lua_remove(L, -2);
    lua_concat(L, 2);
    return 0;
  }
  zero = r == CU_MODULE_FOUND && reply != NULL ? memchr(reply, '\0', S->up.replylen) : NULL;
  if (zero == NULL) {
    lua_pushfstring(L, "error loading module '%s': the module loader failed", name);
    return cu_upcall_raise(L, S);
  }
  lua_pushfstring(L, "@%s", reply);
  if (luaL_loadbufferx(L, zero + 1, S->up.replylen - (size_t)(zero + 1 - reply),
                       lua_tostring(L, -1), "t") != LUA_OK)
    return luaL_error(L, "error loading module '%s' from '%s':\n\t%s", name, reply,
                      lua_tostring(L, -1));
  lua_pushstring(L, reply); /* the chunk name without '@', as the chunk's 2nd argument */
  lua_replace(L, -3);
  lua_insert(L, -2); /* chunk, chunk name */
  return 1;
}


/* Pushes the chunk of module 'name' and its chunk name, or raises. */
static void findmodule (lua_State *L, const char *name, size_t len) {
  for (const luaL_Reg *b = builtins; b->func; b++)
    if (strcmp(b->name, name) == 0) {
      lua_pushcfunction(L, b->func);
      lua_pushliteral(L, ":built-in:");
      return;
    }
  if (lua_getfield(L, LUA_REGISTRYINDEX, PRELOAD) != LUA_TTABLE)
    lua_pushnil(L); /* no preload yet */
  else if (lua_getfield(L, -1, name) == LUA_TFUNCTION) {
    lua_remove(L, -2);
    lua_pushliteral(L, ":built-in:");
    return;
  }
  lua_pop(L, 2);
  if (fromjava(L, cu_getstate(L), name, len))
    return;
  lua_pushfstring(L, "module '%s' not found:\n\tno built-in module '%s'", name, name);
  lua_insert(L, -2);
  lua_concat(L, 2);
  lua_error(L);
}


/*
** require(name): the cached value, or the module's chunk called with the
** name and its chunk name; a chunk returning nil caches true.
*/
static int sb_require (lua_State *L) {
  size_t len;
  const char *name = luaL_checklstring(L, 1, &len);
  if (!validname(name, len))
    return luaL_argerror(L, 1, lua_pushfstring(L, "invalid module name '%s'", name));
  lua_settop(L, 1);
  regtable(L, LOADED); /* 2: the cache */
  if (lua_getfield(L, 2, name) != LUA_TNIL)
    return 1;
  lua_pop(L, 1);
  if (isloading(L, name))
    return luaL_error(L, "module '%s' is required while it is being loaded (a require cycle)",
                      name);
  findmodule(L, name, len); /* 3: chunk, 4: chunk name */
  regtable(L, LOADING);     /* made before the guard, which reads it */
  lua_pop(L, 1);
  if (luaL_newmetatable(L, GUARD)) {
    lua_pushcfunction(L, guard_close);
    lua_setfield(L, -2, "__close");
  }
  lua_pop(L, 1);
  lua_newuserdatauv(L, 0, 2); /* 5: the guard */
  lua_pushvalue(L, 1);
  lua_setiuservalue(L, 5, 1);
  lua_pushthread(L);
  lua_setiuservalue(L, 5, 2);
  luaL_setmetatable(L, GUARD);
  lua_toclose(L, 5);
  lua_getfield(L, LUA_REGISTRYINDEX, LOADING); /* 6 */
  lua_pushthread(L);
  lua_setfield(L, 6, name);
  lua_pushvalue(L, 3);
  lua_pushvalue(L, 1);
  lua_pushvalue(L, 4);
  lua_call(L, 2, 1);
  if (lua_isnil(L, -1)) {
    lua_pop(L, 1);
    lua_pushboolean(L, 1);
  }
  lua_pushvalue(L, -1);
  lua_setfield(L, 2, name);
  lua_pushnil(L);
  lua_setfield(L, 6, name); /* the key exists: no allocation */
  return 1;
}


void cu_module_open (lua_State *L, cu_State *S) {
  (void)S;
  lua_pushcfunction(L, sb_require);
  lua_setglobal(L, "require");
}


typedef struct PreloadArgs {
  const char *name;
  cu_OpenFn open;
  int status;
} PreloadArgs;

static int ppreload (lua_State *L) {
  PreloadArgs *a = (PreloadArgs *)lua_touserdata(L, 1);
  if (!validname(a->name, strlen(a->name))) {
    a->status = CU_ERRARG;
    return 0;
  }
  regtable(L, PRELOAD);
  lua_pushcfunction(L, a->open);
  lua_setfield(L, -2, a->name);
  a->status = CU_OK;
  return 0;
}


CU_API int cu_module_preload (cu_State *S, const char *name, cu_OpenFn open) {
  PreloadArgs a;
  if (name == NULL || open == NULL)
    return CU_ERRARG;
  a.name = name;
  a.open = open;
  a.status = CU_ERRMEM;
  if (cu_protect(S, ppreload, &a) != LUA_OK)
    return CU_ERRMEM;
  return a.status;
}


CU_API void cu_module_setfn (cu_State *S, cu_ModuleFn fn) {
  S->up.modulefn = fn;
}
