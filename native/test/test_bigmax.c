/*
** test_bigmax.c - the bigint module at its size limit: built with
** CU_BN_MAXLIMBS set to 4, so the largest value is 4 limbs and the limit
** is reached with small numbers. CBOR's tags 2 and 3 (cu_bigint_pushbytes)
** take every value of at most 4 limbs, the negative ones included (tag 3
** holds the magnitude minus 1, whose plus 1 must not need room beyond
** the limit unless the value does), and refuse the rest.
*/
#include <stdio.h>
#include <string.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "cu_bigint.h"
#include "check.h"

#if CU_BN_MAXLIMBS != 4
#error "test_bigmax is built with CU_BN_MAXLIMBS=4"
#endif

/* The bytes of the largest magnitude: 4 limbs. */
#define MAXBYTES (4 * CU_BN_LIMBBITS / 8)

/* luai_loopstep's function (cu_loopstep.h): nothing here is stopped. */
void cu_limits_loopstep (lua_State *L) {
  *(int *)lua_getextraspace(L) = 1000;
}

typedef struct Bytes {
  const unsigned char *p;
  size_t len;
  int neg;
} Bytes;

static int ppush (lua_State *L) {
  const Bytes *b = (const Bytes *)lua_touserdata(L, 1);
  cu_bigint_pushbytes(L, b->p, b->len, b->neg);
  lua_getfield(L, -1, "tostring");
  lua_pushvalue(L, -2);
  lua_pushinteger(L, 16);
  lua_call(L, 2, 1);
  return 1;
}

/*
** Decodes len bytes, the first 'first' and the rest 'rest', as tag 2 or 3
** (neg); checks the value's hexadecimal text, or the error when 'hex' is NULL.
*/
static int decodes (lua_State *L, unsigned first, unsigned rest, size_t len, int neg,
                    const char *hex) {
  unsigned char buf[2 * MAXBYTES];
  Bytes b = {buf, len, neg};
  int st, ok;
  memset(buf, (int)rest, sizeof buf);
  if (len > 0)
    buf[0] = (unsigned char)first;
  lua_pushcfunction(L, ppush);
  lua_pushlightuserdata(L, &b);
  st = lua_pcall(L, 1, 1, 0);
  if (hex != NULL)
    ok = st == LUA_OK && strcmp(lua_tostring(L, -1), hex) == 0;
  else
    ok = st == LUA_ERRRUN && strstr(lua_tostring(L, -1), "bigint: number too large") != NULL;
  if (!ok)
    fprintf(stderr, "len %zu neg %d: expected %s, got (status %d) %s\n", len, neg,
            hex != NULL ? hex : "too large", st, lua_tostring(L, -1));
  lua_settop(L, 0);
  return ok;
}

/* 'sign', then c followed by n times d. */
static const char *text (char *buf, const char *sign, char c, int n, char d) {
  size_t k = strlen(sign);
  memcpy(buf, sign, k);
  buf[k++] = c;
  memset(buf + k, d, (size_t)n);
  buf[k + (size_t)n] = '\0';
  return buf;
}

int main (void) {
  char t[2 * 2 * MAXBYTES + 4];
  lua_State *L = luaL_newstate();
  *(int *)lua_getextraspace(L) = 1000;
  luaL_requiref(L, "bigint", cu_bigint_open, 1);
  lua_settop(L, 0);
  /* tag 2: all 4 limbs, with or without leading zero bytes; a fifth is refused */
  CHECK(decodes(L, 0xff, 0xff, MAXBYTES, 0, text(t, "", 'f', 2 * MAXBYTES - 1, 'f')));
  CHECK(decodes(L, 0x00, 0x00, 2 * MAXBYTES, 0, "0"));
  CHECK(decodes(L, 0x00, 0x00, 0, 0, "0"));
  CHECK(decodes(L, 0x01, 0x00, MAXBYTES + 1, 0, NULL));
  /* tag 3: -1 - m for m of 4 limbs that are not all ones, the largest negative values */
  CHECK(decodes(L, 0xfe, 0xff, MAXBYTES, 1, text(t, "-f", 'f', 2 * MAXBYTES - 2, '0')));
  CHECK(decodes(L, 0x7f, 0xff, MAXBYTES, 1, text(t, "-", '8', 2 * MAXBYTES - 1, '0')));
  /* -1 - m for m of 4 limbs of ones would need a fifth */
  CHECK(decodes(L, 0xff, 0xff, MAXBYTES, 1, NULL));
  /* 3 limbs of ones: the carry takes the fourth */
  CHECK(decodes(L, 0xff, 0xff, 3 * MAXBYTES / 4, 1, text(t, "-", '1', 3 * MAXBYTES / 2, '0')));
  CHECK(decodes(L, 0x00, 0x00, 0, 1, "-1"));
  CHECK(decodes(L, 0x00, 0x00, 3, 1, "-1"));
  CHECK(decodes(L, 0x00, 0x01, 2, 1, "-2"));
  lua_close(L);
  return cut_done();
}
