/*
** cu_valuedec.h - CBOR -> Lua values (cu_valuedec.c, docs/FORMAT.md): the
** decoder of the value converter, and the readers tag hooks use inside a
** tag's content. Every function may raise a Lua error; callers run them
** under lua_pcall.
*/
#ifndef cu_valuedec_h
#define cu_valuedec_h

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

#include "cu_cbor.h"
#include "cu_conf.h"
#include "cu_value.h"

/* Decodes the one item that fills data[0, len) and pushes it. */
void cu_valuedec_value (lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c);

/*
** Decodes the one array that fills data[0, len) and pushes its elements;
** returns how many.
*/
int cu_valuedec_args (lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c);

/*
** For tag hooks: reading inside a tag's content, with the decoder's
** errors ("malformed CBOR input: <what>").
*/
CU_NORETURN void cu_valuedec_bad (lua_State *L, const char *what);

/* A head of major type 'major' (else error 'what'); returns its argument. */
uint64_t cu_valuedec_head (lua_State *L, cu_Reader *r, int major, const char *what);

/* n, a count of items that each take at least 'unit' bytes of what is left. */
size_t cu_valuedec_count (lua_State *L, cu_Reader *r, uint64_t n, size_t unit);

/* An id: an unsigned integer in 1..LUA_MAXINTEGER. */
uint64_t cu_valuedec_id (lua_State *L, cu_Reader *r);

/* A null (else error 'what'). */
void cu_valuedec_null (lua_State *L, cu_Reader *r, const char *what);

#endif
