/*
** cu_json.c - the 'json' module: Lua values <-> JSON text (RFC 8259).
** The encoder, json.decode (the decoder is cu_jsondec.c's), then the
** module table.
**
** Invariants. Every error is a Lua error raised by luaL_error inside the
** caller's protected call; nothing here calls malloc, so an error (a bad
** value, a failed allocation under a memory limit, a stop raised by
** luai_loopstep) leaves nothing behind that Lua's collector does not own.
** Loops over elements call luai_loopstep, so time limits stop them.
** Array marks live in a weak-keyed table in the registry (key: &marks_key);
** json.null is a light userdata (&cu_json_nullkey), the same in every
** state. The value converter (cu_value.c, cu_valuedec.c) reads and sets both through
** cu_json.h, so json and Java agree on what is an array.
*/
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_fmt.h"
#include "cu_json.h"
#include "cu_jsondec.h"
#include "cu_loopstep.h" /* a long encoding or decoding is stopped like a library loop */
#include "cu_stack.h"

static const char marks_key = 'm'; /* registry: weak-keyed table, array -> true */
const char cu_json_nullkey = 'n';  /* json.null */

#define JSON_NULL CU_JSON_NULL


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
  cu_stack_check(L, 5, "json.encode: table nested too deeply");
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


/* json.decode(string) -> value; JSON null is json.null, also at the top. */
static int json_decode (lua_State *L) {
  size_t len;
  const char *s;
  luaL_checktype(L, 1, LUA_TSTRING);
  s = lua_tolstring(L, 1, &len);
  lua_settop(L, 1);
  cu_json_pushmarks(L);
  cu_jsondec_value(L, s, len, 2, JSON_NULL);
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
