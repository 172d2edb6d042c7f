/*
** cu_keys.h - the key cache: short strings a state was given as keys or
** names, found again by their bytes without allocating (cu_keys.c).
*/
#ifndef cu_keys_h
#define cu_keys_h

#include <stddef.h>

#include "cu_core.h"

/*
** Pushes the cached string whose bytes are s[0, len) and returns 1, or
** pushes nothing and returns 0. Neither raises nor allocates; the caller
** has made room for 2 values.
*/
int cu_keys_push (lua_State *L, cu_State *S, const char *s, size_t len);

/*
** Keeps the string at 'idx' in the cache when it is short, replacing the
** one of its slot; the cache is made at the first. Raises on memory errors.
*/
void cu_keys_keep (lua_State *L, cu_State *S, int idx);

#endif
