/*
** cu_run.c - chunk loading and running, and calls: every export below
** runs its Lua work protected and reports a status; nothing here raises
** into the caller. The state's lifecycle is cu_state.c's.
*/
#include <string.h>

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"
#include "cu_limits.h"
#include "cu_value.h"
#include "cu_valuedec.h"
#include "cu_io.h"
#include "cu_ext.h"
#include "cu_store.h"
#include "cu_trace.h"
#include "cu_object.h"
#include "cu_href.h"
#include "cu_slots.h"
#include "cu_raw.h"
#include "cu_stack.h"
#include "cu_run.h"

/* Did the error at the top come from a failed upcall? Then remember it. */
static void check_upcall (lua_State *L, cu_State *S) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, S->up.err);
  S->up.failed = lua_rawequal(L, -1, -2);
  lua_pop(L, 1);
}


/* ------------------------------------------------------------- codecs */

/*
** An external table is converted as its content, _io as its data. Both
** proxies always have a metatable, so a table without one (a record of
** a large value) is plain after one check.
*/
static int plainview (lua_State *L, int idx, void *ud) {
  (void)ud;
  if (!lua_getmetatable(L, idx))
    return 0;
  lua_pop(L, 1);
  return cu_ext_view(L, idx) || cu_io_view(L, idx);
}

/*
** The plain codec, for values to and from Java: of cu's tags only handles
** and exported objects (a value from Java cannot name a stored table or
** function); a function goes to Java as a handle, an exported object as
** itself.
*/
static int plainother (lua_State *L, cu_Buf *b, int idx, void *ud) {
  return cu_object_encode(L, b, idx, ud) || cu_href_encode(L, b, idx, ud);
}

static int plaintag (lua_State *L, cu_Reader *r, uint64_t tag, int depth, void *ud) {
  return cu_object_tag(L, r, tag, depth, ud) || cu_href_decode(L, r, tag, depth, ud);
}

static const cu_Codec plain = {plainview, plaintag, plainother, NULL, 0, 0};

/* The same, for results that may contain themselves (CU_RESULT_CYCLES). */
static const cu_Codec plaincycles = {plainview, plaintag, plainother, NULL, 1, 0};

/* For error payloads: functions stay opaque (an error hands nothing over). */
static const cu_Codec plainerror = {plainview, NULL, NULL, NULL, 0, 0};


void cu_run_open (cu_State *S) {
  S->codec = &plain;
}


/* ----------------------------------------------------------------- chunks */

typedef struct LoadArgs {
  cu_State *S;
  const char *code;
  size_t len;
  const char *name;
  int handle; /* keep the function in the table of handles, not the registry */
  int ref;
  int status;
} LoadArgs;

static int pload (lua_State *L) {
  LoadArgs *a = (LoadArgs *)lua_touserdata(L, 1);
  int st = luaL_loadbufferx(L, a->code, a->len, a->name, "t");
  if (st == LUA_ERRMEM)
    return lua_error(L);
  if (st != LUA_OK) {
    cu_put_message(L, a->S, lua_tostring(L, -1));
    a->status = CU_ERRSYNTAX;
    return 0;
  }
  a->ref = a->handle ? (int)cu_href_new(L, a->S, -1, 0) : luaL_ref(L, LUA_REGISTRYINDEX);
  a->status = CU_OK;
  cu_buf_reset(L, &a->S->buf.out);
  return 0;
}

int cu_run_load (cu_State *S, const char *code, size_t len, const char *name, int handle,
                 int *ref) {
  LoadArgs a;
  a.S = S;
  a.code = code;
  a.len = len;
  a.name = name;
  a.handle = handle;
  a.ref = handle ? 0 : LUA_NOREF;
  a.status = CU_ERRMEM;
  if (cu_run_protect(S, pload, &a) != LUA_OK) {
    cu_set_nomem(S);
    return CU_ERRMEM;
  }
  cu_set_out(S);
  *ref = a.ref;
  return a.status;
}

CU_API int cu_chunk_load (cu_State *S, const char *code, size_t len, const char *name, int *ref) {
  return cu_run_load(S, code, len, name, 0, ref);
}


