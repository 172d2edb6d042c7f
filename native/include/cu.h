/*
** cu.h - the C ABI of libcu, the shim between the JVM and Lua 5.4.7.
**
** Every export is named cu_<noun>_<verb>. Each carries Lua's stack tag
** [-o, +p, x]: values popped, values pushed, and whether it can raise.
** No export raises ('-'): anything that can fail (allocation, metamethods,
** Lua errors) runs inside lua_pcall in the shim and comes back as a status
** code. Error text and values come back as CBOR in the state's output
** buffer (see docs/FORMAT.md), read through cu_state_info().
**
** Threading: a cu_State belongs to one thread at a time. The only exports
** that may be called from any thread are cu_state_interrupt() and the
** reads of the cu_Info block; the caller keeps the state from being
** closed meanwhile.
*/
#ifndef cu_h
#define cu_h

#include <stddef.h>
#include <stdint.h>

#if defined(_WIN32)
#define CU_API __declspec(dllexport)
#else
#define CU_API __attribute__((visibility("default")))
#endif

#define CU_VERSION "0.1.0"

/* Status codes. The first ones equal Lua's own. */
#define CU_OK        0
#define CU_ERRRUN    2  /* runtime error; payload [message, traceback, value, frames] */
#define CU_ERRSYNTAX 3  /* syntax error; payload [message, null, null] */
#define CU_ERRMEM    4  /* memory limit or allocation failure */
#define CU_ERRERR    5  /* error while running the message handler */
#define CU_ERRSTOP   10 /* stopped: a time, CPU time or instruction limit, interrupt */
#define CU_ERRUPCALL 11 /* a Java upcall reported failure */
#define CU_ERRVALUE  12 /* a value cannot be converted (cycle, depth, type) */
#define CU_ERRARG    13 /* misuse of the API: bad reference, bad argument */

/* Why a run stopped (cu_Info.reason, with CU_ERRSTOP). */
#define CU_STOP_NONE         0
#define CU_STOP_TIME         1
#define CU_STOP_INSTRUCTIONS 2
#define CU_STOP_INTERRUPT    3
#define CU_STOP_CPU          4

/* Result modes for cu_chunk_run. */
#define CU_RESULT_LAST   0 /* payload: the last value returned (nil if none) */
#define CU_RESULT_ALL    1 /* payload: an array of all values returned */
/* Flag, or-ed with a mode: a table in the result may contain itself (a tag
** 29 may name an enclosing tag 28); without it a cycle is CU_ERRVALUE. */
#define CU_RESULT_CYCLES 2

/*
** Flags, or-ed with a mode, for the calls that take them (cu_state_call,
** cu_handle_call, cu_handle_get, cu_handle_set): the arguments are in the
** state's slots (cu_state_slots) instead of CBOR; the results go to the
** slots when they are all scalars that fit, else to the payload as CBOR
** with the slots' count set to CU_SLOTS_CBOR.
*/
#define CU_ARGS_SLOTS   32
#define CU_RESULT_SLOTS 64

/* Instructions between two checks of the limits (the count hook). */
#define CU_HOOK_STEP 1000

typedef struct cu_State cu_State;

/*
** Read-only view of a state, stable for the state's lifetime. Java reads
** it by offset (dev.cu.internal.NativeUnit); the layout is part of the ABI.
** 'out' holds the payload of the last call; 'print' the output captured
** by print() during the last run. Both stay valid until the next call on
** the state.
*/
typedef struct cu_Info {
  const unsigned char *out;   /* offset 0 */
  int64_t outlen;             /* offset 8 */
  const unsigned char *print; /* offset 16 */
  int64_t printlen;           /* offset 24 */
  int64_t mem_used;           /* offset 32: bytes currently allocated */
  int64_t mem_limit;          /* offset 40: 0 = unlimited */
  int64_t mem_peak;           /* offset 48 */
  int64_t instructions;       /* offset 56: last run, -1 if not counted */
  int32_t reason;             /* offset 64: CU_STOP_* of the last run */
  int32_t reserved;           /* offset 68 */
  int64_t ext_nextid;         /* offset 72: next external-table id */
  int64_t mem_refused;        /* offset 80: size of the last request the limit refused, 0 if none */
  int64_t mem_refused_used;   /* offset 88: mem_used when it was refused */
} cu_Info;

