/*
** cu_persist.h - Lua functions in external tables: stored functions,
** upvalue boxes and permanents (cu_persist.c, docs/FORMAT.md "Functions").
*/
#ifndef cu_persist_h
#define cu_persist_h

#include <stddef.h>
#include <stdint.h>

#include "cu_core.h"

void cu_persist_open (lua_State *L, cu_State *S);

/* Whether the registries of stored functions exist: until then none is registered. */
#define cu_persist_made(S) ((S)->fn.boxload != 0)

/* Makes the registries if they are not made yet. Raises on memory errors. */
void cu_persist_need (lua_State *L, cu_State *S);

/* Forgets every stored function and box (a new store state). */
void cu_persist_reset (lua_State *L, cu_State *S);

/* Registers function f for storage (ids, boxes); see cu_ext_convert. */
void cu_persist_prepare (lua_State *L, cu_State *S, int f, int copied, int depth);

/* Encodes a reference to prepared function f (FUNCREF or PERMANENT). */
void cu_persist_encode (lua_State *L, cu_State *S, cu_Buf *b, int f);

/*
** Whether a commit has no function work: no stored closure whose upvalues
** it would sync, no function or box new in this run. Allocates nothing.
*/
int cu_persist_idle (lua_State *L, cu_State *S);

/* Boxes whose upvalue changed since they were written are dirty again. */
void cu_persist_sync (lua_State *L, cu_State *S);

/* Whether any function row or box is registered (else cu_persist_removed has nothing to do). */
int cu_persist_any (lua_State *L, cu_State *S);

/* The store removed table 'id': if it was a function row or a box, forget it. No allocation. */
void cu_persist_removed (lua_State *L, cu_State *S, lua_Integer id);

/* Appends rows (F, 0, blob) for the functions new in this run; returns their count. */
uint64_t cu_persist_rows (lua_State *L, cu_State *S, cu_Buf *b);

/* Ends a run: with 'discard', what it created is unregistered. No allocation. */
void cu_persist_forget (lua_State *L, cu_State *S, int discard);

#endif
