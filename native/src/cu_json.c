/*
** cu_json.c - the 'json' module: Lua values <-> JSON text (RFC 8259).
** The encoder first, then the decoder, then the module table.
**
** Invariants. Every error is a Lua error raised by luaL_error inside the
** caller's protected call; nothing here calls malloc, so an error (a bad
** value, a failed allocation under a memory limit, a stop raised by
** luai_loopstep) leaves nothing behind that Lua's collector does not own.
** Loops over elements call luai_loopstep, so time limits stop them.
** Array marks live in a weak-keyed table in the registry (key: &marks_key);
** json.null is a light userdata (&cu_json_nullkey), the same in every
** state. The value converter (cu_value.c) reads and sets both through
** cu_json.h, so json and Java agree on what is an array.
*/
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_fmt.h"
#include "cu_json.h"
#include "cu_loopstep.h" /* a long encoding or decoding is stopped like a library loop */

static const char marks_key = 'm'; /* registry: weak-keyed table, array -> true */
const char cu_json_nullkey = 'n';  /* json.null */

#define JSON_NULL CU_JSON_NULL

#if defined(__GNUC__)
#define json_noret __attribute__((noreturn)) void
#else
#define json_noret void
#endif



/* ---------------------------------------------------------------- encoder */

/*
** The output grows in a full userdata at stack slot 'slot', replaced by
** one twice as large when full: unlike a luaL_Buffer, the encoder may push
** and pop freely between additions, and a failed allocation is a Lua
** memory error that leaves only garbage for the collector.
*/
typedef struct Enc {
  lua_State *L;
  char *p;
  size_t n, cap;
  int slot;  /* stack index of the buffer */
  int marks; /* stack index of the marks table */
  int depth; /* tables on 'path' */
  const void *path[CU_JSON_MAXDEPTH + 1];
  cu_json_View view; /* or NULL */
} Enc;

static void enc_grow (Enc *e, size_t more) {
  size_t cap = e->cap;
  char *np;
  if (more > ((size_t)-1) / 4 - e->n)
    luaL_error(e->L, "json.encode: output too large");
  while (cap - e->n < more) cap *= 2;
  np = (char *)lua_newuserdatauv(e->L, cap, 0);
  memcpy(np, e->p, e->n);
  lua_replace(e->L, e->slot);
  e->p = np;
  e->cap = cap;
}

/* Room for 'more' bytes at e->p + e->n. */
#define enc_room(e, more) ((e)->cap - (e)->n < (more) ? enc_grow((e), (more)) : (void)0)

static void enc_add (Enc *e, const char *s, size_t len) {
  enc_room(e, len);
  memcpy(e->p + e->n, s, len);
  e->n += len;
}

static void enc_char (Enc *e, char c) {
  enc_room(e, 1);
  e->p[e->n++] = c;
}


/* The bytes that a string cannot hold as they are: controls, '"', '\\', non-ASCII. */
static int needs_care (unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c >= CU_UTF8_ASCII_END;
}

/* A JSON string; 's' must be valid UTF-8. Controls become escapes. */
static void enc_string (Enc *e, const char *s, size_t len, const char *what) {
  static const char hex[] = "0123456789abcdef";
  const unsigned char *p = (const unsigned char *)s, *end = p + len;
  enc_char(e, '"');
  while (p < end) {
    const unsigned char *run = p;
    while (p < end && !needs_care(*p)) p++;
    enc_add(e, (const char *)run, (size_t)(p - run));
    if (p == end)
      break;
    if (*p >= CU_UTF8_ASCII_END) {
      size_t n = cu_cbor_utf8len(p, (size_t)(end - p));
      if (n == 0)
        luaL_error(e->L, "json.encode: %s is not valid UTF-8 (byte %I)", what,
                   (lua_Integer)(p - (const unsigned char *)s) + 1);
      enc_add(e, (const char *)p, n);
      p += n;
      continue;
    }
    enc_room(e, 6);
    e->p[e->n++] = '\\';
    switch (*p) {
      case '"': e->p[e->n++] = '"'; break;
      case '\\': e->p[e->n++] = '\\'; break;
      case '\b': e->p[e->n++] = 'b'; break;
      case '\f': e->p[e->n++] = 'f'; break;
      case '\n': e->p[e->n++] = 'n'; break;
      case '\r': e->p[e->n++] = 'r'; break;
      case '\t': e->p[e->n++] = 't'; break;
      default:
        memcpy(e->p + e->n, "u00", 3);
        e->p[e->n + 3] = hex[*p >> 4];
        e->p[e->n + 4] = hex[*p & 15];
        e->n += 5;
    }
    p++;
  }
  enc_char(e, '"');
}


