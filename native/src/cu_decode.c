/*
** cu_decode.c - the CBOR decoder (docs/FORMAT.md): bytes from Java become
** Lua values. It never reads outside its input and raises a Lua error for
** every malformed input; callers run it under lua_pcall.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "cu_internal.h"


/*
** Decoding the store's rows can load more rows: a function reference loads
** the function's row, a function's upvalue loads its box. Such a nested
** decode starts at the depth of the item that caused it (S->decdepth, set
** around the push and taken by the nested decode). Each row may nest
** CU_MAXDEPTH deep from where it starts, and the whole chain MAXNEST deep,
** which bounds the C stack of the chain: rows that reference each other in
** a loop (a forged store) get an error, not a stack overflow. A stored
** closure calling another through an upvalue costs 4 levels, so chains of
** about 250 closures load.
** An error between setting and taking S->decdepth leaves it set; every
** export clears it (cu_protect), and within one run a stale value only
** shortens the depth a later row may have. S->pendingfn, the id of the
** function row cu_persist_push asks for, is taken at once the same way, so
** a row that fails to decode cannot lend its id to a later function.
*/
#define MAXNEST 1000

typedef struct Dec {
  lua_State *L;
  int start;             /* depth of the row's first item */
  const unsigned char *p, *end;
  int shared;            /* stack index of the tag-28 table (nil until needed) */
  lua_Integer nshared;
  int refs;              /* accept table and function references */
  int64_t fn;            /* id of the function row being decoded, or 0 */
} Dec;


static CU_NORETURN void bad (Dec *d, const char *what) {
  luaL_error(d->L, "malformed CBOR input: %s", what);
  abort();  /* not reached: luaL_error does not return */
}

static unsigned take (Dec *d) {
  if (d->p >= d->end)
    bad(d, "truncated");
  return *d->p++;
}

static uint64_t arg (Dec *d, unsigned ai) {
  int n;
  uint64_t v = 0;
  if (ai < 24) return ai;
  switch (ai) {
    case 24: n = 1; break;
    case 25: n = 2; break;
    case 26: n = 4; break;
    case 27: n = 8; break;
    default: bad(d, "unsupported length or indefinite item");
  }
  if (d->end - d->p < n)
    bad(d, "truncated");
  while (n--) v = (v << 8) | *d->p++;
  return v;
}

/* A count of items that each take at least 'unit' bytes of what is left. */
static size_t count (Dec *d, uint64_t n, size_t unit) {
  if (n > (uint64_t)(d->end - d->p) / unit)
    bad(d, "length exceeds the input");
  return (size_t)n;
}

static double half (unsigned h) {
  int e = (h >> 10) & 0x1f;
  unsigned m = h & 0x3ff;
  double v = (e == 0) ? ldexp(m, -24)
           : (e == 31) ? (m == 0 ? HUGE_VAL : NAN)
           : ldexp(m + 1024, e - 25);
  return (h & 0x8000) ? -v : v;
}

static void item (Dec *d, int depth);

static void fill_array (Dec *d, size_t n, int depth) {
  int t = lua_gettop(d->L);
  for (size_t i = 1; i <= n; i++) {
    item(d, depth + 1);
    lua_rawseti(d->L, t, (lua_Integer)i);
  }
}

static void fill_map (Dec *d, size_t n, int depth) {
  lua_State *L = d->L;
  int t = lua_gettop(L);
  for (size_t i = 0; i < n; i++) {
    item(d, depth + 1);
    if (lua_isnil(L, -1) ||
        (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) != lua_tonumber(L, -1)))
      bad(d, "nil or NaN table key");
    item(d, depth + 1);
    lua_rawset(L, t);
  }
}

/* Tag 28 around an array or map: the table is registered before its content. */
static void shareable (Dec *d, int depth) {
  lua_State *L = d->L;
  unsigned ib = take(d);
  uint64_t n = arg(d, ib & 31);
  if (lua_isnil(L, d->shared)) {
    lua_newtable(L);
    lua_replace(L, d->shared);
  }
  if ((ib >> 5) == 4) {
    size_t c = count(d, n, 1);
    lua_createtable(L, (int)(c < 1024 ? c : 1024), 0);
    lua_pushvalue(L, -1);
    lua_rawseti(L, d->shared, d->nshared++);
    fill_array(d, c, depth);
  }
  else if ((ib >> 5) == 5) {
    size_t c = count(d, n, 2);
    lua_createtable(L, 0, (int)(c < 1024 ? c : 1024));
    lua_pushvalue(L, -1);
    lua_rawseti(L, d->shared, d->nshared++);
    fill_map(d, c, depth);
  }
  else
    bad(d, "tag 28 must mark an array or a map");
}

