/*
** cu_buf.h - growable byte buffers whose memory Lua owns, and the head
** writer on them (cu_cbor_head into a buffer). Every function may raise a
** Lua error (memory); callers run them under lua_pcall.
*/
#ifndef cu_buf_h
#define cu_buf_h

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "lua.h"

#include "cu_cbor.h"

/* Buffers above this size are released at the start of the next use. */
#define CU_BUF_KEEP (1024 * 1024)

/*
** A growable byte buffer whose memory is a full userdata anchored in the
** registry at 'slot', so it is counted by the allocator and a failed
** growth raises an ordinary Lua memory error. A buffer starts zeroed: no
** block and no slot, which its first growth takes (luaL_ref).
** Invariant: p == NULL iff cap == 0; n <= cap; slot == 0 before the first growth.
*/
typedef struct cu_Buf {
  unsigned char *p; /* the bytes (the userdata's block) */
  size_t n, cap;    /* bytes used, bytes allocated */
  int slot;         /* registry slot that anchors the block, 0 until the first growth */
} cu_Buf;

/* Empties b; a buffer that grew beyond CU_BUF_KEEP releases its block. */
void cu_buf_reset (lua_State *L, cu_Buf *b);

/* Grows b to room for 'extra' more bytes; returns where they go (b->n is unchanged). */
unsigned char *cu_buf_grow (lua_State *L, cu_Buf *b, size_t extra);

/*
** Room for 'extra' more bytes; returns where they go (b->n is unchanged).
** Inline: an encoder asks for room once per head, so the check that
** usually passes is not worth a call.
*/
static inline unsigned char *cu_buf_prep (lua_State *L, cu_Buf *b, size_t extra) {
  return b->cap - b->n >= extra ? b->p + b->n : cu_buf_grow(L, b, extra);
}

static inline void cu_buf_add (lua_State *L, cu_Buf *b, const void *s, size_t len) {
  if (len > 0) {
    memcpy(cu_buf_prep(L, b, len), s, len);
    b->n += len;
  }
}

/* Appends one byte (an item's initial byte: null, true, false). */
static inline void cu_buf_byte (lua_State *L, cu_Buf *b, unsigned char c) {
  *cu_buf_prep(L, b, 1) = c;
  b->n++;
}

/* Appends the shortest CBOR head of major type 'major' with argument v. */
static inline void cu_buf_head (lua_State *L, cu_Buf *b, int major, uint64_t v) {
  unsigned char *p = cu_buf_prep(L, b, CU_CBOR_HEADMAX);
  if (v < CU_CBOR_AI_1) { /* the argument in the initial byte */
    *p = CU_CBOR_IB(major, v);
    b->n++;
  }
  else
    b->n += cu_cbor_head(p, major, v);
}

#endif
