/*
** cu_trace.c - the Lua frames of a run's error. The message handler
** records them into a fixed buffer of the state, made outside the Lua
** heap at the state's first error (so a state at its memory limit
** records them too, and a state that never fails does not pay for it);
** the failure payload carries them as its fourth element
** (docs/FORMAT.md#error-payloads).
*/
#include <stdlib.h>
#include <string.h>

#include "lua.h"

#include "cu_cbor.h"
#include "cu_buf.h"
#include "cu_core.h"
#include "cu_trace.h"


void cu_trace_clear (cu_State *S) {
  S->trace.n = 0;
}


void cu_trace_free (cu_State *S) {
  free(S->trace.f);
  S->trace.f = NULL;
}


/* Copies the C string 's' into dst[size], cut at a UTF-8 character boundary. */
static void copyname (char *dst, size_t size, const char *s) {
  size_t n = strlen(s);
  if (n >= size) {
    n = size - 1;
    while (n > 0 && cu_cbor_utf8cont((unsigned char)s[n])) n--;
  }
  memcpy(dst, s, n);
  dst[n] = '\0';
}


/*
** lua_getstack and lua_getinfo with "Sln" read the stack only: they
** neither allocate nor raise; at most CU_TRACE_LEVELS levels are read
** (each lua_getstack walks the levels above it). Invariant: at most
** CU_TRACE_MAX frames,
** each with a NUL-terminated chunk and name ("" when Lua knows no name).
*/
void cu_trace_record (lua_State *L, cu_State *S) {
  lua_Debug ar;
  int level = 1, n = 0;
  if (S->trace.f == NULL)
    S->trace.f = (cu_Frame *)malloc(sizeof(cu_Frame) * CU_TRACE_MAX);
  if (S->trace.f == NULL) { /* the process is out of memory: no frames */
    S->trace.n = 0;
    return;
  }
  while (n < CU_TRACE_MAX && level <= CU_TRACE_LEVELS && lua_getstack(L, level++, &ar)) {
    cu_Frame *f = &S->trace.f[n];
    if (!lua_getinfo(L, "Sln", &ar) || strcmp(ar.what, "C") == 0)
      continue;
    copyname(f->chunk, sizeof f->chunk, ar.short_src);
    if (*ar.what == 'm')
      copyname(f->name, sizeof f->name, "main chunk");
    else
      copyname(f->name, sizeof f->name, ar.name != NULL ? ar.name : "");
    f->line = ar.currentline;
    n++;
  }
  S->trace.n = n;
}


static void puttext (lua_State *L, cu_Buf *b, const char *s) {
  size_t len = strlen(s);
  cu_buf_head(L, b, cu_cbor_utf8(s, len) ? CU_CBOR_TEXT : CU_CBOR_BYTES, len);
  cu_buf_add(L, b, s, len);
}


void cu_trace_encode (lua_State *L, cu_State *S, cu_Buf *b) {
  int i;
  cu_buf_head(L, b, CU_CBOR_ARRAY, (uint64_t)S->trace.n);
  for (i = 0; i < S->trace.n; i++) {
    const cu_Frame *f = &S->trace.f[i];
    cu_buf_head(L, b, CU_CBOR_ARRAY, 3);
    puttext(L, b, f->chunk);
    if (f->line >= 0)
      cu_buf_head(L, b, CU_CBOR_UINT, (uint64_t)f->line);
    else
      cu_buf_byte(L, b, CU_CBOR_NULL);
    if (*f->name != '\0')
      puttext(L, b, f->name);
    else
      cu_buf_byte(L, b, CU_CBOR_NULL);
  }
}