/* A float as text that decodes as the same float (cu_fmt_float): 1.0, -0.0, 1e+300. */
static size_t fmt_float (lua_State *L, char *buf, double d, const char *who) {
  if (isnan(d) || isinf(d))
    luaL_error(L, "%s: cannot encode %s", who, isnan(d) ? "NaN" : "an infinite number");
  return cu_fmt_float(buf, d);
}

static void enc_number (Enc *e, int idx) {
  char buf[CU_FMT_FLOAT];
  size_t len;
  if (lua_isinteger(e->L, idx))
    len = (size_t)snprintf(buf, sizeof buf, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(e->L, idx));
  else
    len = fmt_float(e->L, buf, (double)lua_tonumber(e->L, idx), "json.encode");
  enc_add(e, buf, len);
}

static void enc_value (Enc *e, int idx);

/*
** Whether table t is an array: marked by json.array (or decoded from an
** array), or non-empty with exactly the keys 1..n. Returns n, or -1 for
** an object. A marked table whose keys are not 1..n is an error. The walk
** of an unmarked table stops at its first key that is not a positive
** integer: a map with string keys costs one step here.
*/
static lua_Integer classify (Enc *e, int t) {
  lua_State *L = e->L;
  lua_Integer count = 0, max = 0;
  int marked, seq = 1;
  lua_pushvalue(L, t);
  marked = lua_rawget(L, e->marks) != LUA_TNIL;
  lua_pop(L, 1);
  lua_pushnil(L);
  while (lua_next(L, t)) {
    luai_loopstep(L);
    lua_pop(L, 1);
    if (seq && lua_isinteger(L, -1) && lua_tointeger(L, -1) >= 1) {
      lua_Integer k = lua_tointeger(L, -1);
      count++;
      if (k > max)
        max = k;
    }
    else if (!marked) { /* an object: the other keys cannot change that */
      lua_pop(L, 1);
      return -1;
    }
    else
      seq = 0;
  }
  if (seq && max == count && (count > 0 || marked))
    return count;
  if (marked)
    luaL_error(L, "json.encode: an array (json.array) has keys other than 1..n");
  return -1;
}

static void enc_key (Enc *e, int k) {
  lua_State *L = e->L;
  size_t len;
  const char *s;
  char buf[CU_FMT_FLOAT];
  switch (lua_type(L, k)) {
    case LUA_TSTRING:
      s = lua_tolstring(L, k, &len);
      enc_string(e, s, len, "a key");
      break;
    case LUA_TNUMBER: /* stringified, as lua-cjson does */
      if (lua_isinteger(L, k))
        len = (size_t)snprintf(buf, sizeof buf, LUA_INTEGER_FMT, (LUAI_UACINT)lua_tointeger(L, k));
      else
        len = fmt_float(L, buf, (double)lua_tonumber(L, k), "json.encode");
      enc_char(e, '"');
      enc_add(e, buf, len);
      enc_char(e, '"');
      break;
    default:
      luaL_error(L, "json.encode: cannot encode a table key of type %s", luaL_typename(L, k));
  }
}

