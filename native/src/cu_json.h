/*
** cu_json.h - the built-in 'json' module (docs/SANDBOX.md, "json"):
** json.encode, json.decode, json.null and json.array, written against
** Lua's C API only. Every function of the module raises a Lua error on
** bad input or a failed allocation; nothing it allocates outlives an
** error except through Lua's collector.
*/
#ifndef cu_json_h
#define cu_json_h

#include "lua.h"

#include "cu_cbor.h" /* CU_MAXDEPTH */

/* Deepest nesting of arrays and objects that json.encode writes or json.decode reads. */
#define CU_JSON_MAXDEPTH CU_MAXDEPTH

/*
** A lua_CFunction, like a luaopen_ function: pushes the module table.
** Each call returns a new table whose functions share one registry entry
** (the weak-keyed table of array marks) and whose 'null' is the same
** sentinel.
*/
int cu_json_open (lua_State *L);

#endif