/*
** Upcall for print(): receives one printed line (with its newline).
** Returns 0, or non-zero when the Java side failed; the shim then raises
** a Lua error and the run ends with CU_ERRUPCALL unless Lua code catches it.
*/
typedef int (*cu_PrintFn)(const unsigned char *data, size_t len);

/*
** Upcalls of external tables (docs/ARCHITECTURE.md#external-tables). S is
** the state that calls, so one pair can serve every state. Each returns 0,
** or non-zero when Java failed; before returning, Java may pass bytes back
** with cu_upcall_reply: the table's entries as a CBOR map for load, the
** failure's message (UTF-8) on error.
*/
typedef int (*cu_LoadFn)(cu_State *S, int64_t id);
typedef int (*cu_CommitFn)(cu_State *S, const unsigned char *delta, size_t len);

/*
** Upcall of host functions: 'fn' is the index given to cu_host_register,
** 'args' a CBOR array of the arguments, or NULL when they are in the
** state's slots (cu_state_slots). Java returns 0 and replies with a CBOR
** array of results (no reply: none), or returns CU_HOST_SLOTS with the
** results in the slots, or replies with the error message and returns
** any other value.
*/
typedef int (*cu_HostFn)(int32_t fn, const unsigned char *args, size_t len);
#define CU_HOST_SLOTS 2

/*
** Upcall of exported Java objects (docs/SANDBOX.md#exposed-java-objects).
** With op CU_OBJECT_CALL, calls method 'method' (an index into the method
** names of class 'cls') of object 'id', with the CBOR array 'args' or,
** when 'args' is NULL, the values in the slots; Java answers like a host
** function: a CBOR array of results, CU_HOST_SLOTS with the results in the
** slots, or the error message and any other non-zero return. With op CU_OBJECT_DESCRIBE (id, method
** and args unused), Java replies with class 'cls' as the CBOR array
** [simple name, [method names]].
*/
typedef int (*cu_ObjectFn)(int32_t op, int64_t id, int32_t cls, int32_t method,
                           const unsigned char *args, size_t len);

#define CU_OBJECT_CALL     0
#define CU_OBJECT_DESCRIBE 1

/*
** Upcall of require (docs/SANDBOX.md#modules): 'name' is a valid module
** name (letters, digits and '_' separated by dots). Java returns
** CU_MODULE_FOUND and replies with the chunk name, a zero byte and the
** Lua source; or CU_MODULE_MISSING and replies with the places it tried,
** one per line; or CU_MODULE_FAILED when the loader threw.
*/
typedef int (*cu_ModuleFn)(const char *name, size_t len);

#define CU_MODULE_FOUND   0
#define CU_MODULE_FAILED  1
#define CU_MODULE_MISSING 2

/*
** A built-in module's open function, a lua_CFunction: it runs as the
** module's chunk (argument 1 is the module name) and returns its value.
*/
struct lua_State;
typedef int (*cu_OpenFn)(struct lua_State *L);

/*
** [-0, +0, -] Creates a state whose allocator refuses to go beyond
** 'memlimit' bytes (0 = unlimited). Returns NULL when the allocation of
** the state itself fails. The libraries are not open yet: see cu_state_open.
*/
CU_API cu_State *cu_state_new (int64_t memlimit);

/*
** [-0, +0, -] Opens the sandboxed libraries (docs/SANDBOX.md), seeds
** math.random with 'seed', and makes the state interruptible when
** 'hooked' is non-zero (needed for time and instruction limits and
** interrupts). On Linux an interruptible state runs without Lua's count
** hook until a stop arrives (a signal arms it, docs/LIMITS.md); elsewhere,
** and with an instruction limit, the hook stays on.
** Returns CU_OK or CU_ERRMEM (payload: message).
*/
CU_API int cu_state_open (cu_State *S, int64_t seed, int hooked);

/* [-0, +0, -] Closes the state and frees everything it owns. NULL is ok. */
CU_API void cu_state_close (cu_State *S);

/* [-0, +0, -] The state's info block; never NULL for a valid state. */
CU_API const cu_Info *cu_state_info (cu_State *S);

/*
** [-0, +0, -] Limits for the following runs: 'timeout_ns' (0 = none) is
** measured from the start of each run; 'instructions' (0 = none) counts
** VM instructions in steps of CU_HOOK_STEP. Both need a hooked state.
** Returns CU_OK, or CU_ERRARG when a limit is set on an unhooked state.
*/
CU_API int cu_state_limit (cu_State *S, int64_t timeout_ns, int64_t instructions);