/* An unsigned id (table, function or box). */
static uint64_t uid (Dec *d) {
  unsigned ib = take(d);
  uint64_t id;
  if ((ib >> 5) != 0) bad(d, "reference tags need an unsigned id");
  id = arg(d, ib & 31);
  if (id == 0 || id > (uint64_t)LUA_MAXINTEGER) bad(d, "reference out of range");
  return id;
}

/* A head of major type 'major'; returns its argument. */
static uint64_t expect (Dec *d, unsigned major, const char *what) {
  unsigned ib = take(d);
  if ((ib >> 5) != major) bad(d, what);
  return arg(d, ib & 31);
}

/* Tag FUNCTION [bytecode, descriptors]: a stored Lua function. */
static void function (Dec *d, int depth) {
  lua_State *L = d->L;
  cu_State *S = cu_getstate(L);
  size_t len, n;
  int f;
  if (expect(d, 4, "a function is [bytecode, upvalues]") != 2) bad(d, "a function is [bytecode, upvalues]");
  len = count(d, expect(d, 2, "bytecode is a byte string"), 1);
  S->pendingfn = d->fn;  /* only the row's first function is the row's function */
  d->fn = 0;
  cu_persist_materialize(L, S, (const char *)d->p, len);
  d->p += len;
  f = lua_gettop(L);
  n = count(d, expect(d, 4, "upvalues are an array"), 1);
  for (size_t i = 1; i <= n; i++) {
    uint64_t tag = expect(d, 6, "an upvalue is a tagged item");
    if (tag == CU_TAG_ENV) {
      if (take(d) != 0xF6) bad(d, "_ENV carries null");
      lua_pushglobaltable(L);
      if (lua_setupvalue(L, f, (int)i) == NULL) lua_pop(L, 1);
    }
    else if (tag == CU_TAG_BOX) {
      uint64_t box = uid(d);
      if (lua_getupvalue(L, f, (int)i) == NULL) bad(d, "more upvalues than the function has");
      lua_pop(L, 1);
      S->decdepth = depth + 1;  /* binding loads the box's row */
      cu_persist_bindbox(L, S, f, (int)i, (int64_t)box);
      S->decdepth = 0;
    }
    else
      bad(d, "unknown upvalue kind");
  }
  lua_settop(L, f);
}

static void tagged (Dec *d, uint64_t tag, int depth) {
  lua_State *L = d->L;
  if (tag == CU_TAG_SHAREABLE)
    shareable(d, depth);
  else if (tag == CU_TAG_SHAREDREF) {
    unsigned ib = take(d);
    uint64_t i;
    if ((ib >> 5) != 0) bad(d, "tag 29 needs an unsigned index");
    i = arg(d, ib & 31);
    if (i >= (uint64_t)d->nshared)
      bad(d, "undefined shared reference");
    lua_rawgeti(L, d->shared, (lua_Integer)i);
  }
  else if ((tag == CU_TAG_EXTREF || tag == CU_TAG_FUNCREF) && d->refs) {
    uint64_t id = uid(d);
    cu_State *S = cu_getstate(L);
    S->decdepth = depth + 1;
    if (tag == CU_TAG_EXTREF)
      cu_ext_push(L, S, (int64_t)id);
    else
      cu_persist_push(L, S, (int64_t)id);
    S->decdepth = 0;
  }
  else if (tag == CU_TAG_PERMANENT && d->refs) {
    unsigned ib = take(d);
    size_t len;
    if ((ib >> 5) != 3) bad(d, "a standard function is named by text");
    len = count(d, arg(d, ib & 31), 1);
    cu_persist_pushpermanent(L, cu_getstate(L), (const char *)d->p, len);
    d->p += len;
  }
  else if (tag == CU_TAG_FUNCTION && d->refs)
    function(d, depth);
  else if (tag == CU_TAG_META && d->refs) {
    if (take(d) != 0xF6) bad(d, "the metatable key carries null");
    cu_ext_pushmetakey(L);
  }
  else
    bad(d, "unsupported tag");
}

