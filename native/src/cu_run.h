/*
** cu_run.h - runs (cu_run.c): what exports above cu_run (cu_handle.c) use
** to run Lua work as a call does, with its limits, payloads and commit.
*/
#ifndef cu_run_h
#define cu_run_h

#include "cu_core.h"

/*
** A result mode flag of cu_run_body's own (with CU_RESULT_LAST): the last
** value becomes a handle whatever its type (tag CU_TAG_HANDLE).
*/
#define CU_RUN_REF 16

/*
** Runs body(L) like cu_state_call runs a function: under the state's
** limits, its results encoded into the payload as 'mode' asks, the run's
** changes committed on success and dropped on failure, with the statuses
** and error payloads of cu_chunk_run. The body gets 'ud' as a light
** userdata (index 1) and returns its results. Inside a run (Java calling
** back from a host function) the body runs on the thread that called the
** host function, under that run's limits, and neither commits nor drops
** anything: the outer run does. Does not raise.
*/
int cu_run_body (cu_State *S, lua_CFunction body, void *ud, int mode);

/*
** Runs body(L) as cu_run_body does on the value of handle 'ref', which
** it gets at index 2; a handle that is not live or names a value of
** another type than 'type' is CU_ERRARG, refused before anything runs.
** Without a body the handle's function is called with the slots' values
** as its arguments: 'mode' has CU_ARGS_SLOTS and the caller has checked
** that the slots hold only values cu_slots_plain accepts. Does not raise.
*/
int cu_run_handle (cu_State *S, int ref, int type, lua_CFunction body, void *ud, int mode);

/*
** Compiles the text chunk 'code' named 'name' as cu_chunk_load does and
** keeps the function in the registry, or with 'handle' in the table of
** handles; '*ref' receives the reference. Returns CU_OK, CU_ERRSYNTAX or
** CU_ERRMEM (payload as cu_chunk_load's). Does not raise.
*/
int cu_run_load (cu_State *S, const char *code, size_t len, const char *name, int handle, int *ref);

/* Gives a new state the plain codec, for values from and to Java (cu_state.c). */
void cu_run_open (cu_State *S);

/* The thread an export may use now: the running one inside a run. */
lua_State *cu_run_thread (cu_State *S);

/*
** Runs f(ud) protected on cu_run_thread(S), leaving its stack as it was;
** returns Lua's status. Does not raise.
*/
int cu_run_protect (cu_State *S, lua_CFunction f, void *ud);

#endif
