/*
** cu_internal.h - what the shim's .c files share. Not installed.
*/
#ifndef cu_internal_h
#define cu_internal_h

#include <stdatomic.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu.h"
#include "cu_cbor.h"
#include "cu_buf.h"

/* Extra bytes the allocator grants while the message handler runs. */
#define CU_HANDLER_SLACK (64 * 1024)

/* Reads in a row that give an external table a metatable of its own (cu_ext.c). */
#define CU_HOT_READS 64
#define CU_HOT_SLOTS 64

/*
** Blocks of at most CU_SMALL_MAX bytes come from the state's own slabs,
** in classes of CU_SMALL_STEP bytes (cu_alloc.c).
*/
#define CU_SMALL_MAX 256
#define CU_SMALL_STEP 16
#define CU_SMALL_CLASSES (CU_SMALL_MAX / CU_SMALL_STEP)
#define CU_SLAB_SIZE (64 * 1024)

#if defined(__GNUC__)
#define CU_NORETURN __attribute__((noreturn))
#else
#define CU_NORETURN
#endif

/* Registry references of the tables the shim keeps (cu_ext.c, cu_io.c). */
typedef struct cu_Slots {
  int extmt, extproxies;
  int extdirty;     /* array of the proxies changed in this run */
  int fnids, fns, fnnew, boxes, boxidx, boxnew, boxp, upids, perm, permnames;
  int fnload, boxload;  /* ids a function load registered, undone if it fails */
  int iomt, iodata, ioproxy;
  int upcallerr;    /* the error value an upcall failure raised in this run */
} cu_Slots;

/*
** A kernel timer that signals one thread (cu_limits.c). Invariant: tid is
** 0 when there is no timer; serial names the thread it signals.
*/
typedef struct cu_Timer {
  int id;
  int tid;
  uint64_t serial;
  int armed;                /* set for the run in progress */
} cu_Timer;

struct cu_State {
  lua_State *L;
  cu_Info info;
  cu_Slots slots;
  cu_Buf out;               /* payload of the last call */
  cu_Buf print;             /* print() output of the last run */
  cu_Buf delta;             /* external-table changes being committed */
  cu_Buf args;              /* arguments of a host-function upcall */
  int tbslot;               /* registry slot: traceback of the last error */
  int hooked;               /* interruptible: stops and limits allowed */
  int async;                /* stops reach the thread by signal (cu_limits.c) */
  lua_State *current;       /* the thread running Lua code (coroutines) */
  _Atomic int64_t owner;    /* kernel id of the thread running the run */
  _Atomic int polling;      /* this run's hook checks stops itself */
  cu_Timer timer;           /* fires at the deadline (cu_limits.c) */
  cu_Timer cputimer;        /* fires when the CPU time is used up */
  void *freel[CU_SMALL_CLASSES];  /* free small blocks per class (cu_alloc.c) */
  void *slabs;              /* the slabs small blocks are carved from */
  char *slabp;              /* the unused rest of the newest slab */
  size_t slableft;
  void *spare;              /* a slab kept for shrinks when malloc fails */
  int inhandler;            /* message handler running: allocator slack */
  int upcallfailed;         /* the run ended with the error an upcall raised */
  cu_PrintFn printfn;
  cu_LoadFn loadfn;
  cu_CommitFn commitfn;
  cu_HostFn hostfn;
  unsigned char *reply;     /* what Java passed to cu_upcall_reply (malloc) */
  size_t replylen, replycap;
  int64_t nextid;           /* next external-table id to allocate */
  int ndirty;               /* proxies in slots.extdirty (cu_ext.c) */
  struct { const void *p; int n; } hot[CU_HOT_SLOTS];  /* reads in a row (cu_ext.c) */
  int64_t pendingfn;        /* id of the function row being decoded, or 0 */
  int decdepth;             /* depth at which a nested decode of rows starts (cu_decode.c) */
  int fnloading;            /* inside the protected load of a stored function (cu_persist.c) */
  int64_t timeout_ns;       /* 0 = none */
  int64_t cpu_ns;           /* 0 = none */
  int64_t max_insn;         /* 0 = none */
  int64_t deadline;         /* monotonic ns, 0 = none */
  int64_t cpudeadline;      /* the thread's CPU clock, ns; 0 = none */
  int64_t steps;            /* hook firings in this run */
  /*
  ** Interrupts. 'epoch' is odd while a run is in progress and only the
  ** owning thread writes it. cu_state_interrupt stores the epoch it saw
  ** into 'stop'; the hook honours 'stop' only when it equals 'epoch', so
  ** a late interrupt can never stop a later run.
  */
  _Atomic int64_t epoch;
  _Atomic int64_t stop;
  _Atomic int stopwhy;      /* CU_STOP_* of the requested stop */
  atomic_flag lock;         /* held to send a stop; held to end a run */
};

/* The cu_State of any thread of a state (the allocator's userdata). */
cu_State *cu_getstate (lua_State *L);

/* Runs f(ud) under lua_pcall on an empty stack; returns Lua's status. */
int cu_protect (cu_State *S, lua_CFunction f, void *ud);

/* Raises the message at the top as the error of a failed upcall. */
int cu_upcall_raise (lua_State *L, cu_State *S);

/* Points the payload at a static ["not enough memory", null, null]. */
void cu_set_nomem (cu_State *S);

