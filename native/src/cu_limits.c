/*
** cu_limits.c - memory accounting, the count hook, time and instruction
** limits, and interrupts from other threads.
*/
#include <stdlib.h>
#include <time.h>

#include "cu_internal.h"


static int64_t now_ns (void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}


/*
** The lua_Alloc of every state. Invariant: info.mem_used is the sum of
** the sizes of all live blocks. Growth beyond the limit is refused (Lua
** then collects garbage and retries once, and raises a memory error if
** that fails); freeing and shrinking always succeed, as Lua requires.
*/
void *cu_limits_alloc (void *ud, void *ptr, size_t osize, size_t nsize) {
  cu_State *S = (cu_State *)ud;
  size_t old = (ptr != NULL) ? osize : 0;  /* osize is a type tag if NULL */
  void *np;
  if (nsize == 0) {
    free(ptr);
    S->info.mem_used -= (int64_t)old;
    return NULL;
  }
  if (nsize > old && S->info.mem_limit > 0) {
    int64_t limit = S->info.mem_limit + (S->inhandler ? CU_HANDLER_SLACK : 0);
    if (S->info.mem_used + (int64_t)(nsize - old) > limit)
      return NULL;
  }
  np = realloc(ptr, nsize);
  if (np == NULL)
    return NULL;
  S->info.mem_used += (int64_t)nsize - (int64_t)old;
  if (S->info.mem_used > S->info.mem_peak)
    S->info.mem_peak = S->info.mem_used;
  return np;
}


static const char *stop_message (int reason) {
  switch (reason) {
    case CU_STOP_TIME: return "time limit exceeded";
    case CU_STOP_INSTRUCTIONS: return "instruction limit exceeded";
    default: return "interrupted";
  }
}


/*
** The count hook, on every thread of a hooked state. Once a run is
** stopped, the hook re-arms itself to fire on every instruction of the
** thread that runs, so pcall cannot swallow the stop: each instruction
** after a caught error raises it again. A thread left armed by an earlier
** run resets itself to the normal step.
*/
void cu_limits_hook (lua_State *L, lua_Debug *ar) {
  cu_State *S = cu_getstate(L);
  (void)ar;
  if (S->info.reason == CU_STOP_NONE) {
    int64_t epoch = atomic_load_explicit(&S->epoch, memory_order_relaxed);
    S->steps++;
    if (atomic_load(&S->stop) == epoch)
      S->info.reason = CU_STOP_INTERRUPT;
    else if (S->max_insn > 0 && S->steps * CU_HOOK_STEP >= S->max_insn)
      S->info.reason = CU_STOP_INSTRUCTIONS;
    else if (S->deadline != 0 && now_ns() >= S->deadline)
      S->info.reason = CU_STOP_TIME;
    else {
      if (lua_gethookcount(L) != CU_HOOK_STEP)
        lua_sethook(L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
      return;
    }
  }
  lua_sethook(L, cu_limits_hook, LUA_MASKCOUNT, 1);
  luaL_error(L, "%s", stop_message(S->info.reason));
}


/* Called by the owning thread before a run. */
void cu_limits_begin (cu_State *S) {
  S->info.reason = CU_STOP_NONE;
  S->steps = 0;
  S->upcallfailed = 0;
  S->inhandler = 0;
  S->deadline = (S->timeout_ns > 0) ? now_ns() + S->timeout_ns : 0;
  if (S->hooked)  /* restart the step count of the main thread */
    lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
  atomic_fetch_add(&S->epoch, 1);  /* now odd: running */
}


/* Called by the owning thread after a run. */
void cu_limits_end (cu_State *S) {
  atomic_fetch_add(&S->epoch, 1);  /* now even: idle */
  S->inhandler = 0;
  S->info.instructions = S->hooked ? S->steps * CU_HOOK_STEP : -1;
  if (S->hooked && S->info.reason != CU_STOP_NONE)
    lua_sethook(S->L, cu_limits_hook, LUA_MASKCOUNT, CU_HOOK_STEP);
}


CU_API int cu_state_limit (cu_State *S, int64_t timeout_ns,
                           int64_t instructions) {
  if (timeout_ns < 0 || instructions < 0)
    return CU_ERRARG;
  if (!S->hooked && (timeout_ns > 0 || instructions > 0))
    return CU_ERRARG;
  S->timeout_ns = timeout_ns;
  S->max_insn = instructions;
  return CU_OK;
}


CU_API int cu_state_interrupt (cu_State *S) {
  int64_t epoch = atomic_load(&S->epoch);
  if ((epoch & 1) == 0)
    return 0;  /* idle */
  atomic_store(&S->stop, epoch);
  return 1;
}
