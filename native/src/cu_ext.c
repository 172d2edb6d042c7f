/*
** cu_ext.c - external tables: Lua proxies whose content lives in a Java
** TableStore (docs/ARCHITECTURE.md#external-tables).
**
** Invariants:
** - a proxy is a table with the metatable S->ext.mt (or its own, see
**   bindmeta) and no entries a script can reach: its only raw entries are
**   kept under light-userdata keys (K_ID, K_CACHE, K_DIRTY, K_META) that
**   no Lua code can produce, and every raw access (next, rawget, rawlen,
**   rawset) is wrapped by the sandbox;
** - p[K_ID] is its id and proxies[id] is p (weak values), so one id has at
**   most one live proxy: identity is stable while anything references it;
** - p[K_CACHE] holds the loaded entries; nested external tables appear
**   there as their proxies, never as plain tables;
** - p[K_DIRTY] is true for a table created in this run (all keys new) or
**   a set of changed keys; a dirty proxy is also listed once in the array
**   S->ext.dirty, which pins it and so its cache until the run commits or
**   rolls back;
** - p[K_META] is the proxy of its stored metatable, if any;
** - p[K_DETACHED] is true when the store removed its table (unreachable at
**   a commit) while the proxy was still alive.
** Keeping these in the proxy makes every hook one small raw lookup instead
** of lookups in registry-wide weak tables (which also cost the collector).
*/
#include <stdlib.h>
#include <string.h>

#include "cu_cbor.h" /* CU_MAXDEPTH */
#include "cu_core.h"
#include "cu_valuedec.h"
#include "cu_bigint.h"
#include "cu_io.h"
#include "cu_persist.h"
#include "cu_json.h" /* the array mark and json.null */
#include "cu_stack.h"
#include "cu_ext.h"

typedef struct Copying Copying;
static void convert (lua_State *L, cu_State *S, int v, int copied, int depth, const Copying *up);


const char cu_ext_keys[CU_K_COUNT];


/* The cache key a loaded table's metatable row decodes to; never left in a cache. */
static const char metakey = 'm';

void cu_ext_pushmetakey (lua_State *L) {
  lua_pushlightuserdata(L, (void *)&metakey);
}

/* The cache key a loaded table's array row decodes to; never left in a cache. */
static const char arraykey = 'a';

/* Events a stored metatable gives its proxy directly (the hooks handle the rest). */
static const char *const direct_events[] = {
  "__call", "__add",  "__sub", "__mul",   "__div",  "__mod", "__pow",  "__unm",
  "__idiv", "__band", "__bor", "__bxor",  "__shl",  "__shr", "__bnot", "__concat",
  "__eq",   "__lt",   "__le",  "__close", "__name", NULL};

/*
** Gives proxy p (whose stored metatable is the proxy m) its own metatable:
** the hooks, plus the user's metamethods for the events the hooks do not
** handle. Invariant: p[K_META] = m.
*/
static void bindmeta (lua_State *L, cu_State *S, int p, int m) {
  p = lua_absindex(L, p);
  m = lua_absindex(L, m);
  lua_pushvalue(L, m);
  cu_ext_sethidden(L, p, CU_K_META);
  lua_newtable(L);
  lua_rawgeti(L, LUA_REGISTRYINDEX, S->ext.mt);
  lua_pushnil(L);
  while (lua_next(L, -2)) { /* copy the hooks */
    lua_pushvalue(L, -2);
    lua_insert(L, -2);
    lua_rawset(L, -5);
  }
  lua_pop(L, 1);
  for (const char *const *e = direct_events; *e; e++) {
    if (lua_getfield(L, m, *e) != LUA_TNIL)
      lua_setfield(L, -2, *e);
    else
      lua_pop(L, 1);
  }
  lua_setmetatable(L, p);
}

int cu_ext_id (lua_State *L, int idx, int64_t *id) {
  int found;
  if (lua_type(L, idx) != LUA_TTABLE)
    return 0;
  found = cu_ext_hidden(L, idx, CU_K_ID) == LUA_TNUMBER;
  if (found && id != NULL)
    *id = (int64_t)lua_tointeger(L, -1);
  lua_pop(L, 1);
  return found;
}


/* Pushes a new proxy for 'id' (table 'proxies' at the top) and registers it. */
static void newproxy (lua_State *L, cu_State *S, int64_t id) {
  lua_createtable(L, 0, 3); /* room for K_ID, K_CACHE, K_DIRTY */
  cu_getref(L, S->ext.mt);
  lua_setmetatable(L, -2);
  lua_pushinteger(L, (lua_Integer)id);
  cu_ext_sethidden(L, -2, CU_K_ID);
  lua_pushvalue(L, -1);
  lua_rawseti(L, -3, (lua_Integer)id);
}