static void enc_table (Enc *e, int t) {
  lua_State *L = e->L;
  const void *self = lua_topointer(L, t);
  lua_Integer n, i;
  int d, viewed;
  for (d = 0; d < e->depth; d++)
    if (e->path[d] == self)
      luaL_error(L, "json.encode: table contains a cycle");
  if (e->depth >= CU_JSON_MAXDEPTH)
    luaL_error(L, "json.encode: table nested too deeply");
  luaL_checkstack(L, 5, "json.encode: table nested too deeply");
  e->path[e->depth++] = self;
  viewed = e->view != NULL && e->view(L, t);
  if (viewed)
    t = lua_gettop(L); /* the content the table stands for */
  n = classify(e, t);
  if (n >= 0) {
    enc_char(e, '[');
    for (i = 1; i <= n; i++) {
      luai_loopstep(L);
      if (i > 1)
        enc_char(e, ',');
      lua_rawgeti(L, t, i);
      enc_value(e, lua_gettop(L));
      lua_pop(L, 1);
    }
    enc_char(e, ']');
  }
  else {
    int first = 1;
    enc_char(e, '{');
    lua_pushnil(L);
    while (lua_next(L, t)) {
      luai_loopstep(L);
      if (!first)
        enc_char(e, ',');
      first = 0;
      enc_key(e, lua_gettop(L) - 1);
      enc_char(e, ':');
      enc_value(e, lua_gettop(L));
      lua_pop(L, 1);
    }
    enc_char(e, '}');
  }
  if (viewed)
    lua_pop(L, 1);
  e->depth--;
}

static void enc_value (Enc *e, int idx) {
  lua_State *L = e->L;
  size_t len;
  const char *s;
  switch (lua_type(L, idx)) {
    case LUA_TNIL: enc_add(e, "null", 4); break;
    case LUA_TBOOLEAN:
      if (lua_toboolean(L, idx))
        enc_add(e, "true", 4);
      else
        enc_add(e, "false", 5);
      break;
    case LUA_TNUMBER: enc_number(e, idx); break;
    case LUA_TSTRING:
      s = lua_tolstring(L, idx, &len);
      enc_string(e, s, len, "a string");
      break;
    case LUA_TTABLE: enc_table(e, idx); break;
    case LUA_TLIGHTUSERDATA:
      if (lua_touserdata(L, idx) == JSON_NULL) {
        enc_add(e, "null", 4);
        break;
      }
      /* FALLTHROUGH */
    default:
      if (luaL_testudata(L, idx, CU_JSON_BIGINT) != NULL) { /* its decimal digits, a number */
        s = luaL_tolstring(L, idx, &len);
        enc_add(e, s, len);
        lua_pop(L, 1);
        break;
      }
      luaL_error(L, "json.encode: cannot encode a value of type %s", luaL_typename(L, idx));
  }
}

/* json.encode(value) -> string */
static int json_encode (lua_State *L) {
  Enc e;
  luaL_checkany(L, 1);
  lua_settop(L, 1);
  const cu_JsonHooks *h = (const cu_JsonHooks *)lua_touserdata(L, lua_upvalueindex(1));
  e.L = L;
  e.view = h != NULL ? h->view : NULL;
  e.depth = 0;
  e.n = 0;
  e.cap = 256;
  cu_json_pushmarks(L);
  e.marks = 2;
  e.p = (char *)lua_newuserdatauv(L, e.cap, 0);
  e.slot = 3;
  enc_value(&e, 1);
  lua_pushlstring(L, e.p, e.n);
  return 1;
}


/* ---------------------------------------------------------------- decoder */

typedef struct Dec {
  lua_State *L;
  const char *s, *p, *end; /* the input, the next byte, its end */
  int marks;               /* stack index of the marks table */
  int depth;               /* arrays and objects open */
} Dec;

/* Raises "json.decode: <what> at position N" (N counts bytes from 1). */
static json_noret dec_error (Dec *d, const char *what) {
  luaL_error(d->L, "json.decode: %s at position %I", what, (lua_Integer)(d->p - d->s) + 1);
  abort(); /* not reached: luaL_error does not return */
}

static void skip_space (Dec *d) {
  while (d->p < d->end && (*d->p == ' ' || *d->p == '\t' || *d->p == '\n' || *d->p == '\r')) d->p++;
}

/* The unexpected byte at d->p, or the end of the input. */
static json_noret dec_unexpected (Dec *d) {
  if (d->p >= d->end)
    dec_error(d, "unexpected end of input");
  dec_error(d, "unexpected character");
}

static int hexval (int c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  c |= 0x20;
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  return -1;
}

