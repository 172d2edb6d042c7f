/*
** cu_core.c - what every module shares: the state of a thread, the
** protected-call discipline (every export runs its Lua work through
** cu_protect and reports a status; nothing raises into the caller),
** registry references, upcall errors and the failure payload.
*/
#include <stdlib.h>
#include <string.h>

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"


/* ["not enough memory", null, null], for when even the payload fails. */
static const unsigned char nomem_payload[] = {CU_CBOR_IB(CU_CBOR_ARRAY, 3),
                                              CU_CBOR_IB(CU_CBOR_TEXT, 17),
                                              'n',
                                              'o',
                                              't',
                                              ' ',
                                              'e',
                                              'n',
                                              'o',
                                              'u',
                                              'g',
                                              'h',
                                              ' ',
                                              'm',
                                              'e',
                                              'm',
                                              'o',
                                              'r',
                                              'y',
                                              CU_CBOR_NULL,
                                              CU_CBOR_NULL};


cu_State *cu_getstate (lua_State *L) {
  void *ud;
  lua_getallocf(L, &ud);
  return (cu_State *)ud;
}


int cu_protect (cu_State *S, lua_CFunction f, void *ud) {
  lua_State *L = S->L;
  int status;
  S->info.mem_refused = S->info.mem_refused_used = 0;
  lua_settop(L, 0);
  lua_pushcfunction(L, f);
  lua_pushlightuserdata(L, ud);
  status = lua_pcall(L, 1, 0, 0);
  lua_settop(L, 0);
  return status;
}


void cu_set_out (cu_State *S) {
  S->info.out = S->buf.out.p;
  S->info.outlen = (int64_t)S->buf.out.n;
}


int cu_upcall_raise (lua_State *L, cu_State *S) {
  lua_pushvalue(L, -1);
  lua_rawseti(L, LUA_REGISTRYINDEX, S->up.err);
  S->up.errset = 1;
  return lua_error(L);
}


void cu_set_nomem (cu_State *S) {
  S->info.out = nomem_payload;
  S->info.outlen = (int64_t)sizeof(nomem_payload);
}


void cu_put_message (lua_State *L, cu_State *S, const char *msg) {
  size_t len = strlen(msg);
  cu_buf_reset(L, &S->buf.out);
  cu_buf_head(L, &S->buf.out, CU_CBOR_ARRAY, 3);
  cu_buf_head(L, &S->buf.out, cu_cbor_utf8(msg, len) ? CU_CBOR_TEXT : CU_CBOR_BYTES, len);
  cu_buf_add(L, &S->buf.out, msg, len);
  cu_buf_byte(L, &S->buf.out, CU_CBOR_NULL);
  cu_buf_byte(L, &S->buf.out, CU_CBOR_NULL);
}


int cu_upcall_error (lua_State *L, cu_State *S, const char *what) {
  lua_pushfstring(L, "%s: ", what);
  lua_pushlstring(L, (const char *)S->up.reply, S->up.replylen);
  lua_concat(L, 2);
  return cu_upcall_raise(L, S);
}


/*
** Pushes a new table, weak as 'mode' says (NULL: strong). The weak tables
** of a mode share one metatable, kept in the registry under "cu.weak.MODE":
** no script reaches the registry, so none can change it.
*/
static void newtable (lua_State *L, const char *mode) {
  lua_newtable(L);
  if (mode != NULL) {
    lua_pushfstring(L, "cu.weak.%s", mode);
    if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TTABLE) {
      lua_pop(L, 1);
      lua_createtable(L, 0, 1);
      lua_pushstring(L, mode);
      lua_setfield(L, -2, "__mode");
      lua_pushfstring(L, "cu.weak.%s", mode);
      lua_pushvalue(L, -2);
      lua_rawset(L, LUA_REGISTRYINDEX);
    }
    lua_setmetatable(L, -2);
  }
}


int cu_newref (lua_State *L, const char *mode) {
  newtable(L, mode);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}


/*
** Replaces the table of reference *ref by a new one with 'mode', in the
** same registry slot. The new table exists before the old one is let go,
** so a memory error leaves *ref naming the old table, never a freed slot.
*/
void cu_renewref (lua_State *L, int *ref, const char *mode) {
  newtable(L, mode);
  lua_rawseti(L, LUA_REGISTRYINDEX, *ref);
}


CU_API int cu_upcall_reply (cu_State *S, const unsigned char *data, size_t len) {
  if (len > S->up.replycap) {
    size_t cap = len < 256 ? 256 : len;
    unsigned char *p = (unsigned char *)realloc(S->up.reply, cap);
    if (p == NULL)
      return CU_ERRMEM;
    S->up.reply = p;
    S->up.replycap = cap;
  }
  if (len > 0)
    memcpy(S->up.reply, data, len);
  S->up.replylen = len;
  return CU_OK;
}
