/*
** cu_valuedec.c - CBOR -> Lua values (cu_valuedec.h, docs/FORMAT.md): the
** decoder of the value converter, whose encoder is cu_value.c. Every
** function here may raise a Lua error; callers run them under lua_pcall.
** The decoder never reads outside its input and raises a Lua error for
** every malformed input.
**
** Arrays and nulls (docs/FORMAT.md, "Arrays and null") use the json
** module's marks (cu_json.h): every decoded array is marked, so an empty
** one encodes as an empty array again, and a null inside an array is
** json.null, so positions survive.
*/
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_cbor.h"
#include "cu_value.h"  /* cu_Codec */
#include "cu_bigint.h" /* tags 2 and 3 decode as bigints */
#include "cu_json.h"   /* the array mark and json.null, shared with json */
#include "cu_stack.h"  /* stack room, or a memory error */
#include "cu_valuedec.h"


/*
** Decoding the store's rows can load more rows (a tag hook does): such a
** nested decode starts at the depth of the item that caused it (the
** codec's 'depth'). Each row may nest CU_MAXDEPTH deep from where it
** starts, and the whole chain MAXNEST deep, which bounds the C stack of
** the chain: rows that reference each other in a loop (a forged store)
** get an error, not a stack overflow. A stored closure calling another
** through an upvalue costs 4 levels, so chains of about 250 closures load.
*/
#define MAXNEST 1000

/*
** A table is presized for at most this many items: a hostile count
** cannot reserve more than its items (each at least a byte) fill.
*/
#define CU_PRESIZE_MAX 1024
#define PRESIZE(c)     ((int)((c) < CU_PRESIZE_MAX ? (c) : CU_PRESIZE_MAX))

/*
** Map keys repeat (the field names of records): a key that is a text of
** at most KEYMAX bytes (Lua's short strings) is looked up in a cache of
** KEYS strings before Lua interns it again. The cache is a full userdata
** (counted against the memory limit) whose KEYS user values anchor the
** strings, so each entry's bytes stay where 'Key.s' points; it is made
** once KEYSTART such keys were interned, so a small value does not pay
** for it. An entry is chosen by the key's length and three of its bytes.
*/
#define KEYMAX   40
#define KEYS     64
#define KEYSTART 32

typedef struct Key {
  const char *s; /* the cached string's bytes; NULL: a free entry */
  size_t len;
} Key;

typedef struct Dec {
  lua_State *L;
  const cu_Codec *c;
  int start;   /* depth of the first item */
  cu_Reader r; /* what is left of the input */
  int shared;  /* stack index of the tag-28 table (nil until needed) */
  int marks;   /* stack index of the json module's array marks (nil until needed) */
  int keys;    /* stack index of the key cache (nil until made) */
  Key *key;    /* the key cache's entries, NULL until made */
  int nkeys;   /* short keys interned before the cache was made */
  lua_Integer nshared;
} Dec;


CU_NORETURN void cu_valuedec_bad (lua_State *L, const char *what) {
  luaL_error(L, "malformed CBOR input: %s", what);
  abort(); /* not reached: luaL_error does not return */
}

/* The next head: its major type in *major; returns its argument. Inline: one per item. */
static inline uint64_t gethead (lua_State *L, cu_Reader *r, int *major) {
  uint64_t v = 0;
  switch (cu_cbor_gethead(r, major, &v)) {
    case CU_CBOR_OK: break;
    case CU_CBOR_EOF: cu_valuedec_bad(L, "truncated"); break;
    default: cu_valuedec_bad(L, "unsupported length or indefinite item");
  }
  return v;
}

/* Checks the major type before the argument, so 'what' names a wrong item first. */
static void checkmajor (lua_State *L, cu_Reader *r, int major, const char *what) {
  if (r->p >= r->end)
    cu_valuedec_bad(L, "truncated");
  if ((int)CU_CBOR_MAJOR(*r->p) != major)
    cu_valuedec_bad(L, what);
}

uint64_t cu_valuedec_head (lua_State *L, cu_Reader *r, int major, const char *what) {
  int m;
  checkmajor(L, r, major, what);
  return gethead(L, r, &m);
}

