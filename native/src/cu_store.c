/*
** cu_store.c - the store client: the one loader of rows (tables and
** functions alike) with the rows' codec, commit and rollback of a run's
** changes, and the exports that connect the store
** (docs/ARCHITECTURE.md#external-tables).
*/
#include <stdlib.h>
#include <string.h>

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"
#include "cu_value.h"
#include "cu_valuedec.h"
#include "cu_ext.h"
#include "cu_persist.h"
#include "cu_fnload.h"
#include "cu_json.h" /* the array mark and json.null */
#include "cu_raw.h"
#include "cu_store.h"


/* ------------------------------------------------------------ loading */

/*
** The rows' codec: its tag hook decodes table and function references,
** stored functions and the metatable key, which only the store's rows
** hold (values from Java refuse them). 'fn' is the id of the function
** row being decoded, 0 once its function is made (or for a table's rows),
** so a row cannot lend its id to another function.
*/
typedef struct RowCtx {
  cu_State *S;
  int64_t fn;
} RowCtx;

static int rowtag (lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud) {
  RowCtx *c = (RowCtx *)ud;
  return cu_ext_rowtag(L, c->S, r, tag) || cu_fnload_rowtag(L, c->S, r, tag, &c->fn, depth);
}

/*
** The one loader of rows (S->store.load): asks Java for the rows of 'id'
** and decodes them with the rows' codec, starting at 'depth'.
*/
static void load (lua_State *L, cu_State *S, int64_t id, int64_t fn, int depth) {
  RowCtx ctx;
  cu_Codec c;
  size_t len;
  const char *rows;
  if (S->up.loadfn == NULL) {
    if (fn != 0)
      luaL_error(L, "storage error: function %I is not available", (lua_Integer)id);
    lua_newtable(L);
    return;
  }
  S->up.replylen = 0;
  if (S->up.loadfn(S, id) != 0)
    cu_upcall_error(L, S, "storage error");
  if (S->up.replylen == 0 && fn == 0) { /* a table with no rows */
    lua_newtable(L);
    return;
  }
  /* decode a copy: nested loads (functions, boxes) reuse the reply buffer */
  lua_pushlstring(L, (const char *)S->up.reply, S->up.replylen);
  rows = lua_tolstring(L, -1, &len);
  ctx.S = S;
  ctx.fn = fn;
  c.view = NULL;
  c.tag = rowtag;
  c.other = NULL;
  c.ud = &ctx;
  c.cycles = 0;
  c.depth = depth;
  cu_valuedec_value(L, (const unsigned char *)rows, len, &c);
  lua_remove(L, -2);
}


void cu_store_open (cu_State *S) {
  S->store.load = load;
}


/* ------------------------------------------------------------- commit */

static void enc_stored (lua_State *L, cu_State *S, cu_Buf *b, int v) {
  int64_t id;
  if (lua_type(L, v) == LUA_TTABLE && cu_ext_id(L, v, &id)) {
    cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_EXTREF);
    cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)id);
  }
  else if (lua_type(L, v) == LUA_TFUNCTION)
    cu_persist_encode(L, S, b, v);
  else if (cu_json_isnull(L, v)) { /* a null value would delete the row */
    cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_NULL);
    cu_buf_byte(L, b, CU_CBOR_NULL);
  }
  else if (!cu_value_bigint(L, b, v)) /* a bigint is tag 2 or 3 */
    cu_value_scalar(L, b, v);
}


/* The row (id, ARRAY) -> true: table id is an array, even when empty. */
static void arrayrow (lua_State *L, cu_Buf *b, int64_t id) {
  cu_buf_head(L, b, CU_CBOR_ARRAY, 3);
  cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)id);
  cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_ARRAY);
  cu_buf_byte(L, b, CU_CBOR_NULL);
  cu_buf_byte(L, b, CU_CBOR_TRUE);
}


static void entry (lua_State *L, cu_State *S, cu_Buf *b, int64_t id, int k, int v) {
  cu_buf_head(L, b, CU_CBOR_ARRAY, 3);
  cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)id);
  cu_value_scalar(L, b, k);
  enc_stored(L, S, b, v);
}


