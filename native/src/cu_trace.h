/*
** cu_trace.h - the Lua frames of a run's error, recorded by the message
** handler and sent with the failure payload (cu_trace.c).
*/
#ifndef cu_trace_h
#define cu_trace_h

#include "lua.h"

#include "cu_buf.h"
#include "cu_core.h"

/* Forgets the frames of an earlier error. */
void cu_trace_clear (cu_State *S);

/* Frees the frames' buffer (cu_state_close). */
void cu_trace_free (cu_State *S);

/*
** Records the Lua functions running in L from level 1, innermost first,
** at most CU_TRACE_MAX; C functions are skipped. Allocates nothing from
** Lua (the buffer comes from malloc, once) and never raises: it runs in
** the message handler of a failing state.
*/
void cu_trace_record (lua_State *L, cu_State *S);

/* Appends the recorded frames to 'b' as a CBOR array of [chunk, line, name]. Raises. */
void cu_trace_encode (lua_State *L, cu_State *S, cu_Buf *b);

#endif