void cu_ext_push (lua_State *L, cu_State *S, int64_t id) {
  cu_getref(L, S->ext.proxies);
  if (lua_rawgeti(L, -1, (lua_Integer)id) != LUA_TTABLE) {
    lua_pop(L, 1);
    newproxy(L, S, id);
  }
  lua_remove(L, -2);
}


int cu_ext_peekcache (lua_State *L, int p) {
  return cu_ext_hidden(L, p, CU_K_CACHE);
}


void cu_ext_pushcache (lua_State *L, cu_State *S, int p) {
  cu_ext_loadcache(L, S, p, 0);
}


void cu_ext_loadcache (lua_State *L, cu_State *S, int p, int depth) {
  int64_t id;
  if (cu_ext_hidden(L, p, CU_K_CACHE) == LUA_TTABLE)
    return;
  lua_pop(L, 1);
  p = lua_absindex(L, p);
  if (!cu_ext_id(L, p, &id))
    luaL_error(L, "stale external table: the unit's state was replaced (loadState)");
  S->store.load(L, S, id, 0, depth);
  if (!lua_istable(L, -1))
    luaL_error(L, "storage error: table %I is not a map", (lua_Integer)id);
  lua_pushvalue(L, -1);
  cu_ext_sethidden(L, p, CU_K_CACHE);
  lua_pushlightuserdata(L, (void *)&arraykey);
  if (lua_rawget(L, -2) != LUA_TNIL) { /* the array row: the cache is an array */
    lua_pushlightuserdata(L, (void *)&arraykey);
    lua_pushnil(L);
    lua_rawset(L, -4);
    cu_json_mark(L, -2);
  }
  lua_pop(L, 1);
  cu_ext_pushmetakey(L);
  if (lua_rawget(L, -2) == LUA_TTABLE) { /* a stored metatable */
    cu_ext_pushmetakey(L);
    lua_pushnil(L);
    lua_rawset(L, -4);
    bindmeta(L, S, p, -1);
  }
  lua_pop(L, 1);
}


int cu_ext_view (lua_State *L, int idx) {
  if (!cu_ext_id(L, idx, NULL))
    return 0;
  cu_ext_pushcache(L, cu_getstate(L), idx);
  return 1;
}


