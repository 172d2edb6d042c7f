/*
** cu_sandbox.c - the libraries a compute unit sees (docs/SANDBOX.md) and
** the replacements for print, load, collectgarbage and setmetatable.
*/
#include <stdatomic.h>
#include <string.h>

#include "lualib.h"

#include "cu_buf.h"
#include "cu_core.h"
#include "cu_coro.h"
#include "cu_io.h"
#include "cu_ext.h"
#include "cu_exthook.h"
#include "cu_stack.h"
#include "cu_sandbox.h"


/*
** print: like Lua's, but the line goes to the state's print buffer, or
** to the Java upcall when one is set. Invariant: the buffer holds whole
** lines only.
*/
static int sb_print (lua_State *L) {
  cu_State *S = cu_getstate(L);
  int n = lua_gettop(L);
  size_t start = S->buf.print.n, total = 1;
  cu_stack_check(L, n, "too many arguments to print");
  for (int i = 1; i <= n; i++) { /* convert all first: __tostring may raise */
    luaL_tolstring(L, i, NULL);
    total += lua_rawlen(L, -1) + 1;
  }
  cu_buf_prep(L, &S->buf.print, total); /* the line is added whole or not at all */
  for (int i = 1; i <= n; i++) {
    size_t len;
    const char *s = lua_tolstring(L, n + i, &len);
    if (i > 1)
      cu_buf_add(L, &S->buf.print, "\t", 1);
    cu_buf_add(L, &S->buf.print, s, len);
  }
  cu_buf_add(L, &S->buf.print, "\n", 1);
  if (S->up.printfn != NULL) {
    int failed = S->up.printfn(S->buf.print.p + start, S->buf.print.n - start);
    S->buf.print.n = start; /* streamed, not kept */
    if (failed) {
      luaL_where(L, 1);
      lua_pushliteral(L, "output consumer failed");
      lua_concat(L, 2);
      return cu_upcall_raise(L, S);
    }
  }
  return 0;
}


/*
** The base library's functions the shim wraps. They are C functions
** without upvalues, the same code in every state, so the first state to
** open records them here and every later one stores the same pointers
** again; the wrappers stay plain C functions too, which the permanents
** (cu_perm.c) share across states instead of naming them in each one.
*/
enum {
  ORIG_LOAD,
  ORIG_COLLECTGARBAGE,
  ORIG_SETMETATABLE,
  ORIG_PAIRS,
  ORIG_RAWSET,
  ORIG_RAWGET,
  ORIG_RAWLEN,
  ORIG_N
};

static _Atomic(lua_CFunction) originals[ORIG_N];

/*
** Runs original function 'which' in this call's own frame. Every function
** the shim wraps is a C function of Lua's base library without upvalues
** of its own, so it behaves as if the script had called it: an argument
** error names the function the script called and carries the caller's
** position, no C stack level is added, and a yield inside it resumes in
** its own continuation.
*/
static int original (lua_State *L, int which) {
  return atomic_load_explicit(&originals[which], memory_order_relaxed)(L);
}


/*
** The reader load uses for a reader function's chunk under a mode without
** 't' (upvalue 1: the script's reader; upvalue 2: true once a piece was
** read). Lua then refuses a text chunk itself; a binary one it would load,
** so its first piece raises the refusal that mode "t" gives.
*/
static int sb_reader (lua_State *L) {
  const char *p;
  lua_settop(L, 0);
  lua_pushvalue(L, lua_upvalueindex(1));
  lua_call(L, 0, 1);
  p = lua_tostring(L, 1);
  if (!lua_toboolean(L, lua_upvalueindex(2)) && p != NULL && *p != '\0') {
    if (*p == LUA_SIGNATURE[0]) {
      lua_pushliteral(L, "attempt to load a binary chunk (mode is 't')");
      return lua_error(L);
    }
    lua_pushboolean(L, 1);
    lua_replace(L, lua_upvalueindex(2));
  }
  return 1;
}