/*
** [-0, +0, -] CPU time limit for the following runs: 'cpu_ns' (0 = none)
** of CPU time the running thread may use from the start of each run
** (docs/LIMITS.md). Needs a hooked state. Returns CU_OK, or CU_ERRARG.
*/
CU_API int cu_state_cpulimit (cu_State *S, int64_t cpu_ns);

/*
** [-0, +0, -] Thread-safe. Stops the run currently in progress, if any,
** at its next instruction (or next hook check); the stop cannot be caught
** by pcall. Returns 1 if a run was in progress, 0 otherwise (nothing is
** remembered).
*/
CU_API int cu_state_interrupt (cu_State *S);

/* [-0, +0, -] Sets (or clears with NULL) the print upcall. */
CU_API void cu_state_setprint (cu_State *S, cu_PrintFn fn);

/* [-0, +0, -] Full garbage collection. Returns CU_OK or CU_ERRMEM. */
CU_API int cu_state_gc (cu_State *S);

/*
** [-0, +0, -] Compiles a text chunk (binary chunks are refused) named
** 'name' (Lua chunk-name conventions: "=name", "@file") and keeps it in
** the registry; '*ref' receives its reference. Returns CU_OK,
** CU_ERRSYNTAX or CU_ERRMEM; errors leave [message, null, null] in out.
*/
CU_API int cu_chunk_load (cu_State *S, const char *code, size_t len, const char *name, int *ref);

/*
** [-0, +0, -] Runs a loaded chunk with the state's limits. On CU_OK the
** payload is the result (see CU_RESULT_*); on CU_ERRRUN, CU_ERRERR,
** CU_ERRSTOP and CU_ERRUPCALL it is [message, traceback, value]; on
** CU_ERRMEM it is [message, null, null] or empty.
*/
CU_API int cu_chunk_run (cu_State *S, int ref, int mode);

/* [-0, +0, -] Releases a chunk reference. Returns CU_OK or CU_ERRARG. */
CU_API int cu_chunk_free (cu_State *S, int ref);

/*
** [-0, +0, -] Calls the function at 'path' ("f", "mod.f", "_home.add";
** each step may go through __index) with the CBOR array 'args', under the
** state's limits, like cu_chunk_run (same payloads and statuses).
*/
CU_API int cu_state_call (cu_State *S, const char *path, const unsigned char *args, size_t len,
                          int mode);

/*
** The slots: scalars crossing without CBOR (docs/ARCHITECTURE.md#slots).
** A slot holds nil, a boolean, an integer, a float or a string whose bytes
** are text[v, v + len) (the types CU_SLOT_*). Java reads and writes it at fixed offsets
** (dev.cu.internal.NativeSlots); cu_slots.c asserts the layout.
*/
#define CU_SLOTS_MAX  16
#define CU_SLOTS_TEXT 496
#define CU_SLOTS_CBOR (-1) /* cu_Slots.n: the values are in the payload */

#define CU_SLOT_NIL   0
#define CU_SLOT_FALSE 1
#define CU_SLOT_TRUE  2
#define CU_SLOT_INT   3
#define CU_SLOT_FLOAT 4 /* v holds the double's bits */
#define CU_SLOT_TEXT  5 /* a string of valid UTF-8: Java's String */
#define CU_SLOT_BYTES 6 /* any other string: Java's byte[] */

typedef struct cu_Slot {
  int64_t v;    /* the integer, the float's bits, or the text's offset */
  int32_t type; /* CU_SLOT_* */
  int32_t len;  /* the text's length in bytes */
} cu_Slot;

typedef struct cu_Slots {
  int32_t n;    /* values in slot[0, n), or CU_SLOTS_CBOR */
  int32_t used; /* bytes of text in use */
  int64_t pad;
  cu_Slot slot[CU_SLOTS_MAX];
  char text[CU_SLOTS_TEXT];
} cu_Slots;

/*
** [-0, +0, -] The state's slots, made at the first call (NULL when out of
** memory); it lives as long as the state.
*/
CU_API cu_Slots *cu_state_slots (cu_State *S);

/* [-0, +0, -] Copies 'data' as the reply of the upcall in progress. */
CU_API int cu_upcall_reply (cu_State *S, const unsigned char *data, size_t len);

/* [-0, +0, -] Sets the upcalls of the external-table store. */
CU_API void cu_ext_setstore (cu_State *S, cu_LoadFn load, cu_CommitFn commit);

