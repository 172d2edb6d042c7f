/*
** cu_value.h - Lua values <-> CBOR (docs/FORMAT.md): the codec both ways
** share, and the encoder (cu_value.c); the decoder is cu_valuedec.h. The
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

#endif