/* The 4 hex digits after "\u" at d->p; d->p is left after them. */
static unsigned dec_hex4 (Dec *d) {
  unsigned v = 0;
  int i;
  if (d->end - d->p < 6)
    dec_error(d, "truncated \\u escape");
  for (i = 2; i < 6; i++) {
    int h = hexval((unsigned char)d->p[i]);
    if (h < 0)
      dec_error(d, "bad \\u escape");
    v = v * 16 + (unsigned)h;
  }
  d->p += 6;
  return v;
}

static void add_utf8 (luaL_Buffer *b, unsigned c) {
  char u[4];
  luaL_addlstring(b, u, cu_cbor_utf8put(u, c));
}

/*
** The string at d->p (after its opening quote) pushed as a Lua string.
** Raw bytes must be valid UTF-8 and not controls; escapes decode to UTF-8,
** a surrogate pair to one code point; a lone surrogate is an error.
** Without escapes the bytes are pushed as they are.
*/
static void dec_string (Dec *d) {
  lua_State *L = d->L;
  const char *start = d->p;
  luaL_Buffer b;
  int buffered = 0;
  for (;;) {
    const char *run = d->p;
    unsigned char c = 0;
    while (d->p < d->end && !needs_care(c = (unsigned char)*d->p)) d->p++;
    if (d->p >= d->end)
      dec_error(d, "unterminated string");
    if (c >= CU_UTF8_ASCII_END) {
      size_t n = cu_cbor_utf8len((const unsigned char *)d->p, (size_t)(d->end - d->p));
      if (n == 0)
        dec_error(d, "invalid UTF-8");
      d->p += n;
      if (buffered)
        luaL_addlstring(&b, run, (size_t)(d->p - run));
      continue;
    }
    if (buffered)
      luaL_addlstring(&b, run, (size_t)(d->p - run));
    if (c == '"') {
      if (buffered)
        luaL_pushresult(&b);
      else
        lua_pushlstring(L, start, (size_t)(d->p - start));
      d->p++;
      return;
    }
    if (c < 0x20)
      dec_error(d, "control character in string");
    /* a backslash: from here on the string is built in a buffer */
    if (!buffered) {
      luaL_buffinit(L, &b);
      luaL_addlstring(&b, start, (size_t)(d->p - start));
      buffered = 1;
    }
    if (d->end - d->p < 2)
      dec_error(d, "unterminated string");
    switch (d->p[1]) {
      case '"': luaL_addchar(&b, '"'); break;
      case '\\': luaL_addchar(&b, '\\'); break;
      case '/': luaL_addchar(&b, '/'); break;
      case 'b': luaL_addchar(&b, '\b'); break;
      case 'f': luaL_addchar(&b, '\f'); break;
      case 'n': luaL_addchar(&b, '\n'); break;
      case 'r': luaL_addchar(&b, '\r'); break;
      case 't': luaL_addchar(&b, '\t'); break;
      case 'u': {
        const char *at = d->p;
        unsigned u = dec_hex4(d);
        if (u >= 0xDC00 && u <= 0xDFFF) {
          d->p = at;
          dec_error(d, "lone surrogate in \\u escape");
        }
        if (u >= 0xD800 && u <= 0xDBFF) {
          unsigned lo;
          if (d->end - d->p < 2 || d->p[0] != '\\' || d->p[1] != 'u') {
            d->p = at;
            dec_error(d, "lone surrogate in \\u escape");
          }
          lo = dec_hex4(d);
          if (lo < 0xDC00 || lo > 0xDFFF) {
            d->p = at;
            dec_error(d, "lone surrogate in \\u escape");
          }
          u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
        }
        add_utf8(&b, u);
        continue; /* dec_hex4 moved d->p */
      }
      default: dec_error(d, "bad escape");
    }
    d->p += 2;
  }
}


