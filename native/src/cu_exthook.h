/*
** cu_exthook.h - the metatable of external tables' proxies (cu_exthook.c).
*/
#ifndef cu_exthook_h
#define cu_exthook_h

#include "cu_core.h"

/* Creates the proxies' metatable and the registries of cu_ext.c (S->ext). */
void cu_exthook_open (lua_State *L, cu_State *S);

/* next() over a proxy's content (the sandbox's next and pairs use it). */
int cu_exthook_next (lua_State *L);

#endif
