/*
** cu_alloc.h - the state's allocator: small blocks from slabs, the rest
** from malloc, every byte counted against the memory limit (cu_alloc.c).
*/
#ifndef cu_alloc_h
#define cu_alloc_h

#include <stddef.h>

#include "cu_core.h"

/* Lua's lua_Alloc; 'ud' is the cu_State. */
void *cu_alloc_realloc (void *ud, void *ptr, size_t osize, size_t nsize);

/* Frees the slabs; called after lua_close, when no block is live. */
void cu_alloc_close (cu_State *S);

#endif
