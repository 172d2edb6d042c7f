/*
** cu_jsondec.h - the JSON decoder of json.decode (cu_json.c): JSON text
** (RFC 8259) to a Lua value, written against Lua's C API only.
*/
#ifndef cu_jsondec_h
#define cu_jsondec_h

#include <stddef.h>

#include "lua.h"

#include "cu_cbor.h" /* CU_MAXDEPTH */

/* Deepest nesting of arrays and objects that a decoding reads. */
#define CU_JSONDEC_MAXDEPTH CU_MAXDEPTH

/*
** Pushes the value of the JSON text s[0..len): objects and arrays become
** tables, and each array's table is set to true in the table at stack
** index 'marks'; JSON null becomes the light userdata 'null', and numbers
** integers when they are written as integers that fit, floats otherwise.
** Raises a Lua error ("json.decode: <what> at position N") on bad text,
** on nesting deeper than CU_JSONDEC_MAXDEPTH and on a failed allocation;
** the caller runs it protected.
*/
void cu_jsondec_value (lua_State *L, const char *s, size_t len, int marks, void *null);

#endif
