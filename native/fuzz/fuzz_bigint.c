/*
** fuzz_bigint.c - bigint.new on arbitrary bytes, in a plain lua_State with
** the bigint module (cu_bigint.c, cu_bigop.c, cu_bignum.c, cu_bigmont.c,
** cu_bigtext.c) and no libcu.
** The first byte picks the base (0: none given, so 10 or "0x"; else 2 to
** 36), the rest is the text. A text that parses must write back in every
** base to text that parses to the same value, and survive identities of
** the arithmetic: (x * x) // x == x, (x * x) % x == 0, sqrt(x * x) == |x|,
** (x + 1) - 1 == x, (|x| << 37) >> 37 == |x|, and powmod(x, 5, m) ==
** x^5 % m for m = |x| + 3 and 2m (one of them odd: Montgomery, the other
** even: division). Errors are the expected outcome
** of malformed text; a finding is a crash, a sanitizer report, an
** unexpected message or a broken identity.
*/
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "cu_bigint.h"
#include "fuzz.h"

/* luai_loopstep's function (cu_loopstep.h): no limits here, just restart the countdown. */
void cu_limits_loopstep (lua_State *L) {
  *(int *)lua_getextraspace(L) = 1000;
}

static const char checks[] =
  "local B, x, text = ...\n"
  "for base = 2, 36 do\n"
  "  local s = x:tostring(base)\n"
  "  assert(B.new(s, base) == x, base)\n"
  "  assert(not s:find('^-?0.') and (x >= 0 or s:sub(1, 1) == '-'))\n"
  "end\n"
  "assert(tostring(x) == x:tostring(10) and B.new(tostring(x)) == x)\n"
  "if x ~= B.new(0) then\n"
  "  assert((x * x) // x == x and (x * x) % x == B.new(0))\n"
  "  local q, r = B.divmod(x * x + 12345, x)\n"
  "  assert(q * x + r == x * x + 12345 and (r == B.new(0) or (r < 0) == (x < 0)))\n"
  "end\n"
  "assert(B.sqrt(x * x) == B.abs(x) and (x + 1) - 1 == x and -(-x) == x)\n"
  "assert((B.abs(x) << 37) >> 37 == B.abs(x) and B.gcd(x, 0) == B.abs(x))\n"
  "local m = B.abs(x) + 3\n"
  "assert(B.powmod(x, 5, m) == x ^ 5 % m and B.powmod(x, 5, 2 * m) == x ^ 5 % (2 * m))\n";

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  lua_State *L;
  int st;
  if (size == 0)
    return 0;
  L = luaL_newstate();
  FZ_ASSERT(L != NULL);
  cu_limits_loopstep(L);
  luaL_requiref(L, "_G", luaopen_base, 1);
  luaL_requiref(L, "string", luaopen_string, 1);
  lua_settop(L, 0);
  luaL_requiref(L, "bigint", cu_bigint_open, 1); /* 1: the module */
  lua_getfield(L, 1, "new");
  lua_pushlstring(L, (const char *)data + 1, size - 1);
  if (data[0] == 0)
    st = lua_pcall(L, 1, 1, 0);
  else {
    lua_pushinteger(L, 2 + data[0] % 35);
    st = lua_pcall(L, 2, 1, 0);
  }
  if (st == LUA_OK) { /* 2: the value */
    FZ_ASSERT(luaL_loadstring(L, checks) == LUA_OK);
    lua_pushvalue(L, 1);
    lua_pushvalue(L, 2);
    lua_pushlstring(L, (const char *)data + 1, size - 1);
    if (lua_pcall(L, 3, 0, 0) != LUA_OK) {
      fprintf(stderr, "identity broken: %s\n", lua_tostring(L, -1));
      FZ_ASSERT(0);
    }
  }
  else
    FZ_ASSERT(lua_type(L, -1) == LUA_TSTRING &&
              (strncmp(lua_tostring(L, -1), "bigint.new: ", 12) == 0 ||
               strcmp(lua_tostring(L, -1), "bigint: number too large") == 0 ||
               strcmp(lua_tostring(L, -1), "not enough memory") == 0));
  lua_close(L);
  return 0;
}
