/*
** cu_codec.c - the CBOR encoder (docs/FORMAT.md).
** Every function here may raise a Lua error; callers run them under
** lua_pcall.
*/
#include <limits.h>
#include <stdio.h>
#include <string.h>

#include "cu_internal.h"
#include "cu_loopstep.h"  /* a long encoding is stopped like a library loop */


/* ---------------------------------------------------------------- encoder */

/* A Lua string: CBOR text if it is valid UTF-8, a byte string otherwise. */
static void enc_string (lua_State *L, cu_Buf *b, const char *s, size_t len) {
  cu_buf_head(L, b, cu_cbor_utf8(s, len) ? CU_CBOR_TEXT : CU_CBOR_BYTES, len);
  cu_buf_add(L, b, s, len);
}


void cu_enc_text (lua_State *L, cu_Buf *b, const char *s, size_t len) {
  enc_string(L, b, s, len);
}


static void enc_integer (lua_State *L, cu_Buf *b, lua_Integer i) {
  if (i >= 0)
    cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)i);
  else  /* -1 - i, computed without overflow */
    cu_buf_head(L, b, CU_CBOR_NEGINT, ~(uint64_t)i);
}


static void enc_float (lua_State *L, cu_Buf *b, lua_Number d) {
  unsigned char *p = cu_buf_prep(L, b, CU_CBOR_HEADMAX);
  uint64_t u;
  double x = (double)d;
  memcpy(&u, &x, 8);
  cu_cbor_head8(p, CU_CBOR_SIMPLE, u);  /* CU_CBOR_FLOAT64 and the bits */
  b->n += CU_CBOR_HEADMAX;
}


/*
** Encoder state. 'seen' is the stack index of a table mapping each table
** met to its mark (see scan); it is created only when a table is encoded.
** 'path' holds the tables being scanned, outermost first (cycle check).
*/
typedef struct Enc {
  lua_State *L;
  cu_Buf *b;
  int seen;
  int depth;                      /* tables on 'path' */
  int cycles;                     /* a table may contain itself */
  uint64_t shared;                /* tables that scan found shared */
  uint64_t nshared;               /* shared tables written so far */
  const void *path[CU_MAXDEPTH + 2];
} Enc;

/*
** Marks in 'seen': M_SINGLE (met once) or M_SHARED (met more than once)
** after scan; a shared table's mark becomes -(index + 1) once written.
*/
#define M_SINGLE  2
#define M_SHARED  3

static lua_Integer getmark (Enc *e, int t) {
  lua_Integer m;
  lua_pushvalue(e->L, t);
  lua_rawget(e->L, e->seen);
  m = lua_tointeger(e->L, -1);
  lua_pop(e->L, 1);
  return m;
}

static void setmark (Enc *e, int t, lua_Integer m) {
  lua_pushvalue(e->L, t);
  lua_pushinteger(e->L, m);
  lua_rawset(e->L, e->seen);
}


/*
** First pass: finds the tables reachable more than once (they get tag 28
** at their first occurrence). A table met again while it is on 'path'
** contains itself: unless 'cycles' allows it (then it is one more shared
** table, referred to by a tag 29 inside its own tag 28), that is an error.
** One lookup and, the first time, one insertion in 'seen' per table.
*/
static void scan (Enc *e, int t, int depth) {
  lua_State *L = e->L;
  lua_Integer m;
  const void *p;
  luaL_checkstack(L, 6, "value nested too deeply");
  cu_ext_content(L, t);  /* an external table is scanned as its content */
  t = lua_gettop(L);
  p = lua_topointer(L, t);
  for (int i = 0; !e->cycles && i < e->depth; i++)
    if (e->path[i] == p)
      luaL_error(L, "cannot convert a table that contains itself (cycle)");
  m = getmark(e, t);
  if (m != 0) {
    if (m == M_SINGLE) {
      setmark(e, t, M_SHARED);
      e->shared++;
    }
    lua_pop(L, 1);
    return;
  }
  if (depth > CU_MAXDEPTH)
    luaL_error(L, "value nested too deeply (more than %d levels)",
               CU_MAXDEPTH);
  setmark(e, t, M_SINGLE);
  e->path[e->depth++] = p;
  lua_pushnil(L);
  while (lua_next(L, t)) {  /* table keys are opaque: not scanned */
    int top = lua_gettop(L);
    luai_loopstep(L);
    if (lua_type(L, top) == LUA_TTABLE) scan(e, top, depth + 1);
    lua_pop(L, 1);
  }
  e->depth--;
  lua_pop(L, 1);
}


/* Length n if the table's keys are exactly 1..n (n > 0), else -1. */
static lua_Integer seqlen (lua_State *L, int t, lua_Integer *count) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, t), c = 0;
  int seq = 1;
  lua_pushnil(L);
  while (lua_next(L, t)) {
    luai_loopstep(L);
    c++;
    if (seq && (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 ||
                lua_tointeger(L, -2) > n))
      seq = 0;
    lua_pop(L, 1);
  }
  *count = c;
  return (seq && c == n && n > 0) ? n : -1;
}


