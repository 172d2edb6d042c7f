/*
** cu_raw.h - raw reads and writes of the values the shim keeps in the
** registry, through Lua's internals (cu_raw.c): the fast paths of handles
** and of calls by name; raw reads of tables on the stack without hashing
** or key lookups (a proxy's hidden keys, the traversals of the value
** encoder and of the tables external tables copy and commit). None
** raises, allocates or runs Lua code, so each may be called outside a
** protected call; those
** that push need room for one value on the stack (cu_raw_next: two).
*/
#ifndef cu_raw_h
#define cu_raw_h

#include <stddef.h>

#include "cu_core.h"

/*
** [-0, +1, -] Pushes registry[reg][i] (both raw) and returns its type.
** registry[reg] must be a table.
*/
int cu_raw_pushindex (lua_State *L, int reg, lua_Integer i);

/*
** [-0, +0, -] When registry[reg][i] is a table without a metatable and the
** key in slot 0 of 'f' is an integer or a short string, reads the table at
** that key raw, puts the value into slot 0 when it is a scalar (f->n = 1)
** and returns 1. Otherwise returns 0 with 'f' as it was: the read needs a
** run. registry[reg] must be a table.
*/
int cu_raw_get (lua_State *L, int reg, lua_Integer i, cu_Slots *f);

/*
** [-0, +0, -] When registry[reg][i] is a table without a metatable that
** holds the key in slot 0 of 'f' (an integer or a short string), and the
** value in slot 1 is nil, a boolean or a number, writes it there and
** returns 1. Otherwise returns 0 and writes nothing: a new key may make
** the table grow, which allocates. registry[reg] must be a table.
*/
int cu_raw_set (lua_State *L, int reg, lua_Integer i, const cu_Slots *f);

/*
** [-0, +(0|1), -] Pushes the global named s[0, len) and returns 1 when the
** globals table holds it (raw) and it is a function; otherwise pushes
** nothing and returns 0.
*/
int cu_raw_pushglobal (lua_State *L, const char *s, size_t len);

/*
** [-0, +1, -] Pushes t[p], t at stack index idx, raw, and returns its
** type: lua_rawgetp, faster on a table with at most 8 hash nodes (a
** proxy's bookkeeping), which is searched node by node instead of hashing
** the pointer (a division). idx may be any index lua_rawgetp takes.
*/
int cu_raw_getp (lua_State *L, int idx, const void *p);

/*
** [-0, +(0|2), -] The traversal of lua_next by position instead of by key:
** pushes the key and the value of the first entry of the table at stack
** index idx (not a pseudo-index) at position *i or after it, sets *i past
** it and returns 1; returns 0, pushing nothing, after the last entry.
** Start with *i = 0; the entries come in lua_next's order. A table that
** gets new keys meanwhile may be traversed in part or with repeats, never
** outside its parts; the caller provides room for two values.
*/
int cu_raw_next (lua_State *L, int idx, unsigned int *i);

/* [-0, +0, -] The number of entries of the table at stack index idx (not a pseudo-index). */
unsigned int cu_raw_count (lua_State *L, int idx);

#endif
