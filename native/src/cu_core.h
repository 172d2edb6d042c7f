/*
** cu_core.h - the state record and the helpers every module shares: the
** protected-call discipline, registry references, upcall errors and the
** payload of a failure. Not installed.
**
** struct cu_State is one sub-struct per concern; the comment of each
** names the modules that use it (cu_run.c, which creates and closes the
** state, initialises them all). The sub-structs are declared here, in the
** bottom layer, so that a module's header never includes a higher one.
** Core's own helpers carry the bare cu_ prefix.
*/
#ifndef cu_core_h
#define cu_core_h

#include <stdatomic.h>
#include <stdint.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu.h"
#include "cu_buf.h"
#include "cu_conf.h"

/* Extra bytes the allocator grants while the message handler runs. */
#define CU_HANDLER_SLACK (64 * 1024)

/*
** Blocks of at most CU_SMALL_MAX bytes come from the state's own slabs,
** in classes of CU_SMALL_STEP bytes (cu_alloc.c).
*/
#define CU_SMALL_MAX     256
#define CU_SMALL_STEP    16
#define CU_SMALL_CLASSES (CU_SMALL_MAX / CU_SMALL_STEP)
#define CU_SLAB_SIZE     (64 * 1024)
/*
** A state's first CU_SLAB_EARLY bytes of slabs come in slabs of
** CU_SLAB_FIRST bytes, so that an idle unit's last slab ends near its last
** block (cu_alloc.c). 16 bytes under 1 KiB, so that glibc's chunk, its
** header included, is 1 KiB.
*/
#define CU_SLAB_FIRST    (1024 - 16)
#define CU_SLAB_EARLY    (32 * 1024)

/* Lua frames kept of an error, and call levels read to find them (cu_trace.c). */
#define CU_TRACE_MAX    32
#define CU_TRACE_LEVELS 256

/* Slots of the table that counts reads in a row of external tables (cu_ext.c). */
#define CU_HOT_SLOTS 64

/* cu_alloc.c: the slab allocator; cu_limits.c and cu_run.c set inhandler. */
typedef struct cu_Alloc {
  void *freel[CU_SMALL_CLASSES]; /* free small blocks per class */
  void *slabs;                   /* the slabs small blocks are carved from */
  char *slabp;                   /* the unused rest of the newest slab */
  size_t slableft;               /* bytes left at slabp */
  size_t slabbed;                /* bytes of all slabs so far */
  void *spare;                   /* a slab kept for shrinks when malloc fails */
  int inhandler;                 /* message handler running: CU_HANDLER_SLACK granted */
} cu_Alloc;

/*
** A kernel timer that signals one thread (cu_limits.c). Invariant: tid is
** 0 when there is no timer; serial names the thread it signals.
*/
typedef struct cu_Timer {
  int id;          /* the kernel timer (timer_create), valid when tid != 0 */
  int tid;         /* kernel id of the thread it signals, 0 = none */
  uint64_t serial; /* the serial of the thread it signals (ids are reused) */
  int armed;       /* set for the run in progress */
} cu_Timer;

/* cu_limits.c: the count hook, stops, time, CPU time and instruction limits. */
typedef struct cu_Limits {
  int hooked;            /* interruptible: stops and limits allowed */
  int async;             /* stops reach the thread by signal */
  lua_State *current;    /* the thread running Lua code (coroutines) */
  _Atomic int64_t owner; /* kernel id of the thread running the run */
  _Atomic int polling;   /* this run's hook checks stops itself */
  cu_Timer timer;        /* fires at the deadline */
  cu_Timer cputimer;     /* fires when the CPU time is used up */
  int64_t timeout_ns;    /* 0 = none */
  int64_t cpu_ns;        /* 0 = none */
  int64_t max_insn;      /* 0 = none */
  int64_t deadline;      /* monotonic ns, 0 = none */
  int64_t cpudeadline;   /* the thread's CPU clock, ns; 0 = none */
  int64_t steps;         /* hook firings in this run */
  /*
  ** Interrupts. 'epoch' is odd while a run is in progress and only the
  ** owning thread writes it. cu_state_interrupt stores the epoch it saw
  ** into 'stop'; the hook honours 'stop' only when it equals 'epoch', so
  ** a late interrupt can never stop a later run.
  */
  _Atomic int64_t epoch; /* odd while a run is in progress */
  _Atomic int64_t stop;  /* the epoch a stop was requested for */
  _Atomic int stopwhy;   /* CU_STOP_* of the requested stop */
  atomic_flag lock;      /* held to send a stop; held to end a run */
} cu_Limits;

