/*
** cu_limits.h - the count hook, stops and the time, CPU time and
** instruction limits of a run (cu_limits.c). luai_loopstep's slow path,
** cu_limits_loopstep, is declared in cu_loopstep.h.
*/
#ifndef cu_limits_h
#define cu_limits_h

#include "cu_core.h"

/* Called once by cu_state_open / cu_state_close. */
void cu_limits_open (cu_State *S, int hooked);
void cu_limits_close (cu_State *S);

/* Around every run: arm the limits, then disarm them and count. */
void cu_limits_begin (cu_State *S);
void cu_limits_end (cu_State *S);

void cu_limits_hook (lua_State *L, lua_Debug *ar);

/* "time limit exceeded", ...: the error message of a CU_STOP_* reason. */
const char *cu_limits_message (int reason);

/*
** Thread co is about to run Lua code for L (a resume, a close): it is the
** one a stop must reach, and a stop already pending arms it. Returns the
** thread that ran before, for cu_limits_switchback, which L calls once co
** is suspended or dead (a pending stop then arms L).
*/
lua_State *cu_limits_switch (lua_State *L, lua_State *co);
void cu_limits_switchback (lua_State *L, lua_State *prev);

#endif