static void enc_value (Enc *e, int idx, int depth);

static void enc_opaque (Enc *e, int idx) {
  lua_State *L = e->L;
  const char *tn = luaL_typename(L, idx);
  size_t len;
  const char *s = lua_pushfstring(L, "%s: %p", tn, lua_topointer(L, idx));
  cu_buf_head(L, e->b, CU_CBOR_TAG, CU_TAG_OPAQUE);
  cu_buf_head(L, e->b, CU_CBOR_ARRAY, 2);
  enc_string(L, e->b, tn, strlen(tn));
  s = lua_tolstring(L, -1, &len);
  enc_string(L, e->b, s, len);
  lua_pop(L, 1);
}



static void enc_table (Enc *e, int t, int depth) {
  lua_State *L = e->L;
  lua_Integer m, count, n;
  luaL_checkstack(L, 6, "value nested too deeply");
  cu_ext_content(L, t);  /* an external table is encoded as its content */
  t = lua_gettop(L);
  m = (e->shared > 0) ? getmark(e, t) : M_SINGLE;  /* no sharing: no lookups */
  if (m < 0) {
    cu_buf_head(L, e->b, CU_CBOR_TAG, CU_TAG_SHAREDREF);
    cu_buf_head(L, e->b, CU_CBOR_UINT, (uint64_t)(-m - 1));
    lua_pop(L, 1);
    return;
  }
  if (m == M_SHARED) {
    cu_buf_head(L, e->b, CU_CBOR_TAG, CU_TAG_SHAREABLE);
    setmark(e, t, -(lua_Integer)(e->nshared++) - 1);
  }
  n = seqlen(L, t, &count);
  if (n > 0) {
    cu_buf_head(L, e->b, CU_CBOR_ARRAY, (uint64_t)n);
    for (lua_Integer i = 1; i <= n; i++) {
      luai_loopstep(L);
      lua_rawgeti(L, t, i);
      enc_value(e, lua_gettop(L), depth + 1);
      lua_pop(L, 1);
    }
  }
  else {
    cu_buf_head(L, e->b, CU_CBOR_MAP, (uint64_t)count);
    lua_pushnil(L);
    while (lua_next(L, t)) {
      int top = lua_gettop(L);
      luai_loopstep(L);
      if (lua_type(L, top - 1) == LUA_TTABLE)  /* an identity, not a value */
        enc_opaque(e, top - 1);
      else
        enc_value(e, top - 1, depth + 1);
      enc_value(e, top, depth + 1);
      lua_pop(L, 1);
    }
  }
  lua_pop(L, 1);
}


/* nil, boolean, number or string; anything else is an error. */
void cu_enc_scalar (lua_State *L, cu_Buf *b, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL: cu_buf_byte(L, b, CU_CBOR_NULL); break;
    case LUA_TBOOLEAN: cu_buf_byte(L, b, lua_toboolean(L, idx) ? CU_CBOR_TRUE : CU_CBOR_FALSE); break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) enc_integer(L, b, lua_tointeger(L, idx));
      else enc_float(L, b, lua_tonumber(L, idx));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      enc_string(L, b, s, len);
      break;
    }
    default:
      luaL_error(L, "cannot encode a %s here", luaL_typename(L, idx));
  }
}


static void enc_value (Enc *e, int idx, int depth) {
  lua_State *L = e->L;
  switch (lua_type(L, idx)) {
    case LUA_TNIL: cu_buf_byte(L, e->b, CU_CBOR_NULL); break;
    case LUA_TBOOLEAN:
      cu_buf_byte(L, e->b, lua_toboolean(L, idx) ? CU_CBOR_TRUE : CU_CBOR_FALSE);
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx)) enc_integer(L, e->b, lua_tointeger(L, idx));
      else enc_float(L, e->b, lua_tonumber(L, idx));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      enc_string(L, e->b, s, len);
      break;
    }
    case LUA_TTABLE:
      enc_table(e, idx, depth);
      break;
    default:
      enc_opaque(e, idx);
      break;
  }
}


/*
** Encodes the values at stack indices first..last (absolute) onto 'b',
** as one CBOR array if 'asarray', else each as its own item; tables that
** contain themselves are encoded if 'cycles', else refused.
*/
void cu_enc_values (lua_State *L, cu_Buf *b, int first, int last,
                    int asarray, int cycles) {
  Enc e;
  int i, tables = 0;
  e.L = L; e.b = b; e.seen = 0; e.depth = 0; e.shared = 0; e.nshared = 0;
  e.cycles = cycles;
  for (i = first; i <= last; i++)
    if (lua_type(L, i) == LUA_TTABLE) tables = 1;
  if (tables) {
    lua_newtable(L);
    e.seen = lua_gettop(L);
    for (i = first; i <= last; i++)
      if (lua_type(L, i) == LUA_TTABLE) scan(&e, i, 0);
  }
  if (asarray)
    cu_buf_head(L, b, CU_CBOR_ARRAY, (uint64_t)(last - first + 1));
  for (i = first; i <= last; i++)
    enc_value(&e, i, 0);
  if (tables)
    lua_remove(L, e.seen);
}
