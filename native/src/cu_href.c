/*
** cu_href.c - the table of handles: reference -> value, with a free list
** of its own so that a reference can be checked before it is used (a
** released or made-up reference is refused, never followed).
**
** Layout of the table t: t[0] is the first free slot (0 = none), a free
** slot holds the next free one (an integer), a live slot holds its value,
** never a number (functions, tables, threads). t[0] exists from the start,
** so releasing only overwrites existing keys: it allocates nothing.
*/
#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"
#include "cu_value.h"
#include "cu_valuedec.h"
#include "cu_raw.h"
#include "cu_stack.h"
#include "cu_href.h"


void cu_href_open (lua_State *L, cu_State *S) {
  lua_newtable(L);
  lua_pushinteger(L, 0);
  lua_rawseti(L, -2, 0);
  S->href.refs = luaL_ref(L, LUA_REGISTRYINDEX);
  S->href.fresh = cu_newref(L, NULL);
  S->href.nfresh = 0;
  S->href.count = 0;
}


lua_Integer cu_href_new (lua_State *L, cu_State *S, int idx, int fresh) {
  lua_Integer ref, next;
  idx = lua_absindex(L, idx);
  if (fresh) { /* reserve the entry first: nothing to undo if it fails */
    lua_pushboolean(L, 0);
    cu_refseti(L, S->href.fresh, S->href.nfresh + 1, -1);
    lua_pop(L, 1);
  }
  cu_getref(L, S->href.refs);
  lua_rawgeti(L, -1, 0);
  ref = lua_tointeger(L, -1);
  lua_pop(L, 1);
  if (ref > 0) {
    lua_rawgeti(L, -1, ref);
    next = lua_tointeger(L, -1);
    lua_pop(L, 1);
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, ref); /* an existing key: cannot fail */
    lua_pushinteger(L, next);
    lua_rawseti(L, -2, 0);
  }
  else {
    ref = (lua_Integer)lua_rawlen(L, -1) + 1;
    lua_pushvalue(L, idx);
    lua_rawseti(L, -2, ref); /* may raise: nothing changed then */
  }
  lua_pop(L, 1);
  S->href.count++;
  if (fresh) {
    lua_pushinteger(L, ref);
    cu_refseti(L, S->href.fresh, ++S->href.nfresh, -1); /* reserved: cannot fail */
    lua_pop(L, 1);
  }
  return ref;
}


int cu_href_type (lua_State *L, cu_State *S, lua_Integer ref) {
  int t;
  if (ref <= 0)
    return LUA_TNONE;
  cu_getref(L, S->href.refs);
  t = lua_rawgeti(L, -1, ref);
  lua_pop(L, 2);
  return (t == LUA_TNIL || t == LUA_TNUMBER) ? LUA_TNONE : t;
}


void cu_href_push (lua_State *L, cu_State *S, lua_Integer ref) {
  cu_raw_pushindex(L, S->href.refs, ref);
}


int cu_href_free (lua_State *L, cu_State *S, lua_Integer ref) {
  if (cu_href_type(L, S, ref) == LUA_TNONE)
    return 0;
  cu_getref(L, S->href.refs);
  lua_rawgeti(L, -1, 0);
  lua_rawseti(L, -2, ref); /* t[ref] = first free */
  lua_pushinteger(L, ref);
  lua_rawseti(L, -2, 0); /* first free = ref */
  lua_pop(L, 1);
  S->href.count--;
  return 1;
}


void cu_href_drop (lua_State *L, cu_State *S, int mark) {
  while (S->href.nfresh > mark) {
    cu_refgeti(L, S->href.fresh, S->href.nfresh--);
    cu_href_free(L, S, lua_tointeger(L, -1));
    lua_pop(L, 1);
  }
}


/* Writes the handle of the value at idx: tag, [reference, description]. */
static void puthandle (lua_State *L, cu_Buf *b, int idx, lua_Integer ref) {
  size_t len;
  const char *s;
  lua_pushfstring(L, "%s: %p", luaL_typename(L, idx), lua_topointer(L, idx));
  s = lua_tolstring(L, -1, &len);
  cu_buf_head(L, b, CU_CBOR_TAG, CU_TAG_HANDLE);
  cu_buf_head(L, b, CU_CBOR_ARRAY, 2);
  cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)ref);
  cu_value_string(L, b, s, len);
  lua_pop(L, 1);
}


int cu_href_encode (lua_State *L, cu_Buf *b, int idx, void *ud) {
  (void)ud;
  if (lua_type(L, idx) != LUA_TFUNCTION)
    return 0;
  cu_href_encodeany(L, b, idx);
  return 1;
}


void cu_href_encodeany (lua_State *L, cu_Buf *b, int idx) {
  idx = lua_absindex(L, idx);
  puthandle(L, b, idx, cu_href_new(L, cu_getstate(L), idx, 1));
}


int cu_href_decode (lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud) {
  cu_State *S = cu_getstate(L);
  lua_Integer ref;
  (void)depth;
  (void)ud;
  if (tag != CU_TAG_HANDLE)
    return 0;
  ref = (lua_Integer)cu_valuedec_id(L, r);
  cu_stack_check(L, 2, "too many values");
  if (cu_href_type(L, S, ref) == LUA_TNONE)
    return luaL_error(L, "invalid handle %I (released, or of another unit)", ref);
  cu_href_push(L, S, ref);
  return 1;
}
