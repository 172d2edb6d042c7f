/* test_decode.c - the CBOR decoder: shared vectors, malformed and random input. */
#include "cutest.h"
#include "cbortest.h"

#ifndef CU_VECTORS
#error "CU_VECTORS must name native/test/vectors/values.txt"
#endif


/* Decodes bytes into _io.input, then encodes _io.input back. */
static int roundtrip (cu_State *S, const unsigned char *b, size_t n) {
  int st = cu_io_set(S, "input", NULL, b, n);
  if (st != CU_OK) return st;
  return cut_run(S, "return _io.input", CU_RESULT_LAST);
}

static unsigned rng = 12345;
static unsigned next_random (void) {
  rng = rng * 1103515245u + 12345u;
  return rng >> 16;
}

int main (void) {
  cu_State *S = cut_state(64 * 1024 * 1024, 1);
  FILE *f = fopen(CU_VECTORS, "r");
  char line[512];
  unsigned char b[256];
  int vectors = 0;
  CHECK(f != NULL);
  while (f != NULL && fgets(line, sizeof line, f)) {
    size_t n;
    if (line[0] == '#' || line[0] == '\n') continue;
    n = tc_unhex(line, b, sizeof b);
    vectors++;
    CHECK(roundtrip(S, b, n) == CU_OK && cut_out_is(S, (const char *)b, n));
    if (!cut_out_is(S, (const char *)b, n)) fprintf(stderr, "  vector: %s", line);
    /* every strict prefix is malformed: a clear error, never a crash */
    for (size_t k = 1; k < n; k++)
      CHECK(cu_io_set(S, "input", NULL, b, k) == CU_ERRVALUE);
  }
  if (f) fclose(f);
  CHECK(vectors >= 30);

  /* decoding-only forms: float16/32, indefinite refused, bad tags */
  CHECK(roundtrip(S, (const unsigned char *)"\xf9\x3c\x00", 3) == CU_OK
        && OUT_IS(S, "\xfb\x3f\xf0\x00\x00\x00\x00\x00\x00"));
  CHECK(roundtrip(S, (const unsigned char *)"\xfa\x3f\xc0\x00\x00", 5) == CU_OK
        && OUT_IS(S, "\xfb\x3f\xf8\x00\x00\x00\x00\x00\x00"));
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\x9f\xff", 2) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "malformed CBOR"));
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xc1\x00", 2) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xd8\x1d\x00", 3) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xa1\xf6\x01", 3) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\x1b\x80\x00\x00\x00\x00\x00\x00\x00", 9) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\x01\x02", 2) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\x9b\xff\xff\xff\xff\xff\xff\xff\xff", 9) == CU_ERRVALUE);
  /* table and function references come from the store only, never from Java values */
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xda\x63\x75\x00\x02\x01", 6) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xda\x63\x75\x00\x03\x01", 6) == CU_ERRVALUE);
  /* shared values below the top level, and as map values */
  CHECK(roundtrip(S, (const unsigned char *)"\xa1\x61" "a\xd8\x1c\x81\x01", 7) == CU_OK
        && OUT_IS(S, "\xa1\x61" "a\x81\x01"));
  CHECK(roundtrip(S, (const unsigned char *)"\x81\x82\xd8\x1c\xa0\xd8\x1d\x00", 8) == CU_OK
        && OUT_IS(S, "\x81\x82\xd8\x1c\xa0\xd8\x1d\x00"));
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xa2\x61" "a\xd8\x1c\x81\x01\x61" "b\xd8\x1d\x00", 12) == CU_OK);
  CHECK(cut_run(S, "return _io.input.a == _io.input.b and _io.input.a[1]", CU_RESULT_LAST) == CU_OK
        && OUT_IS(S, "\x01"));
  /* a cycle through tag 29 is a legal Lua value */
  CHECK(cu_io_set(S, "input", NULL, (const unsigned char *)"\xd8\x1c\x81\xd8\x1d\x00", 6) == CU_OK);
  CHECK(cut_run(S, "return _io.input[1] == _io.input", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\xf5"));
  /* deep nesting is an error, not a C stack overflow */
  {
    unsigned char deep[4096];
    memset(deep, 0x81, sizeof deep);
    deep[sizeof deep - 1] = 0x00;
    CHECK(cu_io_set(S, "input", NULL, deep, sizeof deep) == CU_ERRVALUE);
    CHECK(cut_out_has(S, "nested too deeply"));
  }
  /* random bytes: OK or a clear error, never a crash (ASan watches) */
  for (int i = 0; i < 20000; i++) {
    unsigned char r[32];
    size_t n = 1 + next_random() % sizeof r;
    for (size_t k = 0; k < n; k++) r[k] = (unsigned char)next_random();
    {
      int st = cu_io_set(S, "input", NULL, r, n);
      CHECK(st == CU_OK || st == CU_ERRVALUE);
    }
  }
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "\x01"));
  cu_state_close(S);
  return cut_done();
}