static int pfree (lua_State *L) {
  int *ref = (int *)lua_touserdata(L, 1);
  luaL_unref(L, LUA_REGISTRYINDEX, *ref);
  return 0;
}

CU_API int cu_chunk_free (cu_State *S, int ref) {
  if (ref <= 0)
    return CU_ERRARG;
  return (cu_protect(S, pfree, &ref) == LUA_OK) ? CU_OK : CU_ERRMEM;
}


/*
** Message handler: keeps the Lua frames and the traceback aside, returns
** the value as is.
*/
static int msgh (lua_State *L) {
  cu_State *S = cu_getstate(L);
  if (S->info.reason == CU_STOP_NONE) {
    cu_trace_record(L, S);
    S->alloc.inhandler = 1;
    luaL_traceback(L, L, NULL, 1);
    lua_rawseti(L, LUA_REGISTRYINDEX, S->buf.tb);
    S->buf.tbset = 1;
    S->alloc.inhandler = 0;
  }
  lua_settop(L, 1);
  return 1;
}


typedef struct RunArgs {
  cu_State *S;
  int ref; /* the chunk, or 0 to call 'handle', 'path' or 'body' */
  const char *path;
  int handle; /* or a handle of type 'htype' given to 'body', or called (cu_run_handle) */
  int htype;
  lua_CFunction body; /* cu_run_body's, with its 'ud' */
  void *ud;
  int nested;                /* inside a run: no commit, no rollback, print output kept */
  int mark;                  /* fresh references before the run (cu_href_drop) */
  const unsigned char *args; /* CBOR array of arguments for 'path' */
  size_t arglen;
  int mode;
  int status;
  int pending; /* toprun: the status pfailed reports, or NOT_A_CHUNK */
} RunArgs;

/* A mode of pencode's own: the error payload, the arguments and the frames. */
#define ERROR_PAYLOAD 8

/* Encodes the arguments 2..top as the run's result or error payload. */
static int pencode (lua_State *L) {
  RunArgs *a = (RunArgs *)lua_touserdata(L, 1);
  cu_State *S = a->S;
  int top = lua_gettop(L), i;
  const cu_Codec *c = (a->mode & CU_RESULT_CYCLES) ? &plaincycles : &plain;
  cu_buf_reset(L, &S->buf.out);
  if ((a->mode & CU_RUN_REF) && top >= 2)
    cu_href_encodeany(L, &S->buf.out, top);
  else if (a->mode & ERROR_PAYLOAD) {
    c = &plainerror;
    cu_buf_head(L, &S->buf.out, CU_CBOR_ARRAY, (uint64_t)top); /* top - 1 values, the frames */
    for (i = 2; i <= top; i++) cu_value_encode(L, &S->buf.out, i, c);
    cu_trace_encode(L, S, &S->buf.out);
  }
  else if (a->mode & CU_RESULT_ALL)
    cu_value_encodelist(L, &S->buf.out, 2, top, c);
  else if (top >= 2)
    cu_value_encode(L, &S->buf.out, top, c);
  else
    cu_buf_byte(L, &S->buf.out, CU_CBOR_NULL);
  return 0;
}

/*
** Calls pencode on the values above 'base'; they are consumed. On failure
** the error object is left at the top.
*/
static int encode_protected (lua_State *L, RunArgs *a, int base, int mode) {
  int saved = a->mode, st;
  a->mode = mode;
  lua_pushcfunction(L, pencode);
  lua_pushlightuserdata(L, a);
  lua_rotate(L, base + 1, 2);
  st = lua_pcall(L, lua_gettop(L) - base - 1, 0, 0);
  a->mode = saved;
  return st;
}

/* Pushes the message of error value 'err', as lua.c would print it. */
static void push_message (lua_State *L, cu_State *S, int err) {
  if (lua_type(L, err) == LUA_TSTRING || lua_type(L, err) == LUA_TNUMBER) {
    lua_pushvalue(L, err);
    lua_tostring(L, -1);
    return;
  }
  if (S->info.reason == CU_STOP_NONE && luaL_getmetafield(L, err, "__tostring") != LUA_TNIL) {
    lua_pushvalue(L, err);
    if (lua_pcall(L, 1, 1, 0) == LUA_OK && lua_type(L, -1) == LUA_TSTRING)
      return;
    lua_pop(L, 1);
  }
  lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, err));
}

