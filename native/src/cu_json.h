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

#include "cu_cbor.h" /* CU_MAXDEPTH, UTF-8 */

/* Deepest nesting of arrays and objects that json.encode writes or json.decode reads. */
#define CU_JSON_MAXDEPTH CU_MAXDEPTH

/*
** The registry key of the metatable of bigint values (cu_bigint.c):
** json.encode writes such a value as the number its __tostring gives.
*/
#define CU_JSON_BIGINT "cu.bigint"

/*
** A lua_CFunction, like a luaopen_ function: pushes the module table.
** Each call returns a new table whose functions share one registry entry
** (the weak-keyed table of array marks) and whose 'null' is the same
** sentinel.
*/
int cu_json_open (lua_State *L);

/*
** What json.encode asks of each table before reading it, as cu_Codec's
** view does for the value converter: if the table at idx stands for other
** content (an external table for its entries), pushes that content and
** returns 1; else pushes nothing and returns 0. It may raise.
*/
typedef int (*cu_json_View)(lua_State *L, int idx);

/*
** What json.array asks of its table first: if the table at idx stands for
** other content, marks that content as an array (so that it stays one,
** stored included) and returns 1; else returns 0 and json.array marks the
** table itself. It may raise.
*/
typedef int (*cu_json_Mark)(lua_State *L, int idx);

/* The hooks a module table keeps; the struct must outlive the state. */
typedef struct cu_JsonHooks {
  cu_json_View view; /* NULL: every table is read as itself */
  cu_json_Mark mark; /* NULL: json.array marks the table itself */
} cu_JsonHooks;

/* Like cu_json_open, with hooks (NULL: none). */
int cu_json_openhooks (lua_State *L, const cu_JsonHooks *h);

/*
** The array mark and json.null, shared with the value converter
** (cu_value.c, cu_valuedec.c), so that a table is an array, and a position null, the
** same way for json.encode and for Java (docs/FORMAT.md, "Arrays").
** A mark lives in a weak-keyed registry table: it costs nothing to a
** table that is not marked and does not keep a marked table alive.
*/

/* Marks the table at idx as an array. Raises only on a memory error. */
void cu_json_mark (lua_State *L, int idx);

/* Whether the table at idx is marked. Does not raise. */
int cu_json_marked (lua_State *L, int idx);

/*
** Pushes the table of marks (created on first use); for loops that mark
** many tables: lua_pushvalue(t); lua_pushboolean(1); lua_rawset(marks).
** Raises only on a memory error.
*/
void cu_json_pushmarks (lua_State *L);

/* json.null: a light userdata, the same in every state. */
extern const char cu_json_nullkey;
#define CU_JSON_NULL ((void *)&cu_json_nullkey)

/* Whether the value at idx is json.null. Does not raise. */
#define cu_json_isnull(L, idx)                                                                     \
  (lua_type((L), (idx)) == LUA_TLIGHTUSERDATA && lua_touserdata((L), (idx)) == CU_JSON_NULL)

#endif
