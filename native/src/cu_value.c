/*
** cu_value.c - Lua values -> CBOR (docs/FORMAT.md): the encoder of the
** value converter, whose decoder is cu_valuedec.c. Every function here
** may raise a Lua error; callers run them under lua_pcall.
**
** Arrays and nulls (docs/FORMAT.md, "Arrays and null") use the json
** module's marks (cu_json.h): a marked table encodes as an array, an
** empty one too, and json.null encodes as null.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_value.h"
#include "cu_bigint.h"   /* bigints cross as tags 2 and 3 */
#include "cu_json.h"     /* the array mark and json.null, shared with json */
#include "cu_raw.h"      /* traversals without a lookup per step */
#include "cu_stack.h"    /* stack room, or a memory error */
#include "cu_loopstep.h" /* a long encoding is stopped like a library loop */


/* ---------------------------------------------------------------- encoder */

/* A Lua string: CBOR text if it is valid UTF-8, a byte string otherwise. */
static void enc_string (lua_State *L, cu_Buf *b, const char *s, size_t len) {
  cu_buf_head(L, b, cu_cbor_utf8(s, len) ? CU_CBOR_TEXT : CU_CBOR_BYTES, len);
  cu_buf_add(L, b, s, len);
}


void cu_value_string (lua_State *L, cu_Buf *b, const char *s, size_t len) {
  enc_string(L, b, s, len);
}


static void enc_integer (lua_State *L, cu_Buf *b, lua_Integer i) {
  if (i >= 0)
    cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)i);
  else /* -1 - i, computed without overflow */
    cu_buf_head(L, b, CU_CBOR_NEGINT, ~(uint64_t)i);
}


static void enc_float (lua_State *L, cu_Buf *b, lua_Number d) {
  unsigned char *p = cu_buf_prep(L, b, CU_CBOR_HEADMAX);
  uint64_t u;
  double x = (double)d;
  memcpy(&u, &x, 8);
  cu_cbor_head8(p, CU_CBOR_SIMPLE, u); /* CU_CBOR_FLOAT64 and the bits */
  b->n += CU_CBOR_HEADMAX;
}


/*
** Limb j of the content of a bigint's tag (docs/FORMAT.md, "Bigints"):
** the magnitude (d, n) itself, or for a negative value (neg, n > 0) the
** magnitude minus 1: the limbs below the lowest nonzero one, 'low', turn
** to all ones and that one drops by one.
*/
static cu_Limb content_limb (const cu_Limb *d, size_t j, size_t low, int neg) {
  if (!neg || j > low)
    return d[j];
  return j < low ? ~(cu_Limb)0 : d[j] - 1;
}


int cu_value_bigint (lua_State *L, cu_Buf *b, int idx) {
  size_t n, m, low = 0, len, i;
  int neg;
  unsigned char *p;
  const cu_Limb *d = cu_bigint_get(L, idx, &n, &neg);
  if (d == NULL)
    return 0;
  if (neg) /* n > 0: zero is never negative */
    while (d[low] == 0) low++;
  m = n; /* the content's limbs, trimmed */
  while (m > 0 && content_limb(d, m - 1, low, neg) == 0) m--;
  len = m * sizeof(cu_Limb);
  if (m > 0) { /* no leading zero byte */
    cu_Limb top = content_limb(d, m - 1, low, neg);
    while ((top >> (CU_BN_LIMBBITS - 8)) == 0) {
      top <<= 8;
      len--;
    }
  }
  cu_buf_head(L, b, CU_CBOR_TAG, neg ? CU_TAG_NEGBIGNUM : CU_TAG_BIGNUM);
  cu_buf_head(L, b, CU_CBOR_BYTES, len);
  p = cu_buf_prep(L, b, len);
  for (i = 0; i < len; i++) { /* byte i from the least significant end */
    cu_Limb l = content_limb(d, i / sizeof(cu_Limb), low, neg);
    p[len - 1 - i] = (unsigned char)(l >> (8 * (i % sizeof(cu_Limb))));
  }
  b->n += len;
  return 1;
}


/* A table met by the encoder, by address, and its mark. */
typedef struct Mark {
  const void *p; /* NULL: a free entry */
  lua_Integer m;
} Mark;