/*
** The commit's reply lists the ids of the tables the store removed as
** unreachable (a CBOR array of unsigned integers); proxies still alive in
** the VM for them are marked detached. Read in place: a long list needs no
** stack.
*/
static void detach (lua_State *L, cu_State *S) {
  cu_Reader r;
  uint64_t n, id;
  int fns;
  r.p = S->up.reply;
  r.end = S->up.reply + S->up.replylen;
  if (!cu_cbor_expect(&r, CU_CBOR_ARRAY, &n))
    luaL_error(L, "storage error: the list of removed tables is not an array");
  fns = cu_persist_any(L, S);
  cu_getref(L, S->ext.proxies);
  for (; n > 0; n--) {
    if (!cu_cbor_expect(&r, CU_CBOR_UINT, &id))
      luaL_error(L, "storage error: the list of removed tables holds a non-id");
    if (id > (uint64_t)LUA_MAXINTEGER)
      continue; /* no such proxy */
    if (lua_rawgeti(L, -1, (lua_Integer)id) == LUA_TTABLE) {
      lua_pushboolean(L, 1);
      cu_ext_sethidden(L, -2, CU_K_DETACHED);
    }
    lua_pop(L, 1);
    if (fns)
      cu_persist_removed(L, S, (lua_Integer)id);
  }
  lua_pop(L, 1);
}


int cu_store_idle (lua_State *L, cu_State *S) {
  return S->ext.ndirty == 0 && cu_persist_idle(L, S);
}

/*
** Sends this run's changes to the store as one CBOR array of
** [id, key, value] (value null = delete), then forgets them.
*/
void cu_store_commit (lua_State *L, cu_State *S) {
  cu_Buf *b = &S->buf.delta;
  uint64_t n = 0;
  int dirty;
  lua_Integer ndirty;
  cu_persist_sync(L, S); /* changed upvalues mark their boxes dirty */
  cu_getref(L, S->ext.dirty);
  dirty = lua_gettop(L);
  ndirty = (lua_Integer)S->ext.ndirty;
  if (ndirty == 0) {
    lua_pop(L, 1);
    cu_store_forget(L, S, 0);
    return;
  }
  cu_buf_reset(L, b);
  cu_buf_prep(L, b, CU_CBOR_HEADMAX);
  b->n = CU_CBOR_HEADMAX; /* room for the array's head, written last */
  for (lua_Integer i = 1; i <= ndirty; i++) {
    int p = dirty + 1, keys = p + 1, c;
    int64_t id;
    lua_rawgeti(L, dirty, i);
    if (cu_ext_hidden(L, p, CU_K_DIRTY) == LUA_TNIL || !cu_ext_id(L, p, &id)) {
      lua_settop(L, dirty);
      continue;
    }
    cu_ext_pushcache(L, S, p);
    c = lua_gettop(L);
    if (lua_type(L, keys) == LUA_TBOOLEAN) {
      /* by position: encoding gives c no new key */
      for (unsigned int pos = 0; cu_raw_next(L, c, &pos);) {
        entry(L, S, b, id, c + 1, c + 2);
        n++;
        lua_pop(L, 2);
      }
      if (cu_ext_hidden(L, p, CU_K_META) == LUA_TTABLE) { /* row (id, META) -> metatable */
        cu_buf_head(L, b, CU_CBOR_ARRAY, 3);
        cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)id);
        cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_META);
        cu_buf_byte(L, b, CU_CBOR_NULL);
        enc_stored(L, S, b, lua_gettop(L));
        n++;
      }
      lua_pop(L, 1);
      if (cu_json_marked(L, c)) {
        arrayrow(L, b, id);
        n++;
      }
    }
    else {
      lua_pushnil(L);
      while (lua_next(L, keys)) {
        if (cu_ext_isarraykey(L, -2)) { /* json.array on a stored table */
          arrayrow(L, b, id);
          n++;
          lua_pop(L, 1);
          continue;
        }
        lua_pushvalue(L, -2);
        lua_rawget(L, c);
        entry(L, S, b, id, c + 1, c + 3);
        n++;
        lua_pop(L, 2);
      }
    }
    lua_settop(L, dirty);
  }
  lua_pop(L, 1);
  n += cu_persist_rows(L, S, b);
  cu_cbor_head8(b->p, CU_CBOR_ARRAY, n);
  S->info.ext_nextid = S->ext.nextid; /* the store persists it with the delta */
  if (S->up.commitfn != NULL) {
    S->up.replylen = 0;
    if (S->up.commitfn(S, b->p, b->n) != 0)
      cu_upcall_error(L, S, "storage error");
  }
  cu_store_forget(L, S, 0);
  if (S->up.replylen > 0)
    detach(L, S);
}


