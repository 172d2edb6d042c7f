/*
** cu_persist.c - Lua functions in external tables (docs/FORMAT.md,
** "Functions").
**
** A Lua function stored in an external table gets an id F, from the same
** counter as tables, and one row (F, 0) holding tag FUNCTION [bytecode,
** descriptors]; values refer to it with tag FUNCREF F, so one closure stays
** one closure. Every upvalue except the global _ENV is a box: an external
** table B whose row (B, 1) holds the upvalue's value. Functions sharing an
** upvalue share its box, and lua_upvaluejoin restores the sharing when they
** load. At each commit the live upvalues are compared with their boxes, so
** a closure's state (a counter in an upvalue) persists without any write
** to _home. C functions are stored by name when they are standard library
** or host functions (the permanents) and refused otherwise.
**
** Invariants: fnids[f] = F and fns[F] = f (weak) for every prepared f;
** boxes[B] = f, boxidx[B] = i name the closure whose upvalue i is the box
** (others are joined to it), and boxp[B] keeps the box's proxy (and so its
** cache) alive while that closure lives; upids[upvalueid] = B is only a
** hint, checked against boxes before use; fnnew and boxnew list what the
** current run created, undone if the run fails. Loading a stored function
** from its row is cu_fnload.c's.
*/
#include <string.h>

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"
#include "cu_value.h"
#include "cu_ext.h"
#include "cu_perm.h"
#include "cu_stack.h"
#include "cu_persist.h"


/* ------------------------------------------------------------ permanents */

void cu_persist_open (lua_State *L, cu_State *S) {
  cu_perm_open(L, S);
}


/*
** The registries are made at the first function prepared or loaded: most
** units never store one. Each is made once (a memory error leaves the ones
** made so far for the next try); boxload is the last, so cu_persist_made
** holds only when all exist.
*/
void cu_persist_need (lua_State *L, cu_State *S) {
  if (cu_persist_made(S))
    return;
  if (S->fn.fnids == 0)
    S->fn.fnids = cu_newref(L, "k");
  if (S->fn.fns == 0)
    S->fn.fns = cu_newref(L, "v");
  if (S->fn.boxes == 0)
    S->fn.boxes = cu_newref(L, "v");
  if (S->fn.fnnew == 0)
    S->fn.fnnew = cu_newref(L, NULL);
  if (S->fn.boxidx == 0)
    S->fn.boxidx = cu_newref(L, NULL);
  if (S->fn.boxnew == 0)
    S->fn.boxnew = cu_newref(L, NULL);
  if (S->fn.boxp == 0)
    S->fn.boxp = cu_newref(L, NULL);
  if (S->fn.upids == 0)
    S->fn.upids = cu_newref(L, NULL);
  if (S->fn.fnload == 0)
    S->fn.fnload = cu_newref(L, NULL);
  S->fn.boxload = cu_newref(L, NULL);
}


/* Forgets every stored function and box (a new store state); keeps the permanents. */
void cu_persist_reset (lua_State *L, cu_State *S) {
  if (!cu_persist_made(S))
    return; /* nothing registered */
  cu_renewref(L, &S->fn.fnids, "k");
  cu_renewref(L, &S->fn.fns, "v");
  cu_renewref(L, &S->fn.fnnew, NULL);
  cu_renewref(L, &S->fn.boxes, "v");
  cu_renewref(L, &S->fn.boxidx, NULL);
  cu_renewref(L, &S->fn.boxnew, NULL);
  cu_renewref(L, &S->fn.boxp, NULL);
  S->fn.nboxes = 0;
  cu_renewref(L, &S->fn.upids, NULL);
  cu_renewref(L, &S->fn.fnload, NULL);
  cu_renewref(L, &S->fn.boxload, NULL);
  S->fn.nnew = 0;
}


/* ----------------------------------------------------------------- boxes */

/* Is upvalue i of f the box B's upvalue? */
static int isbox (lua_State *L, cu_State *S, lua_Integer B, void *uid) {
  int ok = 0;
  if (cu_refgeti(L, S->fn.boxes, B) == LUA_TFUNCTION &&
      cu_refgeti(L, S->fn.boxidx, B) == LUA_TNUMBER)
    ok = lua_upvalueid(L, -2, (int)lua_tointeger(L, -1)) == uid;
  else
    lua_pushnil(L);
  lua_pop(L, 2);
  return ok;
}