int cu_ext_markarray (lua_State *L, int idx) {
  cu_State *S = cu_getstate(L);
  int c;
  if (!cu_ext_id(L, idx, NULL))
    return 0;
  idx = lua_absindex(L, idx);
  cu_ext_pushcache(L, S, idx);
  c = lua_gettop(L);
  if (!cu_json_marked(L, c)) {
    cu_json_mark(L, c);
    lua_pushlightuserdata(L, (void *)&arraykey);
    cu_ext_markdirty(L, S, idx, lua_gettop(L));
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
  return 1;
}


int cu_ext_isarraykey (lua_State *L, int idx) {
  return lua_type(L, idx) == LUA_TLIGHTUSERDATA && lua_touserdata(L, idx) == (void *)&arraykey;
}


int cu_ext_content (lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  if (cu_ext_view(L, idx) || cu_io_view(L, idx))
    return 1;
  lua_pushvalue(L, idx);
  return 0;
}


int cu_ext_rowtag (lua_State *L, cu_State *S, cu_Reader *r, uint64_t tag) {
  if (tag == CU_TAG_EXTREF) {
    cu_ext_push(L, S, (int64_t)cu_valuedec_id(L, r));
    return 1;
  }
  if (tag == CU_TAG_META) {
    cu_valuedec_null(L, r, "the metatable key carries null");
    cu_ext_pushmetakey(L);
    return 1;
  }
  if (tag == CU_TAG_ARRAY) {
    cu_valuedec_null(L, r, "the array key carries null");
    lua_pushlightuserdata(L, (void *)&arraykey);
    return 1;
  }
  if (tag == CU_TAG_NULL) {
    cu_valuedec_null(L, r, "the json.null tag carries null");
    lua_pushlightuserdata(L, CU_JSON_NULL);
    return 1;
  }
  return 0;
}


void cu_ext_checkkey (lua_State *L, int k) {
  switch (lua_type(L, k)) {
    case LUA_TSTRING:
    case LUA_TBOOLEAN: return;
    case LUA_TNUMBER:
      if (lua_tonumber(L, k) != lua_tonumber(L, k))
        luaL_error(L, "index is NaN");
      return;
    case LUA_TNIL: luaL_error(L, "index is nil"); return;
    default: /* a userdata may name its kind ("bigint", "Java object") */
      if (lua_type(L, k) == LUA_TUSERDATA && luaL_getmetafield(L, k, "__name") == LUA_TSTRING)
        luaL_error(L, "external tables take string, number and boolean keys, not %s",
                   lua_tostring(L, -1));
      luaL_error(L, "external tables take string, number and boolean keys, not %s",
                 luaL_typename(L, k));
  }
}


/* Appends proxy p (not yet dirty) to the run's list of dirty proxies. */
static void listdirty (lua_State *L, cu_State *S, int p) {
  p = lua_absindex(L, p);
  cu_getref(L, S->ext.dirty);
  lua_pushvalue(L, p);
  lua_rawseti(L, -2, (lua_Integer)S->ext.ndirty + 1);
  S->ext.ndirty++;
  lua_pop(L, 1);
}

/* p is dirty as a whole: all its entries are written at the commit. */
static void dirtyall (lua_State *L, cu_State *S, int p) {
  p = lua_absindex(L, p);
  if (cu_ext_hidden(L, p, CU_K_DIRTY) == LUA_TNIL)
    listdirty(L, S, p);
  lua_pop(L, 1);
  lua_pushboolean(L, 1);
  cu_ext_sethidden(L, p, CU_K_DIRTY);
}

/* p[K_DIRTY][k] = true, unless p is dirty as a whole (p[K_DIRTY] == true). */
void cu_ext_markdirty (lua_State *L, cu_State *S, int p, int k) {
  p = lua_absindex(L, p);
  k = lua_absindex(L, k);
  switch (cu_ext_hidden(L, p, CU_K_DIRTY)) {
    case LUA_TBOOLEAN: lua_pop(L, 1); return;
    case LUA_TNIL:
      lua_pop(L, 1);
      lua_newtable(L);
      lua_pushvalue(L, -1);
      cu_ext_sethidden(L, p, CU_K_DIRTY);
      listdirty(L, S, p);
      break;
    default: break;
  }
  lua_pushvalue(L, k);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}


static int isdetached (lua_State *L, int p) {
  int is = cu_ext_hidden(L, p, CU_K_DETACHED) != LUA_TNIL;
  lua_pop(L, 1);
  return is;
}


/*
** A proxy whose table the store removed (it was unreachable at a commit)
** is being referenced again: its content, and that of detached tables it
** refers to, is written in full at the next commit. Its functions are
** prepared again: the store may have removed their rows with it
** (cu_persist_removed), and then they get new ones.
*/
static void reattach (lua_State *L, cu_State *S, int p, int depth) {
  int c;
  if (depth > CU_MAXDEPTH || !isdetached(L, p))
    return;
  cu_stack_check(L, 6, "value nested too deeply");
  lua_pushnil(L);
  cu_ext_sethidden(L, p, CU_K_DETACHED);
  dirtyall(L, S, p);
  cu_ext_pushcache(L, S, p);
  c = lua_gettop(L);
  lua_pushnil(L);
  while (lua_next(L, c)) {
    if (cu_ext_id(L, -1, NULL))
      reattach(L, S, lua_gettop(L), depth + 1);
    else if (lua_type(L, -1) == LUA_TFUNCTION) /* changes no key of c */
      cu_persist_prepare(L, S, -1, 0, depth + 1);
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}


/* Like cu_ext_fresh, with a cache sized for narr + nrec entries. */
static int fresh (lua_State *L, cu_State *S, int64_t id, int narr, int nrec) {
  int p;
  cu_getref(L, S->ext.proxies); /* ids are never reused: no lookup */
  newproxy(L, S, id);
  lua_remove(L, -2);
  p = lua_gettop(L);
  lua_createtable(L, narr, nrec);
  lua_pushvalue(L, p + 1);
  cu_ext_sethidden(L, p, CU_K_CACHE);
  listdirty(L, S, p);
  lua_pushboolean(L, 1);
  cu_ext_sethidden(L, p, CU_K_DIRTY);
  return p;
}

/*
** Pushes the proxy of a new table 'id' and its empty cache above it; the
** table is dirty as a whole. Returns the proxy's index.
*/
int cu_ext_fresh (lua_State *L, cu_State *S, int64_t id) {
  return fresh(L, S, id, 0, 0);
}


/*
** The plain tables being copied, innermost first. The map 'copied' (plain
** table -> its proxy) lives in a stack slot that holds nil until a value
** turns out to contain a table or a function: a flat record needs no map.
*/
struct Copying {
  int v, p;
  const Copying *up;
};

static void needcopied (lua_State *L, int slot, const Copying *f) {
  if (!lua_isnil(L, slot))
    return;
  lua_newtable(L);
  for (; f != NULL; f = f->up) {
    lua_pushvalue(L, f->v);
    lua_pushvalue(L, f->p);
    lua_rawset(L, -3);
  }
  lua_replace(L, slot);
}

/* Pushes the copy of plain table v (see convert). */
static void copytable (lua_State *L, cu_State *S, int v, int copied, int depth, const Copying *up) {
  Copying me;
  int n, narr, p;
  if (depth > CU_MAXDEPTH)
    luaL_error(L, "value nested too deeply (more than %d levels)", CU_MAXDEPTH);
  cu_stack_check(L, 6, "value nested too deeply");
  if (!lua_isnil(L, copied)) {
    lua_pushvalue(L, v);
    if (lua_rawget(L, copied) == LUA_TTABLE)
      return;
    lua_pop(L, 1);
  }
  n = (int)cu_raw_count(L, v); /* size the cache: no rehash while copying */
  narr = (int)lua_rawlen(L, v);
  narr = narr < n ? narr : n;
  p = fresh(L, S, S->ext.nextid++, narr, n - narr);
  if (cu_json_marked(L, v)) /* an array stays one: a row says so (cu_store.c) */
    cu_json_mark(L, p + 1);
  if (!lua_isnil(L, copied)) {
    lua_pushvalue(L, v);
    lua_pushvalue(L, p);
    lua_rawset(L, copied);
  }
  me.v = v;
  me.p = p;
  me.up = up;
  /* by position: converting a value gives v no new key */
  for (unsigned int pos = 0; cu_raw_next(L, v, &pos);) {
    int top = lua_gettop(L), t = lua_type(L, top);
    cu_ext_checkkey(L, top - 1);
    if (t == LUA_TTABLE || t == LUA_TFUNCTION)
      needcopied(L, copied, &me);
    lua_pushvalue(L, top - 1);
    convert(L, S, top, copied, depth + 1, &me);
    lua_rawset(L, p + 1);
    lua_pop(L, 2);
  }
  if (lua_getmetatable(L, v)) { /* the metatable is stored too */
    needcopied(L, copied, &me);
    convert(L, S, lua_gettop(L), copied, depth + 1, &me);
    bindmeta(L, S, p, -1);
  }
  lua_settop(L, p);
}

/*
** Pushes the storable form of value v: a plain table becomes a new
** external table (recursively; 'copied' maps each plain table met to its
** proxy, so sharing and cycles inside one assigned value survive).
** 'depth' counts the levels above v: a new table is one, a new Lua
** function two (itself and its upvalue's box, cu_persist_prepare), so one
** assignment converts at most CU_MAXDEPTH levels: the C stack stays
** bounded and what is stored loads back within the decoder's budget
** (cu_valuedec.c).
*/
static void convert (lua_State *L, cu_State *S, int v, int copied, int depth, const Copying *up) {
  switch (lua_type(L, v)) {
    case LUA_TTABLE: {
      if (cu_ext_id(L, v, NULL)) {
        reattach(L, S, v, 0);
        lua_pushvalue(L, v);
        return;
      }
      if (cu_io_view(L, v)) {
        lua_pop(L, 1);
        luaL_error(L, "cannot store _io in an external table");
      }
      copytable(L, S, v, copied, depth, up);
      return;
    }
    case LUA_TLIGHTUSERDATA:
      if (cu_json_isnull(L, v)) { /* stored as a tag (cu_store.c) */
        lua_pushvalue(L, v);
        return;
      }
      /* FALLTHROUGH */
    case LUA_TTHREAD:
    case LUA_TUSERDATA:         /* a userdata may name its kind ("Java object", cu_object.c) */
      if (cu_bigint_is(L, v)) { /* immutable: stored as itself (tags 2 and 3, cu_store.c) */
        lua_pushvalue(L, v);
        return;
      }
      if (lua_type(L, v) == LUA_TUSERDATA && luaL_getmetafield(L, v, "__name") == LUA_TSTRING)
        luaL_error(L, "cannot store a %s in an external table", lua_tostring(L, -1));
      luaL_error(L, "cannot store a %s in an external table", luaL_typename(L, v));
      return;
    case LUA_TFUNCTION:
      needcopied(L, copied, up);
      cu_persist_prepare(L, S, v, copied, depth);
      lua_pushvalue(L, v);
      return;
    default: lua_pushvalue(L, v);
  }
}


void cu_ext_convert (lua_State *L, cu_State *S, int v, int copied, int depth) {
  v = lua_absindex(L, v);
  if (copied != 0) {
    convert(L, S, v, lua_absindex(L, copied), depth, NULL);
    return;
  }
  lua_pushnil(L);
  convert(L, S, v, lua_gettop(L), depth, NULL);
  lua_remove(L, -2);
}
