/*
** fuzz_decode.c - the value decoder (cu_valuedec_value with the plain codec,
** which refuses cu's own tags) through cu_io_set, the path of every Java
** value (setInput, setInputField).
** A value that decodes and encodes again must decode from its own encoding:
** the encoder never writes what the decoder refuses (except opaque tags,
** which stand for tables used as keys and are not values).
*/
#include "fuzz.h"

static cu_State *S;

/* Whether the encoding holds an opaque tag's head (CU_TAG_OPAQUE). */
static int opaque (const uint8_t *b, size_t n) {
  uint8_t tag[CU_CBOR_HEADMAX];
  size_t t = cu_cbor_head(tag, CU_CBOR_TAG, CU_TAG_OPAQUE);
  for (size_t i = 0; i + t <= n; i++)
    if (memcmp(b + i, tag, t) == 0)
      return 1;
  return 0;
}

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size) {
  int st;
  if (S == NULL)
    S = fz_state(); /* one state for every input: io_set replaces */
  st = cu_io_set(S, "input", NULL, data, size);
  FZ_ASSERT(st == CU_OK || st == CU_ERRVALUE || st == CU_ERRMEM);
  if (st == CU_OK) {
    st = cu_io_get(S, "input", NULL);
    FZ_ASSERT(st == CU_OK || st == CU_ERRVALUE || st == CU_ERRMEM);
    if (st == CU_OK) {
      size_t n1, n2;
      uint8_t *e1 = fz_payload(S, &n1), *e2;
      if (!opaque(e1, n1)) {
        FZ_ASSERT(cu_io_set(S, "again", NULL, e1, n1) == CU_OK);
        FZ_ASSERT(cu_io_get(S, "again", NULL) == CU_OK);
        e2 = fz_payload(S, &n2);
        FZ_ASSERT(n1 == n2); /* same values, same sizes (order may differ) */
        free(e2);
      }
      free(e1);
    }
  }
  /* the field form: _io.meta.f, a table created on demand */
  st = cu_io_set(S, "meta", "f", data, size);
  FZ_ASSERT(st == CU_OK || st == CU_ERRVALUE || st == CU_ERRMEM);
  FZ_ASSERT(cu_io_clear(S) == CU_OK);
  return 0;
}