/*
** A number (RFC 8259 grammar, nothing more: no '+', no leading zeros, no
** hex, no inf). Without fraction and exponent it is an integer if it fits
** lua_Integer, a float otherwise; "-0" is the float -0.0. A number beyond
** the range of floats is an error.
*/
static void dec_number (Dec *d) {
  lua_State *L = d->L;
  const char *p = d->p, *start = d->p;
  int isint = 1;
  char buf[64];
  size_t len;
  if (p < d->end && *p == '-')
    p++;
  if (p < d->end && *p == '0')
    p++;
  else if (p < d->end && *p >= '1' && *p <= '9')
    while (p < d->end && *p >= '0' && *p <= '9') p++;
  else {
    d->p = p;
    dec_error(d, "bad number");
  }
  if (p < d->end && *p == '.') {
    isint = 0;
    if (++p >= d->end || *p < '0' || *p > '9') {
      d->p = p;
      dec_error(d, "bad number");
    }
    while (p < d->end && *p >= '0' && *p <= '9') p++;
  }
  if (p < d->end && (*p == 'e' || *p == 'E')) {
    isint = 0;
    p++;
    if (p < d->end && (*p == '+' || *p == '-'))
      p++;
    if (p >= d->end || *p < '0' || *p > '9') {
      d->p = p;
      dec_error(d, "bad number");
    }
    while (p < d->end && *p >= '0' && *p <= '9') p++;
  }
  len = (size_t)(p - start);
  if (isint && len <= 18) { /* fits lua_Integer: no overflow possible */
    lua_Integer v = 0;
    const char *q = start + (*start == '-');
    if (len == 2 && start[0] == '-' && start[1] == '0')
      lua_pushnumber(L, -0.0);
    else {
      for (; q < p; q++) v = v * 10 + (*q - '0');
      lua_pushinteger(L, *start == '-' ? -v : v);
    }
  }
  else {
    /* Lua's own conversion: integers that overflow become floats */
    if (len < sizeof buf) {
      memcpy(buf, start, len);
      buf[len] = '\0';
      if (lua_stringtonumber(L, buf) == 0)
        dec_error(d, "bad number");
    }
    else {
      lua_pushlstring(L, start, len);
      if (lua_stringtonumber(L, lua_tostring(L, -1)) == 0)
        dec_error(d, "bad number");
      lua_remove(L, -2);
    }
    if (!lua_isinteger(L, -1) && isinf(lua_tonumber(L, -1)))
      dec_error(d, "number out of range");
  }
  d->p = p;
}

static void dec_literal (Dec *d, const char *word, size_t len) {
  if ((size_t)(d->end - d->p) < len || memcmp(d->p, word, len) != 0)
    dec_unexpected(d);
  d->p += len;
}

static void dec_value (Dec *d);

/* Opens an array or object: depth and stack checks, then the table. */
static void dec_open (Dec *d) {
  if (d->depth >= CU_JSON_MAXDEPTH)
    dec_error(d, "nesting too deep");
  luaL_checkstack(d->L, 4, "json.decode: nesting too deep");
  d->depth++;
  d->p++;
  lua_newtable(d->L);
}

/* An array at d->p ('['): a table with 1..n, marked as an array. */
static void dec_array (Dec *d) {
  lua_State *L = d->L;
  lua_Integer n = 0;
  dec_open(d);
  lua_pushvalue(L, -1);
  lua_pushboolean(L, 1);
  lua_rawset(L, d->marks);
  skip_space(d);
  if (d->p < d->end && *d->p == ']') {
    d->p++;
    d->depth--;
    return;
  }
  for (;;) {
    luai_loopstep(L);
    dec_value(d);
    lua_rawseti(L, -2, ++n);
    skip_space(d);
    if (d->p < d->end && *d->p == ',') {
      d->p++;
      continue;
    }
    if (d->p < d->end && *d->p == ']') {
      d->p++;
      break;
    }
    dec_unexpected(d);
  }
  d->depth--;
}

/* An object at d->p ('{'): keys are strings; of duplicate keys the last wins. */
static void dec_object (Dec *d) {
  lua_State *L = d->L;
  dec_open(d);
  skip_space(d);
  if (d->p < d->end && *d->p == '}') {
    d->p++;
    d->depth--;
    return;
  }
  for (;;) {
    luai_loopstep(L);
    skip_space(d);
    if (d->p >= d->end || *d->p != '"')
      dec_unexpected(d);
    d->p++;
    dec_string(d);
    skip_space(d);
    if (d->p >= d->end || *d->p != ':')
      dec_unexpected(d);
    d->p++;
    dec_value(d);
    lua_rawset(L, -3);
    skip_space(d);
    if (d->p < d->end && *d->p == ',') {
      d->p++;
      continue;
    }
    if (d->p < d->end && *d->p == '}') {
      d->p++;
      break;
    }
    dec_unexpected(d);
  }
  d->depth--;
}