/*
** Ends the run's bookkeeping. With 'discard', the caches of changed tables
** are dropped so they reload from the store: a failed run changes nothing.
** Allocates nothing, so it cannot fail.
*/
void cu_store_forget (lua_State *L, cu_State *S, int discard) {
  int dirty;
  cu_getref(L, S->ext.dirty);
  dirty = lua_gettop(L);
  for (lua_Integer i = (lua_Integer)S->ext.ndirty; i > 0; i--) {
    lua_rawgeti(L, dirty, i);
    if (discard) {
      lua_pushnil(L);
      cu_ext_sethidden(L, -2, CU_K_CACHE);
      if (cu_ext_hidden(L, -1, CU_K_META) == LUA_TNIL) { /* a hot proxy reads its cache */
        cu_getref(L, S->ext.mt);
        lua_setmetatable(L, -3);
      }
      lua_pop(L, 1);
    }
    lua_pushnil(L);
    cu_ext_sethidden(L, -2, CU_K_DIRTY);
    lua_pop(L, 1);
    lua_pushnil(L);
    lua_rawseti(L, dirty, i);
  }
  S->ext.ndirty = 0;
  lua_settop(L, dirty - 1);
  cu_persist_forget(L, S, discard);
}


/* --------------------------------------------------------------- exports */

CU_API void cu_ext_setstore (cu_State *S, cu_LoadFn load, cu_CommitFn commit) {
  S->up.loadfn = load;
  S->up.commitfn = commit;
}


CU_API void cu_ext_setnextid (cu_State *S, int64_t id) {
  S->ext.nextid = id;
  S->info.ext_nextid = id;
}


typedef struct RootArgs {
  const char *global;
  int64_t id;
} RootArgs;

static int proot (lua_State *L) {
  RootArgs *a = (RootArgs *)lua_touserdata(L, 1);
  if (a->id > 0)
    cu_ext_push(L, cu_getstate(L), a->id);
  else
    lua_pushnil(L);
  lua_setglobal(L, a->global);
  return 0;
}

static int pdetached (lua_State *L) {
  detach(L, cu_getstate(L));
  return 0;
}

CU_API int cu_ext_detached (cu_State *S, const unsigned char *ids, size_t len) {
  int st;
  if (len == 0)
    return CU_OK;
  if (cu_upcall_reply(S, ids, len) != CU_OK)
    return CU_ERRMEM;
  st = cu_protect(S, pdetached, NULL);
  S->up.replylen = 0;
  return st == LUA_OK ? CU_OK : st == LUA_ERRMEM ? CU_ERRMEM : CU_ERRVALUE;
}


/* Proxies still held by Lua code lose their id and content: they are stale. */
static void stale (lua_State *L, cu_State *S) {
  cu_getref(L, S->ext.proxies);
  lua_pushnil(L);
  while (lua_next(L, -2)) {
    if (cu_ext_hidden(L, -1, CU_K_META) == LUA_TNIL) { /* a hot proxy reads its cache */
      cu_getref(L, S->ext.mt);
      lua_setmetatable(L, -3);
    }
    lua_pop(L, 1);
    for (int i = 0; i < CU_K_COUNT; i++) {
      lua_pushnil(L);
      cu_ext_sethidden(L, -2, &cu_ext_keys[i]);
    }
    lua_pop(L, 1);
  }
  lua_pop(L, 1);
}

static int preset (lua_State *L) {
  cu_State *S = cu_getstate(L);
  stale(L, S);
  cu_renewref(L, &S->ext.proxies, "v");
  cu_renewref(L, &S->ext.dirty, NULL);
  S->ext.ndirty = 0;
  cu_persist_reset(L, S);
  return 0;
}

CU_API int cu_ext_reset (cu_State *S, int64_t nextid) {
  if (cu_protect(S, preset, NULL) != LUA_OK)
    return CU_ERRMEM;
  cu_ext_setnextid(S, nextid);
  return CU_OK;
}


CU_API int cu_ext_setroot (cu_State *S, const char *global, int64_t id) {
  RootArgs a;
  a.global = global;
  a.id = id;
  return cu_protect(S, proot, &a) == LUA_OK ? CU_OK : CU_ERRMEM;
}