/*
** Encoder state. 'seen' is the stack index of a full userdata holding
** 'marks', a hash set of the tables met (see scan), made only when a table
** is encoded: open addressing by address (lua_topointer; a table does not
** move, and every table met stays reachable from the value encoded), at
** most half full, doubled when it would be more. As a userdata it counts
** against the memory limit, and the collector never walks its entries.
** 'path' holds the tables being scanned, outermost first (cycle check).
**
** Most values share no table, so encode first writes in one pass
** ('once'), marking each table as it is written; a table met a second
** time (shared, or a cycle), or a value for the codec's 'other' hook
** (which may have effects, such as making a handle), sets 'again': the
** pass unwinds, its bytes are dropped, and the value is written again
** after a scan, as below.
*/
typedef struct Enc {
  lua_State *L;
  cu_Buf *b;
  const cu_Codec *c;
  int seen;
  Mark *marks;
  size_t cap;       /* entries in 'marks', a power of 2 */
  size_t n;         /* entries in use */
  int depth;        /* tables on 'path' */
  uint64_t shared;  /* tables that scan found shared */
  uint64_t nshared; /* shared tables written so far */
  int once;         /* the one-pass attempt: tables marked as they are written */
  int again;        /* that attempt met what needs the scan: unwind */
  const void *path[CU_MAXDEPTH + 2];
} Enc;

/*
** Marks in 'seen': M_SINGLE (met once) or M_SHARED (met more than once)
** after scan; a shared table's mark becomes -(index + 1) once written.
*/
#define M_SINGLE 2
#define M_SHARED 3

#define MARKS_FIRST 16

/*
** The entry of 'p' in e->marks, or the free entry where it would go.
** Tables (at least 16 bytes apart) within one 4 MiB window of addresses
** take entries in address order from an offset hashed from the window's
** number: the encoder meets tables in about the order they were made, so
** it walks the set nearly sequentially instead of missing the cache at
** every table, while tables of different windows do not pile up.
*/
static size_t findmark (const Enc *e, const void *p) {
  uint64_t a = (uint64_t)(uintptr_t)p;
  uint64_t w = (a >> 22) * UINT64_C(0x9E3779B97F4A7C15);
  size_t i = (size_t)((a >> 4) + (w >> 32)) & (e->cap - 1);
  while (e->marks[i].p != NULL && e->marks[i].p != p) i = (i + 1) & (e->cap - 1);
  return i;
}

/* Pushes a set of 'cap' free entries; returns its entries. Raises on memory errors. */
static Mark *newmarks (lua_State *L, size_t cap) {
  Mark *m = (Mark *)lua_newuserdatauv(L, cap * sizeof(Mark), 0);
  memset(m, 0, cap * sizeof(Mark));
  return m;
}

/* Doubles e->marks, the userdata at e->seen replaced. */
static void growmarks (Enc *e) {
  Mark *old = e->marks;
  size_t oldcap = e->cap;
  if (oldcap > (SIZE_MAX / sizeof(Mark)) / 2)
    luaL_error(e->L, "not enough memory");
  e->marks = newmarks(e->L, oldcap * 2);
  e->cap = oldcap * 2;
  for (size_t i = 0; i < oldcap; i++)
    if (old[i].p != NULL)
      e->marks[findmark(e, old[i].p)] = old[i];
  lua_replace(e->L, e->seen);
}

/* The mark of the table at t, 0 when not met. */
static lua_Integer getmark (Enc *e, int t) {
  const Mark *m = &e->marks[findmark(e, lua_topointer(e->L, t))];
  return (m->p != NULL) ? m->m : 0;
}

/* The entry of the table at t, added (mark 0) if it was not met; *isnew tells which. */
static Mark *entry (Enc *e, int t, int *isnew) {
  const void *p = lua_topointer(e->L, t);
  size_t i = findmark(e, p);
  *isnew = (e->marks[i].p == NULL);
  if (*isnew) {
    if (2 * (e->n + 1) > e->cap) {
      growmarks(e);
      i = findmark(e, p);
    }
    e->marks[i].p = p;
    e->marks[i].m = 0;
    e->n++;
  }
  return &e->marks[i];
}

static void setmark (Enc *e, int t, lua_Integer m) {
  int isnew;
  entry(e, t, &isnew)->m = m;
}

/* Marks the table at t M_SINGLE if it was not met (returns 1); else returns 0. */
static int firstmark (Enc *e, int t) {
  int isnew;
  Mark *m = entry(e, t, &isnew);
  if (isnew)
    m->m = M_SINGLE;
  return isnew;
}


