/*
** cu_handle.c - the exports of handles (cu.h, docs/ARCHITECTURE.md#references):
** Lua functions, tables and coroutines Java holds by reference. The table
** of references is cu_href's; every operation that runs Lua code (a call,
** a metamethod, a resume, a path through __index) is a run of cu_run_body,
** so it has the limits, statuses and commit of cu_state_call. Each export
** checks its reference first, without raising or allocating: a reference
** that is not live, or names a value of another type, is CU_ERRARG.
*/
#include <string.h>

#include "cu_core.h"
#include "cu_valuedec.h"
#include "cu_limits.h"
#include "cu_coro.h"
#include "cu_href.h"
#include "cu_slots.h"
#include "cu_raw.h"
#include "cu_run.h"


/* What an export hands its body. */
typedef struct HArgs {
  cu_State *S;
  int ref;                   /* the handle operated on */
  const unsigned char *data; /* CBOR: arguments, a key, or [key, value] */
  size_t len;
  int slots;        /* the input is in the state's slots, not in 'data' */
  const char *path; /* cu_handle_path */
  int kind;         /* cu_handle_path: CU_HANDLE_* */
} HArgs;

/*
** Sets 'a' to the arguments of an operation on handle 'ref' with input
** data[0, len), or in the slots when 'mode' has CU_ARGS_SLOTS; returns 'a'.
*/
static HArgs *hargs (HArgs *a, cu_State *S, int ref, const unsigned char *data, size_t len,
                     int mode) {
  a->S = S;
  a->ref = ref;
  a->data = data;
  a->len = len;
  a->slots = (mode & CU_ARGS_SLOTS) != 0;
  a->path = NULL;
  a->kind = 0;
  return a;
}

/* Pushes the input values of 'a' (none for empty CBOR input); returns how many. */
static int input (lua_State *L, HArgs *a) {
  if (a->slots)
    return cu_slots_push(L, a->S->slots);
  return a->len > 0 ? cu_valuedec_args(L, a->data, a->len, a->S->codec) : 0;
}

/* Whether CBOR input is missing where 'a' needs some. */
static int noinput (const HArgs *a) {
  return !a->slots && (a->data == NULL || a->len == 0);
}


/* Runs 'body' on handle a->ref of type 'type' (cu_run_handle). */
static int runon (HArgs *a, int type, lua_CFunction body, int mode) {
  return cu_run_handle(a->S, a->ref, type, body, a, mode);
}

/* A body's 'a' (index 1); the handle's value is at index 2. */
static HArgs *target (lua_State *L) {
  return (HArgs *)lua_touserdata(L, 1);
}


/* ----------------------------------------------------------- functions */

CU_API int cu_handle_load (cu_State *S, const char *code, size_t len, const char *name, int *ref) {
  return cu_run_load(S, code, len, name, 1, ref);
}


/* Resolves a->path from the globals (through __index) and returns its value. */
static int ppath (lua_State *L) {
  HArgs *a = (HArgs *)lua_touserdata(L, 1);
  const char *p = a->path, *dot;
  const char *what = (a->kind == CU_HANDLE_TABLE) ? "table" : "function";
  lua_pushglobaltable(L);
  while ((dot = strchr(p, '.')) != NULL) {
    lua_pushlstring(L, p, (size_t)(dot - p));
    lua_gettable(L, -2);
    if (!lua_istable(L, -1))
      return luaL_error(L, "'%s' is not a %s", a->path, what);
    lua_remove(L, -2);
    p = dot + 1;
  }
  lua_getfield(L, -1, p);
  if (lua_type(L, -1) != (a->kind == CU_HANDLE_TABLE ? LUA_TTABLE : LUA_TFUNCTION))
    return luaL_error(L, "'%s' is not a %s", a->path, what);
  return 1;
}

CU_API int cu_handle_path (cu_State *S, const char *path, int kind) {
  HArgs a;
  hargs(&a, S, 0, NULL, 0, 0);
  a.path = path;
  a.kind = kind;
  if (path == NULL || (kind != CU_HANDLE_FUNCTION && kind != CU_HANDLE_TABLE))
    return CU_ERRARG;
  return cu_run_body(S, ppath, &a, CU_RESULT_LAST | CU_RUN_REF);
}


static int pcallref (lua_State *L) {
  HArgs *a = target(L);
  lua_call(L, input(L, a), LUA_MULTRET);
  return lua_gettop(L) - 1;
}