/*
** The box of upvalue i of f, created if needed with the upvalue's value
** converted for storage; a plain table becomes an external table and the
** upvalue is rebound to its proxy, so later changes go through the hooks.
*/
static lua_Integer boxof (lua_State *L, cu_State *S, int f, int i, int create, int copied,
                          int depth) {
  void *uid = lua_upvalueid(L, f, i);
  lua_Integer B;
  int p, v;
  cu_getref(L, S->fn.upids);
  lua_pushlightuserdata(L, uid);
  lua_rawget(L, -2);
  B = lua_tointeger(L, -1);
  lua_pop(L, 2);
  if (B > 0 && isbox(L, S, B, uid))
    return B;
  if (!create)
    luaL_error(L, "storage error: upvalue %d of a stored function has no box", i);
  B = (lua_Integer)S->ext.nextid++;
  lua_pushvalue(L, f);
  cu_refseti(L, S->fn.boxes, B, -1);
  S->fn.nboxes++;
  lua_pushinteger(L, i);
  cu_refseti(L, S->fn.boxidx, B, -1);
  lua_pushboolean(L, 1);
  cu_refseti(L, S->fn.boxnew, B, -1);
  S->fn.nnew++;
  lua_pop(L, 3);
  cu_getref(L, S->fn.upids);
  lua_pushlightuserdata(L, uid);
  lua_pushinteger(L, B);
  lua_rawset(L, -3);
  lua_pop(L, 1);
  p = cu_ext_fresh(L, S, B); /* p: proxy, p + 1: cache */
  cu_refseti(L, S->fn.boxp, B, p);
  lua_getupvalue(L, f, i);
  v = lua_gettop(L);
  cu_ext_convert(L, S, v, copied, depth + 2); /* the box is a level too */
  if (lua_type(L, v) == LUA_TTABLE && !lua_rawequal(L, v, -1)) {
    lua_pushvalue(L, -1);
    lua_setupvalue(L, f, i);
  }
  lua_rawseti(L, p + 1, 1);
  lua_settop(L, p - 1);
  return B;
}


/* Is upvalue i of f the global environment (not boxed)? */
static int isenv (lua_State *L, int f, int i) {
  const char *name = lua_getupvalue(L, f, i);
  int is = 0;
  if (name != NULL) {
    lua_pushglobaltable(L);
    is = strcmp(name, "_ENV") == 0 && lua_rawequal(L, -1, -2);
    lua_pop(L, 2);
  }
  return is;
}


static int nupvalues (lua_State *L, int f) {
  int n = 0;
  while (lua_getupvalue(L, f, n + 1) != NULL) {
    lua_pop(L, 1);
    n++;
  }
  return n;
}


/*
** Registers Lua function f (new: with an id and boxes for its upvalues).
** f is one level at 'depth' and each box one more, so upvalue values are
** converted at depth + 2: a chain of closures stores 101 deep at most,
** which loads back within the decoder's budget and on a 256 KiB stack
** (see convert in cu_ext.c).
*/
void cu_persist_prepare (lua_State *L, cu_State *S, int f, int copied, int depth) {
  lua_Integer F;
  int n;
  f = lua_absindex(L, f);
  copied = copied ? lua_absindex(L, copied) : 0;
  if (lua_iscfunction(L, f)) {
    if (cu_perm_name(L, S, f) == LUA_TNIL)
      luaL_error(L, "cannot store this C function (only standard library and host "
                    "functions are stored, by name)");
    lua_pop(L, 1);
    return;
  }
  cu_persist_need(L, S);
  if (cu_refget(L, S->fn.fnids, f) == LUA_TNUMBER) {
    lua_pop(L, 1);
    return;
  }
  lua_pop(L, 1);
  if (depth > CU_MAXDEPTH)
    luaL_error(L, "value nested too deeply (more than %d levels)", CU_MAXDEPTH);
  cu_stack_check(L, 8, "value nested too deeply");
  F = (lua_Integer)S->ext.nextid++;
  lua_pushinteger(L, F);
  cu_refset(L, S->fn.fnids, f, -1);
  lua_pop(L, 1);
  cu_refseti(L, S->fn.fns, F, f);
  lua_pushboolean(L, 1);
  cu_refseti(L, S->fn.fnnew, F, -1);
  S->fn.nnew++;
  lua_pop(L, 1);
  n = nupvalues(L, f);
  for (int i = 1; i <= n; i++)
    if (!isenv(L, f, i))
      boxof(L, S, f, i, 1, copied, depth);
}