/* Pushes what table t is encoded as: itself, or the content its view gives. */
static void content (Enc *e, int t) {
  if (e->c->view == NULL || !e->c->view(e->L, t, e->c->ud))
    lua_pushvalue(e->L, t);
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
  unsigned at = 0;
  cu_stack_check(L, 6, "value nested too deeply");
  content(e, t); /* an external table is scanned as its content */
  t = lua_gettop(L);
  p = lua_topointer(L, t);
  for (int i = 0; !e->c->cycles && i < e->depth; i++)
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
    luaL_error(L, "value nested too deeply (more than %d levels)", CU_MAXDEPTH);
  setmark(e, t, M_SINGLE);
  e->path[e->depth++] = p;
  while (cu_raw_next(L, t, &at)) { /* table keys are opaque: not scanned */
    int top = lua_gettop(L);
    luai_loopstep(L);
    if (lua_type(L, top) == LUA_TTABLE)
      scan(e, top, depth + 1);
    lua_pop(L, 2);
  }
  e->depth--;
  lua_pop(L, 1);
}


/* Length n if the table's keys are exactly 1..n (n > 0), else -1. */
static lua_Integer seqlen (lua_State *L, int t, lua_Integer *count) {
  lua_Integer n = (lua_Integer)lua_rawlen(L, t), c = 0;
  unsigned at = 0;
  int seq = 1;
  while (cu_raw_next(L, t, &at)) {
    luai_loopstep(L);
    c++;
    if (seq && (!lua_isinteger(L, -2) || lua_tointeger(L, -2) < 1 || lua_tointeger(L, -2) > n))
      seq = 0;
    lua_pop(L, 2);
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



/*
** Writes the head of major type 'major' and argument v over the one byte
** reserved at 'pos'; a longer head moves what follows it up.
*/
static void patchhead (lua_State *L, cu_Buf *b, size_t pos, int major, uint64_t v) {
  unsigned char h[CU_CBOR_HEADMAX];
  size_t hl = cu_cbor_head(h, major, v);
  if (hl > 1) {
    cu_buf_prep(L, b, hl - 1);
    memmove(b->p + pos + hl, b->p + pos + 1, b->n - pos - 1);
    b->n += hl - 1;
  }
  memcpy(b->p + pos, h, hl);
}

/*
** Writes the entries of table t as map items: the key (a table or
** json.null as an opaque identity, never a null key) and the value.
** Returns their count, or -1 when the one-pass attempt must unwind.
*/
static lua_Integer enc_entries (Enc *e, int t, int depth) {
  lua_State *L = e->L;
  lua_Integer c = 0;
  unsigned at = 0;
  while (cu_raw_next(L, t, &at)) {
    int top = lua_gettop(L);
    luai_loopstep(L);
    if (lua_type(L, top - 1) == LUA_TTABLE || cu_json_isnull(L, top - 1))
      enc_opaque(e, top - 1);
    else
      enc_value(e, top - 1, depth + 1);
    if (!e->again)
      enc_value(e, top, depth + 1);
    lua_pop(L, 2);
    if (e->again)
      return -1;
    c++;
  }
  return c;
}

static void enc_table (Enc *e, int t, int depth) {
  lua_State *L = e->L;
  lua_Integer m, count, n;
  int orig = t;
  cu_stack_check(L, 6, "value nested too deeply");
  content(e, t); /* an external table is encoded as its content */
  t = lua_gettop(L);
  if (e->once) {
    if (!firstmark(e, t)) { /* met before: shared, or a cycle */
      e->again = 1;
      lua_pop(L, 1);
      return;
    }
    if (depth > CU_MAXDEPTH)
      luaL_error(L, "value nested too deeply (more than %d levels)", CU_MAXDEPTH);
    m = M_SINGLE;
  }
  else
    m = (e->shared > 0) ? getmark(e, t) : M_SINGLE; /* no sharing: no lookups */
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
  if (lua_rawlen(L, t) == 0) { /* not a sequence: a map, or empty; one traversal */
    size_t pos = e->b->n;
    cu_buf_byte(L, e->b, 0); /* the head's place: the count is known at the end */
    count = enc_entries(e, t, depth);
    if (count == 0 && (cu_json_marked(L, t) || cu_json_marked(L, orig)))
      e->b->p[pos] = CU_CBOR_IB(CU_CBOR_ARRAY, 0); /* json.array({}), [] from Java or JSON */
    else if (count >= 0)
      patchhead(L, e->b, pos, CU_CBOR_MAP, (uint64_t)count);
  }
  else if ((n = seqlen(L, t, &count)) >= 0) {
    cu_buf_head(L, e->b, CU_CBOR_ARRAY, (uint64_t)n);
    for (lua_Integer i = 1; i <= n && !e->again; i++) {
      luai_loopstep(L);
      lua_rawgeti(L, t, i);
      enc_value(e, lua_gettop(L), depth + 1);
      lua_pop(L, 1);
    }
  }
  else {
    cu_buf_head(L, e->b, CU_CBOR_MAP, (uint64_t)count);
    enc_entries(e, t, depth);
  }
  lua_pop(L, 1);
}


/* nil, boolean, number or string; anything else is an error. */
void cu_value_scalar (lua_State *L, cu_Buf *b, int idx) {
  switch (lua_type(L, idx)) {
    case LUA_TNIL: cu_buf_byte(L, b, CU_CBOR_NULL); break;
    case LUA_TBOOLEAN:
      cu_buf_byte(L, b, lua_toboolean(L, idx) ? CU_CBOR_TRUE : CU_CBOR_FALSE);
      break;
    case LUA_TNUMBER:
      if (lua_isinteger(L, idx))
        enc_integer(L, b, lua_tointeger(L, idx));
      else
        enc_float(L, b, lua_tonumber(L, idx));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      enc_string(L, b, s, len);
      break;
    }
    default: luaL_error(L, "cannot encode a %s here", luaL_typename(L, idx));
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
      if (lua_isinteger(L, idx))
        enc_integer(L, e->b, lua_tointeger(L, idx));
      else
        enc_float(L, e->b, lua_tonumber(L, idx));
      break;
    case LUA_TSTRING: {
      size_t len;
      const char *s = lua_tolstring(L, idx, &len);
      enc_string(L, e->b, s, len);
      break;
    }
    case LUA_TTABLE: enc_table(e, idx, depth); break;
    case LUA_TLIGHTUSERDATA:
      if (cu_json_isnull(L, idx)) {
        cu_buf_byte(L, e->b, CU_CBOR_NULL);
        break;
      }
      /* FALLTHROUGH */
    case LUA_TUSERDATA:
      if (cu_value_bigint(L, e->b, idx))
        break;
      /* FALLTHROUGH */
    default:
      if (e->c->other == NULL)
        enc_opaque(e, idx);
      else if (e->once)
        e->again = 1; /* the hook may have effects: written once, after the scan */
      else if (!e->c->other(L, e->b, idx, e->c->ud))
        enc_opaque(e, idx);
      break;
  }
}


/*
** Encodes the values at stack indices first..last (absolute) onto 'b',
** as one CBOR array if 'asarray', else each as its own item.
*/
static void encode (lua_State *L, cu_Buf *b, int first, int last, int asarray, const cu_Codec *c) {
  Enc e;
  int i, tables = 0;
  e.L = L;
  e.b = b;
  e.c = c;
  e.seen = 0;
  e.marks = NULL;
  e.cap = e.n = 0;
  e.depth = 0;
  e.shared = 0;
  e.nshared = 0;
  e.once = e.again = 0;
  for (i = first; i <= last; i++)
    if (lua_type(L, i) == LUA_TTABLE)
      tables = 1;
  if (tables) {
    size_t start = b->n;
    e.marks = newmarks(L, MARKS_FIRST);
    e.cap = MARKS_FIRST;
    e.seen = lua_gettop(L);
    e.once = 1;
    if (asarray)
      cu_buf_head(L, b, CU_CBOR_ARRAY, (uint64_t)(last - first + 1));
    for (i = first; i <= last && !e.again; i++) enc_value(&e, i, 0);
    if (!e.again) {
      lua_remove(L, e.seen);
      return;
    }
    b->n = start; /* again, after the scan */
    memset(e.marks, 0, e.cap * sizeof(Mark));
    e.n = 0;
    e.once = e.again = 0;
    for (i = first; i <= last; i++)
      if (lua_type(L, i) == LUA_TTABLE)
        scan(&e, i, 0);
  }
  if (asarray)
    cu_buf_head(L, b, CU_CBOR_ARRAY, (uint64_t)(last - first + 1));
  for (i = first; i <= last; i++) enc_value(&e, i, 0);
  if (tables)
    lua_remove(L, e.seen);
}


void cu_value_encode (lua_State *L, cu_Buf *b, int idx, const cu_Codec *c) {
  idx = lua_absindex(L, idx);
  encode(L, b, idx, idx, 0, c);
}


void cu_value_encodelist (lua_State *L, cu_Buf *b, int first, int last, const cu_Codec *c) {
  encode(L, b, first, last, 1, c);
}
