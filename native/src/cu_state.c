/*
** cu_state.c - the state's lifecycle (cu.h): creation, opening with every
** module's state, the information block Java reads, closing.
*/
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

#include "cu_core.h"
#include "cu_alloc.h"
#include "cu_trace.h"
#include "cu_limits.h"
#include "cu_io.h"
#include "cu_href.h"
#include "cu_persist.h"
#include "cu_exthook.h"
#include "cu_store.h"
#include "cu_sandbox.h"
#include "cu_module.h"
#include "cu_object.h"
#include "cu_jni.h"
#include "cu_run.h"

static int panic (lua_State *L) {
  /* unreachable by design: every entry point is protected */
  fprintf(stderr, "cu: PANIC: unprotected Lua error: %s\n", lua_tostring(L, -1));
  return 0; /* Lua aborts */
}



/* ---------------------------------------------------------- lifecycle */

/*
** Java reads cu_Info at fixed offsets (CuLib.INFO_*, java/cu's
** dev.cu.internal): a change of the layout must fail the build here.
*/
_Static_assert(offsetof(cu_Info, out) == 0, "cu_Info.out moved: see CuLib.INFO_OUT");
_Static_assert(offsetof(cu_Info, outlen) == 8, "cu_Info.outlen moved: see CuLib.INFO_OUTLEN");
_Static_assert(offsetof(cu_Info, print) == 16, "cu_Info.print moved: see CuLib.INFO_PRINT");
_Static_assert(offsetof(cu_Info, printlen) == 24,
               "cu_Info.printlen moved: see CuLib.INFO_PRINTLEN");
_Static_assert(offsetof(cu_Info, mem_used) == 32,
               "cu_Info.mem_used moved: see CuLib.INFO_MEM_USED");
_Static_assert(offsetof(cu_Info, mem_limit) == 40,
               "cu_Info.mem_limit moved: see CuLib.INFO_MEM_LIMIT");
_Static_assert(offsetof(cu_Info, mem_peak) == 48,
               "cu_Info.mem_peak moved: see CuLib.INFO_MEM_PEAK");
_Static_assert(offsetof(cu_Info, instructions) == 56,
               "cu_Info.instructions moved: see CuLib.INFO_INSTRUCTIONS");
_Static_assert(offsetof(cu_Info, reason) == 64, "cu_Info.reason moved: see CuLib.INFO_REASON");
_Static_assert(sizeof(((cu_Info *)0)->reason) == 4, "CuLib reads cu_Info.reason as an int32");
_Static_assert(offsetof(cu_Info, ext_nextid) == 72,
               "cu_Info.ext_nextid moved: see CuLib.INFO_EXT_NEXTID");
_Static_assert(offsetof(cu_Info, mem_refused) == 80,
               "cu_Info.mem_refused moved: see CuLib.INFO_MEM_REFUSED");
_Static_assert(offsetof(cu_Info, mem_refused_used) == 88,
               "cu_Info.mem_refused_used moved: see CuLib.INFO_MEM_REFUSED_USED");
_Static_assert(sizeof(cu_Info) == 96, "cu_Info changed size: see CuLib.INFO_*");

CU_API cu_State *cu_state_new (int64_t memlimit) {
  cu_State *S = (cu_State *)calloc(1, sizeof(cu_State));
  if (S == NULL)
    return NULL;
  S->info.mem_limit = (memlimit > 0) ? memlimit : 0;
  S->info.instructions = -1;
  atomic_init(&S->lim.epoch, 0);
  atomic_init(&S->lim.stop, -1);
  atomic_init(&S->lim.stopwhy, CU_STOP_NONE);
  atomic_flag_clear(&S->lim.lock);
  S->L = lua_newstate(cu_alloc_realloc, S);
  if (S->L == NULL) {
    cu_limits_close(S);
    free(S);
    return NULL;
  }
  lua_atpanic(S->L, panic);
  *(int *)lua_getextraspace(S->L) = CU_HOOK_STEP; /* cu_loopstep.h */
  return S;
}


typedef struct OpenArgs {
  cu_State *S;
  int64_t seed;
} OpenArgs;

static int newslot (lua_State *L) {
  lua_pushboolean(L, 0);
  return luaL_ref(L, LUA_REGISTRYINDEX);
}

static int popenstate (lua_State *L) {
  OpenArgs *a = (OpenArgs *)lua_touserdata(L, 1);
  cu_State *S = a->S;
  S->buf.tb = newslot(L);
  S->up.err = newslot(L);
  cu_sandbox_open(L, (lua_Integer)a->seed);
  cu_module_open(L, S);
  cu_object_open(L);
  cu_exthook_open(L, S);
  cu_io_open(L, S);
  cu_persist_open(L, S);
  cu_href_open(L, S);
  cu_store_open(S);
  cu_run_open(S);
  return 0;
}

CU_API int cu_state_open (cu_State *S, int64_t seed, int hooked) {
  OpenArgs a;
  int status;
  a.S = S;
  a.seed = seed;
  status = cu_protect(S, popenstate, &a);
  if (status != LUA_OK) {
    cu_set_nomem(S);
    return CU_ERRMEM;
  }
  cu_limits_open(S, hooked);
  S->info.out = NULL;
  S->info.outlen = 0;
  return CU_OK;
}


CU_API void cu_state_close (cu_State *S) {
  if (S == NULL)
    return;
  lua_close(S->L);
  cu_jni_close(S);
  cu_limits_close(S);
  free(S->up.reply);
  free(S->slots);
  free(S->ext.hot);
  cu_trace_free(S);
  free(S);
}


CU_API const cu_Info *cu_state_info (cu_State *S) {
  return &S->info;
}


CU_API void cu_state_setprint (cu_State *S, cu_PrintFn fn) {
  S->up.printfn = fn;
}


static int pgc (lua_State *L) {
  lua_gc(L, LUA_GCCOLLECT);
  return 0;
}

CU_API int cu_state_gc (cu_State *S) {
  return (cu_protect(S, pgc, NULL) == LUA_OK) ? CU_OK : CU_ERRMEM;
}