/*
** The error value at the top becomes the payload [message, traceback,
** value, frames]; when the value cannot be converted, value is null.
*/
static int put_error (lua_State *L, RunArgs *a) {
  int err = lua_gettop(L), st;
  push_message(L, a->S, err);
  lua_rawgeti(L, LUA_REGISTRYINDEX, a->S->buf.tb);
  if (lua_type(L, -1) != LUA_TSTRING) {
    lua_pop(L, 1);
    lua_pushnil(L);
  }
  lua_pushvalue(L, err + 1);
  lua_pushvalue(L, err + 2);
  lua_pushvalue(L, err);
  st = encode_protected(L, a, err + 2, ERROR_PAYLOAD);
  if (st == LUA_OK || st == LUA_ERRMEM)
    return st;
  lua_settop(L, err + 2);
  lua_pushvalue(L, err + 1);
  lua_pushvalue(L, err + 2);
  lua_pushnil(L);
  return encode_protected(L, a, err + 2, ERROR_PAYLOAD);
}

/* Resolves a->path from the globals, then calls it with a->args. */
static int pcallpath (lua_State *L) {
  RunArgs *a = (RunArgs *)lua_touserdata(L, 1);
  const char *p = a->path, *dot;
  int n;
  lua_settop(L, 0);
  /* the arguments first: resolving the path may run Lua code, which may use the slots */
  if (a->mode & CU_ARGS_SLOTS)
    n = cu_slots_push(L, a->S->slots);
  else
    n = a->arglen > 0 ? cu_valuedec_args(L, a->args, a->arglen, &plain) : 0;
  lua_pushglobaltable(L);
  while ((dot = strchr(p, '.')) != NULL) {
    lua_pushlstring(L, p, (size_t)(dot - p));
    lua_gettable(L, -2);
    if (!lua_istable(L, -1))
      return luaL_error(L, "'%s' is not a function", a->path);
    lua_remove(L, -2);
    p = dot + 1;
  }
  lua_pushstring(L, p);
  lua_gettable(L, -2);
  lua_remove(L, -2);
  if (lua_type(L, -1) != LUA_TFUNCTION && !luaL_getmetafield(L, -1, "__call"))
    return luaL_error(L, "'%s' is not a function", a->path);
  lua_settop(L, n + 1);
  lua_insert(L, 1);
  lua_call(L, n, LUA_MULTRET);
  return lua_gettop(L);
}

static int pcommit (lua_State *L) {
  cu_store_commit(L, cu_getstate(L));
  return 0;
}

/*
** Ends a failed run with 'status': its changes are dropped and the error
** value at the top becomes the payload ([message, traceback, value, frames], or
** "not enough memory").
*/
_Static_assert(CU_ERRRUN == LUA_ERRRUN && CU_ERRMEM == LUA_ERRMEM && CU_ERRERR == LUA_ERRERR,
               "a failed pcall's status is the run's status");

static int fail (lua_State *L, RunArgs *a, int status) {
  cu_State *S = a->S;
  a->status = status;
  cu_stack_check(L, 8, "too many results");
  cu_href_drop(L, S, a->mark);
  if (!a->nested)
    cu_store_forget(L, S, 1);
  check_upcall(L, S);
  if (status == CU_ERRMEM)
    cu_put_message(L, S, "not enough memory");
  else if (put_error(L, a) == LUA_ERRMEM)
    return lua_error(L);
  return 0;
}

/*
** The results above index 2 into the slots, as the mode asks (the last
** value, or all); 0 when they do not fit, the slots' count says CBOR then.
*/
static int put_slots (lua_State *L, RunArgs *a) {
  int top = lua_gettop(L);
  if (a->mode & CU_RESULT_ALL)
    return cu_slots_put(L, a->S->slots, 3, top);
  return cu_slots_put(L, a->S->slots, top > 2 ? top : 3, top); /* none: no values */
}