size_t cu_valuedec_count (lua_State *L, cu_Reader *r, uint64_t n, size_t unit) {
  if (n > (uint64_t)(r->end - r->p) / unit)
    cu_valuedec_bad(L, "length exceeds the input");
  return (size_t)n;
}

uint64_t cu_valuedec_id (lua_State *L, cu_Reader *r) {
  int major;
  uint64_t id;
  checkmajor(L, r, CU_CBOR_UINT, "reference tags need an unsigned id");
  id = gethead(L, r, &major);
  if (id == 0 || id > (uint64_t)LUA_MAXINTEGER)
    cu_valuedec_bad(L, "reference out of range");
  return id;
}

void cu_valuedec_null (lua_State *L, cu_Reader *r, const char *what) {
  if (r->p >= r->end)
    cu_valuedec_bad(L, "truncated");
  if (*r->p++ != CU_CBOR_NULL)
    cu_valuedec_bad(L, what);
}

#define bad(d, what)           cu_valuedec_bad((d)->L, what)
#define head(d, major)         gethead((d)->L, &(d)->r, major)
#define count(d, n, unit)      cu_valuedec_count((d)->L, &(d)->r, n, unit)
#define expect(d, major, what) cu_valuedec_head((d)->L, &(d)->r, major, what)

static double half (unsigned h) {
  int e = (h >> 10) & 0x1f;
  unsigned m = h & 0x3ff;
  double v = (e == 0)    ? ldexp(m, -24)
             : (e == 31) ? (m == 0 ? HUGE_VAL : NAN)
                         : ldexp(m + 1024, e - 25);
  return (h & 0x8000) ? -v : v;
}

static void item (Dec *d, int depth);

/*
** The new table at the top is an array: marked, and filled with n items,
** a null (or undefined) as json.null, so it keeps its position.
*/
static void fill_array (Dec *d, size_t n, int depth) {
  lua_State *L = d->L;
  int t = lua_gettop(L);
  if (lua_isnil(L, d->marks)) {
    cu_json_pushmarks(L);
    lua_replace(L, d->marks);
  }
  lua_pushvalue(L, t);
  lua_pushboolean(L, 1);
  lua_rawset(L, d->marks);
  for (size_t i = 1; i <= n; i++) {
    item(d, depth + 1);
    if (lua_isnil(L, -1)) {
      lua_pop(L, 1);
      lua_pushlightuserdata(L, CU_JSON_NULL);
    }
    lua_rawseti(L, t, (lua_Integer)i);
  }
}

/*
** If a text of at most KEYMAX bytes, all in the input, comes next: reads
** its head and returns its length. Else returns KEYMAX + 1, reading nothing.
*/
static size_t shorttext (cu_Reader *r) {
  size_t avail = (size_t)(r->end - r->p), hl = 1, len;
  unsigned ai;
  if (avail == 0 || CU_CBOR_MAJOR(*r->p) != CU_CBOR_TEXT)
    return KEYMAX + 1;
  ai = CU_CBOR_INFO(*r->p);
  if (ai < CU_CBOR_AI_1)
    len = ai;
  else if (ai == CU_CBOR_AI_1 && avail > 1) {
    len = r->p[1];
    hl = 2;
  }
  else
    return KEYMAX + 1;
  if (len > KEYMAX || avail - hl < len)
    return KEYMAX + 1;
  r->p += hl;
  return len;
}

/* Pushes the text of 'len' bytes at the input's position (past its head), through the cache. */
static void cached_key (Dec *d, size_t len) {
  lua_State *L = d->L;
  const char *s = (const char *)d->r.p;
  unsigned h;
  Key *k;
  d->r.p += len;
  if (d->key == NULL) {
    lua_pushlstring(L, s, len);
    if (++d->nkeys < KEYSTART)
      return;
    d->key = (Key *)lua_newuserdatauv(L, KEYS * sizeof(Key), KEYS);
    memset(d->key, 0, KEYS * sizeof(Key));
    lua_replace(L, d->keys);
    return; /* cached from the next key on */
  }
  h = (unsigned)len;
  if (len > 0)
    h =
      h * 31 + (unsigned char)s[0] * 7 + (unsigned char)s[len / 2] * 3 + (unsigned char)s[len - 1];
  h %= KEYS;
  k = &d->key[h];
  if (k->s != NULL && k->len == len && memcmp(k->s, s, len) == 0) {
    lua_getiuservalue(L, d->keys, (int)h + 1);
    return;
  }
  lua_pushlstring(L, s, len);
  lua_pushvalue(L, -1);
  lua_setiuservalue(L, d->keys, (int)h + 1); /* the old string is no longer anchored here */
  k->s = lua_tostring(L, -1);
  k->len = len;
}