/*
** load: binary chunks never load. The script's mode is checked as Lua
** checks it. A mode that allows text becomes "t", which refuses a binary
** chunk. A mode without 't' stays, so Lua refuses a text chunk in its own
** words, and a binary chunk is refused here: a string at once, a reader
** function's chunk at its first piece.
*/
static int sb_load (lua_State *L) {
  const char *mode = luaL_optstring(L, 3, "bt");
  size_t len;
  const char *s = lua_tolstring(L, 1, &len);
  if (lua_isnone(L, 1))
    return original(L, ORIG_LOAD); /* raises "function expected, got no value" */
  if (strchr(mode, 't') != NULL || (s != NULL && len > 0 && s[0] == LUA_SIGNATURE[0]))
    mode = "t";
  else if (s == NULL && lua_type(L, 1) == LUA_TFUNCTION) {
    lua_pushvalue(L, 1);
    lua_pushboolean(L, 0);
    lua_pushcclosure(L, sb_reader, 2);
    lua_replace(L, 1);
  }
  if (lua_gettop(L) < 3)
    lua_settop(L, 3); /* 'env' stays absent */
  lua_pushstring(L, mode);
  lua_replace(L, 3);
  return original(L, ORIG_LOAD);
}


/* Options of Lua's collectgarbage that a script may not use. */
static const char *const gc_refused[] = {"stop",      "restart",      "setpause",    "setstepmul",
                                         "isrunning", "generational", "incremental", NULL};

static int sb_collectgarbage (lua_State *L) {
  const char *opt = luaL_optstring(L, 1, "collect");
  for (const char *const *r = gc_refused; *r; r++)
    if (strcmp(opt, *r) == 0)
      return luaL_error(L, "collectgarbage option '%s' is not allowed", opt);
  return original(L, ORIG_COLLECTGARBAGE); /* an unknown option gets Lua's own error */
}


/*
** setmetatable: refuses metatables with a __gc field. Lua runs finalizers
** with hooks disabled, so a looping __gc could never be stopped. Lua's
** own checks come first, so a wrong call fails as it does in Lua.
*/
static int sb_setmetatable (lua_State *L) {
  int t = lua_type(L, 2);
  luaL_checktype(L, 1, LUA_TTABLE);
  luaL_argexpected(L, t == LUA_TNIL || t == LUA_TTABLE, 2, "nil or table");
  if (luaL_getmetafield(L, 1, "__metatable") != LUA_TNIL)
    lua_pop(L, 1); /* protected: Lua refuses the change */
  else if (t == LUA_TTABLE) {
    lua_pushliteral(L, "__gc");
    if (lua_rawget(L, 2) != LUA_TNIL)
      return luaL_error(L, "__gc metamethods are not allowed");
    lua_pop(L, 1);
  }
  return original(L, ORIG_SETMETATABLE);
}


/*
** next: external tables iterate their content. A plain C function, not a
** closure, so that pairs hands out this very function.
*/
static int sb_next (lua_State *L) {
  if (cu_ext_id(L, 1, NULL))
    return cu_exthook_next(L);
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 2);
  if (lua_next(L, 1))
    return 2;
  lua_pushnil(L);
  return 1;
}


/* pairs: the global next for a value without __pairs, as in Lua. */
static int sb_pairs (lua_State *L) {
  luaL_checkany(L, 1);
  if (luaL_getmetafield(L, 1, "__pairs") != LUA_TNIL) {
    lua_pop(L, 1);
    return original(L, ORIG_PAIRS); /* calls __pairs */
  }
  lua_pushcfunction(L, sb_next);
  lua_pushvalue(L, 1);
  lua_pushnil(L);
  return 3;
}


/* Is the value at idx an external table or _io? Pushes nothing. */
static int is_external (lua_State *L, int idx) {
  if (cu_ext_id(L, idx, NULL))
    return 1;
  if (cu_io_view(L, idx)) {
    lua_pop(L, 1);
    return 1;
  }
  return 0;
}


/* rawset would bypass an external table's hooks and lose the write. */
static int sb_rawset (lua_State *L) {
  if (is_external(L, 1))
    return luaL_error(L, "rawset is not allowed on external tables");
  return original(L, ORIG_RAWSET);
}


/* rawget and rawlen see an external table's content, like next. */
static int sb_rawget (lua_State *L) {
  if (is_external(L, 1)) {
    luaL_checkany(L, 2);
    cu_ext_content(L, 1);
    lua_pushvalue(L, 2);
    lua_rawget(L, -2);
    return 1;
  }
  return original(L, ORIG_RAWGET);
}


static int sb_rawlen (lua_State *L) {
  if (is_external(L, 1)) {
    cu_ext_content(L, 1);
    lua_pushinteger(L, (lua_Integer)lua_rawlen(L, -1));
    return 1;
  }
  return original(L, ORIG_RAWLEN);
}