/*
** Pushes the global function named 'path' and returns 1 when reading it
** can run no code and allocate nothing: a name without dots whose global
** is a function (cu_raw reads it raw: a present key never reaches
** __index). Otherwise pushes nothing and returns 0.
*/
static int global (lua_State *L, const char *path) {
  return strchr(path, '.') == NULL && cu_raw_pushglobal(L, path, strlen(path));
}

/* start's answers besides a count of arguments */
#define NOT_A_CHUNK  (-1)
#define NOT_A_HANDLE (-2)

/*
** A run's first step, with index 1 holding 'a': pushes the message handler
** (index 2), the function and its arguments; returns how many arguments,
** NOT_A_CHUNK or NOT_A_HANDLE. Neither raises nor allocates, so a
** top-level run takes it unprotected: the caller has made room for
** STACK_NEED values.
*/
#define STACK_NEED (6 + CU_SLOTS_MAX)

static int start (lua_State *L, RunArgs *a) {
  cu_State *S = a->S;
  if (!a->nested)
    cu_buf_reset(L, &S->buf.print);
  cu_trace_clear(S);
  if (S->buf.tbset) { /* registry slots hold false between failures */
    lua_pushboolean(L, 0);
    lua_rawseti(L, LUA_REGISTRYINDEX, S->buf.tb);
    S->buf.tbset = 0;
  }
  if (S->up.errset) {
    lua_pushboolean(L, 0);
    lua_rawseti(L, LUA_REGISTRYINDEX, S->up.err);
    S->up.errset = 0;
  }
  lua_pushcfunction(L, msgh); /* index 2 */
  if (a->body != NULL) {
    lua_pushcfunction(L, a->body);
    lua_pushlightuserdata(L, a->ud);
  }
  if (a->handle != 0) {
    cu_href_push(L, S, a->handle);
    if (lua_type(L, -1) != a->htype) /* a free entry is a number */
      return NOT_A_HANDLE;
    return a->body != NULL ? 2 : cu_slots_pushplain(L, S->slots); /* checked by the caller */
  }
  if (a->body != NULL)
    return 1;
  if (a->ref == 0) {
    if ((a->mode & CU_ARGS_SLOTS) && cu_slots_plain(S->slots) >= 0 && global(L, a->path))
      return cu_slots_pushplain(L, S->slots); /* no C function around the call */
    lua_pushcfunction(L, pcallpath);
    lua_pushlightuserdata(L, a);
    return 1;
  }
  return lua_rawgeti(L, LUA_REGISTRYINDEX, a->ref) == LUA_TFUNCTION ? 0 : NOT_A_CHUNK;
}

/*
** The results above index 2 of a call that returned LUA_OK: into the slots
** or the payload, then the commit. Returns LUA_OK, or the run's failing
** status with the error value at the top. Raises only when the stack
** cannot hold 4 more values, which the caller checks.
*/
static int results (lua_State *L, RunArgs *a) {
  int st;
  if (!(a->mode & CU_RESULT_SLOTS) || !put_slots(L, a)) {
    st = encode_protected(L, a, 2, a->mode);
    if (st != LUA_OK)
      return (st == LUA_ERRMEM) ? CU_ERRMEM : CU_ERRVALUE;
  }
  if (!a->nested && !cu_store_idle(L, a->S)) { /* idle: the commit would do nothing */
    lua_pushcfunction(L, pcommit);
    st = lua_pcall(L, 0, 0, 2);
    if (st != LUA_OK)
      return st;
  }
  a->S->href.nfresh = a->mark; /* the result's handles are Java's now */
  a->status = CU_OK;
  return LUA_OK;
}

/*
** Ends a run whose call returned 'st' (the error value at the top), or
** that a limit stopped: the stop's message replaces whatever reached the
** top (a resumer may have caught it, coroutine.wrap adds a position to it).
*/
static int failed (lua_State *L, RunArgs *a, int st) {
  if (a->S->info.reason != CU_STOP_NONE) {
    lua_settop(L, 2);
    lua_pushstring(L, cu_limits_message(a->S->info.reason));
    st = LUA_ERRRUN;
  }
  return fail(L, a, st); /* CU_ERRRUN, CU_ERRMEM, CU_ERRERR are Lua's statuses */
}

