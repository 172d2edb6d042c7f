/*
** cu_perm.h - the permanents: C functions stored by name, the standard
** library's and host functions (cu_perm.c, docs/FORMAT.md "Functions").
*/
#ifndef cu_perm_h
#define cu_perm_h

#include "cu_core.h"

/*
** Records the C functions of the globals and of the standard library
** tables as permanents, named as scripts reach them ("print",
** "string.format"). Called once per state, before any script runs. Raises
** on memory errors.
*/
void cu_perm_open (lua_State *L, cu_State *S);

/* C function f is stored by 'name' (host functions, placeholders). Raises on memory errors. */
void cu_perm_add (lua_State *L, cu_State *S, int f, const char *name);

/* Pushes the name C function f is stored by, or nil; returns its type. Raises on memory errors. */
int cu_perm_name (lua_State *L, cu_State *S, int f);

/* Pushes the permanent named by the string at 'name', or nil; returns its type. */
int cu_perm_func (lua_State *L, cu_State *S, int name);

#endif
