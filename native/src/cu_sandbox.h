/*
** cu_sandbox.h - the libraries a compute unit sees (cu_sandbox.c,
** docs/SANDBOX.md).
*/
#ifndef cu_sandbox_h
#define cu_sandbox_h

#include "cu_core.h"

/* Opens the sandboxed libraries in the globals; 'seed' seeds math.random. */
void cu_sandbox_open (lua_State *L, lua_Integer seed);

#endif
