/*
** test_rawtable.c - the table reads of cu_raw.c on the stack (cu_raw_getp,
** cu_raw_next, cu_raw_count) in a plain lua_State, against the API they
** stand for (lua_rawgetp, lua_next): random tables with light userdata,
** integer, string and boolean keys, entries removed and added, across
** collections.
*/
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "lauxlib.h"
#include "lua.h"
#include "lualib.h"

#include "cu_raw.h"
#include "check.h"

/* cu_raw.c reads slot text through it; the functions tested here do not. */
const char *cu_slots_text (const cu_Slots *f, const cu_Slot *s) {
  (void)f;
  (void)s;
  return NULL;
}

static char keys[12]; /* light userdata keys: their addresses */

/* Pushes one of a few dozen keys of every kind. */
static void pushkey (lua_State *L) {
  switch (cut_rnd(4)) {
    case 0: lua_pushlightuserdata(L, &keys[cut_rnd(12)]); break;
    case 1: lua_pushinteger(L, (lua_Integer)cut_rnd(12) + 1); break;
    case 2: lua_pushfstring(L, "k%d", (int)cut_rnd(12)); break;
    default: lua_pushboolean(L, (int)cut_rnd(2)); break;
  }
}

/* Every entry cu_raw_next finds is the table's, and there are as many as lua_next finds. */
static int traversalagrees (lua_State *L, int t) {
  unsigned int pos = 0, n = 0, m = 0;
  int ok = 1;
  while (cu_raw_next(L, t, &pos)) {
    n++;
    lua_pushvalue(L, -2);
    lua_rawget(L, t);
    ok &= !lua_isnil(L, -1) && lua_rawequal(L, -1, -2);
    lua_pop(L, 3);
  }
  lua_pushnil(L);
  while (lua_next(L, t)) {
    m++;
    lua_pop(L, 1);
  }
  return ok && n == m && cu_raw_count(L, t) == m;
}

static void agreeswithapi (void) {
  lua_State *L = luaL_newstate();
  int bad = 0;
  for (int round = 0; round < 2000; round++) {
    int t;
    lua_settop(L, 0);
    lua_createtable(L, (int)cut_rnd(4), (int)cut_rnd(6));
    t = lua_gettop(L);
    for (int i = (int)cut_rnd(20); i > 0; i--) {
      pushkey(L);
      if (cut_rnd(4) == 0)
        lua_pushnil(L); /* removes, or leaves nothing */
      else
        lua_pushinteger(L, (lua_Integer)cut_rnd(100));
      lua_rawset(L, t);
      if (cut_rnd(8) == 0)
        lua_gc(L, LUA_GCCOLLECT);
    }
    for (int k = 0; k < 12; k++) {
      int a = lua_rawgetp(L, t, &keys[k]), b = cu_raw_getp(L, t, &keys[k]);
      bad += a != b || !lua_rawequal(L, -1, -2);
      lua_pop(L, 2);
    }
    bad += !traversalagrees(L, t);
  }
  CHECK(bad == 0);
  /* a pseudo-index and a large table take lua_rawgetp */
  lua_pushinteger(L, 7);
  lua_rawsetp(L, LUA_REGISTRYINDEX, &keys[0]);
  CHECK(cu_raw_getp(L, LUA_REGISTRYINDEX, &keys[0]) == LUA_TNUMBER && lua_tointeger(L, -1) == 7);
  lua_newtable(L);
  for (int k = 0; k < 12; k++) {
    lua_pushinteger(L, k);
    lua_rawsetp(L, -2, &keys[k]);
  }
  CHECK(cu_raw_getp(L, -1, &keys[11]) == LUA_TNUMBER && lua_tointeger(L, -1) == 11);
  lua_pop(L, 1);
  CHECK(cu_raw_getp(L, -1, &cut_seed) == LUA_TNIL); /* an address no key has */
  lua_close(L);
}

int main (void) {
  agreeswithapi();
  return cut_done();
}
