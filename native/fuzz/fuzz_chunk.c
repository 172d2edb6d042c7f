/*
** fuzz_chunk.c - source text Java sends to cu_chunk_load: compiled (text
** mode only, so a binary chunk is refused) under the memory limit, never
** run. What it finds is mostly Lua's parser, which the shim calls as is.
*/
#include "fuzz.h"

static cu_State *S;

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  int ref, st;
  if (S == NULL)
    S = fz_state();
  st = cu_chunk_load(S, (const char *)data, size, "=fuzz", &ref);
  FZ_ASSERT(st == CU_OK || st == CU_ERRSYNTAX || st == CU_ERRMEM);
  if (st == CU_OK)
    FZ_ASSERT(cu_chunk_free(S, ref) == CU_OK);
  if (size > 0 && data[0] == 0x1B) /* Lua's binary signature */
    FZ_ASSERT(st != CU_OK);
  return 0;
}