CU_API int cu_handle_call (cu_State *S, int ref, const unsigned char *args, size_t len, int mode) {
  HArgs a;
  if (mode & CU_RUN_REF)
    return CU_ERRARG;
  if ((mode & CU_ARGS_SLOTS) && S->slots != NULL && cu_slots_plain(S->slots) >= 0)
    return cu_run_handle(S, ref, LUA_TFUNCTION, NULL, NULL, mode); /* no C function around it */
  hargs(&a, S, ref, args, (args != NULL) ? len : 0, mode);         /* NULL: no arguments */
  return runon(&a, LUA_TFUNCTION, pcallref, mode);
}


/* -------------------------------------------------------------- tables */

/*
** Raw access. A table without a metatable is read and written raw, with
** nothing around it, when that can run no Lua code and cannot fail: such a
** read or write is what a run would do, minus the run. cu_raw says which
** keys and values qualify (integer and short-string keys; scalar values,
** and for a write, a key the table holds already).
*/

static int prawset (lua_State *L) {
  cu_slots_push(L, (const cu_Slots *)lua_touserdata(L, 2)); /* the key and the value */
  lua_rawset(L, 1);
  return 0;
}

/*
** A raw write from the slots of a scalar value that cu_raw could not do
** (a new key, or a key it cannot look up), into a table without a
** metatable: 1 when done, 0 when it needs a run (nothing written). The
** table may grow and the key's string may be new, which allocates, so it
** runs under lua_pcall; a failure (memory, a nil or NaN key) is left to
** the run, which reports it.
*/
static int rawadd (cu_State *S, int ref) {
  lua_State *L = cu_run_thread(S);
  const cu_Slots *f = S->slots;
  const cu_Slot *v = &f->slot[1];
  int top = lua_gettop(L), done = 0;
  if (f->n != 2 || v->type < CU_SLOT_NIL || v->type > CU_SLOT_FLOAT || !lua_checkstack(L, 6))
    return 0;
  lua_pushcfunction(L, prawset);
  cu_href_push(L, S, ref);
  if (lua_type(L, -1) == LUA_TTABLE && !lua_getmetatable(L, -1)) {
    lua_pushlightuserdata(L, (void *)f);
    done = lua_pcall(L, 2, 0, 0) == LUA_OK;
  }
  lua_settop(L, top);
  return done;
}

static int pget (lua_State *L) {
  HArgs *a = target(L);
  if (a->slots) {
    if (cu_slots_push(L, a->S->slots) != 1)
      return luaL_error(L, "a table read needs one key");
  }
  else
    cu_valuedec_value(L, a->data, a->len, a->S->codec);
  lua_gettable(L, 2);
  return 1;
}

CU_API int cu_handle_get (cu_State *S, int ref, const unsigned char *key, size_t len, int mode) {
  HArgs a;
  hargs(&a, S, ref, key, len, mode);
  if (noinput(&a) ||
      (mode & ~(CU_RESULT_ALL | CU_RESULT_CYCLES | CU_ARGS_SLOTS | CU_RESULT_SLOTS)) != 0)
    return CU_ERRARG; /* the modes of a run, as the run checks them, but no reference */
  if ((mode & CU_ARGS_SLOTS) && (mode & CU_RESULT_SLOTS) && S->slots != NULL &&
      cu_raw_get(cu_run_thread(S), S->href.refs, ref, S->slots))
    return CU_OK;
  return runon(&a, LUA_TTABLE, pget, mode);
}


static int pset (lua_State *L) {
  HArgs *a = target(L);
  if (input(L, a) != 2)
    return luaL_error(L, "a table write needs a key and a value");
  lua_settable(L, 2);
  return 0;
}

CU_API int cu_handle_set (cu_State *S, int ref, const unsigned char *kv, size_t len, int mode) {
  HArgs a;
  hargs(&a, S, ref, kv, len, mode);
  if (noinput(&a) || (mode & ~CU_ARGS_SLOTS))
    return CU_ERRARG;
  if ((mode & CU_ARGS_SLOTS) && S->slots != NULL &&
      (cu_raw_set(cu_run_thread(S), S->href.refs, ref, S->slots) || rawadd(S, ref)))
    return CU_OK;
  /* no results: with the slots, none need encoding */
  return runon(&a, LUA_TTABLE, pset,
               CU_RESULT_LAST | (mode & CU_ARGS_SLOTS) | (S->slots != NULL ? CU_RESULT_SLOTS : 0));
}


static int plen (lua_State *L) {
  target(L);
  lua_len(L, 2);
  return 1;
}