void cu_persist_encode (lua_State *L, cu_State *S, cu_Buf *b, int f) {
  if (lua_iscfunction(L, f)) {
    size_t len;
    const char *name;
    if (cu_perm_name(L, S, f) != LUA_TSTRING)
      luaL_error(L, "cannot store this C function");
    name = lua_tolstring(L, -1, &len);
    cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_PERMANENT);
    cu_value_string(L, b, name, len);
    lua_pop(L, 1);
    return;
  }
  if (!cu_persist_made(S) || cu_refget(L, S->fn.fnids, f) != LUA_TNUMBER)
    luaL_error(L, "storage error: a stored function was not prepared");
  cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_FUNCREF);
  cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)lua_tointeger(L, -1));
  lua_pop(L, 1);
}


/* Is the table in registry slot 'slot' empty? */
static int isempty (lua_State *L, int slot) {
  int top = lua_gettop(L), empty;
  cu_getref(L, slot);
  lua_pushnil(L);
  empty = !lua_next(L, top + 1);
  lua_settop(L, top);
  return empty;
}


int cu_persist_idle (lua_State *L, cu_State *S) {
  if (S->fn.nnew != 0)
    return 0;
  if (S->fn.nboxes != 0) { /* boxes were put (so the registries exist) since last empty */
    if (!isempty(L, S->fn.boxes) || !isempty(L, S->fn.boxp))
      return 0;
    S->fn.nboxes = 0;
  }
  return 1;
}

/*
** Is box B of closure f (at f) loaded, with the upvalue still the value it
** holds? Reads only: no table changes, no load, no allocation.
*/
static int unchanged (lua_State *L, cu_State *S, lua_Integer B, int f) {
  int top = lua_gettop(L), same = 0;
  if (cu_refgeti(L, S->fn.boxidx, B) == LUA_TNUMBER && cu_refgeti(L, S->fn.boxp, B) == LUA_TTABLE &&
      cu_ext_peekcache(L, -1) == LUA_TTABLE &&
      lua_getupvalue(L, f, (int)lua_tointeger(L, top + 1)) != NULL) {
    lua_rawgeti(L, top + 3, 1);
    same = lua_rawequal(L, -1, -2);
  }
  lua_settop(L, top);
  return same;
}

/*
** Boxes whose upvalue changed since they were written are dirty again.
** A first pass over the boxes only reads; the boxes it cannot vouch for
** (changed, not loaded, no proxy) are listed and synced afterwards, since
** syncing may load rows and add boxes, which a traversal must not see.
*/
void cu_persist_sync (lua_State *L, cu_State *S) {
  int list, n = 0, top = lua_gettop(L);
  if (!cu_persist_made(S) || (isempty(L, S->fn.boxes) && isempty(L, S->fn.boxp)))
    return;       /* no stored closure: nothing to sync (and no allocation) */
  lua_pushnil(L); /* list: made at the first box to sync */
  list = lua_gettop(L);
  cu_getref(L, S->fn.boxes);
  lua_pushnil(L);
  while (lua_next(L, list + 1)) {
    if (lua_type(L, -1) != LUA_TFUNCTION || !unchanged(L, S, lua_tointeger(L, -2), lua_gettop(L))) {
      if (n == 0) {
        lua_newtable(L);
        lua_replace(L, list);
      }
      lua_pushvalue(L, -2);
      lua_rawseti(L, list, ++n);
    }
    lua_pop(L, 1);
  }
  for (int k = 1; k <= n; k++) {
    lua_Integer B;
    int f, p, c;
    lua_settop(L, list);
    lua_rawgeti(L, list, k);
    B = lua_tointeger(L, -1);
    if (cu_refgeti(L, S->fn.boxes, B) != LUA_TFUNCTION)
      continue;
    f = lua_gettop(L);
    cu_refgeti(L, S->fn.boxidx, B);
    if (cu_refgeti(L, S->fn.boxp, B) != LUA_TTABLE) {
      lua_pop(L, 1);
      cu_ext_push(L, S, B);
      cu_refseti(L, S->fn.boxp, B, -1);
      S->fn.nboxes++;
    }
    p = lua_gettop(L);
    cu_ext_pushcache(L, S, p);
    c = p + 1;
    lua_getupvalue(L, f, (int)lua_tointeger(L, f + 1));
    lua_rawgeti(L, c, 1);
    if (lua_rawequal(L, -1, -2))
      continue;
    lua_pop(L, 1);
    cu_ext_convert(L, S, -1, 0, 0);
    if (lua_type(L, -2) == LUA_TTABLE && !lua_rawequal(L, -1, -2)) {
      lua_pushvalue(L, -1);
      lua_setupvalue(L, f, (int)lua_tointeger(L, f + 1));
    }
    lua_rawseti(L, c, 1);
    lua_pushinteger(L, 1);
    cu_ext_markdirty(L, S, p, -1);
  }
  /* boxes of collected closures need their proxies no more */
  lua_settop(L, list);
  cu_getref(L, S->fn.boxp);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    lua_pop(L, 1);
    if (cu_refgeti(L, S->fn.boxes, lua_tointeger(L, -1)) == LUA_TNIL) {
      lua_pushvalue(L, -2);
      lua_pushnil(L);
      lua_rawset(L, -5);
    }
    lua_pop(L, 1);
  }
  lua_settop(L, top);
}


