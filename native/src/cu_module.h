/*
** cu_module.h - require, its cache and the built-in modules
** (cu_module.c, docs/SANDBOX.md#modules).
*/
#ifndef cu_module_h
#define cu_module_h

#include "cu_core.h"

/* Sets the global require and makes the module cache. Raises on failure. */
void cu_module_open (lua_State *L, cu_State *S);

#endif
