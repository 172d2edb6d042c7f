/*
** cu_fnload.h - loading stored functions from the store's rows
** (cu_fnload.c).
*/
#ifndef cu_fnload_h
#define cu_fnload_h

#include <stdint.h>

#include "cu_cbor.h"
#include "cu_core.h"

/*
** The store codec's tag hook for functions: FUNCREF (loads the function's
** row on first use), PERMANENT and FUNCTION. *fn is the id of the
** function row being decoded (0 when none); its first FUNCTION is that
** function, and *fn becomes 0. 'depth' is the tagged item's depth: rows
** it loads decode one deeper. Returns 0 for any other tag.
*/
int cu_fnload_rowtag (lua_State *L, cu_State *S, cu_Reader *r, uint64_t tag, int64_t *fn,
                      int depth);

#endif