/* Replaces t[name] (t at the top) by f, which calls the old value as original 'which'. */
static void wrap (lua_State *L, const char *name, lua_CFunction f, int which) {
  lua_getfield(L, -1, name);
  atomic_store_explicit(&originals[which], lua_tocfunction(L, -1), memory_order_relaxed);
  lua_pop(L, 1);
  lua_pushcfunction(L, f);
  lua_setfield(L, -2, name);
}


static void drop (lua_State *L, const char *name) {
  lua_pushnil(L);
  lua_setfield(L, -2, name);
}


/* The functions of Lua's os library that the sandbox keeps. */
static const char *const os_kept[] = {"time", "clock", "date", "difftime"};

#define OS_KEPT ((int)(sizeof os_kept / sizeof os_kept[0]))

/*
** They are C functions without upvalues: the first state takes them from
** Lua's full library and records them here, and later states build their
** os from the record alone, without the full table and its names, which
** would stay in every idle unit's heap until a collection.
*/
static _Atomic(lua_CFunction) os_funcs[OS_KEPT];
static atomic_int os_recorded;

/* Opens os: a table with the kept functions only. */
static int sb_openos (lua_State *L) {
  lua_createtable(L, 0, OS_KEPT);
  if (atomic_load_explicit(&os_recorded, memory_order_acquire)) {
    for (int i = 0; i < OS_KEPT; i++) {
      lua_pushcfunction(L, atomic_load_explicit(&os_funcs[i], memory_order_relaxed));
      lua_setfield(L, -2, os_kept[i]);
    }
    return 1;
  }
  lua_pushcfunction(L, luaopen_os); /* not recorded yet: the full library, this once */
  lua_call(L, 0, 1);
  for (int i = 0; i < OS_KEPT; i++) {
    lua_getfield(L, -1, os_kept[i]);
    atomic_store_explicit(&os_funcs[i], lua_tocfunction(L, -1), memory_order_relaxed);
    lua_setfield(L, -3, os_kept[i]);
  }
  lua_pop(L, 1);
  atomic_store_explicit(&os_recorded, 1, memory_order_release);
  return 1;
}


static const luaL_Reg libs[] = {
  {LUA_GNAME,       luaopen_base     },
  {LUA_COLIBNAME,   luaopen_coroutine},
  {LUA_TABLIBNAME,  luaopen_table    },
  {LUA_STRLIBNAME,  luaopen_string   },
  {LUA_MATHLIBNAME, luaopen_math     },
  {LUA_UTF8LIBNAME, luaopen_utf8     },
  {LUA_OSLIBNAME,   sb_openos        },
  {NULL,            NULL             }
};


/* Opens the sandboxed libraries into the globals. Raises on failure. */
void cu_sandbox_open (lua_State *L, lua_Integer seed) {
  for (const luaL_Reg *lib = libs; lib->func; lib++) {
    luaL_requiref(L, lib->name, lib->func, 1);
    lua_pop(L, 1);
  }
  lua_pushglobaltable(L);
  drop(L, "dofile");
  drop(L, "loadfile");
  wrap(L, "load", sb_load, ORIG_LOAD);
  wrap(L, "collectgarbage", sb_collectgarbage, ORIG_COLLECTGARBAGE);
  wrap(L, "setmetatable", sb_setmetatable, ORIG_SETMETATABLE);
  wrap(L, "pairs", sb_pairs, ORIG_PAIRS);
  lua_pushcfunction(L, sb_next);
  lua_setfield(L, -2, "next");
  wrap(L, "rawset", sb_rawset, ORIG_RAWSET);
  wrap(L, "rawget", sb_rawget, ORIG_RAWGET);
  wrap(L, "rawlen", sb_rawlen, ORIG_RAWLEN);
  lua_pushcfunction(L, sb_print);
  lua_setfield(L, -2, "print");
  lua_getfield(L, -1, LUA_COLIBNAME);
  cu_coro_open(L);
  lua_pop(L, 1);
  lua_getfield(L, -1, LUA_STRLIBNAME);
  drop(L, "dump");
  lua_pop(L, 1);
  /* math.randomseed(seed) */
  lua_getfield(L, -1, LUA_MATHLIBNAME);
  lua_getfield(L, -1, "randomseed");
  lua_pushinteger(L, seed);
  lua_call(L, 1, 0);
  lua_pop(L, 2);
}