/* cu_core.c and the modules that call Java: the upcalls and their reply. */
typedef struct cu_Upcall {
  cu_PrintFn printfn;        /* print() lines, or NULL (cu_sandbox.c) */
  cu_LoadFn loadfn;          /* rows of a table or function (cu_store.c) */
  cu_CommitFn commitfn;      /* a run's changes (cu_store.c) */
  cu_HostFn hostfn;          /* host functions (cu_host.c) */
  cu_ObjectFn objectfn;      /* exported Java objects (cu_object.c) */
  cu_ModuleFn modulefn;      /* require's module loader, or NULL (cu_module.c) */
  void *jni;                 /* the JNI upcalls' target (cu_jni.c), or NULL: the closures */
  unsigned char *reply;      /* what Java passed to cu_upcall_reply (malloc) */
  size_t replylen, replycap; /* its length and capacity */
  int err;                   /* registry slot: the error an upcall failure raised */
  int errset;                /* 'err' holds an error, not false: reset at the next run */
  int failed;                /* the run ended with the error an upcall raised */
} cu_Upcall;

/* A count of reads in a row of one external table, by address (cu_exthook.c). */
typedef struct cu_Hot {
  const void *p;
  int n;
} cu_Hot;

/* cu_ext.c: external tables; also cu_exthook, cu_persist, cu_fnload, cu_store. */
typedef struct cu_Ext {
  int mt;         /* registry ref: the proxies' shared metatable */
  int proxies;    /* registry ref: id -> proxy (weak values) */
  int dirty;      /* registry ref: array of the proxies changed in this run */
  int ndirty;     /* proxies in 'dirty' */
  int64_t nextid; /* next id to allocate (tables, functions, boxes) */
  cu_Hot *hot;    /* CU_HOT_SLOTS of them (malloc), NULL until an external table is read */
} cu_Ext;

/*
** cu_persist.c and cu_fnload.c: stored functions and their boxes
** (invariants in cu_persist.c). The registry refs fnids .. boxload are 0
** until the first function is prepared or loaded (cu_persist_need).
*/
typedef struct cu_Fns {
  int fnids, fns;      /* registry refs: function -> id, id -> function (both weak) */
  int fnnew;           /* ids of the functions prepared in this run */
  int boxes, boxidx;   /* box id -> closure owning it (weak), its upvalue index */
  int boxnew;          /* ids of the boxes created in this run */
  int boxp;            /* box id -> its proxy, kept while the closure lives */
  int upids;           /* lua_upvalueid -> box id (a hint) */
  int perm, permnames; /* this state's permanents: C function -> name and back (0: none yet) */
  int permlib;         /* the shared permanents of the library apply (cu_perm.c) */
  int fnload, boxload; /* ids a function load registered, undone if it fails */
  int loading;         /* inside the protected load of a stored function */
  int nnew;            /* entries put into fnnew and boxnew since they were last emptied */
  int nboxes;          /* entries put into boxes and boxp since both were last seen empty */
} cu_Fns;

/* cu_io.c: the _io table. */
typedef struct cu_Io {
  int data;  /* registry ref: _io's content */
  int proxy; /* registry ref: the _io proxy scripts see */
} cu_Io;

/* Byte buffers of the state (cu_buf.h), each anchored in its registry slot. */
typedef struct cu_Buffers {
  cu_Buf out;   /* payload of the last call (cu_run.c, cu_io.c) */
  cu_Buf print; /* print() output of the last run (cu_sandbox.c) */
  cu_Buf delta; /* external-table changes being committed (cu_store.c) */
  cu_Buf args;  /* arguments of a host-function upcall (cu_host.c) */
  int tb;       /* registry slot: traceback of the last error (cu_run.c) */
  int tbset;    /* 'tb' holds a traceback, not false: reset at the next run */
} cu_Buffers;

/*
** cu_store.c: the store client. cu_ext.c and cu_fnload.c, below it, load
** rows through 'load', which cu_store_open installs.
*/
typedef struct cu_Store {
  /*
  ** Pushes the rows of table or function 'id' as one table (empty when
  ** the store has none, unless fn != 0), decoding them at 'depth'; fn is
  ** id when they are function fn's row. Raises.
  */
  void (*load)(lua_State *L, cu_State *S, int64_t id, int64_t fn, int depth);
} cu_Store;