static void fill_map (Dec *d, size_t n, int depth) {
  lua_State *L = d->L;
  int t = lua_gettop(L);
  for (size_t i = 0; i < n; i++) {
    size_t len = shorttext(&d->r);
    if (len <= KEYMAX)
      cached_key(d, len); /* a string: never a nil or NaN key */
    else {
      item(d, depth + 1);
      if (lua_isnil(L, -1) ||
          (lua_type(L, -1) == LUA_TNUMBER && lua_tonumber(L, -1) != lua_tonumber(L, -1)))
        bad(d, "nil or NaN table key");
    }
    item(d, depth + 1);
    lua_rawset(L, t);
  }
}

/* Tag 28 around an array or map: the table is registered before its content. */
static void shareable (Dec *d, int depth) {
  lua_State *L = d->L;
  int major;
  uint64_t n = head(d, &major);
  if (lua_isnil(L, d->shared)) {
    lua_newtable(L);
    lua_replace(L, d->shared);
  }
  if (major == CU_CBOR_ARRAY) {
    size_t c = count(d, n, 1);
    lua_createtable(L, PRESIZE(c), 0);
    lua_pushvalue(L, -1);
    lua_rawseti(L, d->shared, d->nshared++);
    fill_array(d, c, depth);
  }
  else if (major == CU_CBOR_MAP) {
    size_t c = count(d, n, 2);
    lua_createtable(L, 0, PRESIZE(c));
    lua_pushvalue(L, -1);
    lua_rawseti(L, d->shared, d->nshared++);
    fill_map(d, c, depth);
  }
  else
    bad(d, "tag 28 must mark an array or a map");
}

/*
** Tag 2, or 3 when 'neg': a byte string holding a magnitude big-endian,
** to a bigint (tag 3: -1 minus it), whatever its size. Leading zero
** bytes are read past, so only the canonical form is ever written back.
** The value's size is bounded by the input's, by the memory limit (Lua
** allocates the bigint) and by CU_BN_MAXLIMBS ("bigint: number too large").
*/
static void bignum (Dec *d, int neg) {
  size_t len = count(d, expect(d, CU_CBOR_BYTES, "tags 2 and 3 need a byte string"), 1);
  const unsigned char *p = d->r.p;
  d->r.p += len;
  cu_bigint_pushbytes(d->L, p, len, neg);
}

static void tagged (Dec *d, uint64_t tag, int depth) {
  lua_State *L = d->L;
  if (tag == CU_TAG_BIGNUM || tag == CU_TAG_NEGBIGNUM)
    bignum(d, tag == CU_TAG_NEGBIGNUM);
  else if (tag == CU_TAG_SHAREABLE)
    shareable(d, depth);
  else if (tag == CU_TAG_SHAREDREF) {
    uint64_t i = expect(d, CU_CBOR_UINT, "tag 29 needs an unsigned index");
    if (i >= (uint64_t)d->nshared)
      bad(d, "undefined shared reference");
    lua_rawgeti(L, d->shared, (lua_Integer)i);
  }
  else if (d->c->tag == NULL || !d->c->tag(L, &d->r, tag, depth, d->c->ud))
    bad(d, "unsupported tag");
}

/*
** Stack room for a container or a tag and what it pushes while filled
** (the table, a key and a value, or a tag's own items). A scalar pushes
** one value, which its container's room (or the decode's start) covers.
*/
static void room (lua_State *L) {
  cu_stack_check(L, 4, "CBOR input nested too deeply");
}