CU_API int cu_handle_len (cu_State *S, int ref) {
  HArgs a;
  hargs(&a, S, ref, NULL, 0, 0);
  return runon(&a, LUA_TTABLE, plen, CU_RESULT_LAST);
}


static int pvalue (lua_State *L) {
  target(L);
  return 1;
}

CU_API int cu_handle_value (cu_State *S, int ref, int mode) {
  HArgs a;
  hargs(&a, S, ref, NULL, 0, 0);
  if (mode & CU_RUN_REF)
    return CU_ERRARG;
  return runon(&a, LUA_TTABLE, pvalue, mode);
}


/* ---------------------------------------------------------- coroutines */

static int pthread (lua_State *L) {
  lua_State *co;
  target(L);
  co = lua_newthread(L);
  lua_pushvalue(L, 2);
  lua_xmove(L, co, 1);
  return 1;
}

CU_API int cu_handle_thread (cu_State *S, int ref) {
  HArgs a;
  hargs(&a, S, ref, NULL, 0, 0);
  return runon(&a, LUA_TFUNCTION, pthread, CU_RESULT_LAST | CU_RUN_REF);
}


static int presume (lua_State *L) {
  HArgs *a = target(L);
  lua_State *co = lua_tothread(L, 2);
  int n = a->len > 0 ? cu_valuedec_args(L, a->data, a->len, a->S->codec) : 0;
  n = cu_coro_resume(L, co, n);
  if (n < 0)
    return lua_error(L);
  return n;
}

CU_API int cu_handle_resume (cu_State *S, int ref, const unsigned char *args, size_t len,
                             int mode) {
  HArgs a;
  hargs(&a, S, ref, args, (args != NULL) ? len : 0, 0);
  if (mode & (CU_RUN_REF | CU_ARGS_SLOTS | CU_RESULT_SLOTS))
    return CU_ERRARG;
  return runon(&a, LUA_TTHREAD, presume, mode);
}


/* coroutine.status of 'co' seen from L, the running thread. Allocates nothing. */
static int costatus (lua_State *L, lua_State *co) {
  lua_Debug ar;
  if (L == co)
    return CU_CO_RUNNING;
  switch (lua_status(co)) {
    case LUA_YIELD: return CU_CO_SUSPENDED;
    case LUA_OK:
      if (lua_getstack(co, 0, &ar))
        return CU_CO_NORMAL; /* it resumed another one */
      return lua_gettop(co) == 0 ? CU_CO_DEAD : CU_CO_SUSPENDED;
    default: return CU_CO_DEAD; /* died with an error */
  }
}

CU_API int cu_handle_status (cu_State *S, int ref, int *status) {
  lua_State *L = cu_run_thread(S);
  if (!lua_checkstack(L, 4))
    return CU_ERRMEM;
  if (cu_href_type(L, S, ref) != LUA_TTHREAD)
    return CU_ERRARG;
  cu_href_push(L, S, ref);
  *status = costatus(L, lua_tothread(L, -1));
  lua_pop(L, 1);
  return CU_OK;
}


/*
** Closes a->ref as coroutine.close does (Lua's checks and words): its
** pending to-be-closed variables run on it, with cu_limits naming it.
*/
static int pcloseco (lua_State *L) {
  lua_State *co, *prev;
  int st;
  target(L);
  co = lua_tothread(L, 2);
  st = costatus(L, co);
  if (st == CU_CO_RUNNING)
    return luaL_error(L, "cannot close a running coroutine");
  if (st == CU_CO_NORMAL)
    return luaL_error(L, "cannot close a normal coroutine");
  prev = cu_limits_switch(L, co);
  st = lua_closethread(co, L);
  cu_limits_switchback(L, prev);
  if (st != LUA_OK) {
    lua_xmove(co, L, 1); /* the error closing left */
    return lua_error(L);
  }
  return 0;
}

CU_API int cu_handle_close (cu_State *S, int ref) {
  HArgs a;
  hargs(&a, S, ref, NULL, 0, 0);
  return runon(&a, LUA_TTHREAD, pcloseco, CU_RESULT_LAST);
}


/* ------------------------------------------------------------ releasing */

CU_API int cu_handle_free (cu_State *S, int ref) {
  lua_State *L = cu_run_thread(S);
  if (!lua_checkstack(L, 4))
    return CU_ERRMEM;
  return cu_href_free(L, S, ref) ? CU_OK : CU_ERRARG;
}


CU_API int64_t cu_handle_count (cu_State *S) {
  return S->href.count;
}