/*
** cu_href.c and cu_handle.c: the values Java holds by reference (handles).
** Invariant: 'count' is the number of live references in 'refs'; the
** entries 1..nfresh of 'fresh' are references made by encodings of the
** export in progress that Java has not received yet (cu_run.c drops them
** when the run fails; cu_host.c hands them over with the upcall).
*/
typedef struct cu_Refs {
  int refs;      /* registry ref: reference -> value (luaL_ref's free list) */
  int fresh;     /* registry ref: sequence of references not handed over yet */
  int nfresh;    /* entries of 'fresh' in use */
  int64_t count; /* live references in 'refs' */
} cu_Refs;

/* cu_trace.c: the Lua frames of the last error, innermost first. */
typedef struct cu_Frame {
  char chunk[LUA_IDSIZE]; /* as messages name it (lua_Debug.short_src) */
  char name[48];          /* the function's name, "main chunk", or "" if unknown */
  int line;               /* the current line, -1 if unknown */
} cu_Frame;

typedef struct cu_Trace {
  cu_Frame *f; /* CU_TRACE_MAX frames (malloc), made at the first error: NULL before */
  int n;       /* frames recorded */
} cu_Trace;

struct cu_Codec; /* cu_value.h */

struct cu_State {
  lua_State *L; /* the main thread */
  cu_Info info; /* the block Java reads (cu.h) */
  cu_Alloc alloc;
  cu_Limits lim;
  cu_Upcall up;
  cu_Ext ext;
  cu_Fns fn;
  cu_Io io;
  cu_Buffers buf;
  cu_Store store;
  cu_Trace trace;
  cu_Refs href;
  struct cu_Slots *slots; /* scalars crossing without CBOR, made at the first use (cu_slots.c) */
  const struct cu_Codec *codec; /* the plain codec, for values from and to Java (cu_run.c) */
};

/* The cu_State of any thread of a state (the allocator's userdata). */
cu_State *cu_getstate (lua_State *L);

/* Runs f(ud) under lua_pcall on an empty stack; returns Lua's status. */
int cu_protect (cu_State *S, lua_CFunction f, void *ud);

/* Raises the message at the top as the error of a failed upcall. */
int cu_upcall_raise (lua_State *L, cu_State *S);

/* Raises "<what>: <Java's reply>" after a failed upcall. */
int cu_upcall_error (lua_State *L, cu_State *S, const char *what);

/* Points the payload at a static ["not enough memory", null, null]. */
void cu_set_nomem (cu_State *S);

/* Points the payload at the out buffer. */
void cu_set_out (cu_State *S);

/* Leaves the payload [msg, null, null] in the out buffer. Raises. */
void cu_put_message (lua_State *L, cu_State *S, const char *msg);

/*
** A new table kept in the registry, weak as 'mode' says ("k", "v") or
** strong when mode is NULL; returns its reference.
*/
int cu_newref (lua_State *L, const char *mode);

/* Replaces the table of reference *ref by a new one with 'mode', in its slot. */
void cu_renewref (lua_State *L, int *ref, const char *mode);

/* Pushes the table of registry reference 'ref'. Does not raise. */
static inline void cu_getref (lua_State *L, int ref) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, ref);
}

/* Registry-table helpers, t being the table of a reference. Raise only on memory errors. */

/* t[k] = v for t in registry slot 'slot', k and v at the given indices. */
static inline void cu_refset (lua_State *L, int slot, int k, int v) {
  k = lua_absindex(L, k);
  v = lua_absindex(L, v);
  cu_getref(L, slot);
  lua_pushvalue(L, k);
  lua_pushvalue(L, v);
  lua_rawset(L, -3);
  lua_pop(L, 1);
}

static inline void cu_refseti (lua_State *L, int slot, lua_Integer k, int v) {
  v = lua_absindex(L, v);
  cu_getref(L, slot);
  lua_pushvalue(L, v);
  lua_rawseti(L, -2, k);
  lua_pop(L, 1);
}

/* Pushes t[k] for t in registry slot 'slot' and integer k; returns its type. */
static inline int cu_refgeti (lua_State *L, int slot, lua_Integer k) {
  int t;
  cu_getref(L, slot);
  t = lua_rawgeti(L, -1, k);
  lua_remove(L, -2);
  return t;
}

/* Pushes t[v] for t in registry slot 'slot' and the value at index v. */
static inline int cu_refget (lua_State *L, int slot, int v) {
  int t;
  v = lua_absindex(L, v);
  cu_getref(L, slot);
  lua_pushvalue(L, v);
  t = lua_rawget(L, -2);
  lua_remove(L, -2);
  return t;
}

#endif
