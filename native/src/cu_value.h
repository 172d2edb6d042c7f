/*
** cu_value.h - Lua values <-> CBOR (cu_value.c, docs/FORMAT.md). The
** converter knows Lua and the wire layer only: it reaches the extension
** types (external tables, _io, stored functions) through the hooks of a
** cu_Codec, never by calling their modules. Every function may raise a
** Lua error; callers run them under lua_pcall.
*/
#ifndef cu_value_h
#define cu_value_h

#include <stddef.h>
#include <stdint.h>

#include "lua.h"

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_conf.h"

/*
** How one conversion treats what is not a plain Lua value: three hooks and
** their context, plus two settings. A codec is a value; callers keep one
** per use (cu_run.c defines the plain codec, cu_store.c the rows' codec).
*/
typedef struct cu_Codec {
  /*
  ** Encoding: if the table at idx stands for other content (an external
  ** table for its entries, _io for its data), pushes that content and
  ** returns 1; else pushes nothing and returns 0. Called once per table
  ** per pass. NULL: every table is plain.
  */
  int (*view)(lua_State *L, int idx, void *ud);
  /*
  ** Decoding: an item of a tag the converter does not know (cu's own
  ** tags). Reads the tag's content from r, pushes one value and returns
  ** 1; or reads nothing and returns 0 to refuse the tag ("unsupported
  ** tag"). 'depth' is the tagged item's depth. NULL: every such tag is
  ** refused, as for values from Java.
  */
  int (*tag)(lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud);
  /*
  ** Encoding: a function, thread or userdata at idx (a value, not a table
  ** key): writes one item for it and returns 1, or writes nothing and
  ** returns 0 for the opaque tag. NULL: every such value is opaque.
  */
  int (*other)(lua_State *L, cu_Buf *b, int idx, void *ud);
  void *ud;   /* passed to the hooks */
  int cycles; /* encoding: a table may contain itself */
  int depth;  /* decoding: depth of the first item (rows nested in rows) */
} cu_Codec;

/* Encodes the value at idx as one item. */
void cu_value_encode (lua_State *L, cu_Buf *b, int idx, const cu_Codec *c);

/* Encodes the values at stack indices first..last (absolute) as one array. */
void cu_value_encodelist (lua_State *L, cu_Buf *b, int first, int last, const cu_Codec *c);

/* A Lua string: CBOR text if it is valid UTF-8, a byte string otherwise. */
void cu_value_string (lua_State *L, cu_Buf *b, const char *s, size_t len);

/* nil, boolean, number or string; anything else is an error. */
void cu_value_scalar (lua_State *L, cu_Buf *b, int idx);

/*
** A bigint (cu_bigint.h) as tag 2 or 3 (docs/FORMAT.md, "Bigints"),
** whatever its size, so it decodes as a bigint again; returns 1. Returns
** 0, writing nothing, when the value at idx is not a bigint.
*/
int cu_value_bigint (lua_State *L, cu_Buf *b, int idx);

/* Decodes the one item that fills data[0, len) and pushes it. */
void cu_value_decode (lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c);

/*
** Decodes the one array that fills data[0, len) and pushes its elements;
** returns how many.
*/
int cu_value_decodeargs (lua_State *L, const unsigned char *data, size_t len, const cu_Codec *c);

/*
** For tag hooks: reading inside a tag's content, with the decoder's
** errors ("malformed CBOR input: <what>").
*/
CU_NORETURN void cu_value_bad (lua_State *L, const char *what);

/* A head of major type 'major' (else error 'what'); returns its argument. */
uint64_t cu_value_head (lua_State *L, cu_Reader *r, int major, const char *what);

/* n, a count of items that each take at least 'unit' bytes of what is left. */
size_t cu_value_count (lua_State *L, cu_Reader *r, uint64_t n, size_t unit);

/* An id: an unsigned integer in 1..LUA_MAXINTEGER. */
uint64_t cu_value_id (lua_State *L, cu_Reader *r);

/* A null (else error 'what'). */
void cu_value_null (lua_State *L, cu_Reader *r, const char *what);

#endif