/* Any value at d->p (after white space), pushed. */
static void dec_value (Dec *d) {
  skip_space(d);
  if (d->p >= d->end)
    dec_unexpected(d);
  switch (*d->p) {
    case '{': dec_object(d); break;
    case '[': dec_array(d); break;
    case '"':
      d->p++;
      dec_string(d);
      break;
    case 't':
      dec_literal(d, "true", 4);
      lua_pushboolean(d->L, 1);
      break;
    case 'f':
      dec_literal(d, "false", 5);
      lua_pushboolean(d->L, 0);
      break;
    case 'n':
      dec_literal(d, "null", 4);
      lua_pushlightuserdata(d->L, JSON_NULL);
      break;
    default:
      if (*d->p == '-' || (*d->p >= '0' && *d->p <= '9'))
        dec_number(d);
      else
        dec_unexpected(d);
  }
}

/* json.decode(string) -> value; JSON null is json.null, also at the top. */
static int json_decode (lua_State *L) {
  Dec d;
  size_t len;
  luaL_checktype(L, 1, LUA_TSTRING);
  d.s = lua_tolstring(L, 1, &len);
  lua_settop(L, 1);
  d.L = L;
  d.p = d.s;
  d.end = d.s + len;
  d.depth = 0;
  cu_json_pushmarks(L);
  d.marks = 2;
  dec_value(&d);
  skip_space(&d);
  if (d.p < d.end)
    dec_error(&d, "unexpected character after the value");
  return 1;
}


/* ---------------------------------------------------------------- module */

void cu_json_pushmarks (lua_State *L) {
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &marks_key) == LUA_TTABLE)
    return;
  lua_pop(L, 1);
  lua_newtable(L); /* the marks: weak keys, so a marked table can still be collected */
  lua_createtable(L, 0, 1);
  lua_pushliteral(L, "k");
  lua_setfield(L, -2, "__mode");
  lua_setmetatable(L, -2);
  lua_pushvalue(L, -1);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &marks_key);
}


void cu_json_mark (lua_State *L, int idx) {
  idx = lua_absindex(L, idx);
  cu_json_pushmarks(L);
  lua_pushvalue(L, idx);
  lua_pushboolean(L, 1);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}


int cu_json_marked (lua_State *L, int idx) {
  int marked;
  idx = lua_absindex(L, idx);
  if (lua_rawgetp(L, LUA_REGISTRYINDEX, &marks_key) != LUA_TTABLE) {
    lua_pop(L, 1);
    return 0;
  }
  lua_pushvalue(L, idx);
  marked = lua_rawget(L, -2) != LUA_TNIL;
  lua_pop(L, 2);
  return marked;
}


/* json.array(t) -> t, marked: it encodes as an array, "[]" when empty. */
static int json_array (lua_State *L) {
  const cu_JsonHooks *h = (const cu_JsonHooks *)lua_touserdata(L, lua_upvalueindex(1));
  luaL_checktype(L, 1, LUA_TTABLE);
  lua_settop(L, 1);
  if (h == NULL || h->mark == NULL || !h->mark(L, 1))
    cu_json_mark(L, 1);
  lua_settop(L, 1);
  return 1;
}

int cu_json_open (lua_State *L) {
  return cu_json_openhooks(L, NULL);
}


int cu_json_openhooks (lua_State *L, const cu_JsonHooks *h) {
  static const luaL_Reg funcs[] = {
    {"encode", json_encode},
    {"decode", json_decode},
    {"array",  json_array },
    {NULL,     NULL       }
  };
  cu_json_pushmarks(L);
  lua_pop(L, 1);
  luaL_newlibtable(L, funcs);
  lua_pushlightuserdata(L, (void *)h); /* every function's upvalue: the hooks */
  luaL_setfuncs(L, funcs, 1);
  lua_pushlightuserdata(L, JSON_NULL);
  lua_setfield(L, -2, "null");
  return 1;
}
