/*
** cu_value.h - Lua values <-> CBOR (cu_value.c, docs/FORMAT.md). All may
** raise a Lua error; callers run them under lua_pcall.
*/
#ifndef cu_value_h
#define cu_value_h

#include <stddef.h>

#include "lua.h"

#include "cu_buf.h"

/* A Lua string: CBOR text if it is valid UTF-8, a byte string otherwise. */
void cu_value_string (lua_State *L, cu_Buf *b, const char *s, size_t len);

/* nil, boolean, number or string; anything else is an error. */
void cu_value_scalar (lua_State *L, cu_Buf *b, int idx);

/*
** Encodes the values at stack indices first..last (absolute) onto 'b',
** as one CBOR array if 'asarray', else each as its own item; tables that
** contain themselves are encoded if 'cycles', else refused.
*/
void cu_value_encode (lua_State *L, cu_Buf *b, int first, int last,
                      int asarray, int cycles);

/* Pushes the decoded value(s); raises on malformed input. */
int cu_value_decode (lua_State *L, const unsigned char *data, size_t len,
                     int spread, int refs);

#endif