/* Ends a run whose a->ref named no chunk: CU_ERRARG, its message the payload. */
static int notachunk (lua_State *L, RunArgs *a) {
  cu_put_message(L, a->S, "invalid chunk reference");
  a->status = CU_ERRARG;
  return 0;
}

/* A run, protected as a whole: nested runs take this one. */
static int prun (lua_State *L) {
  RunArgs *a = (RunArgs *)lua_touserdata(L, 1);
  int st, nargs;
  cu_stack_check(L, STACK_NEED, "too many values");
  nargs = start(L, a);
  if (nargs == NOT_A_CHUNK)
    return notachunk(L, a);
  if (nargs == NOT_A_HANDLE) {
    a->status = CU_ERRARG;
    return 0;
  }
  st = lua_pcall(L, nargs, LUA_MULTRET, 2);
  if (st == LUA_OK && a->S->info.reason == CU_STOP_NONE) {
    cu_stack_check(L, 4, "too many results");
    st = results(L, a);
  }
  return st == LUA_OK ? 0 : failed(L, a, st);
}

/* toprun's failure step: index 1 holds 'a', index 2 the error value. */
static int pfailed (lua_State *L) {
  RunArgs *a = (RunArgs *)lua_touserdata(L, 1);
  if (a->pending == NOT_A_CHUNK)
    return notachunk(L, a);
  return failed(L, a, a->pending);
}

/*
** A top-level run on S->L, started (index 1: 'a') with 'nargs' arguments,
** in one protected call when it succeeds: the steps around the call
** neither raise nor allocate and take them unprotected; a failure is
** reported under protection. Returns LUA_OK, or the status of a failure
** to report a failure.
*/
static int toprun (cu_State *S, RunArgs *a, int nargs) {
  lua_State *L = S->L;
  int st = NOT_A_CHUNK;
  if (nargs < 0)
    lua_pushnil(L); /* the error value pfailed is given */
  else {
    st = lua_pcall(L, nargs, LUA_MULTRET, 2);
    if (S->info.reason != CU_STOP_NONE)
      lua_settop(L, 2); /* failed() reports the stop, not a value */
    else if (st == LUA_OK) {
      if (lua_gettop(L) > STACK_NEED - 4 && !lua_checkstack(L, 4)) {
        lua_settop(L, 0);
        return LUA_ERRMEM;
      }
      st = results(L, a);
      if (st == LUA_OK) {
        lua_settop(L, 0);
        return LUA_OK;
      }
    }
  }
  a->pending = st; /* 2 free slots: a failed call or step left its error value */
  lua_pushcfunction(L, pfailed);
  lua_pushlightuserdata(L, a);
  lua_rotate(L, -3, 2); /* pfailed, a, error value */
  st = lua_pcall(L, 2, 0, 0);
  lua_settop(L, 0);
  return st;
}

static int pforget (lua_State *L) {
  RunArgs *a = (RunArgs *)lua_touserdata(L, 1);
  cu_href_drop(L, a->S, a->mark);
  if (!a->nested)
    cu_store_forget(L, a->S, 1);
  return 0;
}

/* Whether a run is in progress: the epoch is odd (cu_limits.c). */
static int running (cu_State *S) {
  return (int)(atomic_load(&S->lim.epoch) & 1);
}

lua_State *cu_run_thread (cu_State *S) {
  return running(S) ? S->lim.current : S->L;
}

int cu_run_protect (cu_State *S, lua_CFunction f, void *ud) {
  lua_State *L;
  int top, st;
  if (!running(S))
    return cu_protect(S, f, ud);
  L = S->lim.current;
  S->info.mem_refused = S->info.mem_refused_used = 0;
  top = lua_gettop(L);
  if (!lua_checkstack(L, 4))
    return LUA_ERRMEM;
  lua_pushcfunction(L, f);
  lua_pushlightuserdata(L, ud);
  st = lua_pcall(L, 1, 0, 0);
  lua_settop(L, top);
  return st;
}