/* Sets t[k] = nil in the table of registry slot 'slot' when present (no allocation). */
static void unsetint (lua_State *L, int slot, lua_Integer k) {
  cu_getref(L, slot);
  if (lua_rawgeti(L, -1, k) != LUA_TNIL) {
    lua_pushnil(L);
    lua_rawseti(L, -3, k);
  }
  lua_pop(L, 2);
}

int cu_persist_any (lua_State *L, cu_State *S) {
  return cu_persist_made(S) &&
         (!isempty(L, S->fn.fns) || !isempty(L, S->fn.boxes) || !isempty(L, S->fn.boxp));
}


/*
** The store removed table 'id' (nothing referred to it any more). When it
** was a function row, its closure, if still alive, is registered no more:
** stored again, it gets a new id and a new row, never a reference to the
** row that is gone. When it was a box, the closure's upvalue gets a new box
** the same way. Only existing keys are cleared: no allocation.
*/
void cu_persist_removed (lua_State *L, cu_State *S, lua_Integer id) {
  int top = lua_gettop(L);
  if (!cu_persist_made(S))
    return;
  if (cu_refgeti(L, S->fn.fns, id) == LUA_TFUNCTION) {
    cu_getref(L, S->fn.fnids);
    lua_pushvalue(L, -2);
    if (lua_rawget(L, -2) == LUA_TNUMBER && lua_tointeger(L, -1) == id) {
      lua_pushvalue(L, top + 1);
      lua_pushnil(L);
      lua_rawset(L, top + 2);
    }
    unsetint(L, S->fn.fns, id);
  }
  lua_settop(L, top);
  if (cu_refgeti(L, S->fn.boxes, id) == LUA_TFUNCTION &&
      cu_refgeti(L, S->fn.boxidx, id) == LUA_TNUMBER) {
    void *uid = lua_upvalueid(L, top + 1, (int)lua_tointeger(L, top + 2));
    cu_getref(L, S->fn.upids);
    lua_pushlightuserdata(L, uid);
    if (lua_rawget(L, -2) == LUA_TNUMBER && lua_tointeger(L, -1) == id) {
      lua_pushlightuserdata(L, uid);
      lua_pushnil(L);
      lua_rawset(L, top + 3);
    }
  }
  lua_settop(L, top);
  unsetint(L, S->fn.boxes, id);
  unsetint(L, S->fn.boxidx, id);
  unsetint(L, S->fn.boxp, id);
}


/* --------------------------------------------------------- function rows */

typedef struct DumpState {
  luaL_Buffer B;
  int init;
} DumpState;

static int writer (lua_State *L, const void *p, size_t sz, void *ud) {
  DumpState *d = (DumpState *)ud;
  if (!d->init) {
    d->init = 1;
    luaL_buffinit(L, &d->B);
  }
  luaL_addlstring(&d->B, (const char *)p, sz);
  return 0;
}