static void item (Dec *d, int depth) {
  lua_State *L = d->L;
  unsigned ai;
  int major;
  uint64_t n;
  if (depth - d->start > CU_MAXDEPTH || depth > MAXNEST)
    bad(d, "nested too deeply");
  ai = (d->r.p < d->r.end) ? CU_CBOR_INFO(*d->r.p) : 0;
  if (ai > CU_CBOR_AI_8 && CU_CBOR_MAJOR(*d->r.p) == CU_CBOR_SIMPLE)
    bad(d, "unsupported simple value"); /* a break byte is no item */
  n = head(d, &major);
  switch (major) {
    case CU_CBOR_UINT:
      if (n > (uint64_t)LUA_MAXINTEGER)
        bad(d, "integer out of range");
      lua_pushinteger(L, (lua_Integer)n);
      break;
    case CU_CBOR_NEGINT:
      if (n > (uint64_t)LUA_MAXINTEGER)
        bad(d, "integer out of range");
      lua_pushinteger(L, -1 - (lua_Integer)n);
      break;
    case CU_CBOR_BYTES:
    case CU_CBOR_TEXT: {
      size_t len = count(d, n, 1);
      lua_pushlstring(L, (const char *)d->r.p, len);
      d->r.p += len;
      break;
    }
    case CU_CBOR_ARRAY: {
      size_t c = count(d, n, 1);
      room(L);
      lua_createtable(L, PRESIZE(c), 0);
      fill_array(d, c, depth);
      break;
    }
    case CU_CBOR_MAP: {
      size_t c = count(d, n, 2);
      room(L);
      lua_createtable(L, 0, PRESIZE(c));
      fill_map(d, c, depth);
      break;
    }
    case CU_CBOR_TAG:
      room(L);
      tagged(d, n, depth);
      break;
    default:
      switch (ai) {
        case CU_CBOR_SFALSE: lua_pushboolean(L, 0); break;
        case CU_CBOR_STRUE: lua_pushboolean(L, 1); break;
        case CU_CBOR_SNULL:
        case CU_CBOR_SUNDEF: lua_pushnil(L); break;
        case CU_CBOR_AI_2: lua_pushnumber(L, half((unsigned)n)); break;
        case CU_CBOR_AI_4: {
          uint32_t u = (uint32_t)n;
          float f;
          memcpy(&f, &u, 4);
          lua_pushnumber(L, f);
          break;
        }
        case CU_CBOR_AI_8: {
          double x;
          memcpy(&x, &n, 8);
          lua_pushnumber(L, x);
          break;
        }
        default: bad(d, "unsupported simple value");
      }
  }
}


/* Starts a decode of data[0, len): pushes the tables of shared values and marks (nil). */
static void start (Dec *d, lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c) {
  cu_stack_check(L, 4, "cannot decode");
  lua_pushnil(L); /* the table of shared values, created at the first tag 28 */
  lua_pushnil(L); /* the array marks, fetched at the first array */
  lua_pushnil(L); /* the key cache, made at the KEYSTART-th short key */
  d->L = L;
  d->c = c;
  d->start = c->depth;
  d->r.p = data;
  d->r.end = data + len;
  d->shared = lua_gettop(L) - 2;
  d->marks = d->shared + 1;
  d->keys = d->shared + 2;
  d->key = NULL;
  d->nkeys = 0;
  d->nshared = 0;
}

/* Ends a decode: all input read; removes the tables of shared values and marks, the key cache. */
static void finish (Dec *d) {
  if (d->r.p != d->r.end)
    bad(d, "trailing bytes");
  lua_rotate(d->L, d->shared, -3); /* one move of the values, not three */
  lua_pop(d->L, 3);
}


void cu_valuedec_value (lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c) {
  Dec d;
  start(&d, L, data, len, c);
  item(&d, d.start);
  finish(&d);
}


int cu_valuedec_args (lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c) {
  Dec d;
  size_t n;
  int base = lua_gettop(L);
  start(&d, L, data, len, c);
  n = count(&d, expect(&d, CU_CBOR_ARRAY, "expected an array of values"), 1);
  cu_stack_check(L, (int)(n < 1000000 ? n : 1000000) + 4, "too many values");
  for (size_t i = 0; i < n; i++) item(&d, d.start);
  finish(&d);
  return lua_gettop(L) - base;
}
