/*
** cu_buf.c - byte buffers anchored in the registry (cu_buf.h).
*/
#include <string.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu_cbor.h"
#include "cu_buf.h"


void cu_buf_reset (lua_State *L, cu_Buf *b) {
  b->n = 0;
  if (b->cap > CU_BUF_KEEP) {
    /*
    ** false, not nil: luaL_ref could take a nil slot for the registry's
    ** border and hand it out, and the next growth would overwrite that reference
    */
    lua_pushboolean(L, 0);
    lua_rawseti(L, LUA_REGISTRYINDEX, b->slot);
    b->p = NULL;
    b->cap = 0;
  }
}


unsigned char *cu_buf_grow (lua_State *L, cu_Buf *b, size_t extra) {
  size_t ncap = (b->cap > 0) ? b->cap : 256;
  unsigned char *np;
  while (ncap - b->n < extra) {
    if (ncap > ((size_t)-1) / 4)
      luaL_error(L, "value too large to encode");
    ncap *= 2;
  }
  np = (unsigned char *)lua_newuserdatauv(L, ncap, 0);
  if (b->n > 0)
    memcpy(np, b->p, b->n);
  if (b->slot == 0) /* the first growth takes the slot; if that raises, b is unchanged */
    b->slot = luaL_ref(L, LUA_REGISTRYINDEX);
  else
    lua_rawseti(L, LUA_REGISTRYINDEX, b->slot); /* old block is garbage */
  b->p = np;
  b->cap = ncap;
  return b->p + b->n;
}
