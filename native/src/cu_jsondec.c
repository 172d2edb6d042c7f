/*
** cu_jsondec.c - JSON text (RFC 8259) to a Lua value, for json.decode
** (cu_json.c).
**
** Invariants. Every error is a Lua error raised by luaL_error inside the
** caller's protected call, with the byte position of the input where it
** was found; nothing here calls malloc, so an error (bad text, a failed
** allocation under a memory limit, a stop raised by luai_loopstep) leaves
** nothing behind that Lua's collector does not own. Strings are built in
** a luaL_Buffer; loops over elements call luai_loopstep, so time limits
** stop them.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_cbor.h"     /* CU_MAXDEPTH, UTF-8 */
#include "cu_loopstep.h" /* a long decoding is stopped like a library loop */
#include "cu_stack.h"
#include "cu_jsondec.h"

#if defined(__GNUC__)
#define json_noret __attribute__((noreturn)) void
#else
#define json_noret void
#endif

/* The bytes a string's text cannot carry as they are: controls, '"', '\\', non-ASCII. */
static int needs_care (unsigned char c) {
  return c < 0x20 || c == '"' || c == '\\' || c >= CU_UTF8_ASCII_END;
}

typedef struct Dec {
  lua_State *L;
  const char *s, *p, *end; /* the input, the next byte, its end */
  int marks;               /* stack index of the marks table */
  int depth;               /* arrays and objects open */
  void *null;              /* what JSON null becomes */
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
  if (d->depth >= CU_JSONDEC_MAXDEPTH)
    dec_error(d, "nesting too deep");
  cu_stack_check(d->L, 4, "json.decode: nesting too deep");
  d->depth++;
  d->p++;
  lua_newtable(d->L);
}

/*
** After an element of an array or object: skips white space, then
** consumes a ',' and returns 1 (another element follows) or consumes
** 'close' and returns 0 (the container ends). Any other byte, or the end
** of the input, raises an unexpected-character error at d->p.
*/
static int dec_more (Dec *d, char close) {
  skip_space(d);
  if (d->p < d->end && *d->p == ',') {
    d->p++;
    return 1;
  }
  if (d->p < d->end && *d->p == close) {
    d->p++;
    return 0;
  }
  dec_unexpected(d);
  return 0; /* not reached: dec_unexpected raises */
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
    if (!dec_more(d, ']'))
      break;
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
    if (!dec_more(d, '}'))
      break;
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
      lua_pushlightuserdata(d->L, d->null);
      break;
    default:
      if (*d->p == '-' || (*d->p >= '0' && *d->p <= '9'))
        dec_number(d);
      else
        dec_unexpected(d);
  }
}


void cu_jsondec_value (lua_State *L, const char *s, size_t len, int marks, void *null) {
  Dec d;
  d.L = L;
  d.s = d.p = s;
  d.end = s + len;
  d.marks = lua_absindex(L, marks);
  d.depth = 0;
  d.null = null;
  dec_value(&d);
  skip_space(&d);
  if (d.p < d.end)
    dec_error(&d, "unexpected character after the value");
}