/* [-0, +0, -] The first id cu_ext allocates for new tables. */
CU_API void cu_ext_setnextid (cu_State *S, int64_t id);

/*
** [-0, +0, -] Forgets every external table and stored function the state
** knows (after the store's content was replaced, e.g. by loading a named
** state): proxies still held by Lua code become stale and raise an error
** when used, nothing cached survives, and 'nextid' is the new first id.
** Roots must be bound again with cu_ext_setroot. Returns CU_OK or CU_ERRMEM.
*/
CU_API int cu_ext_reset (cu_State *S, int64_t nextid);

/*
** [-0, +0, -] Tells the VM that the store removed the tables whose ids
** form the CBOR array 'ids' (as a commit's reply does): proxies Lua code
** still holds for them are written in full if they are attached again.
** Returns CU_OK, CU_ERRMEM or CU_ERRVALUE (malformed ids).
*/
CU_API int cu_ext_detached (cu_State *S, const unsigned char *ids, size_t len);

/*
** [-0, +0, -] Binds global 'global' to the proxy of external table 'id'
** (0 = nil). Returns CU_OK or CU_ERRMEM.
*/
CU_API int cu_ext_setroot (cu_State *S, const char *global, int64_t id);

/*
** [-0, +0, -] Sets _io[key] (or _io[key][field] when 'field' is not NULL,
** creating the table) to the value decoded from CBOR 'data'; len 0 means
** nil. Returns CU_OK, CU_ERRMEM or CU_ERRVALUE (payload: message).
*/
CU_API int cu_io_set (cu_State *S, const char *key, const char *field, const unsigned char *data,
                      size_t len);

/*
** [-0, +0, -] Encodes _io[key] (or _io[key][field]) into the payload.
** Returns CU_OK, CU_ERRMEM or CU_ERRVALUE.
*/
CU_API int cu_io_get (cu_State *S, const char *key, const char *field);

/* [-0, +0, -] Empties _io. Returns CU_OK or CU_ERRMEM. */
CU_API int cu_io_clear (cu_State *S);

/* [-0, +0, -] Sets the host-function upcall. */
CU_API void cu_host_setfn (cu_State *S, cu_HostFn fn);

/*
** [-0, +0, -] Sends the host-function and object upcalls through JNI: to
** the methods jniHost and jniObject of the object that the static method
** dev.cu.internal.Upcalls.jniTake returns for 'token', found with the
** class loader of the calling Java code. Called from Java, once per state.
** Returns CU_OK, or CU_ERRARG when this build has no JNI, the JVM is not
** in the process's global scope, the class or the object is not found, or
** the state is bound already: the closures of cu_host_setfn and
** cu_object_setfn stay in use.
*/
CU_API int cu_jni_bind (cu_State *S, int64_t token);

/*
** [-0, +0, -] Makes host function 'fn' callable from Lua at 'path'
** ("name" or "module.name"; the module table is created if needed),
** replacing the value there; callable again while the state is idle.
** Returns CU_OK, CU_ERRMEM or CU_ERRARG (path taken by a non-table).
*/
CU_API int cu_host_register (cu_State *S, const char *path, int32_t fn);

/* [-0, +0, -] Sets the upcall of exported Java objects. */
CU_API void cu_object_setfn (cu_State *S, cu_ObjectFn fn);

/*
** [-0, +0, -] Sets global 'name' to the value decoded from CBOR 'data'
** (an exported object, tag CU_TAG_OBJECT, or any other value Java
** sends). Returns CU_OK, CU_ERRMEM or CU_ERRVALUE (payload: message).
*/
CU_API int cu_object_setglobal (cu_State *S, const char *name, const unsigned char *data,
                                size_t len);

/*
** [-0, +0, -] Encodes, as a CBOR array, the ids of the objects whose last
** Lua value was collected since the last call (the payload), and forgets
** them: Java may drop those objects. Returns CU_OK or CU_ERRMEM.
*/
CU_API int cu_object_drain (cu_State *S);

/*
** [-0, +0, -] Sets (or clears with NULL) the upcall require uses for
** modules that are not built in. Without it, require never calls Java.
*/
CU_API void cu_module_setfn (cu_State *S, cu_ModuleFn fn);

/*
** [-0, +0, -] Makes 'open' the built-in module 'name' of this state:
** require finds it before asking the upcall. Returns CU_OK, CU_ERRMEM or
** CU_ERRARG (not a valid module name).
*/
CU_API int cu_module_preload (cu_State *S, const char *name, cu_OpenFn open);

