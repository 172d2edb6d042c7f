/*
** cu_loopstep.h - libcu's luai_loopstep: the call that Lua's library loops
** make on each iteration once native/cmake/lua-stop.patch is applied.
** The build forces this file into the patched Lua files (-include), so it
** comes before the empty default in luaconf.h. Each thread's
** LUA_EXTRASPACE holds a countdown (an int; cu_state_new starts it, new
** threads copy the main thread's); when it runs out, cu_limits_loopstep
** restarts it at CU_HOOK_STEP and checks for a stop like the count hook
** does (cu_limits.c). A loop iteration thus costs a decrement and a branch.
** The countdown is volatile: a stop's signal handler sets it to 0
** (cu_limits.c, arm), so the next iteration checks at once.
** luai_usehandler, which Lua asks before it calls a message handler, and
** LUAI_MAXEPHEMERONPASSES, which bounds the collector's convergence of
** weak-keyed tables, are here too: this file configures every patched file.
*/
#ifndef cu_loopstep_h
#define cu_loopstep_h

struct lua_State;

/* Raises the stop of the run in progress, if any. */
void cu_limits_loopstep (struct lua_State *L);

#define luai_loopstep(L)                                                                           \
  ((void)(--*(volatile int *)lua_getextraspace(L) < 0 && (cu_limits_loopstep(L), 1)))

/* 0 once the run in progress is stopped: errors skip message handlers. */
int cu_limits_usehandler (struct lua_State *L);

#define luai_usehandler(L) cu_limits_usehandler(L)

/*
** Passes over the weak-keyed tables in one collection's atomic phase
** before their values are marked as strong for the rest of the cycle
** (lgc.c, convergeephemerons). Ordinary programs converge in a few passes;
** a long chain of links through such a table needed one pass per link,
** which no limit can interrupt.
*/
#define LUAI_MAXEPHEMERONPASSES 64

#endif