/* Encodes tag FUNCTION [bytecode, descriptors] for Lua function f. */
static void enc_blob (lua_State *L, cu_State *S, cu_Buf *b, int f) {
  DumpState d;
  size_t len;
  const char *code;
  int n;
  d.init = 0;
  lua_pushvalue(L, f);
  lua_dump(L, writer, &d, 0);
  luaL_pushresult(&d.B);
  code = lua_tolstring(L, -1, &len);
  cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_FUNCTION);
  cu_buf_head(L, b, CU_CBOR_ARRAY, 2);
  cu_buf_head(L, b, CU_CBOR_BYTES, len);
  cu_buf_add(L, b, code, len);
  lua_pop(L, 2);
  n = nupvalues(L, f);
  cu_buf_head(L, b, CU_CBOR_ARRAY, (uint64_t)n);
  for (int i = 1; i <= n; i++) {
    if (isenv(L, f, i)) {
      cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_ENV);
      cu_buf_byte(L, b, CU_CBOR_NULL);
    }
    else {
      cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_BOX);
      cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)boxof(L, S, f, i, 0, 0, 0));
    }
  }
}

/* Appends rows (F, 0, blob) for the functions new in this run. */
uint64_t cu_persist_rows (lua_State *L, cu_State *S, cu_Buf *b) {
  uint64_t n = 0;
  int top = lua_gettop(L);
  if (!cu_persist_made(S))
    return 0;
  cu_getref(L, S->fn.fnnew);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) {
    lua_Integer F = lua_tointeger(L, -2);
    lua_pop(L, 1);
    if (cu_refgeti(L, S->fn.fns, F) == LUA_TFUNCTION) {
      cu_buf_head(L, b, CU_CBOR_ARRAY, 3);
      cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)F);
      cu_buf_head(L, b, CU_CBOR_UINT, 0);
      enc_blob(L, S, b, lua_gettop(L));
      n++;
    }
    lua_pop(L, 1);
  }
  lua_settop(L, top);
  return n;
}


/*
** After a failed run, closures with boxes get back the upvalues of the
** last commit: a failed compute changes no stored state, closure state
** included. Boxes whose cache is gone keep the live value.
*/
static void restore_upvalues (lua_State *L, cu_State *S) {
  int top = lua_gettop(L);
  cu_getref(L, S->fn.boxes);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) { /* B -> f; only existing keys change */
    lua_Integer B = lua_tointeger(L, -2);
    int f = lua_gettop(L);
    if (cu_refgeti(L, S->fn.boxidx, B) == LUA_TNUMBER &&
        cu_refgeti(L, S->fn.boxp, B) == LUA_TTABLE) {
      if (cu_ext_peekcache(L, -1) == LUA_TTABLE) {
        lua_rawgeti(L, -1, 1);
        lua_setupvalue(L, f, (int)lua_tointeger(L, f + 1));
      }
    }
    lua_settop(L, f - 1);
  }
  lua_settop(L, top);
}

/* Ends a run: with 'discard', what it created is unregistered. No allocation. */
void cu_persist_forget (lua_State *L, cu_State *S, int discard) {
  int top = lua_gettop(L);
  if (!cu_persist_made(S))
    return; /* nothing prepared or loaded yet */
  if (discard)
    restore_upvalues(L, S);
  cu_getref(L, S->fn.fnnew);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) {
    lua_pop(L, 1);
    if (discard) {
      if (cu_refgeti(L, S->fn.fns, lua_tointeger(L, -1)) == LUA_TFUNCTION) {
        cu_getref(L, S->fn.fnids);
        lua_pushvalue(L, -2);
        lua_pushnil(L);
        lua_rawset(L, -3);
        lua_pop(L, 1);
        cu_getref(L, S->fn.fns);
        lua_pushnil(L);
        lua_rawseti(L, -2, lua_tointeger(L, -4));
        lua_pop(L, 1);
      }
      lua_pop(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, top + 1);
  }
  lua_settop(L, top);
  cu_getref(L, S->fn.boxnew);
  lua_pushnil(L);
  while (lua_next(L, top + 1)) {
    lua_pop(L, 1);
    if (discard) {
      cu_getref(L, S->fn.boxes);
      lua_pushnil(L);
      lua_rawseti(L, -2, lua_tointeger(L, -3));
      lua_pop(L, 1);
    }
    lua_pushvalue(L, -1);
    lua_pushnil(L);
    lua_rawset(L, top + 1);
  }
  lua_settop(L, top);
  S->fn.nnew = 0;
}