/*
** Handles (docs/ARCHITECTURE.md#references): Lua functions, tables and
** coroutines Java holds by reference, kept in one registry table of the
** state. A reference is an int > 0. Results and host-function arguments
** carry functions as handles (tag CU_TAG_HANDLE around the reference,
** docs/FORMAT.md), and values from Java may name a live reference the same
** way. Each export below refuses a reference that is not live (released,
** never made) or names a value of another type with CU_ERRARG, changing
** nothing. Those that run Lua code (calls, metamethods, resumes, paths)
** do so like cu_state_call: under the state's limits, with its statuses
** and payloads, committing on success. Called while a run is in progress
** (Java inside a host function) they run inside it, on the thread that
** called the host function, and leave commit and rollback to that run.
*/
#define CU_HANDLE_FUNCTION 0 /* kinds of cu_handle_path */
#define CU_HANDLE_TABLE    1

/* Statuses of cu_handle_status: coroutine.status's, in its order. */
#define CU_CO_SUSPENDED 0
#define CU_CO_RUNNING   1
#define CU_CO_NORMAL    2
#define CU_CO_DEAD      3

/*
** [-0, +0, -] Compiles a text chunk like cu_chunk_load; '*ref' receives a
** handle of its function. Returns CU_OK, CU_ERRSYNTAX or CU_ERRMEM.
*/
CU_API int cu_handle_load (cu_State *S, const char *code, size_t len, const char *name, int *ref);

/*
** [-0, +0, -] Resolves 'path' from the globals as cu_state_call does; the
** payload is a handle of the function (CU_HANDLE_FUNCTION) or table
** (CU_HANDLE_TABLE) there. Any other value is CU_ERRRUN ("'p' is not a
** table").
*/
CU_API int cu_handle_path (cu_State *S, const char *path, int kind);

/*
** [-0, +0, -] Calls function 'ref' with the CBOR array 'args' (len 0:
** none), or with the slots' values (CU_ARGS_SLOTS), like cu_state_call.
*/
CU_API int cu_handle_call (cu_State *S, int ref, const unsigned char *args, size_t len, int mode);

/*
** [-0, +0, -] Table 'ref' indexed by the CBOR item 'key', or by the
** slots' one value (CU_ARGS_SLOTS), through __index: the payload.
*/
CU_API int cu_handle_get (cu_State *S, int ref, const unsigned char *key, size_t len, int mode);

/*
** [-0, +0, -] Table 'ref': t[key] = value (through __newindex) from the
** CBOR array [key, value], or from the slots' two values when 'mode' is
** CU_ARGS_SLOTS ('mode' 0: CBOR).
*/
CU_API int cu_handle_set (cu_State *S, int ref, const unsigned char *kv, size_t len, int mode);

/* [-0, +0, -] The length of table 'ref' (the # operator, __len included) as the payload. */
CU_API int cu_handle_len (cu_State *S, int ref);

/* [-0, +0, -] The content of table 'ref' as the payload, converted like a result. */
CU_API int cu_handle_value (cu_State *S, int ref, int mode);

/* [-0, +0, -] A new coroutine running function 'ref': the payload is its handle. */
CU_API int cu_handle_thread (cu_State *S, int ref);

/*
** [-0, +0, -] Resumes coroutine 'ref' with the CBOR array 'args' (len 0:
** none); the payload holds what it yielded or returned. A coroutine that
** cannot be resumed, or dies with an error, is CU_ERRRUN.
*/
CU_API int cu_handle_resume (cu_State *S, int ref, const unsigned char *args, size_t len, int mode);

/*
** [-0, +0, -] Closes coroutine 'ref' as coroutine.close does: its pending
** to-be-closed variables run, and it is dead afterwards. An error (theirs,
** or the coroutine's own), or a running or normal coroutine, is CU_ERRRUN.
** The reference stays live.
*/
CU_API int cu_handle_close (cu_State *S, int ref);

/* [-0, +0, -] '*status' receives the CU_CO_* status of coroutine 'ref'. */
CU_API int cu_handle_status (cu_State *S, int ref, int *status);

/* [-0, +0, -] Releases 'ref'. Returns CU_OK, CU_ERRARG or CU_ERRMEM. */
CU_API int cu_handle_free (cu_State *S, int ref);

/* [-0, +0, -] How many references are live (for tests and soak runs). */
CU_API int64_t cu_handle_count (cu_State *S);

#endif
