/*
** cu_host.h - host functions (cu_host.c): what exported objects' methods
** share with them, the way an upcall's answer becomes results.
*/
#ifndef cu_host_h
#define cu_host_h

#include "cu_core.h"

/*
** The results of a host-function or method upcall that returned 'r', with
** the Lua function's arguments on the stack: from the slots
** (CU_HOST_SLOTS), else decoded from Java's CBOR reply (none when empty);
** any other non-zero 'r' raises Java's reply as the error message, after
** the caller's position. Returns how many results it pushed. Raises.
*/
int cu_host_results (lua_State *L, cu_State *S, int r);

#endif