/* Leaves the payload [msg, null, null] in the out buffer. Raises. */
void cu_put_message (lua_State *L, cu_State *S, const char *msg);

/* cu_alloc.c */
void *cu_alloc_realloc (void *ud, void *ptr, size_t osize, size_t nsize);
void cu_alloc_close (cu_State *S);

/* cu_limits.c */
void cu_limits_begin (cu_State *S);
void cu_limits_end (cu_State *S);
void cu_limits_hook (lua_State *L, lua_Debug *ar);
void cu_limits_loopstep (lua_State *L);  /* cu_loopstep.h */
/* "time limit exceeded", ...: the error message of a CU_STOP_* reason. */
const char *cu_limits_message (int reason);
void cu_limits_open (cu_State *S, int hooked);
void cu_limits_close (cu_State *S);
void cu_limits_opencoroutine (lua_State *L);

/* cu_codec.c: the CBOR encoder. All may raise. */
void cu_enc_text (lua_State *L, cu_Buf *b, const char *s, size_t len);
void cu_enc_scalar (lua_State *L, cu_Buf *b, int idx);
void cu_enc_values (lua_State *L, cu_Buf *b, int first, int last,
                    int asarray, int cycles);

/* cu_decode.c: pushes the decoded value(s); raises on malformed input. */
int cu_dec_values (lua_State *L, const unsigned char *data, size_t len,
                   int spread, int refs);

/* cu_ext.c: external tables. */
/*
** The hidden keys of a proxy: addresses in cu_ext_keys, as light userdata,
** which no script can produce (docs/ARCHITECTURE.md#external-tables).
*/
#define CU_K_COUNT    5
extern const char cu_ext_keys[CU_K_COUNT];
#define CU_K_ID       (&cu_ext_keys[0])  /* the table's id */
#define CU_K_CACHE    (&cu_ext_keys[1])  /* the loaded entries */
#define CU_K_DIRTY    (&cu_ext_keys[2])  /* true, or the set of changed keys */
#define CU_K_META     (&cu_ext_keys[3])  /* proxy of the stored metatable */
#define CU_K_DETACHED (&cu_ext_keys[4])  /* the store removed the table */

/* Pushes p[k] for hidden key k; returns its type. Does not raise. */
static inline int cu_hidden (lua_State *L, int p, const char *k) {
  return lua_rawgetp(L, p, k);
}

/* p[k] = the value at the top (popped). Raises only on memory errors. */
static inline void cu_sethidden (lua_State *L, int p, const char *k) {
  lua_rawsetp(L, lua_absindex(L, p), k);
}

/* Raises "<what>: <Java's message>" after a failed upcall. */
int cu_ext_upcallerror (lua_State *L, cu_State *S, const char *what);
void cu_ext_open (lua_State *L, cu_State *S);
int cu_ext_id (lua_State *L, int idx, int64_t *id);
void cu_ext_push (lua_State *L, cu_State *S, int64_t id);
void cu_ext_pushcache (lua_State *L, cu_State *S, int p);
/* Pushes the cache of proxy p if it is loaded, else nil; returns its type. */
int cu_ext_peekcache (lua_State *L, int p);
int cu_ext_fresh (lua_State *L, cu_State *S, int64_t id);
/*
** A new table kept in the registry, weak as 'mode' says ("k", "v") or
** strong when mode is NULL; returns its reference (a cu_Slots field).
*/
int cu_table (lua_State *L, const char *mode);

/* Pushes the table of registry reference 'slot'. Does not raise. */
static inline void getslot (lua_State *L, int slot) {
  lua_rawgeti(L, LUA_REGISTRYINDEX, slot);
}
void cu_ext_pushmetakey (lua_State *L);
void cu_ext_convert (lua_State *L, cu_State *S, int v, int copied, int depth);
void cu_ext_markdirty (lua_State *L, cu_State *S, int p, int k);
void cu_ext_entry (lua_State *L, cu_State *S, cu_Buf *b, int64_t id, int k, int v);

/* cu_persist.c: functions in external tables. */
void cu_persist_open (lua_State *L, cu_State *S);
void cu_persist_prepare (lua_State *L, cu_State *S, int f, int copied, int depth);
void cu_persist_encode (lua_State *L, cu_State *S, cu_Buf *b, int f);
void cu_persist_sync (lua_State *L, cu_State *S);
uint64_t cu_persist_rows (lua_State *L, cu_State *S, cu_Buf *b);
void cu_persist_forget (lua_State *L, cu_State *S, int discard);
void cu_persist_push (lua_State *L, cu_State *S, int64_t id);
void cu_persist_pushpermanent (lua_State *L, cu_State *S, const char *name, size_t len);
void cu_persist_materialize (lua_State *L, cu_State *S, const char *code, size_t len);
void cu_persist_bindbox (lua_State *L, cu_State *S, int f, int i, int64_t box);
void cu_persist_addpermanent (lua_State *L, cu_State *S, int f, const char *name);
int cu_ext_content (lua_State *L, int idx);
int cu_ext_next (lua_State *L);
void cu_ext_commit (lua_State *L, cu_State *S);
void cu_ext_forget (lua_State *L, cu_State *S, int discard);

/* cu_io.c: the _io table. */
void cu_io_open (lua_State *L, cu_State *S);
int cu_io_content (lua_State *L, int idx);

/* cu_sandbox.c */
void cu_sandbox_open (lua_State *L, lua_Integer seed);

#endif
