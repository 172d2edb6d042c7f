/*
** cu_internal.h - what the shim's .c files share. Not installed.
*/
#ifndef cu_internal_h
#define cu_internal_h

#include <stdatomic.h>

#include "lua.h"
#include "lauxlib.h"

#include "cu.h"

/* Deepest nesting the codec follows before it reports an error. */
#define CU_MAXDEPTH 200

/* Extra bytes the allocator grants while the message handler runs. */
#define CU_HANDLER_SLACK (64 * 1024)

/* Buffers above this size are released at the start of the next call. */
#define CU_BUF_KEEP (1024 * 1024)

/* CBOR tags: RFC 8949 value sharing, and cu's own (docs/FORMAT.md). */
#define CU_TAG_SHAREABLE 28
#define CU_TAG_SHAREDREF 29
#define CU_TAG_OPAQUE    0x63750001u

/*
** A growable byte buffer whose memory is a full userdata anchored in the
** registry at 'slot', so it is counted by the allocator and a failed
** growth raises an ordinary Lua memory error.
** Invariant: p == NULL iff cap == 0; n <= cap.
*/
typedef struct cu_Buf {
  unsigned char *p;
  size_t n, cap;
  int slot;
} cu_Buf;

struct cu_State {
  lua_State *L;
  cu_Info info;
  cu_Buf out;               /* payload of the last call */
  cu_Buf print;             /* print() output of the last run */
  int tbslot;               /* registry slot: traceback of the last error */
  int hooked;               /* count hook installed */
  int inhandler;            /* message handler running: allocator slack */
  int upcallfailed;         /* a Java upcall failed during this run */
  cu_PrintFn printfn;
  int64_t timeout_ns;       /* 0 = none */
  int64_t max_insn;         /* 0 = none */
  int64_t deadline;         /* monotonic ns, 0 = none */
  int64_t steps;            /* hook firings in this run */
  /*
  ** Interrupts. 'epoch' is odd while a run is in progress and only the
  ** owning thread writes it. cu_state_interrupt stores the epoch it saw
  ** into 'stop'; the hook honours 'stop' only when it equals 'epoch', so
  ** a late interrupt can never stop a later run.
  */
  _Atomic int64_t epoch;
  _Atomic int64_t stop;
};

/* The cu_State of any thread of a state (the allocator's userdata). */
cu_State *cu_getstate (lua_State *L);

/* cu_limits.c */
void *cu_limits_alloc (void *ud, void *ptr, size_t osize, size_t nsize);
void cu_limits_begin (cu_State *S);
void cu_limits_end (cu_State *S);
void cu_limits_hook (lua_State *L, lua_Debug *ar);

/* cu_codec.c: buffers and the CBOR encoder. All may raise. */
void cu_buf_reset (lua_State *L, cu_Buf *b);
unsigned char *cu_buf_prep (lua_State *L, cu_Buf *b, size_t extra);
void cu_buf_add (lua_State *L, cu_Buf *b, const void *s, size_t len);
void cu_enc_head (lua_State *L, cu_Buf *b, int major, uint64_t v);
void cu_enc_text (lua_State *L, cu_Buf *b, const char *s, size_t len);
void cu_enc_values (lua_State *L, cu_Buf *b, int first, int last,
                    int asarray);
int cu_utf8_valid (const char *s, size_t len);

/* cu_sandbox.c */
void cu_sandbox_open (lua_State *L, lua_Integer seed);

#endif
