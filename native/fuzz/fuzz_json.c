/*
** fuzz_json.c - json.decode on arbitrary bytes, in a plain lua_State with
** the json module (cu_json.c) and no libcu. A text that decodes must
** encode, and its encoding must decode to an equal value that encodes to
** text of the same length (object keys may come in another order). Errors
** are the expected outcome of malformed input; a finding is a crash, a
** sanitizer report or a broken round trip.
*/
#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "cu_json.h"
#include "fuzz.h"

/* luai_loopstep's function (cu_loopstep.h): no limits here, just restart the countdown. */
void cu_limits_loopstep (lua_State *L) {
  *(int *)lua_getextraspace(L) = 1000;
}

/* Whether the values at a and b are equal: tables key by key, json.null by identity. */
static int same (lua_State *L, int a, int b, int depth) {
  int n = 0, ok = 1;
  a = lua_absindex(L, a);
  b = lua_absindex(L, b);
  if (lua_type(L, a) != lua_type(L, b))
    return 0;
  if (lua_type(L, a) != LUA_TTABLE) {
    if (lua_type(L, a) == LUA_TNUMBER && lua_isinteger(L, a) != lua_isinteger(L, b))
      return 0;
    return lua_rawequal(L, a, b);
  }
  FZ_ASSERT(depth <= CU_JSON_MAXDEPTH + 1);
  luaL_checkstack(L, 4, "same");
  lua_pushnil(L);
  while (ok && lua_next(L, a)) {
    n++;
    lua_pushvalue(L, -2);
    lua_rawget(L, b);
    ok = same(L, -2, -1, depth + 1);
    lua_pop(L, 2);
  }
  if (!ok) {
    lua_pop(L, 1); /* the key lua_next left */
    return 0;
  }
  lua_pushnil(L);
  while (lua_next(L, b)) {
    n--;
    lua_pop(L, 1);
  }
  return n == 0;
}

/* Calls json[fn](arg at top); leaves the result or the message; returns the status. */
static int call (lua_State *L, const char *fn) {
  lua_getglobal(L, "json");
  lua_getfield(L, -1, fn);
  lua_remove(L, -2);
  lua_insert(L, -2);
  return lua_pcall(L, 1, 1, 0);
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  lua_State *L = luaL_newstate();
  FZ_ASSERT(L != NULL);
  cu_limits_loopstep(L);
  luaL_requiref(L, "json", cu_json_open, 1);
  lua_pop(L, 1);
  lua_pushlstring(L, (const char *)data, size);
  if (call(L, "decode") == LUA_OK) { /* stack: v1 */
    size_t n1, n2;
    lua_pushvalue(L, 1);
    FZ_ASSERT(call(L, "encode") == LUA_OK); /* v1 e1 */
    lua_tolstring(L, 2, &n1);
    lua_pushvalue(L, 2);
    FZ_ASSERT(call(L, "decode") == LUA_OK); /* v1 e1 v2 */
    FZ_ASSERT(same(L, 1, 3, 0));
    lua_pushvalue(L, 3);
    FZ_ASSERT(call(L, "encode") == LUA_OK); /* v1 e1 v2 e2 */
    lua_tolstring(L, 4, &n2);
    FZ_ASSERT(n1 == n2);
  }
  else
    FZ_ASSERT(lua_type(L, -1) == LUA_TSTRING &&
              (strncmp(lua_tostring(L, -1), "json.decode: ", 13) == 0 ||
               strcmp(lua_tostring(L, -1), "not enough memory") == 0));
  lua_close(L);
  return 0;
}
