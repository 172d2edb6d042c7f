/* test_decode.c - the CBOR decoder: shared vectors, malformed and random input. */
#include "cutest.h"
#include "cbortest.h"

#ifndef CU_VECTORS
#error "CU_VECTORS must name native/test/vectors/values.txt"
#endif


/* Decodes bytes into _io.input, then encodes _io.input back. */
static int roundtrip (cu_State *S, const unsigned char *b, size_t n) {
  int st = cu_io_set(S, "input", NULL, b, n);
  if (st != CU_OK)
    return st;
  return cut_run(S, "return _io.input", CU_RESULT_LAST);
}

static unsigned rng = 12345;
static unsigned next_random (void) {
  rng = rng * 1103515245u + 12345u;
  return rng >> 16;
}

/* Appends text s as a text item, its head of 'hl' bytes (1, or 2 for a 1-byte length). */
static void put_text (uint8_t *b, size_t *n, const char *s, int hl) {
  size_t len = strlen(s);
  if (hl == 2) { /* a length below 24 in a 1-byte argument: valid, not the shortest */
    b[(*n)++] = CU_CBOR_IB(CU_CBOR_TEXT, CU_CBOR_AI_1);
    b[(*n)++] = (uint8_t)len;
  }
  else
    tc_put(b, n, CU_CBOR_TEXT, len);
  memcpy(b + *n, s, len);
  *n += len;
}

