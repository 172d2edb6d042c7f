/*
** cu_keys.c - the key cache (cu_keys.h). Pushing a string from C bytes may
** allocate, and an allocation may start a collector step whose finalizers
** run Lua code; pushing a string the cache holds does neither, which lets
** raw table access and calls by name go without a protected call. The
** cache is an array of KEYS strings by a hash of their bytes, in the
** registry; all its slots exist from the start (false when empty), so
** writing one allocates nothing.
**
** Invariant: S->keys is 0 or a table whose array part holds KEYS entries,
** each false or a short string that hashes to its index.
*/
#include <stdint.h>
#include <string.h>

#include "cu_core.h"
#include "cu_keys.h"

#define KEYS   64
#define KEYMAX 40 /* Lua's short strings: interned, each the one string of its bytes */

static int slotof (const char *s, size_t len) {
  uint32_t h = 2166136261u; /* FNV-1a */
  for (size_t i = 0; i < len; i++) h = (h ^ (unsigned char)s[i]) * 16777619u;
  return (int)(h & (KEYS - 1)) + 1;
}

int cu_keys_push (lua_State *L, cu_State *S, const char *s, size_t len) {
  size_t n;
  const char *c;
  if (S->keys == 0 || len > KEYMAX)
    return 0;
  cu_getref(L, S->keys);
  if (lua_rawgeti(L, -1, slotof(s, len)) == LUA_TSTRING) {
    c = lua_tolstring(L, -1, &n);
    if (n == len && memcmp(c, s, n) == 0) {
      lua_remove(L, -2);
      return 1;
    }
  }
  lua_pop(L, 2);
  return 0;
}

void cu_keys_keep (lua_State *L, cu_State *S, int idx) {
  size_t len;
  const char *s;
  if (lua_type(L, idx) != LUA_TSTRING)
    return;
  s = lua_tolstring(L, idx, &len);
  if (len > KEYMAX)
    return;
  idx = lua_absindex(L, idx);
  if (S->keys == 0) {
    lua_createtable(L, KEYS, 0);
    for (int i = 1; i <= KEYS; i++) {
      lua_pushboolean(L, 0);
      lua_rawseti(L, -2, i);
    }
    S->keys = luaL_ref(L, LUA_REGISTRYINDEX);
  }
  cu_getref(L, S->keys);
  lua_pushvalue(L, idx);
  lua_rawseti(L, -2, slotof(s, len));
  lua_pop(L, 1);
}