/* The status of a run whose protected part returned 'st'; sets the payload. */
static int finish (cu_State *S, RunArgs *a, int st) {
  if (st != LUA_OK) {
    cu_set_nomem(S);
    a->status = CU_ERRMEM;
  }
  else
    cu_set_out(S);
  if (S->info.reason != CU_STOP_NONE)
    return CU_ERRSTOP;
  if (S->up.failed && (a->status == CU_ERRRUN || a->status == CU_ERRERR))
    return CU_ERRUPCALL;
  return a->status;
}


/*
** A run inside a run (a handle called from a host function, cu_run.h):
** prun on the running thread, under the outer run's limits.
*/
static int nested (cu_State *S, RunArgs *a) {
  int st;
  a->nested = 1;
  a->mark = S->href.nfresh;
  st = cu_run_protect(S, prun, a);
  if (st != LUA_OK)
    cu_run_protect(S, pforget, a);
  return finish(S, a, st);
}

static int run (cu_State *S, RunArgs *a) {
  int st, nargs;
  int slots = a->mode & (CU_ARGS_SLOTS | CU_RESULT_SLOTS);
  if ((a->mode &
       ~(CU_RESULT_ALL | CU_RESULT_CYCLES | CU_RUN_REF | CU_ARGS_SLOTS | CU_RESULT_SLOTS)) != 0 ||
      (slots && ((a->mode & CU_RUN_REF) || S->slots == NULL)))
    return CU_ERRARG; /* the slots are made by cu_state_slots before it is used */
  if (running(S))
    return nested(S, a);
  S->href.nfresh = a->mark = 0;
  S->info.mem_refused = S->info.mem_refused_used = 0;
  lua_settop(S->L, 0);
  if (!lua_checkstack(S->L, STACK_NEED)) {
    cu_set_nomem(S);
    return CU_ERRMEM;
  }
  lua_pushlightuserdata(S->L, a); /* index 1 */
  nargs = start(S->L, a);
  if (nargs == NOT_A_HANDLE) { /* refused before running, as cu_handle.c's checks are */
    lua_settop(S->L, 0);
    return CU_ERRARG;
  }
  cu_limits_begin(S);
  st = toprun(S, a, nargs);
  if (st != LUA_OK) /* failed before or while reporting: still discard */
    cu_protect(S, pforget, a);
  cu_limits_end(S);
  S->info.print = S->buf.print.p;
  S->info.printlen = (int64_t)S->buf.print.n;
  return finish(S, a, st);
}

/* Sets 'a' to a run of 'mode' on S that has not started; returns 'a'. */
static RunArgs *runargs (RunArgs *a, cu_State *S, int mode) {
  memset(a, 0, sizeof *a);
  a->S = S;
  a->mode = mode;
  a->status = CU_ERRMEM;
  return a;
}

CU_API int cu_chunk_run (cu_State *S, int ref, int mode) {
  RunArgs a;
  runargs(&a, S, mode)->ref = ref;
  if (ref <= 0 || (mode & (CU_RUN_REF | CU_ARGS_SLOTS)))
    return CU_ERRARG;
  return run(S, &a);
}

int cu_run_body (cu_State *S, lua_CFunction body, void *ud, int mode) {
  RunArgs a;
  runargs(&a, S, mode);
  a.body = body;
  a.ud = ud;
  return run(S, &a);
}

int cu_run_handle (cu_State *S, int ref, int type, lua_CFunction body, void *ud, int mode) {
  RunArgs a;
  runargs(&a, S, mode);
  a.handle = ref;
  a.htype = type;
  a.body = body;
  a.ud = ud;
  if (ref <= 0 ||
      (body == NULL && (type != LUA_TFUNCTION || !(mode & CU_ARGS_SLOTS) || (mode & CU_RUN_REF))))
    return CU_ERRARG;
  return run(S, &a);
}

CU_API int cu_state_call (cu_State *S, const char *path, const unsigned char *args, size_t len,
                          int mode) {
  RunArgs a;
  runargs(&a, S, mode);
  a.path = path;
  a.args = args;
  a.arglen = len;
  if (mode & CU_RUN_REF)
    return CU_ERRARG;
  return run(S, &a);
}