static void item (Dec *d, int depth) {
  lua_State *L = d->L;
  unsigned ib, ai;
  uint64_t n;
  if (depth - d->start > CU_MAXDEPTH || depth > MAXNEST)
    bad(d, "nested too deeply");
  luaL_checkstack(L, 4, "CBOR input nested too deeply");
  ib = take(d);
  ai = ib & 31;
  switch (ib >> 5) {
    case 0:
      n = arg(d, ai);
      if (n > (uint64_t)LUA_MAXINTEGER) bad(d, "integer out of range");
      lua_pushinteger(L, (lua_Integer)n);
      break;
    case 1:
      n = arg(d, ai);
      if (n > (uint64_t)LUA_MAXINTEGER) bad(d, "integer out of range");
      lua_pushinteger(L, -1 - (lua_Integer)n);
      break;
    case 2: case 3: {
      size_t len = count(d, arg(d, ai), 1);
      lua_pushlstring(L, (const char *)d->p, len);
      d->p += len;
      break;
    }
    case 4: {
      size_t c = count(d, arg(d, ai), 1);
      lua_createtable(L, (int)(c < 1024 ? c : 1024), 0);
      fill_array(d, c, depth);
      break;
    }
    case 5: {
      size_t c = count(d, arg(d, ai), 2);
      lua_createtable(L, 0, (int)(c < 1024 ? c : 1024));
      fill_map(d, c, depth);
      break;
    }
    case 6:
      tagged(d, arg(d, ai), depth);
      break;
    default:
      switch (ai) {
        case 20: lua_pushboolean(L, 0); break;
        case 21: lua_pushboolean(L, 1); break;
        case 22: case 23: lua_pushnil(L); break;
        case 25: lua_pushnumber(L, half((unsigned)arg(d, ai))); break;
        case 26: {
          uint32_t u = (uint32_t)arg(d, ai);
          float f;
          memcpy(&f, &u, 4);
          lua_pushnumber(L, f);
          break;
        }
        case 27: {
          uint64_t u = arg(d, ai);
          double x;
          memcpy(&x, &u, 8);
          lua_pushnumber(L, x);
          break;
        }
        default: bad(d, "unsupported simple value");
      }
  }
}


/*
** Decodes one CBOR item that fills data[0, len) and pushes it as a Lua
** value. With 'spread', the item must be an array and its elements are
** pushed instead; returns the number of values pushed. Table and function
** references (cu's tags 0x63750002/3) are accepted only with 'refs': they
** come from the store, never from Java values.
*/
int cu_dec_values (lua_State *L, const unsigned char *data, size_t len,
                   int spread, int refs) {
  Dec d;
  int base = lua_gettop(L), n, depth = 0;
  d.fn = 0;
  if (refs) {  /* taken before anything can raise: an error leaves neither set */
    cu_State *S = cu_getstate(L);
    depth = S->decdepth;  /* nested in another decode of rows, or 0 */
    S->decdepth = 0;
    d.fn = S->pendingfn;
    S->pendingfn = 0;
  }
  luaL_checkstack(L, 2, "cannot decode");
  lua_pushnil(L);  /* the table of shared values, created at the first tag 28 */
  d.L = L; d.p = data; d.end = data + len; d.shared = base + 1; d.nshared = 0;
  d.refs = refs;
  d.start = depth;
  if (spread) {
    unsigned ib = take(&d);
    size_t c;
    if ((ib >> 5) != 4) bad(&d, "expected an array of values");
    c = count(&d, arg(&d, ib & 31), 1);
    luaL_checkstack(L, (int)(c < 1000000 ? c : 1000000) + 4, "too many values");
    for (size_t i = 0; i < c; i++) item(&d, depth);
  }
  else
    item(&d, depth);
  if (d.p != d.end)
    bad(&d, "trailing bytes");
  lua_remove(L, d.shared);
  n = lua_gettop(L) - base;
  return n;
}