/*
** Records whose keys repeat, collide in the decoder's key cache (same
** length, same first, middle and last bytes), change from record to
** record, have every length around the cached range and both head forms:
** each record must hold exactly its own keys and values.
*/
static void check_keys (cu_State *S) {
  static const char *fixed[] = {"id",
                                "aXbYc",
                                "aZbWc",
                                "",
                                "x",
                                "0123456789012345678901234567890123456789",  /* 40 bytes */
                                "01234567890123456789012345678901234567890", /* 41 bytes */
                                "a key of thirty bytes exactly."};
  enum { NREC = 300, NFIX = sizeof fixed / sizeof fixed[0] };
  size_t cap = NREC * 512, n = 0;
  uint8_t *b = (uint8_t *)malloc(cap);
  char own[16];
  CHECK(b != NULL);
  if (b == NULL)
    return;
  tc_put(b, &n, CU_CBOR_ARRAY, NREC);
  for (int i = 0; i < NREC; i++) {
    tc_put(b, &n, CU_CBOR_MAP, NFIX + 2);
    for (int k = 0; k < NFIX; k++) {
      put_text(b, &n, fixed[(k + i) % NFIX], (i + k) % 3 == 0 ? 2 : 1); /* a changing order */
      tc_put(b, &n, CU_CBOR_UINT, (uint64_t)(i * 100 + (k + i) % NFIX));
    }
    snprintf(own, sizeof own, "k%d", i % 97); /* keys that come and go */
    put_text(b, &n, own, 1);
    tc_put(b, &n, CU_CBOR_UINT, (uint64_t)(i % 97));
    tc_put(b, &n, CU_CBOR_UINT, 7); /* an integer key */
    tc_put(b, &n, CU_CBOR_TEXT, 1);
    b[n++] = 'v';
  }
  CHECK(cu_io_set(S, "input", NULL, b, n) == CU_OK);
  CHECK(cut_run(
          S,
          "local fixed = {'id', 'aXbYc', 'aZbWc', '', 'x', "
          "'0123456789012345678901234567890123456789', "
          "'01234567890123456789012345678901234567890', 'a key of thirty bytes exactly.'} "
          "for i, r in ipairs(_io.input) do local c = 0 "
          "  for k, v in pairs(r) do c = c + 1 end "
          "  if c ~= #fixed + 2 or r[7] ~= 'v' or r['k' .. ((i - 1) % 97)] ~= (i - 1) % 97 then "
          "    return 'record ' .. i end "
          "  for j, k in ipairs(fixed) do "
          "    if r[k] ~= (i - 1) * 100 + j - 1 then return 'record ' .. i .. ' key ' .. k end end "
          "end return #_io.input",
          CU_RESULT_LAST) == CU_OK);
  CHECK(OUT_IS(S, "300"));
  /* the same value under memory limits: a memory error or the value, never a crash */
  for (int64_t lim = 96 * 1024; lim <= 256 * 1024; lim += 8 * 1024) {
    cu_State *small = cut_state(lim, 1);
    int st = cu_io_set(small, "input", NULL, b, n);
    CHECK(st == CU_OK || st == CU_ERRMEM);
    CHECK(cut_run(small, "return 1", CU_RESULT_LAST) == CU_OK && OUT_IS(small, "1"));
    cu_state_close(small);
  }
  free(b);
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
    if (line[0] == '#' || line[0] == '\n')
      continue;
    n = tc_unhex(line, b, sizeof b);
    vectors++;
    CHECK(roundtrip(S, b, n) == CU_OK && cut_out_is(S, (const char *)b, n));
    if (!cut_out_is(S, (const char *)b, n))
      fprintf(stderr, "  vector: %s", line);
    /* every strict prefix is malformed: a clear error, never a crash */
    for (size_t k = 1; k < n; k++) CHECK(cu_io_set(S, "input", NULL, b, k) == CU_ERRVALUE);
  }
  if (f)
    fclose(f);
  CHECK(vectors >= 30);

  /* decoding-only forms: float16/32, indefinite refused, bad tags */
  CHECK(roundtrip(S, TC_BYTES("1.0_1")) == CU_OK && OUT_IS(S, "1.0"));
  CHECK(roundtrip(S, TC_BYTES("1.5_2")) == CU_OK && OUT_IS(S, "1.5"));
  { /* an indefinite-length array, [_ ] */
    const unsigned char b[] = {CU_CBOR_IB(CU_CBOR_ARRAY, 31), CU_CBOR_IB(CU_CBOR_SIMPLE, 31)};
    CHECK(cu_io_set(S, "input", NULL, b, sizeof b) == CU_ERRVALUE);
  }
  CHECK(cut_out_has(S, "malformed CBOR"));
  { /* a lone break byte is refused as a simple value, as the Java decoder does */
    const unsigned char b[] = {CU_CBOR_IB(CU_CBOR_SIMPLE, 31)};
    CHECK(cu_io_set(S, "input", NULL, b, sizeof b) == CU_ERRVALUE);
    CHECK(cut_out_has(S, "malformed CBOR input: unsupported simple value"));
  }
  { /* tag 28 reads a length: a break byte after it is an indefinite item */
    const unsigned char b[] = {CU_CBOR_IB(CU_CBOR_TAG, CU_CBOR_AI_1), CU_TAG_SHAREABLE,
                               CU_CBOR_IB(CU_CBOR_SIMPLE, 31)};
    CHECK(cu_io_set(S, "input", NULL, b, sizeof b) == CU_ERRVALUE);
    CHECK(cut_out_has(S, "malformed CBOR input: unsupported length or indefinite item"));
  }
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("1(0)")) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("SHAREDREF(0)")) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("{null: 1}")) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("9223372036854775808")) == CU_ERRVALUE);
  { /* trailing bytes: 1 2 */
    const unsigned char b[] = {1, 2};
    CHECK(cu_io_set(S, "input", NULL, b, sizeof b) == CU_ERRVALUE);
  }
  { /* an array of 2^64 - 1 items */
    unsigned char b[CU_CBOR_HEADMAX];
    cu_cbor_head8(b, CU_CBOR_ARRAY, UINT64_MAX);
    CHECK(cu_io_set(S, "input", NULL, b, sizeof b) == CU_ERRVALUE);
  }
  /* table and function references come from the store only, never from Java values */
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("EXTREF(1)")) == CU_ERRVALUE);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("FUNCREF(1)")) == CU_ERRVALUE);
  /* shared values below the top level, and as map values */
  CHECK(roundtrip(S, TC_BYTES("{\"a\": SHAREABLE([1])}")) == CU_OK && OUT_IS(S, "{\"a\": [1]}"));
  CHECK(roundtrip(S, TC_BYTES("[[SHAREABLE({}), SHAREDREF(0)]]")) == CU_OK &&
        OUT_IS(S, "[[SHAREABLE({}), SHAREDREF(0)]]"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("{\"a\": SHAREABLE([1]), \"b\": SHAREDREF(0)}")) ==
        CU_OK);
  CHECK(cut_run(S, "return _io.input.a == _io.input.b and _io.input.a[1]", CU_RESULT_LAST) ==
          CU_OK &&
        OUT_IS(S, "1"));
  /* arrays are marked and nulls keep their place: the same values as json.decode's */
  CHECK(cut_run(S, "json = require('json')", CU_RESULT_LAST) == CU_OK);
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("[1, null, 3]")) == CU_OK);
  CHECK(cut_run(S, "local t = _io.input return #t, t[2] == json.null, json.encode(t)",
                CU_RESULT_ALL) == CU_OK &&
        OUT_IS(S, "[3, true, \"[1,null,3]\"]"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("{\"xs\": [], \"m\": {}}")) == CU_OK);
  CHECK(cut_run(S, "return json.encode(_io.input.xs), json.encode(_io.input.m)", CU_RESULT_ALL) ==
          CU_OK &&
        OUT_IS(S, "[\"[]\", \"{}\"]"));
  /* an array emptied by the script is still an array */
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("[1, 2]")) == CU_OK);
  CHECK(cut_run(S, "local t = _io.input t[2] = nil t[1] = nil return t", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "[]"));
  /* null as a map value or at the top is nil: the key is absent */
  CHECK(roundtrip(S, TC_BYTES("{\"a\": null, \"b\": 1}")) == CU_OK && OUT_IS(S, "{\"b\": 1}"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("null")) == CU_OK);
  CHECK(cut_run(S, "return _io.input == nil", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "true"));
  /* a cycle through tag 29 is a legal Lua value */
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("SHAREABLE([SHAREDREF(0)])")) == CU_OK);
  CHECK(cut_run(S, "return _io.input[1] == _io.input", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "true"));
  /* tags 2 and 3 are bigints, with the module's metatable before any require('bigint') */
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("2(h'010000000000000000')")) == CU_OK);
  CHECK(cut_run(S, "local x = _io.input return getmetatable(x), tostring(x), tostring(x + 1)",
                CU_RESULT_ALL) == CU_OK &&
        OUT_IS(S, "[\"bigint\", \"18446744073709551616\", \"18446744073709551617\"]"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("3(h'')")) == CU_OK);
  CHECK(cut_run(S, "return tostring(_io.input), _io.input:tointeger()", CU_RESULT_ALL) == CU_OK &&
        OUT_IS(S, "[\"-1\", -1]"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("3(h'ffffffffffffffff')")) == CU_OK);
  CHECK(cut_run(S, "return tostring(_io.input)", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "\"-18446744073709551616\""));
  /* a bigint as a map key and value; a small bigint stays a bigint */
  CHECK(roundtrip(S, TC_BYTES("{2(h'05'): 3(h'05')}")) == CU_OK &&
        OUT_IS(S, "{2(h'05'): 3(h'05')}"));
  /* leading zero bytes are read past: only the canonical form is written */
  CHECK(roundtrip(S, TC_BYTES("2(h'000001')")) == CU_OK && OUT_IS(S, "2(h'01')"));
  CHECK(roundtrip(S, TC_BYTES("2(h'0000')")) == CU_OK && OUT_IS(S, "2(h'')"));
  CHECK(roundtrip(S, TC_BYTES("3(h'00ff')")) == CU_OK && OUT_IS(S, "3(h'ff')"));
  /* a bigint made by the script crosses the same way: -(2^64) is 3(2^64 - 1) */
  CHECK(cut_run(S, "return require('bigint').new(2) ^ 64 * -1", CU_RESULT_LAST) == CU_OK &&
        OUT_IS(S, "3(h'ffffffffffffffff')"));
  /* the content must be a byte string */
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("2(1)")) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "malformed CBOR input: tags 2 and 3 need a byte string"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("3(\"01\")")) == CU_ERRVALUE);
  CHECK(cut_out_has(S, "malformed CBOR input: tags 2 and 3 need a byte string"));
  CHECK(cu_io_set(S, "input", NULL, TC_BYTES("2([])")) == CU_ERRVALUE);
  { /* a byte string longer than the input */
    unsigned char b[2 + CU_CBOR_HEADMAX];
    b[0] = CU_CBOR_IB(CU_CBOR_TAG, CU_TAG_BIGNUM);
    cu_cbor_head8(b + 1, CU_CBOR_BYTES, UINT64_MAX);
    b[sizeof b - 1] = 1;
    CHECK(cu_io_set(S, "input", NULL, b, sizeof b) == CU_ERRVALUE);
    CHECK(cut_out_has(S, "length exceeds the input"));
  }
  { /* a bigint beyond the memory limit is a memory error: nothing leaks (ASan watches) */
    cu_State *small = cut_state(256 * 1024, 1);
    size_t n = 1024 * 1024;
    unsigned char *big = (unsigned char *)malloc(n + 1 + CU_CBOR_HEADMAX);
    size_t h;
    CHECK(big != NULL);
    if (big != NULL) {
      big[0] = CU_CBOR_IB(CU_CBOR_TAG, CU_TAG_BIGNUM);
      h = 1 + cu_cbor_head(big + 1, CU_CBOR_BYTES, n);
      memset(big + h, 'x', n); /* the magnitude's bytes: any nonzero filler */
      CHECK(cu_io_set(small, "input", NULL, big, h + n) == CU_ERRMEM);
      CHECK(cut_run(small, "return 1", CU_RESULT_LAST) == CU_OK && OUT_IS(small, "1"));
      free(big);
    }
    cu_state_close(small);
  }
  /* deep nesting is an error, not a C stack overflow */
  {
    unsigned char deep[4096];
    memset(deep, CU_CBOR_IB(CU_CBOR_ARRAY, 1), sizeof deep);
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
  CHECK(cut_run(S, "return 1", CU_RESULT_LAST) == CU_OK && OUT_IS(S, "1"));
  check_keys(S);
  cu_state_close(S);
  return cut_done();
}
